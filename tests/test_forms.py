"""The form a sheet is written on decides which fields the rules may ask for (issue 12, part 2):
rules/frameworks/forms.yaml, checker/forms.py and the facts `form` / `form_fields`."""

from __future__ import annotations

from checker.api import check_path, parse_path
from checker.facts import build_facts
from checker.forms import FUNDING, GOALS, INDICATORS, forms
from checker.resources import shipped_yaml
from checker.vocabulary import vocabulary
from tests.conftest import ROOT

TEXTS = ROOT / "tests" / "data" / "corpus" / "texts"


def _known_field_names() -> set[str]:
    data = shipped_yaml("frameworks/vocabulary.yaml")
    return {*data["header_fields"], *data["text_fields"], FUNDING, GOALS, INDICATORS, "部门名称",
            *forms().columns.values()}  # fmt: skip


def test_every_form_names_fields_the_parser_can_print() -> None:
    known = _known_field_names()
    for form in forms().forms:
        assert form.fields <= known, (form.id, form.fields - known)
        assert form.printed <= form.fields, form.id
        assert form.min_printed <= len(form.printed)
    # Every column role the form file names is one the vocabulary reads.
    assert set(forms().columns) <= set(vocabulary().columns.values())


def test_every_document_type_has_a_form() -> None:
    for kind in ("申报表", "批复表", "自评表", "评价指标表", "部门整体", "项目清单", "转述"):
        assert forms().form_of(kind, frozenset()) is not None, kind


def _sheet_doc(name: str) -> dict[str, object]:
    (sheet, *_) = parse_path(TEXTS / name).sheets
    return build_facts(sheet).doc


def test_an_evaluation_table_is_not_asked_for_funding_or_goals() -> None:
    doc = _sheet_doc("16_hebei_xingtai_ningjin_zhuxuejin.txt")
    assert doc["form"] == "evaluation-indicators" and doc["missing_parts"] == []
    assert GOALS not in doc["form_fields"]  # type: ignore[operator]
    codes = {f.code for f in check_path(TEXTS / "16_hebei_xingtai_ningjin_zhuxuejin.txt").findings}
    assert "STR001" not in codes


def test_a_printed_column_is_a_field_of_the_form() -> None:
    # 宁德's 部门整体 sheet prints an 指标解释 column; the department form lists none.
    doc = _sheet_doc("06_fujian_ningde_dangshi_zhengti.txt")
    assert doc["form"] == "department" and "指标解释" in doc["form_fields"]  # type: ignore[operator]
    # 湖北's 批复表 has no such column, so no rule may ask for one.
    assert "指标解释" not in _sheet_doc("08_hubei_huangshi_dangxiao_pifu.txt")["form_fields"]  # type: ignore[operator]


def test_an_application_still_needs_its_goals() -> None:
    doc = _sheet_doc("04_anhui_huaibei_songxi.txt")
    assert doc["form"] == "application" and doc["missing_parts"] == ["goals"]

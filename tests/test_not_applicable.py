"""Rows declared not applicable (不适用, 无, /, or 本项目不适用此指标 with no value): not indicators to judge.

The value grammar's side is in test_values_table.py and test_values_property.py; here: the helpers the
sheet builder will call, the facts, the rules, the JSON schema and the review workbook.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from jsonschema import Draft202012Validator

from checker.config import Config
from checker.facts import build_facts
from checker.findings import Report
from checker.i18n import t
from checker.model import PARSE_SCHEMA_VERSION, GoalSheet, ParsedFile, ValueKind
from checker.parse.values import is_not_applicable, is_not_applicable_name, mark_not_applicable, parse_value
from checker.report.xlsx_review import KIND_ZH, write_review
from checker.results import FileOutcome
from checker.rules.engine import Engine
from checker.rules.examples import BASE, BASE_2021_INDICATORS, example_sheet
from tests.conftest import ROOT

PACKS = ["auto", "fw2015", "fw2021", "shanxi"]
SHANXI_FUNDING = {"total": 100, "unit": "万元", "sources": {"省级财政资金": 100}}

# Rows that rules judge once they are indicators (test_the_same_rows_with_a_real_value_are_judged), each
# declared not applicable by its value or, with an empty value, by its name; the comment names the rule
# beyond QUAL001 that the row would draw.
DECLARED: list[dict[str, Any]] = [
    {"level1": "产出指标", "level2": "质量指标", "name": "验收合格率", "value": "不适用\t\n"},
    {"level1": "产出指标", "level2": "数量指标", "name": "*", "value": "-"},  # IND001
    {"level1": "产出指标", "level2": "时效指标", "name": "完成时间", "value": "无"},  # TIME002
    {"level1": "产出指标", "level2": "成本指标", "name": "设备购置成本", "value": "—"},
    {"level1": "效益指标", "level2": "经济效益指标", "name": "质量达标率100%", "value": "/"},  # IND003
    {"level1": "效益指标", "level2": "生态效益指标", "name": "本项目不适用此指标", "value": ""},  # STR002 (empty)
    {"level1": "效益指标", "level2": "社会效益指标", "name": "不适用", "value": "不适用"},  # IND006 with the next
    {"level1": "效益指标", "level2": "可持续影响指标", "name": "不适用", "value": "不适用"},
    {"level1": "产出指标", "level2": "数量指标", "name": "培训人数", "value": "不涉及", "value_type": "定量"},  # VAL007
    {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "干部职工满意度", "value": "N/A"},  # SAT007
]


def _sheet(indicators: list[dict[str, Any]], **extra: Any) -> GoalSheet:
    sheet, _ = example_sheet({"sheet": {"indicators": indicators, **extra}})
    return sheet


def _findings(sheet: GoalSheet, pack: str = "auto", framework: str = "auto") -> list[Any]:
    return list(Engine(Config(pack=pack, framework=framework)).check_sheet(sheet).findings)


# --- the helpers the sheet builder calls -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["本项目不适用此指标", "不适用", "无", " 不适用\t\n", "（不适用）", "本项目不涉及"])
def test_names_that_declare_the_row_not_applicable(name: str) -> None:
    assert is_not_applicable_name(name)
    assert is_not_applicable(name, parse_value(""))
    assert mark_not_applicable(name, parse_value("")).kind is ValueKind.NOT_APPLICABLE


@pytest.mark.parametrize("name", ["", "生态效益", "无事故", "安全事故发生次数", "不适用人群覆盖率"])
def test_names_that_do_not(name: str) -> None:
    assert not is_not_applicable_name(name)
    assert not is_not_applicable(name, parse_value(""))
    assert mark_not_applicable(name, parse_value("")).kind is ValueKind.EMPTY


def test_a_name_alone_does_not_override_a_real_value() -> None:
    # The real workbook has one 不适用 | 按方案执行 row: the value is a target, so the row is judged.
    value = parse_value("按方案执行")
    assert not is_not_applicable("不适用", value)
    assert mark_not_applicable("不适用", value) is value
    assert is_not_applicable("提供服务期限", parse_value("不适用"))


# --- facts -----------------------------------------------------------------------------------------------


def test_declared_rows_get_no_fact_document_and_are_not_counted() -> None:
    sheet = _sheet([*BASE["indicators"], *DECLARED])
    facts = build_facts(sheet, "fw2015")
    assert len(facts.indicators) == len(BASE["indicators"])
    assert len(facts.not_applicable) == len(DECLARED)
    assert [d["name"] for d in facts.indicators] == [i.name for i in facts.sheet.indicators]
    doc = facts.doc
    assert doc["indicator_count"] == len(BASE["indicators"])
    assert doc["not_applicable_count"] == len(DECLARED)
    assert doc["duplicate_names"] == []
    assert doc["level2_counts"]["效益指标/社会效益指标"] == 1
    # Groups with a real indicator beside the declared row are not declared not applicable.
    assert doc["not_applicable_level2"] == ["效益指标/经济效益指标", "效益指标/生态效益指标", "效益指标/可持续影响指标"]
    assert doc["not_applicable_level1"] == []
    assert doc["missing_output_level2"] == [] and doc["missing_output_level2_declared_state"] == "none"


def test_a_required_group_declared_not_applicable_is_missing_and_says_so() -> None:
    rows = [r if r["level2"] != "时效指标" else {**r, "name": "不适用", "value": "不适用"} for r in BASE["indicators"]]
    doc = build_facts(_sheet(rows), "fw2015").doc
    assert doc["missing_output_level2"] == ["时效指标"]
    assert doc["not_applicable_level2"] == ["产出指标/时效指标"]
    (finding,) = [f for f in _findings(_sheet(rows)) if f.code == "COUNT002"]
    assert finding.message == "产出指标下缺少：时效指标（填报为不适用）"
    assert finding.message_en == "产出指标 lacks: 时效指标 (declared not applicable)"


def test_only_the_declared_part_of_what_is_missing_is_named() -> None:
    rows = [r for r in BASE["indicators"] if r["level2"] != "质量指标"]
    rows = [r if r["level2"] != "时效指标" else {**r, "value": "无"} for r in rows]
    (finding,) = [f for f in _findings(_sheet(rows)) if f.code == "COUNT002"]
    assert finding.message == "产出指标下缺少：质量指标、时效指标（其中填报为不适用：时效指标）"


def test_satisfaction_and_cost_declared_not_applicable_are_missing() -> None:
    rows = [
        r if r["level2"] not in ("服务对象满意度指标", "经济成本指标") else {**r, "value": "不适用"}
        for r in BASE_2021_INDICATORS
    ]
    findings = {f.code: f for f in _findings(_sheet(rows), framework="fw2021")}
    assert findings["SAT001"].message.endswith("没有服务对象满意度指标（填报为不适用）")
    assert findings["COST002"].message.endswith("没有成本指标（填报为不适用）")
    assert findings["COST002"].message_en.endswith("has no cost indicator (declared not applicable)")
    # The framework is read from the form: a 成本指标 一级 declared not applicable is still the 2021 tree.
    assert build_facts(_sheet(rows)).framework.id == "fw2021"


def test_a_sheet_of_declared_rows_only_has_no_indicators() -> None:
    rows = [{**r, "value": "不适用"} for r in BASE["indicators"]]
    codes = {f.code for f in _findings(_sheet(rows))}
    assert "STR001" in codes
    # One root cause, one finding (issue 12): the groups of a sheet without any indicator are STR001's.
    assert not codes & {"COUNT001", "COUNT002", "COST002", "SAT001"}
    assert not codes & {"QUAL001", "QUAL003", "QUAL006", "IND006", "VAL001", "TIME002"}


# --- rules -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pack", PACKS)
def test_no_rule_fires_on_a_declared_row(pack: str) -> None:
    extra = {"funding": SHANXI_FUNDING} if pack == "shanxi" else {}
    base = BASE_2021_INDICATORS if pack == "fw2021" else BASE["indicators"]
    declared = [*DECLARED]
    if pack == "fw2021":
        # A declared row still shows the form's layout, and 成本指标 under 产出 is misplaced in the 2021 tree
        # (COST001, STR004): that row belongs to the 2015 packs. COST006 read 社会成本指标 | 无 as a benefit.
        declared = [r for r in declared if r["level2"] != "成本指标"]
        declared.append({"level1": "成本指标", "level2": "社会成本指标", "name": "社会成本指标", "value": "无"})
    sheet = _sheet([*base, *declared], **extra)
    # Only how the rows are written is reported (VAL020, once per sheet): never what they say.
    (finding,) = _findings(sheet, pack)
    assert finding.code == "VAL020"
    slips = "不适用⇥⏎、-、/、N/A" if pack == "fw2021" else "不适用⇥⏎、-、—、/、N/A"  # 不涉及, 无: words, not slips
    assert finding.message == f"不适用的指标写作 {slips}，应统一写“不适用”"


def test_the_same_rows_with_a_real_value_are_judged() -> None:
    # The test above means something only if these rows draw findings once they are indicators.
    sheet = _sheet([*BASE["indicators"], *({**r, "value": "待定"} for r in DECLARED)])
    findings = _findings(sheet)
    located = {f.location for f in findings}
    rows = sheet.indicators[len(BASE["indicators"]) :]
    assert [i.path for i in rows if i.location not in located] == []
    assert {"IND001", "IND003", "IND006", "QUAL001", "TIME002", "VAL007"} <= {f.code for f in findings}


def test_findings_after_a_declared_row_point_at_their_own_row() -> None:
    # The judged sheet leaves the declared rows out; a finding must still land on its own indicator.
    sheet = _sheet([*DECLARED, *BASE["indicators"], {"level1": "效益指标", "level2": "社会效益指标",
                                                    "name": "办公环境改善情况", "value": "改善"}])  # fmt: skip
    (finding,) = [f for f in _findings(sheet) if f.code == "QUAL001"]
    assert finding.location == sheet.indicators[-1].location
    assert finding.indicator_path == "效益指标/社会效益指标/办公环境改善情况"


# --- outputs ---------------------------------------------------------------------------------------------


def test_every_kind_has_a_label() -> None:
    for kind in ValueKind:
        assert KIND_ZH[str(kind)]
        assert t(str(kind), "zh") and t(str(kind), "en")
    assert (t("not_applicable", "zh"), t("not_applicable", "en")) == ("不适用", "not applicable")


def test_parse_output_documents_the_kind() -> None:
    schema = json.loads((ROOT / "checker" / "schemas" / "parse-output.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["schema_version"]["const"] == PARSE_SCHEMA_VERSION == "1.1"
    sheet = _sheet([*BASE["indicators"], *DECLARED])
    doc = ParsedFile("x.txt", (sheet,)).to_json()
    errors = list(Draft202012Validator(schema).iter_errors(doc))
    assert not errors, errors[0].message
    kinds = [i["value"]["kind"] for i in doc["sheets"][0]["indicators"]]
    assert kinds.count("not_applicable") == len(DECLARED) - 1  # the name-declared row keeps its empty value


def test_review_workbook_labels_and_does_not_count_declared_rows(tmp_path: Path) -> None:
    sheet = _sheet([*BASE["indicators"], *DECLARED])
    result = Engine().check_sheet(sheet)
    out = tmp_path / "审核表.xlsx"
    write_review([FileOutcome("x.txt", Report("x.txt", (result,)))], out, [], "auto")
    wb = openpyxl.load_workbook(out)
    rows = list(wb["指标明细"].iter_rows(values_only=True))
    kind_of = {(r[3], r[4], r[5]): r[12] for r in rows[1:]}
    assert kind_of[("效益指标", "生态效益指标", "本项目不适用此指标")] == "不适用"
    assert kind_of[("产出指标", "质量指标", "验收合格率")] == "不适用"
    assert kind_of[("产出指标", "数量指标", "培训人次")] == "定量"
    summary = list(wb["汇总"].iter_rows(values_only=True))
    counts = dict(zip(summary[0], summary[1], strict=False))
    # 2015 framework: the two 成本 rows under 产出 are counted as 成本 (issue 13), the rest as 产出.
    assert (counts["产出指标"], counts["效益指标"], counts["满意度指标"], counts["成本指标"]) == (3, 1, 1, 2)

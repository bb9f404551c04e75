"""What kind of document a sheet is (issue 12, part 2; STRUCT-006), and rules scoped by it."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.api import check_path, parse_path
from checker.config import Config
from checker.rules.engine import Engine
from checker.rules.examples import example_sheet
from tests.conftest import ROOT, SEED

TEXTS = ROOT / "tests" / "data" / "corpus" / "texts"

# The corpus README names each page's kind; these are the ones that are not project applications.
KNOWN = {
    "06_fujian_ningde_dangshi_zhengti": "部门整体",
    "08_hubei_huangshi_dangxiao_pifu": "批复表",
    "15_ningxia_shizuishan_jikong_pifu": "批复表",
    "16_hebei_xingtai_ningjin_zhuxuejin": "评价指标表",
    "11_anhui_huoshan_xiafuqiao_fupin": "项目清单",  # 清单式表格, one project a row
    "20_zhongyang_lvyou_jijin_xinwen": "转述",  # 新闻转述
}


@pytest.mark.parametrize("path", sorted(TEXTS.glob("*.txt")), ids=lambda p: p.stem)
def test_the_corpus_pages_are_told_apart(path: Path) -> None:
    kinds = {s.document_type or "申报表" for s in parse_path(path).sheets if not s.unread}
    assert kinds <= {KNOWN.get(path.stem, "申报表")}


def test_the_seed_is_an_application_although_its_page_mentions_department_goals() -> None:
    assert {s.document_type for s in parse_path(SEED).sheets} <= {"申报表", None}
    assert "STR012" not in {f.code for f in check_path(SEED).findings}


def test_an_approval_says_so_and_is_not_asked_for_application_fields() -> None:
    report = check_path(TEXTS / "08_hubei_huangshi_dangxiao_pifu.txt")
    (finding,) = [f for f in report.findings if f.code == "STR012"]
    assert "批复表" in finding.message


def test_rules_scoped_by_document_type() -> None:
    texts = {"项目概况": "示例", "保证项目实施的制度、措施": "", "项目实施计划": ""}
    engine = Engine(Config(select=("FEAS001",)))
    application, _ = example_sheet({"sheet": {"texts": texts}})
    approval, _ = example_sheet({"sheet": {"texts": texts, "document_type": "批复表"}})
    assert [f.code for f in engine.check_sheet(application).findings] == ["FEAS001"]
    assert not engine.check_sheet(approval).findings

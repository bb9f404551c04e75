"""Relational workbooks: a project table and an indicator table joined by 项目编码 (small generated
workbooks, and the real 松岗街道 declaration when its copy is in tests/data)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from checker.api import parse_path
from checker.model import GoalSheet
from checker.parse import relational
from checker.readers import read
from tests.conftest import ROOT

REAL = ROOT / "tests" / "data" / "corpus" / "files" / "shenzhen_baoan_songgang_xiangmuxinxi.xlsx"

PROJECT_HEAD = [
    "项目编码",
    "项目名称",
    "申请单位",
    "一级预算单位",
    "项目总金额",
    "本年金额",
    "政策依据",
    "测算依据",
    "年度目标",
]
INDICATOR_HEAD = ["项目编码", "一级指标", "二级指标", "三级指标", "指标值", "指标解释"]
Rows = list[list[object]]


def _book(tmp_path: Path, sheets: dict[str, Rows], name: str = "book.xlsx") -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def _project(code: str, name: str, year: object = 3000, total: object = 9000, goal: str = "完成服务") -> list[object]:
    return [code, name, "某街道办事处（本级）", "某街道办事处", total, year, "依据文件", "按标准测算", goal]


def _indicators(code: str, *names: str) -> Rows:
    return [[code, "产出", "数量", n, "≥1个", f"{n}的说明"] for n in names]


def _by_code(sheets: tuple[GoalSheet, ...]) -> dict[str | None, GoalSheet]:
    return {s.header_field("项目编码"): s for s in sheets}


def test_same_name_different_codes_stay_two_sheets(tmp_path: Path) -> None:
    path = _book(tmp_path, {
        "项目信息": [PROJECT_HEAD, _project("A01", "政府购买服务"), _project("A02", "政府购买服务", year=500)],
        "指标信息": [INDICATOR_HEAD, *_indicators("A02", "乙一", "乙二"), *_indicators("A01", "甲一")],
    })  # fmt: skip
    found = relational.read(read(path))
    assert [(s.project, s.header_field("项目编码")) for s in found.sheets] == [
        ("政府购买服务", "A01"),
        ("政府购买服务", "A02"),
    ]
    a, b = found.sheets
    assert [i.name for i in a.indicators] == ["甲一"] and [i.name for i in b.indicators] == ["乙一", "乙二"]
    assert (a.funding.total, b.funding.total) == (3000, 500)  # type: ignore[union-attr]
    assert found.claimed == frozenset({0, 1})
    # the sheet parser skips what was claimed: the pipeline gives the same two sheets, not one merged by name
    assert [s.header_field("项目编码") for s in parse_path(path).sheets] == ["A01", "A02"]


def test_the_join_sheet_is_not_counted_twice(tmp_path: Path) -> None:
    projects = [_project("A01", "甲项目"), _project("A02", "乙项目")]
    rows = [*_indicators("A01", "甲一", "甲二"), *_indicators("A02", "乙一")]
    by_code = {p[0]: p for p in projects}
    joined = [[*by_code[r[0]], *r[1:]] for r in rows]
    path = _book(tmp_path, {
        "审核信息": [[None, "项目编码", "审核人"], [0, "A01", None]],
        "项目信息": [PROJECT_HEAD, *projects],
        "指标信息": [INDICATOR_HEAD, *rows],
        "data": [[*PROJECT_HEAD, *INDICATOR_HEAD[1:]], *joined],
    })  # fmt: skip
    found = relational.read(read(path))
    assert found.joins == ("data",)
    assert found.claimed == frozenset({1, 2, 3})  # 审核信息 has a code but neither kind of column
    assert [len(s.indicators) for s in found.sheets] == [2, 1]
    assert all(s.location.sheet == "项目信息" for s in found.sheets)
    assert all(i.location.sheet == "指标信息" for s in found.sheets for i in s.indicators)
    sheets = parse_path(path).sheets
    assert len(sheets) == 2 and sum(len(s.indicators) for s in sheets) == 3


def test_a_join_that_says_more_is_read_on_its_own_and_said(tmp_path: Path) -> None:
    projects = [_project("A01", "甲项目")]
    joined = [[*projects[0], "产出", "数量", "另一个指标", "≥2个", ""]]
    path = _book(tmp_path, {
        "项目信息": [PROJECT_HEAD, *projects],
        "指标信息": [INDICATOR_HEAD, *_indicators("A01", "甲一")],
        "data": [[*PROJECT_HEAD, *INDICATOR_HEAD[1:]], *joined],
    })  # fmt: skip
    found = relational.read(read(path))
    assert found.joins == ()
    assert [[i.name for i in s.indicators] for s in found.sheets] == [["甲一"], ["另一个指标"]]
    assert "不一致" in found.sheets[1].problems[0].message_zh


def test_only_the_join_is_the_relational_source(tmp_path: Path) -> None:
    head = (
        ["金额单位：万元"],
        ["项目编码", "项目名称", "年度资金总额", "年度目标", "一级指标", "二级指标", "三级指标", "指标值"],
    )
    path = _book(tmp_path, {"导出": [*head,
        ["B1", "甲项目", 12.5, "目标1：完成甲。目标2：完成乙。", "产出指标", "数量指标", "完成数", "≥5个"],
        [None, None, None, None, None, "质量指标", "合格率", "≥95%"],  # a code printed once: the rows below are its
        ["B2", "乙项目", 3, "完成乙", "满意度指标", "服务对象满意度指标", "满意度", "≥90%"],
        ["B2", "乙项目", 3, "完成乙", "效益指标", "社会效益指标", "效益", "提升"],
    ]})  # fmt: skip
    found = relational.read(read(path))
    assert found.claimed == frozenset({0}) and found.joins == ()
    a, b = found.sheets
    assert (a.project, a.goals, a.location.cell) == ("甲项目", ("完成甲", "完成乙"), "B3")
    assert a.funding is not None and (a.funding.unit, a.funding.total_yuan) == ("万元", 125000)
    assert [(i.level2, i.name) for i in a.indicators] == [("数量指标", "完成数"), ("质量指标", "合格率")]
    assert [i.name for i in b.indicators] == ["满意度", "效益"]


def test_a_code_missing_from_the_project_table(tmp_path: Path) -> None:
    path = _book(tmp_path, {
        "项目信息": [PROJECT_HEAD, _project("A01", "甲项目"), _project("A03", "无指标项目")],
        "指标信息": [INDICATOR_HEAD, *_indicators("A01", "甲一"), *_indicators("X99", "孤一", "孤二")],
    })  # fmt: skip
    sheets = relational.read(read(path)).sheets
    assert [s.project for s in sheets] == ["甲项目", "无指标项目", "X99"]
    assert sheets[1].indicators == () and not sheets[1].problems  # a project without indicators is still a sheet
    orphan = sheets[2]
    assert [i.name for i in orphan.indicators] == ["孤一", "孤二"] and orphan.funding is None
    assert orphan.location.cell == "A3" and orphan.header_field("项目编码") == "X99"
    (problem,) = orphan.problems
    assert problem.code == "PRS002" and "X99" in problem.message_zh and "project table" in problem.message_en


def test_funding_unit_and_project_fields(tmp_path: Path) -> None:
    head = ["项目编码", "项目名称", "申请单位", "一级预算单位", "项目总金额（万元）", "本年金额（万元）", "政策依据",
            "测算依据", "年度目标"]  # fmt: skip
    path = _book(tmp_path, {
        "项目信息": [head, ["A01", "甲项目", "某社区工作站", "某街道办事处", 900, 300.5, "《某某办法》", "人数×标准",
                            "1.完成培训500人次。2.满意度提升。"],
                     ["A02", "乙项目", None, None, 80, None, None, None, None]],
        "指标信息": [INDICATOR_HEAD, *_indicators("A01", "甲一"), *_indicators("A02", "乙一")],
    })  # fmt: skip
    a, b = relational.read(read(path)).sheets
    assert dict(a.header) == {
        "项目编码": "A01",
        "实施单位": "某社区工作站",
        "主管部门": "某街道办事处",
        "项目总金额": "900",
        "立项依据": "《某某办法》",
        "测算依据": "人数×标准",
    }
    assert a.texts == ()  # the record's columns are not a 申报表 text block (FEAS001 would judge one)
    assert a.goals == ("完成培训500人次", "满意度提升")
    assert a.funding is not None
    assert (a.funding.total, a.funding.unit, a.funding.total_raw) == (Decimal("300.5"), "万元", "300.5")
    assert a.funding.total_yuan == 3005000 and a.funding.location is not None and a.funding.location.cell == "F2"
    # no 本年金额: the project's total stands in
    assert b.funding is not None and (b.funding.total, b.funding.location.cell) == (80, "E3")  # type: ignore[union-attr]
    assert b.goals == () and b.texts == ()


def test_amounts_are_in_yuan_unless_declared(tmp_path: Path) -> None:
    path = _book(tmp_path, {
        "项目信息": [PROJECT_HEAD, _project("A01", "甲项目", year="164万元")],
        "指标信息": [INDICATOR_HEAD, *_indicators("A01", "甲一")],
        "项目信息2": [["单位：万元"], PROJECT_HEAD, _project("B01", "乙项目", year=12)],
        "指标信息2": [INDICATOR_HEAD, *_indicators("B01", "乙一")],
    })  # fmt: skip
    a, b = relational.read(read(path)).sheets
    assert a.funding is not None and (a.funding.unit, a.funding.total_yuan) == ("元", 1640000)
    assert b.funding is not None and (b.funding.unit, b.funding.total_yuan) == ("万元", 120000)


def test_header_row_below_a_title_and_labels_with_line_breaks(tmp_path: Path) -> None:
    project_head = ["项目\n编码", " 项目名称 ", "申请\n单位", "本年\n金额"]
    indicator_head = ["项目编码", "一级\n指标", "二级指标", "三级\n指标", "指标值 ", "指标\n解释"]
    path = _book(tmp_path, {
        "项目": [["2023年项目支出绩效目标申报"], [], ["填报单位：某街道"], project_head,
                 ["A01", "甲项目", "某单位", 100]],
        "指标": [["指标信息"], indicator_head, ["A01", "产出", "数量", "完成数", "≥5个", "说明"]],
    })  # fmt: skip
    found = relational.read(read(path))
    (sheet,) = found.sheets
    assert (sheet.project, sheet.location.cell, sheet.header_field("实施单位")) == ("甲项目", "B5", "某单位")
    (ind,) = sheet.indicators
    assert (ind.name, ind.value.raw, ind.location.cell, ind.name_location.cell) == ("完成数", "≥5个", "E3", "D3")  # type: ignore[union-attr]
    assert ind.explanation == "说明"


def test_short_level_names_are_placed_under_their_parents(tmp_path: Path) -> None:
    rows: Rows = [
        ["A01", "产出", "数量", "完成数", "≥5个", ""],
        ["A01", "产出", "成本", "总成本", "≤3000元", ""],
        ["A01", "效益", "时效", "完成时间", "12月底前", ""],  # 时效 printed under 效益: it belongs to 产出
        ["A01", "满意度", "其他满意度", "职工满意度", "≥90%", ""],
        ["A01", None, None, "群众满意度", "≥95%", ""],  # blank levels continue the row above
        ["A01", "可持续影响", None, "长效机制", "建立", ""],  # a 二级 name in the 一级 column
        ["A01", "效益", "经济效益", None, "不适用\t\n", ""],
        ["A01", "效益", "生态效益", None, None, ""],  # nothing written: skipped, its group kept
    ]
    path = _book(tmp_path, {"项目信息": [PROJECT_HEAD, _project("A01", "甲项目")], "指标信息": [INDICATOR_HEAD, *rows]})
    found = relational.read(read(path))
    (sheet,) = found.sheets
    got = [(i.level1, i.level2, i.name, i.written_level1) for i in sheet.indicators]
    assert got == [
        ("产出指标", "数量指标", "完成数", None),
        ("产出指标", "成本指标", "总成本", None),
        ("产出指标", "时效指标", "完成时间", "效益指标"),
        ("满意度指标", "其他满意度指标", "职工满意度", None),
        ("满意度指标", "其他满意度指标", "群众满意度", None),
        ("效益指标", "可持续影响指标", "长效机制", "可持续影响"),
        ("效益指标", "经济效益指标", "", None),
    ]
    assert sheet.indicators[-1].value.raw == "不适用"  # stray tab and newline dropped
    assert ("效益指标", "生态效益指标") in sheet.groups
    assert found.skipped == 1


def test_a_duplicate_code_in_the_project_table_is_said(tmp_path: Path) -> None:
    path = _book(tmp_path, {
        "项目信息": [PROJECT_HEAD, _project("A01", "甲项目"), _project("A01", "甲项目（重复）"),
                     ["", "无编码项目", "单位"], ["", "合  计", None, None, 9000, 3000]],
        "指标信息": [INDICATOR_HEAD, *_indicators("A01", "甲一")],
    })  # fmt: skip
    a, b = relational.read(read(path)).sheets
    assert a.project == "甲项目" and "重复" in a.problems[0].message_zh and a.problems[0].location.cell == "A3"
    assert b.project == "无编码项目" and "没有项目编码" in b.problems[0].message_zh


def test_workbooks_that_are_not_relational_are_left_alone(tmp_path: Path) -> None:
    form = read(ROOT / "examples" / "项目支出绩效目标申报表.xlsx")
    assert relational.read_relational(form) == ([], frozenset())
    text = read(ROOT / "examples" / "山西省信访局2024年单位预算.txt")
    assert relational.read_relational(text) == ([], frozenset())
    # a project list alone (codes, names, amounts, no indicator table) is no goal sheet
    only_projects = _book(tmp_path, {"项目信息": [PROJECT_HEAD, _project("A01", "甲项目")]}, "projects.xlsx")
    assert relational.read_relational(read(only_projects)) == ([], frozenset())
    # a flat export without a code column stays the sheet parser's
    flat = _book(tmp_path, {"导出": [["项目名称", "一级指标", "二级指标", "三级指标", "指标值"],
                                     ["甲项目", "产出指标", "数量指标", "完成数", "≥5个"]]}, "flat.xlsx")  # fmt: skip
    assert relational.read_relational(read(flat)) == ([], frozenset())
    assert [s.project for s in parse_path(flat).sheets] == ["甲项目"]


def test_labels_come_from_the_vocabulary() -> None:
    vocab = relational.labels()
    assert vocab.role("项目代码") == ("code", None)
    assert vocab.role("本年金额（万元）") == ("year_amount", "万元")
    assert vocab.role("主管部门") == ("department", None)
    assert vocab.role("三级指标") == ("name", None)
    assert vocab.role("金额") == (None, None)


@pytest.mark.skipif(not REAL.exists(), reason=f"corpus copy not present: {REAL}")
def test_the_songgang_declaration() -> None:
    doc = read(REAL)
    found = relational.read(doc)
    sheets = found.sheets
    assert len(sheets) == 291
    codes = [s.header_field("项目编码") for s in sheets]
    assert len(set(codes)) == 291 and None not in codes
    assert all(s.funding is not None and s.funding.total is not None and s.funding.unit == "元" for s in sheets)
    assert all(s.header_field("实施单位") and s.location.sheet == "项目信息" for s in sheets)
    assert found.joins == ("data",)
    assert {doc.tables[i].name for i in found.claimed} == {"项目信息", "指标信息", "data"}
    # 3,024 indicator rows: 340 empty slots skipped, the rest read once
    assert found.skipped == 340 and sum(len(s.indicators) for s in sheets) == 3024 - 340
    assert not any(s.problems for s in sheets)
    assert {i.level1 for s in sheets for i in s.indicators} == {"产出指标", "效益指标", "满意度指标"}
    assert not any(i.value.raw != i.value.raw.strip() for s in sheets for i in s.indicators)
    parsed = parse_path(REAL).sheets
    assert len(parsed) == 291 and sum(len(s.indicators) for s in parsed) == 3024 - 340

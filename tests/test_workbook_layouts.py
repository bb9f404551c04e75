"""Workbook layouts seen in the field, read by the positional reader (checker/parse/sheet.py).

Each ``tests/layouts/xlsx/<layout>.xlsx`` is written by ``tests/layouts/make_xlsx.py`` with openpyxl; the
layouts whose merged cells carry the meaning are also there as LibreOffice re-saves (``-lo.xlsx``,
``-lo.xls``), the way most real users' files are made. The expectations below are written from what each
sheet means: the same for every save of a layout.
"""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

from checker.api import check_path, parse_path
from checker.model import GoalSheet
from checker.vocabulary import vocabulary

FIXTURES = Path(__file__).resolve().parent / "layouts" / "xlsx"

# (一级, 二级, 三级, 指标值 as written, 长期/中期 value as written or None)
Row = tuple[str | None, str | None, str, str, str | None]
# (project, (funding total, unit) or None, indicators, parse-problem codes)
Sheet = tuple[str, tuple[int, str] | None, list[Row], list[str]]

OUT, QUAL, TIME, COST = "产出指标", "质量指标", "时效指标", "成本指标"
NUM, EFFECT, SOCIAL, SATIS, CLIENT = "数量指标", "效益指标", "社会效益指标", "满意度指标", "服务对象满意度指标"

EXPECTED: dict[str, list[Sheet]] = {
    # 1. the header far down under 附件3 and a title, no 项目名称; a worksheet with neither; header fields
    #    under a title; two titled tables on one worksheet, the header repeated inside the first.
    "header_anywhere": [
        ("XX单位2024年项目支出绩效目标表", None, [
            (OUT, NUM, "培训人次", "≥500人次", None),
            (OUT, QUAL, "培训合格率", "≥95%", None),
            (OUT, TIME, "培训完成时间", "2024年11月底前", None),
            (EFFECT, SOCIAL, "基层服务能力", "明显提升", None),
            (SATIS, CLIENT, "学员满意度", "≥90%", None),
        ], []),
        ("乡村道路养护", None, [
            (OUT, NUM, "养护里程", "≥120公里", None),
            (EFFECT, SOCIAL, "道路通行条件", "改善", None),
        ], []),
        ("2024年度项目支出绩效目标申报表", (50, "万元"), [
            (OUT, NUM, "轮训教师人数", "≥800人", None),
            (SATIS, CLIENT, "参训教师满意度", "≥92%", None),
        ], []),
        ("2024年社区养老服务项目绩效目标表", None, [
            (OUT, NUM, "服务老年人数", "≥300人", None),
            (OUT, QUAL, "服务合格率", "≥95%", None),
            (SATIS, CLIENT, "老年人满意度", "≥90%", None),
        ], []),
        ("2024年老年食堂运营补贴项目绩效目标表", None, [
            (OUT, NUM, "运营食堂数", "≥12个", None),
            (EFFECT, SOCIAL, "老年人就餐便利度", "提升", None),
        ], []),
    ],
    # 2. 产出指标(70分), 成本指标\n(0-20)分, 效益指标（20分）; 数量指标(必填), 质量指标（必填硬性指标）.
    "score_suffix": [
        ("城区环卫保洁服务", (300, "万元"), [
            (OUT, NUM, "保洁面积", "≥120万平方米", None),
            (OUT, QUAL, "保洁质量达标率", "≥95%", None),
            (OUT, TIME, "垃圾日产日清率", "100%", None),
            (COST, "经济成本指标", "每平方米保洁成本", "≤2.5元", None),
            (EFFECT, SOCIAL, "市容环境", "明显改善", None),
            (SATIS, CLIENT, "群众满意度", "≥90%", None),
        ], []),
    ],
    # 3a. one header row: 中期指标值 | 年度指标值, and 实施期目标 | 年度目标.
    "twin_columns": [
        ("高标准农田建设", (1200, "万元"), [
            (OUT, NUM, "新建高标准农田面积", "≥1万亩", "≥3万亩"),
            (OUT, QUAL, "工程验收合格率", "100%", "100%"),
            (OUT, TIME, "项目完工时间", "2024年12月底前", None),
            (EFFECT, "经济效益指标", "亩均增产粮食", "≥50公斤", "≥100公斤"),
        ], []),
        ("中小学校舍改造", (800, "万元"), [
            (OUT, NUM, "改造校舍面积", "≥2万平方米", "≥6万平方米"),
            (SATIS, CLIENT, "师生满意度", "≥88%", "≥90%"),
        ], []),
    ],
    # 3b. 指标值 merged over two columns, 长期目标 | 年度目标 (中期 | 年度) under it; the second sheet's
    #     whole long-term column is empty; the third has last year's actual beside this year's target.
    "grouped_value": [
        ("农村饮水安全巩固提升", (200, "万元"), [
            (OUT, NUM, "受益人口", "≥1.2万人", "≥5万人"),
            (OUT, QUAL, "水质达标率", "≥90%", "≥95%"),
            (OUT, TIME, "工程完工时间", "2024年10月底前", None),
            (EFFECT, SOCIAL, "农村供水保障水平", "提升", "显著提升"),
            (SATIS, CLIENT, "受益群众满意度", "≥90%", "≥95%"),
        ], []),
        ("基层医疗设备购置", (200, "万元"), [
            (OUT, NUM, "购置设备台数", "≥30台", None),
            (OUT, QUAL, "设备验收合格率", "100%", None),
            (OUT, COST, "设备购置成本", "≤200万元", None),
            (EFFECT, SOCIAL, "基层诊疗能力", "提升", None),
            (SATIS, CLIENT, "患者满意度", "≥90%", None),
        ], []),
        ("公共法律服务", (200, "万元"), [
            (OUT, NUM, "法律援助案件数", "≥1200件", None),
            (OUT, QUAL, "案件办结率", "≥98%", None),
            (OUT, TIME, "受理时限", "≤3个工作日", None),
            (SATIS, CLIENT, "受援人满意度", "≥95%", None),
        ], ["PRS010"]),
    ],
    # 3c. 中期目标 over 二级 | 三级 | 指标值 and 年度目标 over the same three columns again.
    "twin_groups": [
        ("城乡环境综合整治", (600, "万元"), [
            (OUT, NUM, "整治村庄数", "≥20个", "≥60个"),
            (OUT, QUAL, "整治验收合格率", "≥98%", "100%"),
            (OUT, TIME, "整治完成时间", "2024年12月底前", None),
            (EFFECT, "生态效益指标", "村庄人居环境", "改善", "明显改善"),
        ], []),
    ],
    # 4. 一级 on every row with the 二级 left blank below its first row; 一级 on the first row only; 一级
    #    merged across rows with no indicator; both levels in the 一级 cell, the 二级 column empty or absent.
    "level_cells": [
        ("一级每行重复", (100, "万元"), [
            (OUT, NUM, "培训场次", "≥10场", None),
            (OUT, NUM, "培训人次", "≥500人次", None),
            (OUT, QUAL, "考核合格率", "≥95%", None),
            (OUT, QUAL, "课程评估优良率", "≥90%", None),
            (EFFECT, SOCIAL, "服务水平", "提升", None),
            (EFFECT, SOCIAL, "群众办事便利度", "提高", None),
        ], []),
        ("一级仅首行", (100, "万元"), [
            (OUT, NUM, "培训场次", "≥10场", None),
            (OUT, NUM, "培训人次", "≥500人次", None),
            (OUT, QUAL, "考核合格率", "≥95%", None),
            (SATIS, CLIENT, "学员满意度", "≥90%", None),
            (SATIS, CLIENT, "用人单位满意度", "≥85%", None),
        ], []),
        ("合并跨空行", (100, "万元"), [
            (OUT, NUM, "培训场次", "≥10场", None),
            (OUT, QUAL, "考核合格率", "≥95%", None),
            (EFFECT, SOCIAL, "服务水平", "提升", None),
        ], []),
        ("一二级同格", (100, "万元"), [
            (OUT, NUM, "培训场次", "≥10场", None),
            (OUT, QUAL, "考核合格率", "≥95%", None),
            (EFFECT, SOCIAL, "服务水平", "提升", None),
            (SATIS, CLIENT, "学员满意度", "≥90%", None),
        ], []),
        ("无二级列", (100, "万元"), [
            (OUT, NUM, "培训场次", "≥10场", None),
            (OUT, NUM, "培训人次", "≥500人次", None),
            (EFFECT, SOCIAL, "服务水平", "提升", None),
        ], []),
    ],
    # 5. a third value column, an unknown 指标值（2）, a merged 指标值 whose second column nothing explains.
    "unplaced_value": [
        ("三个值列", (100, "万元"), [
            (OUT, NUM, "培训人次", "≥500人次", "≥1500人次"),
            (SATIS, CLIENT, "学员满意度", "≥90%", "≥90%"),
        ], ["PRS010"]),
        ("指标值2", (100, "万元"), [(OUT, NUM, "培训人次", "≥500人次", None)], ["PRS010"]),
        ("合并值列", (100, "万元"), [
            (OUT, NUM, "培训人次", "≥500人次", None),
            (OUT, QUAL, "考核合格率", "≥95%", None),
        ], ["PRS010"]),
    ],
}  # fmt: skip


def _shape(sheet: GoalSheet) -> Sheet:
    funding = sheet.funding
    money = None if funding is None or funding.total is None else (int(funding.total), funding.unit or "")
    rows: list[Row] = [
        (i.level1, i.level2, i.name, i.value.raw, i.long_term.raw if i.long_term is not None else None)
        for i in sheet.indicators
    ]
    return sheet.project, money, rows, [p.code for p in sheet.problems]


def _cases() -> list[tuple[str, Path]]:
    cases = []
    for layout in EXPECTED:
        for path in sorted(FIXTURES.glob(f"{layout}*.xls*")):
            if path.stem in (layout, f"{layout}-lo"):
                cases.append((layout, path))
    return cases


@pytest.mark.parametrize(("layout", "path"), _cases(), ids=[p.name for _, p in _cases()])
def test_layout_parses_to_what_the_sheet_means(layout: str, path: Path) -> None:
    if path.suffix == ".xls":
        pytest.importorskip("xlrd")
    assert [_shape(s) for s in parse_path(path).sheets] == EXPECTED[layout]


def test_some_layouts_are_also_there_as_libreoffice_saves() -> None:
    saved = {p.name for p in FIXTURES.glob("*-lo.*")}
    assert len({name.split("-lo.")[0] for name in saved}) >= 2
    assert all(f"{name.split('-lo.')[0]}-lo.{fmt}" in saved for name in saved for fmt in ("xlsx", "xls"))


def _make_xlsx() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_xlsx", FIXTURES.parent / "make_xlsx.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_fixtures_are_what_the_script_writes(tmp_path: Path) -> None:
    for name, build in _make_xlsx().LAYOUTS.items():
        build().save(tmp_path / f"{name}.xlsx")
        fresh = [_shape(s) for s in parse_path(tmp_path / f"{name}.xlsx").sheets]
        assert fresh == [_shape(s) for s in parse_path(FIXTURES / f"{name}.xlsx").sheets], name


def test_unplaced_value_column_is_a_warning_at_its_header() -> None:
    report = check_path(FIXTURES / "unplaced_value.xlsx")
    found = [(r.sheet.project, f) for r in report.sheets for f in r.findings if f.code == "PRS010"]
    assert [(project, f.severity.value) for project, f in found] == [
        ("三个值列", "warning"), ("指标值2", "warning"), ("合并值列", "warning")]  # fmt: skip
    first = found[0][1]
    assert first.location.short() == "三个值列!F5"
    assert "2023年实际值" in first.message and "480人次" in first.message


def test_long_term_value_is_parsed_like_any_value() -> None:
    (sheet,) = parse_path(FIXTURES / "twin_groups.xlsx").sheets
    first = sheet.indicators[0]
    assert first.long_term is not None
    assert (first.long_term.comparator, first.long_term.number, first.long_term.unit) == ("≥", Decimal(60), "个")
    assert first.location.short() == "中期与年度!G7"  # the annual value's cell


def test_group_words_come_from_the_vocabulary() -> None:
    vocab = vocabulary()
    annual = ("年度目标", "2024年度指标值", "本年度", "2024年目标", "预期2024年实现值")
    assert [vocab.group_of(t) for t in annual] == ["annual"] * len(annual)
    assert [vocab.group_of(t) for t in ("长期目标", "中期", "实施期目标值", "2024-2026年目标")] == ["long_term"] * 4
    neither = ("指标值", "三级指标", "2023年实际实现值", "目标1：完成培训500人次")
    assert [vocab.group_of(t) for t in neither] == [None] * len(neither)


def test_a_text_table_with_a_title_and_no_project_row(tmp_path: Path) -> None:
    text = (
        "附件3\n某单位2024年项目支出绩效目标表\n\n一级指标\t二级指标\t三级指标\t指标值\n"
        "产出指标(70分)\t数量指标(必填)\t培训人次\t≥500人次\n\t质量指标\t考核合格率\t≥95%\n"
        "填表人：张三\n"  # the form's end: a text that stops inside 产出 would be a cut-off copy (PRS005)
    )
    path = tmp_path / "title.txt"
    path.write_text(text, encoding="utf-8")
    (sheet,) = parse_path(path).sheets
    assert _shape(sheet) == ("某单位2024年项目支出绩效目标表", None, [
        (OUT, NUM, "培训人次", "≥500人次", None), (OUT, QUAL, "考核合格率", "≥95%", None)], [])  # fmt: skip

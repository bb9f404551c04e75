"""Regenerate the workbook-layout fixtures in tests/layouts/xlsx (read by tests/test_workbook_layouts.py):

    python tests/layouts/make_xlsx.py            # openpyxl workbooks, then LibreOffice re-saves if installed

Each workbook is a small invented goal sheet in one layout seen in the field (project issue 10, "table
recognition" and "column groups"): a header far down the sheet with no 项目名称, score-suffixed level cells,
long-term and annual values side by side (three ways), level cells repeated, missing, merged or combined,
and value columns that cannot be placed. Real users' files are mostly saved by Excel, WPS or LibreOffice
rather than written by a library, so some are also re-saved by LibreOffice as ``<name>-lo.xlsx`` and
``<name>-lo.xls`` (the same layout after another writer's idea of merged cells, shared strings and BIFF).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

OUT = Path(__file__).resolve().parent / "xlsx"
# Layouts whose merged cells carry the meaning: these are re-saved by LibreOffice too.
RESAVED = ("header_anywhere", "grouped_value", "twin_groups")

Cells = Sequence[str | int | float | None]


def put(ws: Worksheet, row: int, values: Cells, column: int = 1) -> None:
    for offset, value in enumerate(values):
        if value is not None and value != "":
            ws.cell(row, column + offset, value)


def rows(ws: Worksheet, first: int, table: Sequence[Cells]) -> int:
    """Write rows from ``first``; returns the row after the last."""
    for offset, values in enumerate(table):
        put(ws, first + offset, values)
    return first + len(table)


def project_block(ws: Worksheet, name: str, total: int, goal: str, width: int = 4) -> int:
    """项目名称, 项目资金（万元） and 年度目标 rows as the provincial forms print them; returns the next row."""
    last = openpyxl.utils.get_column_letter(width)
    put(ws, 1, ["项目名称", name])
    ws.merge_cells(f"B1:{last}1")
    put(ws, 2, ["项目资金（万元）", "年度资金总额", total])
    put(ws, 3, [None, "财政拨款", total])
    ws.merge_cells("A2:A3")
    put(ws, 4, ["年度目标", goal])
    ws.merge_cells(f"B4:{last}4")
    return 5


def new_book() -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    return wb


# -- 1. header anywhere, no 项目名称 above it ---------------------------------------------------------------


def header_anywhere() -> openpyxl.Workbook:
    wb = new_book()
    ws = wb.create_sheet("附件3")
    put(ws, 12, ["附件3"])
    put(ws, 13, ["XX单位2024年项目支出绩效目标表"])
    ws.merge_cells("A13:D13")
    end = rows(ws, 15, [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "培训人次", "≥500人次"],
        [None, "质量指标", "培训合格率", "≥95%"],
        [None, "时效指标", "培训完成时间", "2024年11月底前"],
        ["效益指标", "社会效益指标", "基层服务能力", "明显提升"],
        ["满意度指标", "服务对象满意度指标", "学员满意度", "≥90%"],
    ])  # fmt: skip
    ws.merge_cells(f"A16:A{end - 3}")

    ws = wb.create_sheet("乡村道路养护")  # no title either: the worksheet names the project
    rows(ws, 3, [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "养护里程", "≥120公里"],
        ["效益指标", "社会效益指标", "道路通行条件", "改善"],
    ])  # fmt: skip

    ws = wb.create_sheet("部门填报")  # header fields under the title, still no 项目名称
    put(ws, 1, ["2024年度项目支出绩效目标申报表"])
    ws.merge_cells("A1:D1")
    rows(ws, 2, [
        ["主管部门", "XX县教育局", "实施单位", "XX县教师进修学校"],
        ["项目资金（万元）", "年度资金总额", 50],
        [None, "财政拨款", 50],
        ["年度目标", "目标1：完成全县教师轮训。"],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "轮训教师人数", "≥800人"],
        ["满意度指标", "服务对象满意度指标", "参训教师满意度", "≥92%"],
    ])  # fmt: skip
    ws.merge_cells("A3:A4")

    ws = wb.create_sheet("两表同页")  # two titled tables on one worksheet, the header repeated on page 2
    put(ws, 1, ["2024年社区养老服务项目绩效目标表"])
    rows(ws, 2, [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "服务老年人数", "≥300人"],
        [None, "质量指标", "服务合格率", "≥95%"],
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["满意度指标", "服务对象满意度指标", "老年人满意度", "≥90%"],
    ])  # fmt: skip
    put(ws, 8, ["2024年老年食堂运营补贴项目绩效目标表"])
    rows(ws, 9, [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "运营食堂数", "≥12个"],
        ["效益指标", "社会效益指标", "老年人就餐便利度", "提升"],
    ])  # fmt: skip
    for title_row in (1, 8):
        ws.merge_cells(f"A{title_row}:D{title_row}")
    return wb


# -- 2. score-suffixed and 必填-marked level cells -------------------------------------------------------


def score_suffix() -> openpyxl.Workbook:
    wb = new_book()
    ws = wb.create_sheet("绩效目标")
    row = project_block(ws, "城区环卫保洁服务", 300, "目标1：保持城区道路整洁。")
    rows(ws, row, [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标(70分)", "数量指标(必填)", "保洁面积", "≥120万平方米"],
        [None, "质量指标（必填硬性指标）", "保洁质量达标率", "≥95%"],
        [None, "时效指标", "垃圾日产日清率", "100%"],
        ["成本指标\n(0-20)分", "经济成本指标(必填)", "每平方米保洁成本", "≤2.5元"],
        ["效益指标（20分）", "社会效益指标", "市容环境", "明显改善"],
        ["满意度指标（10分）", "服务对象满意度指标", "群众满意度", "≥90%"],
    ])  # fmt: skip
    ws.merge_cells(f"A{row + 1}:A{row + 3}")
    return wb


# -- 3. long-term and annual values ---------------------------------------------------------------------


def twin_columns() -> openpyxl.Workbook:
    """(a) one header row with a long-term and an annual value column."""
    wb = new_book()
    ws = wb.create_sheet("中期年度")
    row = project_block(ws, "高标准农田建设", 1200, "目标1：建成高标准农田1万亩。", width=5)
    rows(ws, row, [
        ["一级指标", "二级指标", "三级指标", "中期指标值", "年度指标值"],
        ["产出指标", "数量指标", "新建高标准农田面积", "≥3万亩", "≥1万亩"],
        [None, "质量指标", "工程验收合格率", "100%", "100%"],
        [None, "时效指标", "项目完工时间", None, "2024年12月底前"],
        ["效益指标", "经济效益指标", "亩均增产粮食", "≥100公斤", "≥50公斤"],
    ])  # fmt: skip

    ws = wb.create_sheet("实施期")
    row = project_block(ws, "中小学校舍改造", 800, "目标1：完成校舍改造。", width=5)
    rows(ws, row, [
        ["一级指标", "二级指标", "三级指标", "实施期目标", "年度目标"],
        ["产出指标", "数量指标", "改造校舍面积", "≥6万平方米", "≥2万平方米"],
        ["满意度指标", "服务对象满意度指标", "师生满意度", "≥90%", "≥88%"],
    ])  # fmt: skip
    return wb


def _grouped_value_sheet(ws: Worksheet, project: str, words: tuple[str, str], data: Sequence[Cells]) -> None:
    row = project_block(ws, project, 200, "目标1：完成年度任务。", width=5)
    put(ws, row, ["一级指标", "二级指标", "三级指标", "指标值"])
    put(ws, row + 1, [None, None, None, *words])
    for column in "ABC":
        ws.merge_cells(f"{column}{row}:{column}{row + 1}")
    ws.merge_cells(f"D{row}:E{row}")
    end = rows(ws, row + 2, data)
    ws.merge_cells(f"A{row + 2}:A{end - 3}")


def grouped_value() -> openpyxl.Workbook:
    """(b) a merged 指标值 over two columns, 长期目标 | 年度目标 under it."""
    wb = new_book()
    _grouped_value_sheet(wb.create_sheet("长期目标"), "农村饮水安全巩固提升", ("长期目标", "年度目标"), [
        ["产出指标", "数量指标", "受益人口", "≥5万人", "≥1.2万人"],
        [None, "质量指标", "水质达标率", "≥95%", "≥90%"],
        [None, "时效指标", "工程完工时间", None, "2024年10月底前"],
        ["效益指标", "社会效益指标", "农村供水保障水平", "显著提升", "提升"],
        ["满意度指标", "服务对象满意度指标", "受益群众满意度", "≥95%", "≥90%"],
    ])  # fmt: skip
    _grouped_value_sheet(wb.create_sheet("中期空"), "基层医疗设备购置", ("中期", "年度"), [
        ["产出指标", "数量指标", "购置设备台数", None, "≥30台"],
        [None, "质量指标", "设备验收合格率", None, "100%"],
        [None, "成本指标", "设备购置成本", None, "≤200万元"],
        ["效益指标", "社会效益指标", "基层诊疗能力", None, "提升"],
        ["满意度指标", "服务对象满意度指标", "患者满意度", None, "≥90%"],
    ])  # fmt: skip
    # Last year's actual beside this year's target: the target is the value, the actual cannot be placed.
    _grouped_value_sheet(wb.create_sheet("实际与预期"), "公共法律服务", ("2023年实际实现值", "预期2024年实现值"), [
        ["产出指标", "数量指标", "法律援助案件数", "1180件", "≥1200件"],
        [None, "质量指标", "案件办结率", "97%", "≥98%"],
        [None, "时效指标", "受理时限", "3个工作日", "≤3个工作日"],
        ["满意度指标", "服务对象满意度指标", "受援人满意度", "93%", "≥95%"],
    ])  # fmt: skip
    return wb


def twin_groups() -> openpyxl.Workbook:
    """(c) 中期目标 over 二级 | 三级 | 指标值, 年度目标 over the same three columns again."""
    wb = new_book()
    ws = wb.create_sheet("中期与年度")
    row = project_block(ws, "城乡环境综合整治", 600, "目标1：完成年度整治任务。", width=7)
    put(ws, row, ["一级指标", "中期目标", None, None, "年度目标"])
    put(ws, row + 1, [None, "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"])
    ws.merge_cells(f"A{row}:A{row + 1}")
    ws.merge_cells(f"B{row}:D{row}")
    ws.merge_cells(f"E{row}:G{row}")
    end = rows(ws, row + 2, [
        ["产出指标", "数量指标", "整治村庄数", "≥60个", "数量指标", "整治村庄数", "≥20个"],
        [None, "质量指标", "整治验收合格率", "100%", "质量指标", "整治验收合格率", "≥98%"],
        [None, "时效指标", "整治完成时间", None, "时效指标", "整治完成时间", "2024年12月底前"],
        ["效益指标", "生态效益指标", "村庄人居环境", "明显改善", "生态效益指标", "村庄人居环境", "改善"],
    ])  # fmt: skip
    ws.merge_cells(f"A{row + 2}:A{end - 2}")
    return wb


# -- 4. level cells repeated, missing, merged across blank rows, combined -----------------------------------


def level_cells() -> openpyxl.Workbook:
    wb = new_book()
    header = ["一级指标", "二级指标", "三级指标", "指标值"]
    ws = wb.create_sheet("一级每行重复")
    row = project_block(ws, "一级每行重复", 100, "目标1：完成任务。")
    rows(ws, row, [
        header,
        ["产出指标", "数量指标", "培训场次", "≥10场"],
        ["产出指标", None, "培训人次", "≥500人次"],
        ["产出指标", "质量指标", "考核合格率", "≥95%"],
        ["产出指标", None, "课程评估优良率", "≥90%"],
        ["效益指标", "社会效益指标", "服务水平", "提升"],
        ["效益指标", None, "群众办事便利度", "提高"],
    ])  # fmt: skip

    ws = wb.create_sheet("一级仅首行")
    row = project_block(ws, "一级仅首行", 100, "目标1：完成任务。")
    rows(ws, row, [
        header,
        ["产出指标", "数量指标", "培训场次", "≥10场"],
        [None, "数量指标", "培训人次", "≥500人次"],
        [None, "质量指标", "考核合格率", "≥95%"],
        ["满意度指标", "服务对象满意度指标", "学员满意度", "≥90%"],
        [None, "服务对象满意度指标", "用人单位满意度", "≥85%"],
    ])  # fmt: skip

    ws = wb.create_sheet("合并跨空行")
    row = project_block(ws, "合并跨空行", 100, "目标1：完成任务。")
    rows(ws, row, [
        header,
        ["产出指标", "数量指标", "培训场次", "≥10场"],
        [None, None, None, None],
        [None, "质量指标", "考核合格率", "≥95%"],
        [None, "时效指标", None, None],
        ["效益指标", "社会效益指标", "服务水平", "提升"],
        [None, "可持续影响指标", None, None],
    ])  # fmt: skip
    ws.merge_cells(f"A{row + 1}:A{row + 4}")
    ws.merge_cells(f"A{row + 5}:A{row + 6}")

    ws = wb.create_sheet("一二级同格")
    row = project_block(ws, "一二级同格", 100, "目标1：完成任务。")
    rows(ws, row, [
        header,
        ["产出数量指标", None, "培训场次", "≥10场"],
        ["产出指标-质量指标", None, "考核合格率", "≥95%"],
        ["效益指标-社会效益指标", None, "服务水平", "提升"],
        ["满意度指标—服务对象满意度指标", None, "学员满意度", "≥90%"],
    ])  # fmt: skip

    ws = wb.create_sheet("无二级列")
    row = project_block(ws, "无二级列", 100, "目标1：完成任务。", width=3)
    end = rows(ws, row, [
        ["一级指标", "三级指标", "指标值"],
        ["产出数量指标", "培训场次", "≥10场"],
        [None, "培训人次", "≥500人次"],
        ["效益指标\n社会效益指标", "服务水平", "提升"],
    ])  # fmt: skip
    ws.merge_cells(f"A{row + 1}:A{end - 2}")
    return wb


# -- 5. value columns that cannot be placed ------------------------------------------------------------------


def unplaced_value() -> openpyxl.Workbook:
    wb = new_book()
    ws = wb.create_sheet("三个值列")
    row = project_block(ws, "三个值列", 100, "目标1：完成任务。", width=6)
    rows(ws, row, [
        ["一级指标", "二级指标", "三级指标", "中期指标值", "年度指标值", "2023年实际值"],
        ["产出指标", "数量指标", "培训人次", "≥1500人次", "≥500人次", "480人次"],
        ["满意度指标", "服务对象满意度指标", "学员满意度", "≥90%", "≥90%", "92%"],
    ])  # fmt: skip

    ws = wb.create_sheet("指标值2")
    row = project_block(ws, "指标值2", 100, "目标1：完成任务。", width=5)
    rows(ws, row, [
        ["一级指标", "二级指标", "三级指标", "指标值", "指标值（2）"],
        ["产出指标", "数量指标", "培训人次", "≥500人次", "≥520人次"],
    ])  # fmt: skip

    ws = wb.create_sheet("合并值列")  # 指标值 merged over two columns, nothing says what the second holds
    row = project_block(ws, "合并值列", 100, "目标1：完成任务。", width=5)
    rows(ws, row, [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "培训人次", "≥500人次", "≥450人次"],
        [None, "质量指标", "考核合格率", "≥95%"],
    ])  # fmt: skip
    ws.merge_cells(f"D{row}:E{row}")
    return wb


LAYOUTS: dict[str, Callable[[], openpyxl.Workbook]] = {
    "header_anywhere": header_anywhere,
    "score_suffix": score_suffix,
    "twin_columns": twin_columns,
    "grouped_value": grouped_value,
    "twin_groups": twin_groups,
    "level_cells": level_cells,
    "unplaced_value": unplaced_value,
}


def resave(soffice: str, source: Path) -> None:
    """``<name>.xlsx`` → ``<name>-lo.xlsx`` and ``<name>-lo.xls``, as LibreOffice Calc saves them."""
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, filter_name in (("xlsx", "xlsx:Calc MS Excel 2007 XML"), ("xls", "xls:MS Excel 97")):
            subprocess.run(
                [soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", filter_name,
                 "--outdir", tmp, str(source)],
                check=True, capture_output=True, timeout=180,
            )  # fmt: skip
            shutil.move(Path(tmp) / f"{source.stem}.{fmt}", OUT / f"{source.stem}-lo.{fmt}")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, build in LAYOUTS.items():
        build().save(OUT / f"{name}.xlsx")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice not found: the -lo re-saves were not regenerated", file=sys.stderr)
        return
    for name in RESAVED:
        resave(soffice, OUT / f"{name}.xlsx")


if __name__ == "__main__":
    main()

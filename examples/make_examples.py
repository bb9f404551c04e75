"""Regenerate the example workbooks from the seed text, so anyone can rebuild them:

    python examples/make_examples.py

Writes, from the four goal sheets in 山西省信访局2024年单位预算.txt:
- 项目支出绩效目标申报表.xlsx — a form per worksheet: merged labels, 一级/二级 merged down their rows,
  funding in 元 as numbers, percentages as percent-formatted numbers, template rows left empty;
- 绩效目标批量导出.xlsx — a flat export (预算管理一体化 style): one row per indicator, all projects in one
  sheet, comparator and unit in their own columns, funding in 万元, a hidden column, weights, direction;
- 项目支出绩效目标表.docx — the same forms as Word tables with merged cells.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from checker.api import parse_path  # noqa: E402
from checker.model import GoalSheet, Indicator, ValueKind  # noqa: E402

SEED = HERE / "山西省信访局2024年单位预算.txt"
TEXT_FIELDS = ("项目概况", "立项依据", "项目设立必要性", "保证项目实施的制度、措施", "项目实施计划")


def _goals(sheet: GoalSheet) -> str:
    return "".join(f"目标{i}：{g}。" for i, g in enumerate(sheet.goals, 1))


def _rows(sheet: GoalSheet) -> list[tuple[str, str, str, str]]:
    """(一级, 二级, 三级, 指标值) in sheet order, with the template's empty groups kept."""
    rows: list[tuple[str, str, str, str]] = []
    done: set[tuple[str, str]] = set()
    for level1, level2 in sheet.groups:
        for ind in sheet.indicators:
            if (ind.level1, ind.level2) == (level1, level2):
                rows.append((level1, level2, ind.name, ind.value.raw))
        if not any(r[:2] == (level1, level2) for r in rows):
            rows.append((level1, level2, "", ""))
        done.add((level1, level2))
    return rows


def write_form_xlsx(sheets: list[GoalSheet], out: Path) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for n, sheet in enumerate(sheets, 1):
        ws = wb.create_sheet(f"项目{n}")
        ws.append(["2024年度项目支出绩效目标申报表"])
        ws.merge_cells("A1:E1")
        ws["A1"].font = Font(bold=True, size=14)
        ws.append(["项目名称", sheet.project])
        ws.merge_cells(start_row=2, start_column=2, end_row=2, end_column=5)
        ws.append(["主管部门", "山西省信访局", "", "实施单位", "山西省信访局"])
        ws.append(["项目属性", sheet.header_field("项目属性") or ""])
        ws.merge_cells(start_row=4, start_column=2, end_row=4, end_column=5)
        funding = sheet.funding
        assert funding is not None and funding.total is not None
        first = ws.max_row + 1
        ws.append(["项目资金（元）", "年度资金总额：", int(funding.total)])
        for name, amount in funding.sources:
            ws.append(["", name, int(amount)])
        ws.append(["", "其他资金", None])
        ws.merge_cells(start_row=first, start_column=1, end_row=ws.max_row, end_column=1)
        for r in range(first, ws.max_row + 1):
            ws.cell(r, 3).number_format = "#,##0"
        for field in TEXT_FIELDS:
            ws.append([field, sheet.text_field(field) or ""])
            ws.merge_cells(start_row=ws.max_row, start_column=2, end_row=ws.max_row, end_column=5)
        ws.append(["年度目标", _goals(sheet)])
        ws.merge_cells(start_row=ws.max_row, start_column=2, end_row=ws.max_row, end_column=5)
        ws.append(["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"])
        top = ws.max_row
        rows = _rows(sheet)
        for level1, level2, name, raw in rows:
            value: object = raw
            if raw.endswith("%") and raw[:-1].replace(".", "").isdigit():
                value = float(Decimal(raw[:-1]) / 100)  # a number shown through a percent format
            ws.append(["", level1, level2, name, value])
            if isinstance(value, float):
                ws.cell(ws.max_row, 5).number_format = "0%" if "." not in raw else "0.0%"
        _merge_runs(ws, top + 1, ws.max_row, 2)
        _merge_runs(ws, top + 1, ws.max_row, 3, key_col=2)
        ws.merge_cells(start_row=top, start_column=1, end_row=ws.max_row, end_column=1)
        for row in ws.iter_rows(min_row=2, max_row=ws.max_row, max_col=5):
            for cell in row:
                cell.border = box
                cell.alignment = Alignment(wrap_text=True, vertical="center")
        for col, width in zip("ABCDE", (18, 14, 20, 36, 16), strict=True):
            ws.column_dimensions[col].width = width
    wb.save(out)


def _merge_runs(ws, first: int, last: int, col: int, key_col: int | None = None) -> None:  # type: ignore[no-untyped-def]
    """Merge equal neighbours down a column (一级 and 二级 labels), then blank the covered cells."""
    start = first
    for r in range(first + 1, last + 2):
        same = r <= last and ws.cell(r, col).value == ws.cell(start, col).value
        if same and key_col is not None:
            same = ws.cell(r, key_col).value == ws.cell(start, key_col).value
        if not same:
            if r - 1 > start:
                ws.merge_cells(start_row=start, start_column=col, end_row=r - 1, end_column=col)
            start = r


def _split(ind: Indicator) -> tuple[str, str, str]:
    """(指标性质, 指标值, 度量单位) as an export system stores a value."""
    v = ind.value
    if v.kind is ValueKind.QUANTITATIVE and v.number is not None:
        return v.comparator or "", format(v.number, "f"), (v.unit or "").replace("·", "、")
    return "定性", v.raw, ""


def write_flat_xlsx(sheets: list[GoalSheet], out: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "绩效目标"
    ws.append(["金额单位：万元"])
    ws.append(["项目编码", "项目名称", "年度资金总额", "年度目标", "一级指标", "二级指标", "三级指标",
               "指标性质", "指标值", "度量单位", "指标方向性", "权重"])  # fmt: skip
    ws.column_dimensions["A"].hidden = True
    for n, sheet in enumerate(sheets, 1):
        total = sheet.funding.total_yuan / 10000 if sheet.funding and sheet.funding.total_yuan else None
        weights = _weights(len(sheet.indicators))
        for i, ind in enumerate(sheet.indicators):
            comparator, value, unit = _split(ind)
            repeat = i == 0 or n % 2 == 0  # odd projects leave name, money and goal blank below the first row
            direction = "反向" if ind.level2 == "成本指标" else "正向"
            money = float(total) if repeat and total else None
            ws.append([f"14000024{n:04d}", sheet.project if repeat else None, money, _goals(sheet) if repeat else None,
                       ind.level1, ind.level2, ind.name, comparator, value, unit, direction, weights[i]])  # fmt: skip
    wb.save(out)


def _weights(n: int) -> list[int]:
    base = 100 // n
    return [base] * (n - 1) + [100 - base * (n - 1)]


def write_docx(sheets: list[GoalSheet], out: Path) -> None:
    import docx

    document = docx.Document()
    for n, sheet in enumerate(sheets, 1):
        document.add_paragraph(f"（{n}）{sheet.project}")
        rows = _rows(sheet)
        funding = sheet.funding
        assert funding is not None and funding.total is not None
        head: list[list[str]] = [["项目名称", sheet.project, "", "", ""],
                                 ["项目属性", sheet.header_field("项目属性") or "", "", "", ""],
                                 ["项目资金（元）", "年度资金总额：", f"{funding.total:,}", "", ""]]  # fmt: skip
        head += [["项目资金（元）", name, f"{amount:,}", "", ""] for name, amount in funding.sources]
        head += [[field, sheet.text_field(field) or "", "", "", ""] for field in TEXT_FIELDS]
        head += [["年度目标", _goals(sheet), "", "", ""], ["绩效指标", "一级指标", "二级指标", "三级指标", "指标值"]]
        table = document.add_table(rows=len(head) + len(rows), cols=5)
        table.style = "Table Grid"
        for r, values in enumerate(head + [["绩效指标", *row] for row in rows]):
            for c, text in enumerate(values):
                table.cell(r, c).text = text
        money = [r for r, values in enumerate(head) if values[0] == "项目资金（元）"]
        for r, values in enumerate(head):
            if values[2:] == ["", "", ""] and values[1]:
                _merge(table, r, 1, r, 4)
        _merge(table, money[0], 0, money[-1], 0)
        top = len(head) - 1
        _merge(table, top, 0, top + len(rows), 0)
        _merge_runs_docx(table, top + 1, top + len(rows), 1)
        _merge_runs_docx(table, top + 1, top + len(rows), 2)
    document.save(out)


def _merge(table, r1: int, c1: int, r2: int, c2: int) -> None:  # type: ignore[no-untyped-def]
    if (r1, c1) == (r2, c2):
        return
    text = table.cell(r1, c1).text
    merged = table.cell(r1, c1).merge(table.cell(r2, c2))
    merged.text = text


def _merge_runs_docx(table, first: int, last: int, col: int) -> None:  # type: ignore[no-untyped-def]
    start = first
    for r in range(first + 1, last + 2):
        if (
            r > last
            or table.cell(r, col).text != table.cell(start, col).text
            or (col == 2 and table.cell(r, 1).text != table.cell(start, 1).text)
        ):
            if r - 1 > start:
                _merge(table, start, col, r - 1, col)
            start = r


def main() -> None:
    sheets = list(parse_path(SEED).sheets)
    write_form_xlsx(sheets, HERE / "项目支出绩效目标申报表.xlsx")
    write_flat_xlsx(sheets, HERE / "绩效目标批量导出.xlsx")
    write_docx(sheets, HERE / "项目支出绩效目标表.docx")
    print("wrote 3 example files to", HERE)


if __name__ == "__main__":
    main()

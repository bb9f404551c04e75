"""Lay the template out as an xlsx workbook (openpyxl, normal mode: the file is small and needs validations,
names, protection and print settings, which write-only mode cannot all give).

Each project sheet is the usual form (labels in column A, a header block, funding, text fields, 年度目标,
the indicator table), so the ordinary parser reads a filled copy like any other form. The table rows are
laid out in blocks, one per 二级 in framework order, each block's input messages giving that 二级's
example; the rows themselves start empty.
"""

from __future__ import annotations

import io
from typing import Any

from checker.template.spec import TemplateSpec

LISTS = "下拉列表"  # the hidden sheet the dropdowns' named ranges point into
_LAST_COL = 7  # A..G: label, 一级, 二级, 三级, 指标性质, 指标值, 度量单位
_TITLE_MAX, _PROMPT_MAX = 32, 255  # Excel's limits for an input message's title and text


class _Styles:
    def __init__(self, data: dict[str, Any]) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

        font, colours = data["font"], data["colours"]
        thin = Side(style="thin")
        self.box = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.font = Font(name=font["name"], size=font["size"])
        self.bold = Font(name=font["name"], size=font["size"], bold=True)
        self.title = Font(name=font["name"], size=font["size"] + 6, bold=True)
        self.label = PatternFill("solid", fgColor=colours["label"])
        self.head = PatternFill("solid", fgColor=colours["head"])
        self.input = PatternFill("solid", fgColor=colours["input"])
        self.wrap = Alignment(wrap_text=True, vertical="center")
        self.centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.unlocked = Protection(locked=False)


def _prompt(dv: Any, title: str, text: str) -> None:
    dv.showInputMessage = True
    dv.promptTitle = title[:_TITLE_MAX]
    dv.prompt = text[:_PROMPT_MAX]


def _validation(ws: Any, cells: str, title: str, text: str, **kind: Any) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(allow_blank=True, **kind)
    _prompt(dv, title, text)
    if kind:  # a list or a number: anything else is refused, saying what to do
        dv.showErrorMessage = True
        dv.errorTitle = title[:_TITLE_MAX]
        dv.error = ("请从下拉列表中选择。" if kind.get("type") == "list" else "请填写不小于 0 的数字。")[:_PROMPT_MAX]
    ws.add_data_validation(dv)
    dv.add(cells)
    return dv


def _lists_sheet(wb: Any, spec: TemplateSpec) -> None:
    """One column per list, each a named range: 一级指标, one per 一级 (its 二级), 度量单位."""
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.defined_name import DefinedName

    ws = wb.create_sheet(LISTS)
    columns = [("一级指标", list(spec.level1))]
    columns += [(level1, list(spec.children(level1))) for level1 in spec.level1]
    columns.append(("度量单位", [str(u) for u in spec.data["table"]["units"]]))
    for col, (name, values) in enumerate(columns, 1):
        letter = get_column_letter(col)
        for row, value in enumerate(values, 1):
            ws.cell(row, col, value)
        ref = f"'{LISTS}'!${letter}$1:${letter}${max(len(values), 1)}"
        wb.defined_names[name] = DefinedName(name, attr_text=ref)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def _label(ws: Any, st: _Styles, row: int, col: int, text: str) -> None:
    cell = ws.cell(row, col, text)
    cell.font, cell.fill, cell.alignment = st.bold, st.label, st.centre


def _input(ws: Any, st: _Styles, row: int, first: int, last: int) -> None:
    for col in range(first, last + 1):
        cell = ws.cell(row, col)
        cell.fill, cell.protection, cell.alignment, cell.font = st.input, st.unlocked, st.wrap, st.font
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _header(ws: Any, st: _Styles, spec: TemplateSpec) -> int:
    """Title, the header block, funding, text fields and 年度目标; returns the last row written."""
    data = spec.data
    ws.cell(1, 1, data["title"].format(year=spec.year)).font = st.title
    ws.cell(1, 1).alignment = st.centre
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=_LAST_COL)
    row = 1
    for field in data["header"]:
        row += 1
        _label(ws, st, row, 1, field["label"])
        pair = field.get("pair")
        last = 3 if pair else _LAST_COL
        _input(ws, st, row, 2, last)
        kind = {"type": "list", "formula1": '"' + ",".join(field["choices"]) + '"'} if "choices" in field else {}
        _validation(ws, f"B{row}", field["label"], field["hint"], **kind)
        if pair:
            _label(ws, st, row, 4, pair["label"])
            _input(ws, st, row, 5, _LAST_COL)
            _validation(ws, f"E{row}", pair["label"], pair["hint"])
    funding = data["funding"]
    unit = data["amount_unit"]
    first = row + 1
    for text in [funding["total"], *funding["sources"]]:
        row += 1
        _label(ws, st, row, 2, text)
        _input(ws, st, row, 3, 3)
        ws.cell(row, 3).number_format = "#,##0.00"
        ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=_LAST_COL)
    _label(ws, st, first, 1, funding["label"].format(unit=unit))
    ws.merge_cells(start_row=first, start_column=1, end_row=row, end_column=1)
    hint = funding["hint"].format(unit=unit)
    _validation(ws, f"C{first}:C{row}", "金额", hint, type="decimal", operator="greaterThanOrEqual", formula1="0")
    for field in [*data["text_fields"], data["goals"]]:
        row += 1
        _label(ws, st, row, 1, field["label"])
        _input(ws, st, row, 2, _LAST_COL)
        ws.row_dimensions[row].height = 60 if field is data["goals"] else 36
        _validation(ws, f"B{row}", field["label"], field["hint"])
    return row


def _table(ws: Any, st: _Styles, spec: TemplateSpec, head: int) -> int:
    """The indicator table's head at ``head`` and its empty rows in one block per 二级; returns the last row."""
    from openpyxl.worksheet.datavalidation import DataValidation

    table = spec.data["table"]
    columns = table["columns"]
    _label(ws, st, head, 1, table["label"])
    for col, column in enumerate(columns, 2):
        _label(ws, st, head, col, column["head"])
        ws.cell(head, col).fill = st.head
    per = int(spec.data["rows_per_level2"])
    first, last = head + 1, head + per * len(spec.level2)
    for row in range(first, last + 1):
        for col in range(2, _LAST_COL + 1):
            cell = ws.cell(row, col)
            cell.protection, cell.alignment, cell.font = st.unlocked, st.wrap, st.font
    ws.merge_cells(start_row=head, start_column=1, end_row=last, end_column=1)
    hints = [column["hint"] for column in columns]
    _validation(ws, f"B{first}:B{last}", "一级指标", hints[0], type="list", formula1="一级指标")
    # Relative to the range's first cell: each row's 二级 list is the named range its 一级 cell names.
    _validation(ws, f"C{first}:C{last}", "二级指标", hints[1], type="list", formula1=f"INDIRECT($B{first})")
    comparators = '"' + ",".join(str(c) for c in table["comparators"]) + '"'
    _validation(ws, f"E{first}:E{last}", "指标性质", hints[3], type="list", formula1=comparators)
    units = _validation(ws, f"G{first}:G{last}", "度量单位", hints[5], type="list", formula1="度量单位")
    units.showErrorMessage = False  # a list to pick from, any other unit may be typed
    for n, level2 in enumerate(spec.level2):
        top = first + n * per
        ex = level2.example
        must = spec.data["instructions"]["required"] if level2.required else spec.data["instructions"]["optional"]
        block = f"D{top}:D{top + per - 1} F{top}:F{top + per - 1}"
        text = f"{level2.level1}/{level2.name}（{must}）：{ex.hint} 例：{ex.name} {ex.written}"
        dv = DataValidation(allow_blank=True)
        _prompt(dv, f"{level2.name}（{must}）", text)
        ws.add_data_validation(dv)
        for part in block.split():
            dv.add(part)
    return last


def _print_setup(ws: Any, head: int, last: int) -> None:
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{head}:{head}"
    ws.print_area = f"A1:G{last}"
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.print_options.horizontalCentered = True


def _form(wb: Any, st: _Styles, spec: TemplateSpec, title: str) -> None:
    ws = wb.create_sheet(title)
    for col, width in zip("ABCDEFG", [14] + [c["width"] for c in spec.data["table"]["columns"]], strict=True):
        ws.column_dimensions[col].width = width
    head = _header(ws, st, spec) + 1
    last = _table(ws, st, spec, head)
    for row in ws.iter_rows(min_row=2, max_row=last, max_col=_LAST_COL):
        for cell in row:
            cell.border = st.box
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # a clerk may widen a column or a row for long text
    ws.protection.formatRows = False
    _print_setup(ws, head, last)


def _instructions(wb: Any, st: _Styles, spec: TemplateSpec, form: str) -> None:
    words = spec.data["instructions"]
    ws = wb.create_sheet(words["title"])
    ws.cell(1, 1, f"{words['title']}（{spec.framework_label}，规则包 {spec.pack}）").font = st.title
    row = 2
    for n, step in enumerate(words["steps"], 1):
        row += 1
        ws.cell(row, 1, f"{n}. {step.format(form=form)}").alignment = st.wrap
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        ws.row_dimensions[row].height = 30
    row += 2
    for col, head in enumerate(words["columns"], 1):
        _label(ws, st, row, col, head)
    for level2 in spec.level2:
        row += 1
        ex = level2.example
        must = words["required"] if level2.required else words["optional"]
        for col, value in enumerate([level2.level1, level2.name, must, ex.name, ex.written, ex.hint], 1):
            cell = ws.cell(row, col, value)
            cell.alignment, cell.border, cell.font = st.wrap, st.box, st.font
    for letter, width in zip("ABCDEF", (12, 18, 8, 18, 16, 60), strict=True):
        ws.column_dimensions[letter].width = width
    ws.protection.sheet = True
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def render(spec: TemplateSpec) -> bytes:
    """The template workbook's bytes."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    st = _Styles(spec.data)
    titles = ["申报表"] if spec.projects == 1 else [f"项目{n}" for n in range(1, spec.projects + 1)]
    for title in titles:
        _form(wb, st, spec, title)
    _instructions(wb, st, spec, titles[0])
    _lists_sheet(wb, spec)
    wb.active = 0
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

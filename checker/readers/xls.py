"""Legacy .xls (BIFF) workbooks through xlrd, in process.

python-calamine is faster but aborts the whole process (SIGABRT, not an exception) on small hostile
files (docs/reliability.md §0.3); xlrd fails with Python exceptions, which the boundary below turns into
one line. xlrd also gives merged ranges and number formats with ``formatting_info=True``.
"""

from __future__ import annotations

from typing import Any

from checker.errors import InputError
from checker.model import Location
from checker.readers.cells import column_letter, date_text, fill_merged, number_text
from checker.readers.guard import MAX_CELLS, MAX_FILE_BYTES
from checker.readers.raw import RawCell, RawDocument, RawRow, RawTable


def read_xls(data: bytes, path: str) -> RawDocument:
    if len(data) > MAX_FILE_BYTES:
        raise InputError(path, f"file is {len(data)} bytes, over the {MAX_FILE_BYTES}-byte limit")
    try:
        import xlrd
    except ImportError:
        raise InputError(path, "reading .xls needs xlrd", "pip install 'jixiao[xls]'") from None
    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=False)
        sheets = [book.sheet_by_index(i) for i in range(book.nsheets)]
    except MemoryError:
        raise InputError(path, "workbook too large to read") from None
    except Exception as exc:  # xlrd's errors on malformed files are many; all mean "bad input"
        raise InputError(
            path, f"not a readable .xls workbook ({type(exc).__name__})", "请用 Excel/WPS 另存为 .xlsx"
        ) from None
    cells = sum(s.nrows * s.ncols for s in sheets)
    if cells > MAX_CELLS * 5:
        raise InputError(path, f"{cells} cells, over the limit", "拆分文件后再检查 / split the file")
    return RawDocument(path, "xls", tuple(_table(book, sheet, path) for sheet in sheets))


def _text(book: Any, sheet: Any, row: int, col: int) -> str:
    import xlrd

    cell = sheet.cell(row, col)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return date_text(xlrd.xldate_as_datetime(cell.value, book.datemode))
        except (ValueError, OverflowError):
            return number_text(cell.value)
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        fmt = "General"
        xf_index = sheet.cell_xf_index(row, col)
        if xf_index < len(book.xf_list):
            fmt_obj = book.format_map.get(book.xf_list[xf_index].format_key)
            fmt = fmt_obj.format_str if fmt_obj is not None else fmt
        return number_text(cell.value, fmt)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return number_text(bool(cell.value))
    return str(cell.value)


def _table(book: Any, sheet: Any, path: str) -> RawTable:
    values: dict[tuple[int, int], tuple[str, str | None]] = {}
    for r in range(sheet.nrows):
        for c in range(sheet.ncols):
            text = _text(book, sheet, r, c)
            if text.strip():
                values[(r, c)] = (text, None)
    # xlrd's ranges are 0-based and half-open; fill_merged takes inclusive ends.
    spans = [(rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in sheet.merged_cells]
    fill_merged(values, spans, lambda r, c: f"{column_letter(c + 1)}{r + 1}")
    by_row: dict[int, list[tuple[int, str, str | None]]] = {}
    for (r, c), (text, anchor) in values.items():
        by_row.setdefault(r, []).append((c, text, anchor))
    rows = []
    for r in sorted(by_row):
        raw = tuple(
            RawCell(
                text,
                c + 1,
                Location(path, sheet=sheet.name, cell=f"{column_letter(c + 1)}{r + 1}"),
                Location(path, sheet=sheet.name, cell=anchor) if anchor else None,
            )
            for c, text, anchor in sorted(by_row[r])
        )
        rows.append(RawRow(raw, Location(path, sheet=sheet.name, line=r + 1)))
    return RawTable(sheet.name, tuple(rows))

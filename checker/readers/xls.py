"""Legacy .xls (BIFF) workbooks through xlrd, in process.

python-calamine is faster but aborts the whole process (SIGABRT, not an exception) on small hostile
files (docs/reliability.md §0.3); xlrd fails with Python exceptions, which the boundary below turns into
one line. xlrd also gives merged ranges and number formats with ``formatting_info=True``.
"""

from __future__ import annotations

from typing import Any

from checker.errors import InputError
from checker.model import Location
from checker.readers.cells import TextBudget, column_letter, date_text, fill_merged, number_text
from checker.readers.guard import MAX_CELLS, MAX_FILE_BYTES
from checker.readers.raw import RawCell, RawDocument, RawRow, RawTable


def read_legacy(data: bytes, path: str) -> RawDocument:
    """An OLE file: a legacy workbook, or the one line saying it is an encrypted file or a Word .doc."""
    from pathlib import PurePath

    from checker.readers.sniff import check_ole

    check_ole(data, PurePath(path).suffix.lower(), path)
    return read_xls(data, path)


def read_xls(data: bytes, path: str) -> RawDocument:
    if len(data) > MAX_FILE_BYTES:
        raise InputError(path, f"file is {len(data)} bytes, over the {MAX_FILE_BYTES}-byte limit")
    try:
        import xlrd
    except ImportError:
        raise InputError(path, "reading .xls needs xlrd", "pip install 'jixiao[xls]'") from None
    _precount(data, path)
    try:
        # ragged_rows: xlrd would otherwise pad every row of a sheet to its widest one.
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=False, ragged_rows=True)
        sheets = [book.sheet_by_index(i) for i in range(book.nsheets)]
    except MemoryError:
        raise InputError(path, "workbook too large to read") from None
    except Exception as exc:  # xlrd's errors on malformed files are many; all mean "bad input"
        raise InputError(
            path, f"not a readable .xls workbook ({type(exc).__name__})", "请用 Excel/WPS 另存为 .xlsx"
        ) from None
    budget = TextBudget(path)
    return RawDocument(path, "xls", tuple(_table(book, sheet, path, budget) for sheet in sheets))


# BIFF cell records: (record type, whether it holds a column range, as MULRK and MULBLANK do).
_CELL_RECORDS = {0x0203: False, 0x00FD: False, 0x027E: False, 0x0201: False, 0x0006: False, 0x0205: False,
                 0x0204: False, 0x00D6: False, 0x00BD: True, 0x00BE: True}  # fmt: skip
_BOF, _EOF, _MERGED = 0x0809, 0x000A, 0x00E5


def _precount(data: bytes, path: str) -> None:
    """Count what xlrd will allocate, from the BIFF records themselves, before xlrd runs: every row up to the
    last one written and every slot of a row up to its last cell (a 10 KB file with one cell per row at
    column IV, or a merged range to row 65,536, is millions of slots). Same cap as a workbook's cells."""
    import struct

    try:
        from xlrd.compdoc import CompDoc

        doc = CompDoc(data, logfile=_Quiet())
        stream = None
        for name in ("Workbook", "Book"):
            mem, base, size = doc.locate_named_stream(name)
            if mem is not None:
                stream = memoryview(mem)[base : base + size]
                break
    except Exception:  # xlrd's own open reports a damaged container in its words
        return
    if stream is None:
        return
    widths: dict[int, int] = {}
    slots, cells, pos, end = 0, 0, 0, len(stream) - 4

    def widen(row: int, width: int) -> int:
        grown = width - widths.get(row, 0)
        if grown <= 0:
            return 0
        widths[row] = width
        return grown

    while pos <= end:
        rc, length = struct.unpack_from("<HH", stream, pos)
        body = pos + 4
        pos = body + length
        if rc == _BOF:
            widths.clear()  # a new sheet: its rows start empty, the slots counted so far stay counted
        elif rc in _CELL_RECORDS and length >= 4:
            row, col = struct.unpack_from("<HH", stream, body)
            last = struct.unpack_from("<H", stream, body + length - 2)[0] if _CELL_RECORDS[rc] else col
            cells += max(last - col + 1, 1)
            slots += widen(row, last + 1)
        elif rc == _MERGED and length >= 2:
            count = struct.unpack_from("<H", stream, body)[0]
            for k in range(min(count, (length - 2) // 8)):
                r1, r2 = struct.unpack_from("<HH", stream, body + 2 + 8 * k)
                slots += widen(max(r1, r2), 1)  # xlrd puts one empty cell on a range's last row
        if cells > MAX_CELLS or slots > MAX_SLOTS:
            raise InputError(
                path, f"over {MAX_CELLS} cells (or {MAX_SLOTS} cell slots), over the limit",
                "拆分文件后再检查 / split the file",
            )  # fmt: skip


class _Quiet:
    def write(self, _text: str) -> int:
        return 0


MAX_SLOTS = MAX_CELLS * 5


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


def _table(book: Any, sheet: Any, path: str, budget: TextBudget) -> RawTable:
    values: dict[tuple[int, int], tuple[str, str | None]] = {}
    for r in range(sheet.nrows):
        for c in range(sheet.row_len(r)):
            text = budget.take(_text(book, sheet, r, c))
            if text.strip():
                values[(r, c)] = (text, None)
    # xlrd's ranges are 0-based and half-open; fill_merged takes inclusive ends.
    spans = [(rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in sheet.merged_cells]
    fill_merged(values, spans, lambda r, c: f"{column_letter(c + 1)}{r + 1}", budget)
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

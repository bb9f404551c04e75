"""xlsx workbooks through openpyxl in full mode (read-only mode loses merged cells), behind the guard."""

from __future__ import annotations

import datetime as dt
import io
import warnings
from typing import Any

from checker.errors import InputError
from checker.model import Location
from checker.readers.cells import column_letter, date_text, fill_merged, number_text
from checker.readers.guard import check_cells, preflight
from checker.readers.raw import RawCell, RawDocument, RawRow, RawTable


def _sheet_parts(members: dict[str, bytes]) -> list[str]:
    return [n for n in members if n.startswith("xl/worksheets/") and n.endswith(".xml")]


def _text(cell: Any) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return date_text(value)
    if isinstance(value, int | float):
        return number_text(value, cell.number_format or "General")
    return str(value)


def read_xlsx(data: bytes, path: str) -> RawDocument:
    package = preflight(data, path)
    check_cells(package, path, _sheet_parts(package.members))
    try:
        import openpyxl

        # data_only: the cached result of a formula, never the formula text (which could be injected).
        # openpyxl warns on stderr about odd parts; the user gets findings, not library chatter.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except MemoryError:
        raise InputError(path, "workbook too large to read") from None
    except Exception as exc:  # openpyxl raises at least 8 types on malformed files; all mean "bad input"
        raise InputError(
            path, f"not a readable xlsx workbook ({type(exc).__name__})", "请用 Excel/WPS 另存后重试"
        ) from None
    return RawDocument(path, "xlsx", tuple(_table(ws, path) for ws in wb.worksheets))


def _table(ws: Any, path: str) -> RawTable:
    # Only cells that exist: iterating the declared dimension trusts a lying <dimension> (XFD1048576).
    cells: dict[tuple[int, int], tuple[str, str | None]] = {}
    for (row, col), cell in ws._cells.items():
        text = _text(cell)
        if text.strip():
            cells[(row, col)] = (text, None)
    spans = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    fill_merged(cells, spans, lambda row, col: f"{column_letter(col)}{row}")
    by_row: dict[int, list[tuple[int, str, str | None]]] = {}
    for (row, col), (text, origin) in cells.items():
        by_row.setdefault(row, []).append((col, text, origin))
    title, rows = ws.title, []
    for row in sorted(by_row):
        raw_cells = tuple(
            RawCell(
                text,
                col,
                Location(path, sheet=title, cell=f"{column_letter(col)}{row}"),
                Location(path, sheet=title, cell=origin) if origin else None,
            )
            for col, text, origin in sorted(by_row[row])
        )
        rows.append(RawRow(raw_cells, Location(path, sheet=title, line=row)))
    return RawTable(title, tuple(rows))

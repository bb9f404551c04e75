"""xlsx workbooks behind the guard: read from the guard's XML (``xlsx_fast``), or by openpyxl's read-only
mode when the fast reader does not vouch for the package's shape (openpyxl is the reference).

Read-only mode has no merged cells, so the ranges come from the worksheet XML the guard already holds.
Full mode was 3× slower on form workbooks: on load it builds a MergedCell and re-styles the borders of
every cell a merged range covers (~70 % of the load for a four-sheet form), work a linter never uses.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

from checker.errors import InputError
from checker.model import Location
from checker.readers.cells import TextBudget, column_letter, date_text, fill_merged, number_text
from checker.readers.guard import Package, check_cells, merged_ranges, preflight, related
from checker.readers.raw import RawCell, RawDocument, RawRow, RawTable


def _sheet_parts(members: dict[str, bytes]) -> list[str]:
    """Every part a reader may load as a sheet: those the relationships point at (a worksheet may be stored
    as ``sheet1.dat``; openpyxl follows the relationship, not the name) and the usual names."""
    usual = {n for n in members if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    pointed = {n for kind in ("worksheet", "chartsheet", "dialogsheet") for n in related(members, kind)}
    return sorted((usual | pointed) & set(members))


def value_text(value: Any, number_format: str) -> str:
    """A cell's value as text, by its number format (98% stays 98%); "" for no value."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return date_text(value)
    if isinstance(value, int | float):
        return number_text(value, number_format or "General")
    return str(value)


def read_xlsx(data: bytes, path: str) -> RawDocument:
    package = preflight(data, path)
    check_cells(package, path, _sheet_parts(package.members))
    tables = _read_fast(package, path)
    return RawDocument(path, "xlsx", tables if tables is not None else read_openpyxl(data, path, package))


def _read_fast(package: Package, path: str) -> tuple[RawTable, ...] | None:
    """The worksheets read from the guard's XML (``xlsx_fast``), or None when openpyxl must read them."""
    from checker.readers.xlsx_fast import read_sheets

    try:
        sheets = read_sheets(package.members, value_text)
    except Exception:  # Unsupported, or anything odd: openpyxl reads the file and decides
        return None
    budget = TextBudget(path)
    return tuple(_table(s.title, ((r, c, text) for r, c, text in s.cells), path,
                        package.members.get(s.part, b""), budget) for s in sheets)  # fmt: skip


def read_openpyxl(data: bytes, path: str, package: Package) -> tuple[RawTable, ...]:
    """The worksheets read by openpyxl (read-only, data-only): the reference, and the fallback."""
    try:
        import openpyxl

        # data_only: the cached result of a formula, never the formula text (which could be injected).
        # openpyxl warns on stderr about odd parts; the user gets findings, not library chatter.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
            budget = TextBudget(path)
            return tuple(
                _table(ws.title, _openpyxl_cells(ws), path, package.members.get(ws._worksheet_path.lstrip("/"), b""),
                       budget)
                for ws in wb.worksheets
            )  # fmt: skip
    except MemoryError:
        raise InputError(path, "workbook too large to read") from None
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises at least 8 types on malformed files; all mean "bad input"
        raise InputError(
            path, f"not a readable xlsx workbook ({type(exc).__name__})", "请用 Excel/WPS 另存后重试"
        ) from None


def _openpyxl_cells(ws: Any) -> Iterator[tuple[int, int, str]]:
    # Only cells that exist: the declared <dimension> may lie (A1:XFD1048576), and openpyxl pads every
    # row to it, so it is dropped before iterating.
    ws.reset_dimensions()
    for row_cells in ws.iter_rows():
        for cell in row_cells:
            if cell.value is not None:
                yield cell.row, cell.column, value_text(cell.value, cell.number_format)


def _table(
    title: str, found: Iterable[tuple[int, int, str]], path: str, sheet_xml: bytes, budget: TextBudget
) -> RawTable:
    cells: dict[tuple[int, int], tuple[str, str | None]] = {}
    for row, column, raw in found:
        text = budget.take(raw)
        if text.strip():
            cells[(row, column)] = (text, None)
    spans = merged_ranges(sheet_xml)
    fill_merged(cells, spans, lambda row, col: f"{column_letter(col)}{row}", budget)
    by_row: dict[int, list[tuple[int, str, str | None]]] = {}
    for (row, col), (text, origin) in cells.items():
        by_row.setdefault(row, []).append((col, text, origin))
    rows = []
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

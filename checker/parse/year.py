"""The budget year each sheet is read under, and where it came from.

``--year`` or the config's ``year`` wins. Otherwise the year is read from a title: in the rows just above
the sheet's 项目名称 (``（2024年度）``, ``2023年项目支出绩效目标表``), else among the first rows of its table
or text (``2024年度单位预算公开``). A title is a short piece of text with one year and nothing but the body's
name and a title word (rules/frameworks/vocabulary.yaml ``markers.year_titles``) at its end; prose never
counts: ``依据2018年文件`` in a paragraph above a ``（2024年度）`` sheet does not make the sheet 2018's.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import islice

from checker.lazyre import lazy
from checker.model import BudgetYear, GoalSheet, Location
from checker.readers.raw import RawDocument, RawRow, RawTable
from checker.resources import shipped_yaml
from checker.text import clean, label_key

_YEAR = lazy(r"(20[0-9]{2})\s*年度?")
_BRACKETED = lazy(r"[(\[【][^)\]】]*[)\]】]")
_BRACKET_OPENS = frozenset("([【")  # what _BRACKETED starts with
_SENTENCE = frozenset("，。；;,:：!！?？")
_TITLE_MAX = 60
_ABOVE = 3  # non-empty rows above a sheet's 项目名称 that may hold its title
_OPENING = 10  # non-empty rows at the start of a table (or text) that may hold the document's title
NONE = BudgetYear(None, "none")


@cache
def _title_words() -> tuple[str, ...]:
    words: list[str] = shipped_yaml("frameworks/vocabulary.yaml")["markers"]["year_titles"]
    return tuple(label_key(w) for w in words)


def title_year(text: str) -> int | None:
    """The year of a title (``（2024年度）``, ``2023年项目支出绩效目标表``, ``2024年度单位预算公开``), or None
    for anything else: a sentence, a date, two years, a year without a title word after it."""
    text = clean(text)
    if len(text) > _TITLE_MAX or _SENTENCE & set(text):
        return None
    years = _YEAR.findall(text)
    if len(years) != 1:
        return None
    rest = _YEAR.sub("", text, count=1)
    if not label_key(rest):  # the year alone: （2024年度）, 2024年
        return int(years[0])
    # The title word ends the title (a bracketed note after it aside): 依据2018年预算文件 is not a title.
    # A bracket opens every note: without one, nothing to take out (and no pattern to compile).
    tail = label_key(_BRACKETED.sub("", rest) if not _BRACKET_OPENS.isdisjoint(rest) else rest)
    return int(years[0]) if tail.endswith(_title_words()) else None


def _pieces(row: RawRow) -> list[tuple[str, Location]]:
    # A text line dumped from an HTML table keeps its cells apart with |; a merged copy is not a new piece.
    return [(piece, cell.location) for cell in row.non_empty() if cell.origin is None
            for piece in cell.text.replace("｜", "|").split("|") if piece.strip()]  # fmt: skip


def _title_in(rows: Sequence[RawRow]) -> BudgetYear | None:
    for row in rows:
        for text, location in _pieces(row):
            found = title_year(text)
            if found is not None:
                return BudgetYear(found, "header", location, text.strip())
    return None


def _table_of(doc: RawDocument, location: Location) -> RawTable | None:
    named = [t for t in doc.tables if t.name == location.sheet]
    if len(named) == 1:
        return named[0]
    if len(doc.tables) == 1:
        return doc.tables[0]
    if location.page is not None and location.line is not None:  # a PDF: lines run through the document
        line = location.line
        return next((t for t in doc.tables if t.rows and (t.rows[0].location.line or 0) <= line
                     <= (t.rows[-1].location.line or 0)), None)  # fmt: skip
    return None


def _before(doc: RawDocument, table: RawTable) -> list[RawRow]:
    """The text just before a PDF's or web page's table (its title, printed above it), last row first."""
    if doc.kind not in ("pdf", "html"):
        return []  # a worksheet's neighbour is another sheet, not this sheet's title
    index = next((i for i, t in enumerate(doc.tables) if t is table), 0)
    # A frame table around the sheet (a web form's layout table) holds no text of its own: look past it.
    while index > 0 and not doc.tables[index - 1].flow and not any(r.non_empty() for r in doc.tables[index - 1].rows):
        index -= 1
    if index == 0 or not doc.tables[index - 1].flow:
        return []
    return [row for row in reversed(doc.tables[index - 1].rows) if row.non_empty()][:_ABOVE]


def budget_years(doc: RawDocument, sheets: Sequence[GoalSheet], given: BudgetYear | None = None) -> list[BudgetYear]:
    """One BudgetYear per sheet, in order: ``given`` (from --year or the config) for all of them, else the
    title nearest above each sheet, else the title among its table's opening rows, else none."""
    if given is not None:
        return [given] * len(sheets)
    opening: dict[int, BudgetYear | None] = {}
    rows_by_line: dict[int, dict[int, int]] = {}
    out: list[BudgetYear] = []
    for sheet in sheets:
        table = _table_of(doc, sheet.location)
        if table is None:
            out.append(NONE)
            continue
        key = id(table)
        if key not in opening:
            opening[key] = _title_in(list(islice((r for r in table.rows if r.non_empty()), _OPENING)))
            rows_by_line[key] = {}
            for i, row in enumerate(table.rows):
                line = row.location.row
                if line is not None:
                    rows_by_line[key].setdefault(line, i)
        start = rows_by_line[key].get(sheet.location.row or -1)
        above: list[RawRow] = []
        # A sheet of a project list (keyed by 项目编码) has other projects above it, not its title.
        if start is not None and sheet.header_field("项目编码") is None:
            for row in reversed(table.rows[:start]):
                if row.non_empty():
                    above.append(row)
                    if len(above) == _ABOVE:
                        break
        if len(above) < _ABOVE and start is not None:
            above += _before(doc, table)[: _ABOVE - len(above)]
        out.append(_title_in(above) or opening[key] or NONE)
    return out


__all__ = ["NONE", "budget_years", "title_year"]

"""What kind of document a goal sheet is (STRUCT-006): 批复表, 自评表, 评价指标表 or 部门整体, read from the
title lines just above the sheet (and the sheet's name in a workbook), so that the rules can be scoped to
the document's type. Words are in rules/frameworks/lexicon.yaml (document_types)."""

from __future__ import annotations

import bisect
from dataclasses import replace

from checker.lazyre import lazy
from checker.model import GoalSheet, Location
from checker.readers.raw import RawDocument, RawTable
from checker.vocabulary import APPLICATION, lexicon

# A title sits right above the sheet; further up is the page around it (a list of other documents).
TITLE_ROWS = 12
# A title is a short line without sentence stops; a paragraph of the notice around the sheet
# (…于1月底前报送绩效自评报告，自评结果…) names no kind.
TITLE_CHARS = 60
_SENTENCE = lazy(r"[，。；！？,;]")


def is_title_line(line: str) -> bool:
    text = line.strip().rstrip("。")
    return len(text) <= TITLE_CHARS and _SENTENCE.search(text) is None


def _table(doc: RawDocument, location: Location) -> RawTable | None:
    for table in doc.tables:
        if location.sheet is None or table.name == location.sheet:
            return table
    return None


def _numbers(table: RawTable) -> list[int]:
    return [n if (n := r.location.row) is not None else -1 for r in table.rows]


def title_lines(doc: RawDocument, sheet: GoalSheet, numbered: dict[int, list[int]] | None = None) -> list[str]:
    """The rows from the sheet's start up to a few above it, nearest first, then the worksheet's name.
    ``numbered`` caches each table's row numbers across the sheets of one document."""
    table, start = _table(doc, sheet.location), sheet.location.row
    if table is None or start is None:
        return []
    numbers = (numbered or {}).get(id(table)) or _numbers(table)
    if numbered is not None:
        numbered[id(table)] = numbers
    # Rows are in reading order, their numbers rising: the window is a slice, found by bisection (a scan
    # of every row per sheet made a 2,000-row export with 200 projects quadratic).
    lo, hi = bisect.bisect_left(numbers, start - TITLE_ROWS), bisect.bisect_right(numbers, start)
    rows = [r for r, n in zip(table.rows[lo:hi], numbers[lo:hi], strict=True) if n >= 0]
    lines = [" ".join(c.text for c in r.cells if c.origin is None) for r in reversed(rows)]
    return [*lines, table.name or ""]


def document_type(doc: RawDocument, sheet: GoalSheet, numbered: dict[int, list[int]] | None = None) -> str | None:
    """The kind the nearest title line names; None when none names one (the rules read a 申报表)."""
    lex = lexicon()
    lines = (line for line in title_lines(doc, sheet, numbered) if is_title_line(line))
    return next((kind for line in lines if (kind := lex.document_type(line))), None)


def with_document_types(doc: RawDocument, sheets: list[GoalSheet]) -> list[GoalSheet]:
    """Each sheet with the type its title names. A type the reading already knew from the text's shape
    (a 项目清单, a 转述) gives way only to a title naming another kind than the default 申报表: a list
    headed 项目绩效目标 is still a list."""
    out = []
    numbered: dict[int, list[int]] = {}
    for sheet in sheets:
        kind = document_type(doc, sheet, numbered) if not sheet.unread else None
        if kind and sheet.document_type and kind == APPLICATION:
            kind = None
        out.append(replace(sheet, document_type=kind) if kind else sheet)
    return out

"""RawDocument → GoalSheets: the reading pipeline, one stage per module.

1. ``relational`` claims workbook tables that hold a project sheet and an indicator sheet joined by
   项目编码 (and recognises their join, so it is not counted twice);
2. ``checker.layout`` turns a text into grids of cells, choosing a layout family by its score;
3. ``sheet`` finds goal sheets in every remaining table by their labels;
4. ``year`` settles the budget year; ``markers`` makes sure a file with goal-sheet markers from which
   nothing was read never passes silently.
"""

from __future__ import annotations

from dataclasses import replace

from checker.model import GoalSheet
from checker.parse import markers, relational, year
from checker.parse.sheet import parse_table
from checker.readers.raw import RawDocument


def parse_document(doc: RawDocument, *, budget_year: int | None = None) -> list[GoalSheet]:
    """Every goal sheet in one document, in reading order."""
    sheets, claimed = relational.read_relational(doc)
    for index, table in enumerate(doc.tables):
        if index in claimed:
            continue
        sheets.extend(parse_table(table, doc.source))
    found_year = year.budget_year(doc, budget_year)
    sheets = [replace(s, year=found_year, source_kind=doc.kind) for s in sheets]
    return markers.never_silent(doc, sheets)


__all__ = ["parse_document"]

"""RawDocument → GoalSheets: the reading pipeline, one stage per module.

1. ``relational`` claims workbook tables that hold a project sheet and an indicator sheet joined by
   项目编码 (and recognises their join, so it is not counted twice);
2. ``checker.layout`` turns a text into grids of cells, choosing a layout family by its score;
3. ``sheet`` finds goal sheets by their labels in every remaining table whose columns are positions
   (worksheets, Word tables, tab rows); ``sequence`` reads the other text tables as a sequence of cells;
4. ``year`` settles the budget year; ``disclosure`` finds the project expenditure tables and stated
   totals of a budget disclosure around the sheets and gives each sheet its project's row; ``markers``
   makes sure a file with goal-sheet markers from which nothing was read never passes silently.
"""

from __future__ import annotations

from dataclasses import replace

from checker.model import BudgetYear, GoalSheet
from checker.parse import disclosure, markers, relational, year
from checker.parse.sheet import parse_table
from checker.readers.raw import RawDocument


def parse_document(doc: RawDocument, *, budget_year: BudgetYear | None = None, named: bool = False) -> list[GoalSheet]:
    """Every goal sheet in one document, in reading order. ``budget_year`` is the year given by --year or
    the config; ``named`` says the user named this file (see markers.never_silent)."""
    sheets, claimed = relational.read_relational(doc)
    recovered = doc
    # The layout families and the sequence reader are imported only by documents that need them: a
    # workbook (every table positional, none flow) is most of a batch and the whole of a cold lint of one.
    if any(t.flow for t in doc.tables):
        from checker.layout import recover

        recovered = recover(doc)
    for index, table in enumerate(recovered.tables):
        if index in claimed:
            continue
        if table.positional:
            read = parse_table(table, doc.source)
        else:
            from checker.parse.sequence import parse_sequence

            read = parse_sequence(table, doc.source)
        if table.document_type:
            read = [replace(s, document_type=table.document_type) for s in read]
        sheets.extend(read)
    years = year.budget_years(doc, sheets, budget_year)
    sheets = [replace(s, year=y.year, budget_year=y, source_kind=doc.kind) for s, y in zip(sheets, years, strict=True)]
    if sheets:
        sheets = disclosure.match(disclosure.read_disclosure(doc), sheets)
    return markers.never_silent(doc, sheets, named=named)


__all__ = ["parse_document"]

"""The budget year a document is read under (placeholder seam: the old opening-rows count)."""

from __future__ import annotations

import re

from checker.readers.raw import RawDocument

_YEAR = re.compile(r"(20[0-9]{2})\s*年")
_YEAR_SCAN_ROWS = 40


def budget_year(doc: RawDocument, given: int | None = None) -> int | None:
    """``given`` (from --year or the config) wins; else the year the document states in its opening rows."""
    if given is not None:
        return given
    counts: dict[int, int] = {}
    for table in doc.tables:
        for row in table.rows[:_YEAR_SCAN_ROWS]:
            for cell in row.non_empty():
                for match in _YEAR.finditer(cell.text):
                    counts[int(match.group(1))] = counts.get(int(match.group(1)), 0) + 1
    return max(counts, key=lambda y: (counts[y], y)) if counts else None

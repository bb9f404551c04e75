"""Cell values as a reader hands them on: text that keeps the value's meaning (98% stays 98%)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

# Excel's own limit for one cell: a longer text did not come from a spreadsheet, and normalising a
# megabyte-long cell per reference (one shared string used by 1,000 cells) costs minutes.
MAX_CELL_CHARS = 32_767


# All the cell text of one file: a goal-sheet file holds tens of thousands of characters, and every
# character costs several normalising passes downstream (~1 µs in all), so this bounds the parse to seconds.
MAX_TEXT_CHARS = 4_000_000


def capped(text: str) -> str:
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS]


class TextBudget:
    """The characters of cell text a reader may still hand on for one file (a counter, not a value)."""

    __slots__ = ("left", "path")

    def __init__(self, path: str) -> None:
        self.path = path
        self.left = MAX_TEXT_CHARS

    def take(self, text: str) -> str:
        """``text`` capped at Excel's cell limit, counted against the file's budget."""
        text = capped(text)
        self.left -= len(text)
        if self.left < 0:
            from checker.errors import InputError

            raise InputError(
                self.path, f"over {MAX_TEXT_CHARS} characters of cell text, over the limit",
                "拆分文件后再检查 / split the file",
            )  # fmt: skip
        return text


def number_text(value: float | int, number_format: str = "General") -> str:
    """A spreadsheet number as the sheet shows it: 0.98 in a percent format is 98%, 100.0 is 100."""
    if isinstance(value, bool):
        return "是" if value else "否"
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if "%" in number_format:
        exact *= 100
        return _plain(exact) + "%"
    return _plain(exact)


def _plain(d: Decimal) -> str:
    return format(d.normalize(), "f")


def date_text(value: dt.datetime | dt.date | dt.time) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    return value.isoformat()


@lru_cache(maxsize=1024)
def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


MAX_MERGE_FILL = 200_000


def fill_merged(
    cells: dict[tuple[int, int], tuple[str, str | None]],
    spans: list[tuple[int, int, int, int]],
    name: Callable[[int, int], str],
    text_budget: TextBudget | None = None,
) -> None:
    """Copy each merged range's text into the cells it covers, marking the copies with their anchor.

    A range is clipped to the rows and columns that hold any text: a declared ``A1:XFD1048576`` must
    not become 17 billion cells. The total fill is capped too.
    """
    if not cells:
        return
    max_row = max(r for r, _ in cells)
    max_col = max(c for _, c in cells)
    budget = MAX_MERGE_FILL
    for r1, c1, r_end, c_end in spans:
        origin = cells.get((r1, c1))
        if origin is None:
            continue
        r2, c2 = min(r_end, max_row), min(c_end, max_col)
        area = max(0, r2 - r1 + 1) * max(0, c2 - c1 + 1)
        if area > budget:
            continue
        budget -= area
        anchor = name(r1, c1)
        if text_budget is not None:  # every copy is text the parser reads again
            text_budget.left -= len(origin[0]) * (area - 1)
            text_budget.take("")
        for row in range(r1, r2 + 1):
            for col in range(c1, c2 + 1):
                if (row, col) != (r1, c1):
                    cells[(row, col)] = (origin[0], anchor)

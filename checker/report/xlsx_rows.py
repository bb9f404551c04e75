"""Row heights for wrapped text in a write-only workbook.

LibreOffice (and WPS) show a row at the default height unless the file gives one, so wrapped text would
be cut to its first line on screen and on paper; openpyxl's write-only mode writes no height of its own.
The height is estimated from the text: a CJK character is about two digit-widths wide (the unit of a
column width; measured ~1.5 in LibreOffice, wider in Excel's 等线), an ASCII one about one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

MAX_HEIGHT = 409.0  # points: the most Excel allows a row


def text_width(text: str) -> float:
    """Width in digit-widths: ASCII one, CJK (three UTF-8 bytes) 1.7 — between LibreOffice and Excel."""
    extra = len(text.encode("utf-8")) - len(text)
    return len(text) + extra * 0.35


def lines_needed(text: str, width: float) -> int:
    usable = max(width - 1.0, 1.0)  # the cell's padding
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in text.split("\n"))


def row_height(texts: Sequence[str | None], widths: Sequence[float | None], font_size: float) -> float | None:
    """The height (points) that shows every line of the row's wrapped texts, or None for one line.
    A column without a width (hidden) does not count."""
    lines = max((lines_needed(t, w) for t, w in zip(texts, widths, strict=False) if t and w), default=1)
    if lines <= 1:
        return None
    return min(MAX_HEIGHT, round(lines * font_size * 1.35 + 4, 1))

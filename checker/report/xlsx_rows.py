"""Row heights for wrapped text in a streamed workbook.

LibreOffice (and WPS) show a row at the default height unless the file gives one, so wrapped text would
be cut to its first line on screen and on paper; a streaming writer cannot measure text, so none is written.
The height is estimated from the text: a CJK character is about two digit-widths wide (the unit of a
column width; measured ~1.5 in LibreOffice, wider in Excel's 等线), an ASCII one about one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

MAX_HEIGHT = 409.0  # points: the most Excel allows a row
# The widest a character can be by text_width: four UTF-8 bytes, 1 + 3 × 0.35. A text of n characters
# without a line break is one line wherever n × WIDEST fits, without encoding it.
WIDEST = 2.05


def text_width(text: str) -> float:
    """Width in digit-widths: ASCII one, CJK (three UTF-8 bytes) 1.7 — between LibreOffice and Excel."""
    extra = len(text.encode("utf-8")) - len(text)
    return len(text) + extra * 0.35


def lines_needed(text: str, width: float) -> int:
    usable = max(width - 1.0, 1.0)  # the cell's padding
    if len(text) * WIDEST <= usable and "\n" not in text:
        return 1
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in text.split("\n"))


def row_height(texts: Sequence[str | None], widths: Sequence[float | None], font_size: float) -> float | None:
    """The height (points) that shows every line of the row's wrapped texts, or None for one line.
    A column without a width (hidden) does not count."""
    lines = 1
    for text, width in zip(texts, widths, strict=False):
        # Most cells of a row fit on one line: only those that might not are counted.
        if text and width and (len(text) * WIDEST > width - 1.0 or "\n" in text):
            lines = max(lines, lines_needed(text, width))
    if lines <= 1:
        return None
    return min(MAX_HEIGHT, round(lines * font_size * 1.35 + 4, 1))

"""Text that is safe to put in a cell a reviewer opens in Excel or WPS.

Every text cell is written as text (data type forced), so nothing a submitter typed can become a formula;
a cell that starts like a formula (= + - @, and the full-width ＝ ＋ － ＠) also gets quotePrefix, so it
stays text after the reviewer edits it. Characters XML 1.0 cannot hold are dropped, lone surrogates
replaced, and text over Excel's 32,767-character limit cut with a visible marker.
"""

from __future__ import annotations

import copy
import re
from typing import Any

MAX_CELL = 32_767
_MARK = "…（已截断 / truncated）"
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
TRIGGERS = ("=", "+", "-", "@", "＝", "＋", "－", "＠", "\t", "\r")


def clean_text(value: object) -> str:
    text = value if isinstance(value, str) else str(value)
    text = _SURROGATE.sub("\ufffd", _ILLEGAL.sub("", text))
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - len(_MARK)] + _MARK
    return text


class StyleCache:
    """Style a cell by copying the style array of the first cell styled the same way.

    Assigning a Font or Fill hashes it and looks it up in the workbook's style lists: ~20 µs a time,
    which for 200,000 findings was half the writing time; copying an array of ints costs ~1 µs.
    """

    def __init__(self) -> None:
        self._arrays: dict[tuple[int, ...], Any] = {}
        self._keep: list[Any] = []

    def apply(self, cell: Any, style: dict[str, Any]) -> None:
        if not style:
            return
        key = tuple(id(v) for v in style.values()) + tuple(hash(k) for k in style)
        array = self._arrays.get(key)
        if array is None:
            for name, value in style.items():
                setattr(cell, name, value)
            self._arrays[key] = copy.copy(cell._style)
            self._keep.extend(style.values())  # keeps the objects alive, so their ids stay unique
        else:
            cell._style = copy.copy(array)


def text_cell(ws: Any, value: object, styles: StyleCache | None = None, **style: Any) -> Any:
    """A write-only cell holding ``value`` as text, never as a formula.

    ``styles`` must belong to the same workbook as ``ws`` (style arrays index that workbook's lists).
    """
    from openpyxl.cell import WriteOnlyCell

    text = clean_text(value)
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    if styles is None:
        for name, val in style.items():
            setattr(cell, name, val)
    else:
        styles.apply(cell, style)
    if text.startswith(TRIGGERS):
        cell.quotePrefix = True
    return cell

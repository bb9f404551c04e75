"""Text that is safe to put in a cell a reviewer opens in Excel or WPS.

Every text cell is written as an inline string (``to_cell``; never a formula cell), so nothing a submitter
typed can become a formula; a cell that starts like a formula (= + - @, and the full-width ＝ ＋ － ＠) is also
written in its style's quotePrefix twin, so it stays text after the reviewer edits it. Characters XML 1.0
cannot hold are dropped, lone surrogates replaced, and text over Excel's 32,767-character limit cut with a
visible marker.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from checker.report.xlsx_rowxml import Cell, is_number

MAX_CELL = 32_767
_MARK = "…（已截断 / truncated）"
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Either of the above: one scan decides whether a text needs cleaning at all (almost none does).
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
TRIGGERS = ("=", "+", "-", "@", "＝", "＋", "－", "＠", "\t", "\r")


def clean_text(value: object) -> str:
    text = value if isinstance(value, str) else str(value)
    if _UNSAFE.search(text) is not None:
        text = _SURROGATE.sub("\ufffd", _ILLEGAL.sub("", text))
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - len(_MARK)] + _MARK
    return text


class Styles:
    """One xlsxwriter format per named style of a workbook, made once, each with a quotePrefix twin.

    A cell names its style; the format object is looked up, never built per cell (a Format added per cell
    is a new style record in the file).
    """

    def __init__(self, workbook: Any, styles: Mapping[str, Mapping[str, Any]]) -> None:
        self._plain = {name: workbook.add_format(dict(props)) for name, props in styles.items()}
        self._quoted = {name: workbook.add_format({**props, "quote_prefix": True}) for name, props in styles.items()}
        # An unstyled cell takes its column's format; quoted, it needs a format of its own.
        self._quoted[""] = workbook.add_format({"quote_prefix": True})

    def get(self, name: str, quoted: bool = False) -> Any:
        """The format of style ``name`` ("" for none: the column's), its quotePrefix twin if ``quoted``."""
        if quoted:
            return self._quoted[name]
        return self._plain[name] if name else None


def to_cell(col: int, value: object, styles: Styles, style: str = "") -> tuple[Cell | None, str | None]:
    """The cell ``value`` makes at 0-based column ``col`` (None: no cell) and the text it shows, for the
    row's height: a number as a number, None as nothing (a blank in a style), anything else as cleaned
    text — never a formula."""
    if not isinstance(value, str):
        if value is None:
            return ((col, None, styles.get(style)) if style else None), None
        if is_number(value):
            return (col, value, styles.get(style)), None
    text = clean_text(value)
    if text:
        # A text that would read as a formula once a reviewer edits its cell: quotePrefix keeps it text.
        return (col, text, styles.get(style, text.startswith(TRIGGERS))), text
    if style:  # an empty reviewer cell still needs its style (unlocked, shaded)
        return (col, None, styles.get(style)), text
    return None, text

"""A worksheet's rows written as sheet XML by us, into the row file of an xlsxwriter worksheet in
constant_memory mode.

Measured (bench/review_bench.py, README): xlsxwriter's per-cell path — argument checks, a cell tuple per
cell, and an attribute list escaped per cell when the next row flushes it — was over half the review
writer's time. The review knows each row whole, so the row's XML is built here in one string with the
format indices looked up once per format. xlsxwriter keeps everything else (columns, comments, links,
validations, charts, print set-up, packaging): it is told each row's dimensions, and ``previous_row`` is
kept at the row just written, so a comment or link on that row is accepted as it was when xlsxwriter
wrote the cells, and set past the last row before saving, so xlsxwriter has no pending row to flush.

The XML is what xlsxwriter writes for the same cells: inline strings (with Excel's ``_xHHHH_`` escape
for control characters and for text that looks like one), ``xml:space="preserve"`` for text with leading
or trailing space, numbers as ``%.16G``, a blank as an empty styled cell, and each cell's style its own
format's or else its column's. tests/test_review.py compares the two writers cell by cell.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, TypeGuard

from checker.lazyre import lazy

# A cell: (0-based column, value, xlsxwriter Format or None). A str is text, an int or float a number,
# None a blank that carries its format.
Cell = tuple[int, str | int | float | None, Any]

_ESCAPED = lazy("(_x[0-9a-fA-F]{4}_)")  # text Excel would read as an escape: its _ is escaped
_CONTROL = lazy(r"([\x00-\x08\x0b-\x1f])")
# Anything inline_text changes: one scan passes almost every text through untouched.
_CHANGED = lazy("[\x00-\x08\x0b-\x1f\ufffe\uffff&<>]|_x[0-9a-fA-F]{4}_")


def column_name(col: int) -> str:
    """The letters of 0-based column ``col`` (A, B, …, Z, AA, …)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def inline_text(text: str) -> str:
    """``text`` as the content of an inline string's <t>: control characters as _xHHHH_, XML escaped."""
    if _CHANGED.search(text) is None:
        return text
    if "_x" in text:
        text = _ESCAPED.sub(r"_x005F\1", text)
    if _CONTROL.search(text) is not None:
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


class RowWriter:
    """Whole rows of one worksheet (0-based, ascending), written as XML into its constant_memory row file.

    A row's height goes into its <row> here. xlsxwriter's ``set_row`` also keeps two records a row
    (``row_info`` for writing the row, ``row_sizes`` for placing notes and charts): ~250 bytes a tall row,
    which made a 10,000-sheet review's peak twice a 1,000-sheet one's. Only ``row_sizes`` is kept, and
    only with ``keep_sizes`` — for a sheet that gets notes or charts, which are placed by the heights of
    the rows above them."""

    def __init__(self, ws: Any, keep_sizes: bool = True) -> None:
        self.ws = ws
        self.keep_sizes = keep_sizes
        self.last = -1
        self._style: dict[int, str] = {}  # id(Format) → ' s="n"', looked up once
        self._letters: list[str] = []

    def _s(self, fmt: Any, col: int) -> str:
        if fmt is None:
            info = self.ws.col_info.get(col)
            fmt = info.column_format if info is not None else None
            if fmt is None:
                return ""
        s = self._style.get(id(fmt))
        if s is None:
            index = fmt._get_xf_index()
            s = self._style[id(fmt)] = f' s="{index}"' if index else ""
        return s

    def row(self, row: int, cells: Sequence[Cell], height: float | None = None) -> None:
        """Write row ``row`` with ``cells`` (ascending columns) and a height in points (None: the default)."""
        ws = self.ws
        if row <= self.last:
            raise ValueError(f"row {row} written after row {self.last}")
        self.last = row
        ws.previous_row = row  # a comment or link on this row is still accepted
        pixels = None
        if height is not None:
            pixels = int(height * 4.0 / 3.0 + 0.5)  # as set_row converts points
            if pixels == 0:
                raise ValueError(f"row {row}: a height of 0 hides the row; RowWriter writes visible rows")
            if self.keep_sizes:
                ws.row_sizes[row] = [pixels, False]
        letters = self._letters
        if cells and len(letters) <= cells[-1][0]:
            letters.extend(column_name(col) for col in range(len(letters), cells[-1][0] + 1))
        number = str(row + 1)
        parts = []
        first = -1
        for col, value, fmt in cells:
            if value is None or value == "":  # as xlsxwriter: an empty text is a blank, kept for its format
                if fmt is None:
                    continue
                parts.append(f'<c r="{letters[col]}{number}"{self._s(fmt, col)}/>')
            elif isinstance(value, str):
                text = inline_text(value)
                # xml:space where the escaped text starts or ends with white space (str.isspace is re's \s)
                space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
                cell = f'<c r="{letters[col]}{number}"{self._s(fmt, col)} t="inlineStr">'
                parts.append(f"{cell}<is><t{space}>{text}</t></is></c>")
            else:
                parts.append(f'<c r="{letters[col]}{number}"{self._s(fmt, col)}><v>{value:.16G}</v></c>')
            if first < 0:
                first = col
            last = col
        if first < 0:  # no cell: a row of its own only for its height
            if pixels is not None:
                ws._check_dimensions(row, ws.dim_colmin if ws.dim_colmin is not None else 0)
                ws.row_data_fh.write(f"<row{self._row_attributes(row, pixels)}/>")
            return
        ws._check_dimensions(row, first)
        ws._check_dimensions(row, last)
        attributes = self._row_attributes(row, pixels) if pixels is not None else f' r="{number}"'
        ws.row_data_fh.write(f"<row{attributes}>{''.join(parts)}</row>")

    def _row_attributes(self, row: int, pixels: int) -> str:
        """The <row> attributes xlsxwriter writes for a row set with ``set_row`` to ``pixels``."""
        ws = self.ws
        attributes = f' r="{row + 1}"'
        if pixels != ws.original_row_height or pixels != ws.default_row_height:
            attributes += f' ht="{pixels * 0.75:.16g}" customHeight="1"'
        return attributes

    def close(self) -> None:
        """Before the workbook is saved: xlsxwriter flushes ``previous_row`` if it has data, format or a
        comment; past the last row it has none."""
        self.ws.previous_row = self.last + 1


def is_number(value: object) -> TypeGuard[int | float]:
    """Whether ``value`` is written as a number: an int or a finite float, not a bool (NaN and infinity
    have no number cell; they are written as their text)."""
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int) and not isinstance(value, bool)

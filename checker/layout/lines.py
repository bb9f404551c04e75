"""One cell per line with no separator at all: labels printed a character a line (``产\\n出\\n指\\n标``),
values on lines of their own, and indentation outlines where the leading spaces give the level
(``   产出指标`` / ``    数量指标(必填)`` / ``     疫苗使用率`` then ``100%``).

Each non-empty line is a cell, kept whole (a name may hold spaces); the sequence reader joins the label
fragments and pairs names with values.
"""

from __future__ import annotations

from collections.abc import Sequence

from checker.layout import Family
from checker.layout.base import is_form_word
from checker.lazyre import lazy
from checker.model import Location
from checker.readers.raw import RawCell, RawRow, RawTable

_FRAGMENT = lazy(r"^[\u4e00-\u9fff]{1,3}$")


def detect(lines: Sequence[str]) -> float:
    score = 0.0
    for line in lines:
        text = line.strip()
        if not text or "|" in text or "\t" in text:
            continue
        # A whole line that is one label, or a fragment of a label split a character a line.
        if is_form_word(text) or _FRAGMENT.match(text):
            score += 1
    return score * 0.9  # a tie goes to the families that also split lines into cells


def recover(lines: Sequence[str], path: str) -> RawTable:
    # A cell's column is where its text starts on the line: in an outline the indentation is the level,
    # which is how a second project's line (less indented than the 一级 names) is told from a row.
    rows = [
        RawRow((RawCell(line.strip(), _indent(line) + 1, Location(path, line=n, column=_indent(line) + 1)),),
               Location(path, line=n))
        for n, line in enumerate(lines, 1)
        if line.strip()
    ]  # fmt: skip
    return RawTable(None, tuple(rows), positional=False, layout="lines")


def _indent(line: str) -> int:
    """Leading white space in characters (a full-width space counts as two, as it prints)."""
    stripped = line.lstrip(" \t\u3000")
    head = line[: len(line) - len(stripped)]
    return len(head) + head.count("\u3000")


FAMILY = Family("lines", "一格一行/缩进大纲", detect, recover)

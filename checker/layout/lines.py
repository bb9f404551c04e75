"""One cell per line with no separator at all: labels printed a character a line (``产\\n出\\n指\\n标``),
values on lines of their own, and indentation outlines where the leading spaces give the level
(``   产出指标`` / ``    数量指标(必填)`` / ``     疫苗使用率`` then ``100%``).

Each non-empty line is a cell, kept whole (a name may hold spaces); the sequence reader joins the label
fragments and pairs names with values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from checker.layout import Family
from checker.layout.base import Piece, is_form_word, table
from checker.readers.raw import RawTable

_FRAGMENT = re.compile(r"^[\u4e00-\u9fff]{1,3}$")


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
    rows: list[list[Piece]] = [[(line.strip(), n)] for n, line in enumerate(lines, 1) if line.strip()]
    return table(rows, path, "lines")


FAMILY = Family("lines", "一格一行/缩进大纲", detect, recover)

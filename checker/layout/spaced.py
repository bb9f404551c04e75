"""Cells separated by runs of spaces, one table row per line (web pages copied as text, ``xls`` turned
into HTML and back): ``产出指标 数量指标 指标1:安置小区物业费 8个``.

A comparator or a unit standing alone (``≥ 90 %``) is joined back to its number; labels split over lines
(``项目完成\\n指标``) are joined later by the sequence reader, which knows the form's words.
"""

from __future__ import annotations

from collections.abc import Sequence

from checker.layout import Family
from checker.layout.base import Piece, is_form_word, table
from checker.lazyre import lazy
from checker.readers.raw import RawTable
from checker.text import label_key

_SPLIT = lazy(r"[ \t\u3000\u00a0]+")
_COMPARATOR = lazy(r"^(?:[≥≤><=＞＜＝≧≦]=?|不低于|不少于|不高于|不超过|大于等于|小于等于)$")
_NUMBER_END = lazy(r"[0-9０-９]$")
_UNIT = lazy(r"^(?:%|％|‰|[元万亿个人次天件项户村台辆条座套册份场所家名]|万元|亿元|平方米|公里|小时|工作日)$")


def _tokens(line: str) -> list[str]:
    return [t for t in _SPLIT.split(line.strip()) if t]


def detect(lines: Sequence[str]) -> float:
    score = 0.0
    for line in lines:
        if "|" in line or "\t" in line:
            continue
        tokens = _tokens(line)
        if len(tokens) >= 2 and sum(1 for t in tokens if is_form_word(t)) >= 1:
            score += 1
    return score * 2  # a line split into labelled cells is stronger evidence than one bare label


def split_line(line: str, join: bool = True) -> list[str]:
    """One line's cells, with lone comparators and units joined to their number (unless ``join`` is off:
    the table has columns of its own for them)."""
    out: list[str] = []
    for token in _tokens(line):
        glue = out and (_COMPARATOR.match(out[-1]) or (_UNIT.match(token) and _NUMBER_END.search(out[-1])))
        if join and glue:
            out[-1] += token
        else:
            out.append(token)
    return out


def _split_columns(lines: Sequence[str]) -> bool:
    """Whether a header line gives the comparator or the unit a column (指标性质 … 指标值 度量单位)."""
    from checker.vocabulary import vocabulary

    columns = vocabulary().columns
    for line in lines:
        if "指标" not in line:
            continue
        roles = {columns.get(label_key(t)) for t in _tokens(line)}
        if "value" in roles and roles & {"comparator", "unit"}:
            return True
    return False


def recover(lines: Sequence[str], path: str) -> RawTable:
    join = not _split_columns(lines)
    rows: list[list[Piece]] = [[(cell, n) for cell in split_line(line, join)] for n, line in enumerate(lines, 1)]
    return table(rows, path, "spaced")


FAMILY = Family("spaced", "空格分列", detect, recover)

"""The standard writing of a 指标值: what a safe, mechanical fix may change and nothing more.

The parser already reads ``≥９５％``, ``>=95%`` and ``95\\t%`` as ≥95%; these functions say how the cell
should have been written, so a rule can point at it (VAL019, VAL015, TIME004) and ``jixiao fix`` can write
it. Every rewrite keeps what the value means: the same kind, comparator, number and unit, which the
tests check on generated values. Nothing here touches a word the parser would read differently.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from checker.frozen import frozen
from checker.lazyre import lazy
from checker.model import ValueKind
from checker.parse.values import parse_value
from checker.text import is_cjk_run

# Full-width digits and the symbols of a value; letters and Chinese punctuation are left alone (（） in a
# note is how Chinese is written, not a slip).
_WIDE = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "％": "%", "＞": ">", "＜": "<", "＝": "="})
_WIDE_DOT = lazy("(?<=[0-9])．(?=[0-9])")
_WIDE_CHARS = lazy("[０-９％＞＜＝]|(?<=[0-9０-９])．(?=[0-9０-９])")
_GE = lazy("(?:>=|=>|≧|⩾)")
_LE = lazy("(?:<=|=<|≦|⩽)")
_EDGE_SPACE = lazy(r"^[\s\u3000]+|[\s\u3000]+$")
_INNER_SPACE = lazy(r"[\s\u3000]+")
_TABS = lazy(r"[ \t\u3000]{2,}|[\t\u3000]")
# A single space between number and unit (≤10000 元) is how printed tables read; only these are stray.
_STRAY = lazy(r"[\t\r\n\u3000]| {2,}")
_NA_EDGE = lazy(r"^[(\[【（]+|[)\]】）。.;；,，!！]+$")

# Excel counts days from 1899-12-30 (its phantom 1900-02-29 lies before every serial in this window).
_EPOCH = dt.date(1899, 12, 30)
_SERIAL = lazy(r"^[0-9]{2},?[0-9]{3}(?:\.0+)?$")
_FIRST_SERIAL, _LAST_SERIAL = 36526, 73050  # 2000-01-01 .. 2099-12-31: the years a goal sheet names


@frozen
class Respelling:
    """The standard writing of a value and what differed: fullwidth, comparator, whitespace, not_applicable."""

    text: str
    kinds: tuple[str, ...]


def _meaning(raw: str) -> tuple[object, ...]:
    v = parse_value(raw)
    return (v.kind, v.comparator, v.number, v.high, v.unit, v.deadline)


@lru_cache(maxsize=16384)
def respell(raw: str) -> Respelling | None:
    """The standard writing of ``raw``, or None when it is already written so (or cannot be made so safely)."""
    if not raw or not raw.strip():
        return None
    before = parse_value(raw)
    if before.kind is ValueKind.NOT_APPLICABLE:
        return _not_applicable(raw) if before.note is None else None
    kinds: list[str] = []
    text = raw
    if _WIDE_CHARS.search(text):
        text = _WIDE_DOT.sub(".", text.translate(_WIDE))
        kinds.append("fullwidth")
    swapped = _LE.sub("≤", _GE.sub("≥", text))
    if swapped != text:
        text = swapped
        kinds.append("comparator")
    spaced = _EDGE_SPACE.sub("", _TABS.sub(" ", text))
    if before.kind in (ValueKind.QUANTITATIVE, ValueKind.RANGE) and _STRAY.search(text):
        tight = _INNER_SPACE.sub("", spaced)
        if _meaning(tight) == _meaning(raw):
            spaced = tight
    if spaced != text:
        text = spaced
        kinds.append("whitespace")
    if not kinds or not text or _meaning(text) != _meaning(raw):
        return None
    return Respelling(text, tuple(kinds))


def _not_applicable(raw: str) -> Respelling | None:
    """不适用 spelt another way: white space, brackets, punctuation, a cell typed twice, the typo 不适应, or a
    symbol (/ - — n/a) standing for it. A word of its own (不涉及, 本项目不适用此指标) is how the form says it,
    not a slip, and is left alone."""
    parts = {_NA_EDGE.sub("", part) for part in _INNER_SPACE.split(raw.strip())}
    core = parts.pop() if len(parts) == 1 else "".join(_INNER_SPACE.split(raw))
    if core == "不适应" or not is_cjk_run(core):
        core = "不适用"
    if core == raw:
        return None
    return Respelling(core, ("not_applicable",) if core != raw.strip() else ("whitespace",))


def percent_word(raw: str) -> str | None:
    """``≥85百分比`` → ``≥85%``: the unit spelt out, replaced only where the value then reads as a percentage."""
    v = parse_value(raw)
    if v.kind is not ValueKind.QUANTITATIVE or v.unit != "百分比" or raw.count("百分比") != 1:
        return None
    text = raw.replace("百分比", "%")
    after = parse_value(text)
    return text if (after.unit, after.number, after.comparator) == ("%", v.number, v.comparator) else None


def serial_date(raw: str) -> str | None:
    """``44561`` (an Excel date serial left as a number) → ``2021年12月31日``; None for anything else.

    Only meaningful on a row that holds a deadline: a bare 44561 elsewhere may be a count.
    """
    text = raw.strip()
    if not _SERIAL.match(text):
        return None
    days = int(text.replace(",", "").split(".")[0])
    if not _FIRST_SERIAL <= days <= _LAST_SERIAL:
        return None
    day = _EPOCH + dt.timedelta(days=days)
    return f"{day.year}年{day.month}月{day.day}日"

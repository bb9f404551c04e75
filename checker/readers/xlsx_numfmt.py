"""openpyxl's number-format and date rules, as the fast xlsx reader needs them, without importing openpyxl.

Importing any part of openpyxl imports the whole package (~0.2 s, a third of a cold ``jixiao check``), and
the fast reader only needs a table and four small functions of it: the built-in format codes, which codes
are dates or durations, and how a serial or ISO value becomes a date. They are copied here from openpyxl
3.1 (``styles/numbers.py``, ``utils/datetime.py``; MIT licence) rule for rule; ``tests/test_xlsx_numfmt.py``
holds them equal to the installed openpyxl, so a change there shows as a failing test, not a silent drift.
"""

from __future__ import annotations

import datetime as dt
import re

from checker.lazyre import lazy

# Excel's built-in number formats by id (openpyxl.styles.numbers.BUILTIN_FORMATS).
BUILTIN_FORMATS: dict[int, str] = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)',
    8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)",
    38: "#,##0_);[Red](#,##0)",
    39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}

WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)
_SECS_PER_DAY = 86400

# Quoted literals and bracketed locale/colour codes say nothing about dates; [h], [mm], [ss] do.
_STRIP = lazy(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_LETTER = lazy(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA = lazy(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
_ISO = lazy(
    r"""
(?P<date>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2}))?T?
(?P<time>(?P<hour>\d{2}):(?P<minute>\d{2})(:(?P<second>\d{2})(?P<microsecond>\.\d{1,3})?)?)?Z?""",
    re.VERBOSE,
)
_ISO_DURATION = lazy(r"PT((?P<hours>\d+)H)?((?P<minutes>\d+)M)?((?P<seconds>\d+(\.\d{1,3})?)S)?")


def is_date_format(fmt: str | None) -> bool:
    if fmt is None:
        return False
    first = _STRIP.sub("", fmt.split(";")[0])  # only the positive section decides
    return _DATE_LETTER.search(first) is not None


def is_timedelta_format(fmt: str | None) -> bool:
    if fmt is None:
        return False
    return _TIMEDELTA.search(fmt.split(";")[0]) is not None


def from_excel(
    value: float | int, epoch: dt.datetime = WINDOWS_EPOCH, timedelta: bool = False
) -> dt.datetime | dt.time | dt.timedelta:
    """An Excel serial as openpyxl reads it (the 1900 leap-year bug kept; milliseconds rounded)."""
    if timedelta:
        td = dt.timedelta(days=value)
        if td.microseconds:
            td = dt.timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
        return td
    day, fraction = divmod(value, 1)
    diff = dt.timedelta(milliseconds=round(fraction * _SECS_PER_DAY * 1000))
    if 0 <= value < 1 and diff.days == 0:
        minutes, seconds = divmod(diff.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return dt.time(hours, minutes, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + dt.timedelta(days=day) + diff


def from_iso8601(text: str) -> dt.datetime | dt.date | dt.time | dt.timedelta | None:
    """A ``t="d"`` cell's ISO 8601 value as openpyxl reads it; ValueError when it is none."""
    if not text:
        return None
    match = _ISO.match(text)
    if match and any(match.groups()):
        parts: dict[str, int | str] = match.groupdict(0)
        for key in ("year", "month", "day", "hour", "minute", "second"):
            if parts[key]:
                parts[key] = int(parts[key])
        micro = int(float(parts["microsecond"]) * 1_000_000) if parts["microsecond"] else 0
        hms = (int(parts["hour"]), int(parts["minute"]), int(parts["second"]))
        if not parts["date"]:
            return dt.time(*hms, micro)
        ymd = (int(parts["year"]), int(parts["month"]), int(parts["day"]))
        if not parts["time"]:
            return dt.date(*ymd)
        return dt.datetime(*ymd, *hms, micro)
    duration = _ISO_DURATION.match(text)
    if duration and any(duration.groups()):
        got = {k: float(v) for k, v in duration.groupdict(0).items() if v}
        return dt.timedelta(**got)
    raise ValueError(f"Invalid datetime value {text}")

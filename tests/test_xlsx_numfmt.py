"""The number-format and date rules copied from openpyxl (checker/readers/xlsx_numfmt.py) held equal to the
installed openpyxl, so the fast reader can skip importing it and an openpyxl change still shows here."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.styles import numbers
from openpyxl.utils import datetime as oxdt

from checker.readers import xlsx_numfmt as nf

_FORMAT_PIECES = st.sampled_from(
    ["0", "0.00", "%", "#,##0", "yyyy", "yy", "m", "mm", "mmm", "d", "dd", "h", "hh", "[h]", "[hh]", "[mm]",
     "[ss]", ":", "ss", "ss.0", "s", "AM/PM", '"年"', '"元"', '"d"', "[Red]", "[$-804]", "[DBNum1]", "_)", "\\d",
     "_d", ";", "@", "E+00", " ", "-", "/", "年", "月", "日", "General", "[$¥-804]", "H", "Y", "S"]
)  # fmt: skip


def test_the_builtin_formats_are_openpyxls() -> None:
    assert nf.BUILTIN_FORMATS == numbers.BUILTIN_FORMATS
    assert (nf.WINDOWS_EPOCH, nf.MAC_EPOCH) == (oxdt.CALENDAR_WINDOWS_1900, oxdt.CALENDAR_MAC_1904)


@settings(max_examples=400, deadline=None)
@given(st.lists(_FORMAT_PIECES, max_size=8).map("".join) | st.text(max_size=12) | st.none())
def test_date_and_duration_formats_are_told_as_openpyxl_tells_them(fmt: str | None) -> None:
    assert nf.is_date_format(fmt) == numbers.is_date_format(fmt)
    assert nf.is_timedelta_format(fmt) == numbers.is_timedelta_format(fmt)


def test_every_builtin_format_is_told_the_same() -> None:
    for code in numbers.BUILTIN_FORMATS.values():
        assert nf.is_date_format(code) == numbers.is_date_format(code), code
        assert nf.is_timedelta_format(code) == numbers.is_timedelta_format(code), code
    assert nf.is_date_format("yyyy-mm-dd") and nf.is_timedelta_format("[h]:mm") and not nf.is_date_format("0%")


@settings(max_examples=400, deadline=None)
@given(
    st.floats(min_value=-1000, max_value=2_958_465, allow_nan=False) | st.integers(-1000, 2_958_465),
    st.sampled_from([nf.WINDOWS_EPOCH, nf.MAC_EPOCH]),
    st.booleans(),
)
def test_serials_become_the_dates_openpyxl_makes(value: float, epoch: dt.datetime, timedelta: bool) -> None:
    try:
        want: object = oxdt.from_excel(value, epoch, timedelta=timedelta)
    except (OverflowError, ValueError) as exc:
        want = type(exc)
    try:
        got: object = nf.from_excel(value, epoch, timedelta=timedelta)
    except (OverflowError, ValueError) as exc:
        got = type(exc)
    assert got == want and type(got) is type(want)


_ISO_SAMPLES = st.sampled_from(
    ["2024-12-31", "2024-12-31T08:30:00", "2024-12-31T08:30:05.25Z", "08:30", "T08:30:05", "PT3H", "PT1H30M",
     "PT12.5S", "PT", "T", "2024-13-01", "1900-02-29", "garbage", "Z", "2024-01-01T25:00"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(_ISO_SAMPLES | st.text(alphabet="0123456789-:TZPHMS.", max_size=22))
def test_iso_values_read_as_openpyxl_reads_them(text: str) -> None:
    try:
        want: object = oxdt.from_ISO8601(text)
    except (ValueError, TypeError) as exc:
        want = type(exc)
    try:
        got: object = nf.from_iso8601(text)
    except (ValueError, TypeError) as exc:
        got = type(exc)
    assert got == want and type(got) is type(want)


def test_a_fast_read_does_not_import_openpyxl() -> None:
    """The point of the copy: a workbook the fast reader takes costs no openpyxl import (~0.2 s cold)."""
    code = (
        "import sys; from checker.readers import read; "
        "doc = read('examples/项目支出绩效目标申报表.xlsx'); "
        "assert doc.tables, 'nothing read'; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'openpyxl'))"
    )
    from tests.conftest import ROOT

    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

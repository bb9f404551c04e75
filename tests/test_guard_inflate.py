"""The guard's direct inflate (``guard._inflate_plain``) never accepts what zipfile's reading rejects, and
never gives other bytes: on packages with their bytes flipped, cut or spliced anywhere, each member it
inflates is the member ``_inflate`` (zipfile) returns, and the pre-flight's verdict is unchanged."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.errors import InputError
from checker.readers import guard


def _package(stored: bool) -> bytes:
    buf = io.BytesIO()
    mode = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(buf, "w", mode) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>" * 20)
        zf.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData/></worksheet>" * 30)
        zf.writestr("empty.xml", "")
    return buf.getvalue()


PACKAGES = (_package(stored=False), _package(stored=True))


def _old_verdict(data: bytes) -> object:
    """The pre-flight as it was: every member through zipfile."""
    plain = guard._inflate_plain
    guard._inflate_plain = lambda _data, _info: None  # type: ignore[assignment]
    try:
        return guard.preflight(data, "x.xlsx").members
    except InputError as exc:
        return str(exc)
    finally:
        guard._inflate_plain = plain


def _verdict(data: bytes) -> object:
    try:
        return guard.preflight(data, "x.xlsx").members
    except InputError as exc:
        return str(exc)


@pytest.mark.parametrize("data", PACKAGES, ids=["deflated", "stored"])
def test_plain_members_are_inflated_directly(data: bytes) -> None:
    zf = zipfile.ZipFile(io.BytesIO(data))
    for info in zf.infolist():
        assert guard._inflate_plain(data, info) == zf.read(info)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.sampled_from(PACKAGES),
    at=st.integers(min_value=0, max_value=10_000),
    edit=st.sampled_from(["flip", "cut", "insert", "zero"]),
    byte=st.integers(min_value=0, max_value=255),
)
def test_damaged_packages_get_the_same_verdict(which: bytes, at: int, edit: str, byte: int) -> None:
    data = bytearray(which)
    at %= len(data)
    if edit == "flip":
        data[at] ^= byte or 1
    elif edit == "cut":
        del data[at : at + 1 + byte % 7]
    elif edit == "insert":
        data[at:at] = bytes([byte]) * (1 + byte % 3)
    else:
        data[at : at + 4] = b"\0\0\0\0"
    damaged = bytes(data)
    assert _verdict(damaged) == _old_verdict(damaged)
    try:
        zf = zipfile.ZipFile(io.BytesIO(damaged))
        infos = zf.infolist()
    except Exception:
        return
    for info in infos:
        fast = guard._inflate_plain(damaged, info)
        if fast is not None:
            assert fast == zf.read(info)

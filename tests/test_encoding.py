"""Deterministic decoding (docs/reliability.md R3): BOM → strict UTF-8 (+ mojibake guard) → GB18030 → reject."""

from __future__ import annotations

import random

import pytest

from checker.errors import InputError
from checker.readers.text import decode
from tests.conftest import SEED

PARAGRAPH = SEED.read_text(encoding="utf-8").split("\n")[475].split("\t")[2]
POOL = sorted({ch for ch in SEED.read_text(encoding="utf-8") if "\u4e00" <= ch <= "\u9fff"})


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
@pytest.mark.parametrize("length", [4, 8, 16, 32, 46])
def test_paragraph_prefixes(encoding: str, length: int) -> None:
    text = PARAGRAPH[:length]
    assert len(text) == length
    assert decode(text.encode(encoding), "x.txt") == text


@pytest.mark.parametrize("length", [2, 3, 4, 8])
def test_random_short_gbk_and_utf8(length: int) -> None:
    rng = random.Random(length)
    right = total = 0
    for _ in range(2000):
        text = "".join(rng.choice(POOL) for _ in range(length))
        for enc in ("gbk", "utf-8"):
            total += 1
            right += decode(text.encode(enc), "x.txt") == text
    assert right / total >= 0.995


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xff\xfa\xfb\xfc", "offset 0"),  # (\xff\xfe starts UTF-16 now: a BOM, read as such)
        (b"abc\x00def", "NUL byte at offset 3"),
        (b"PK\x03\x04rest", "zip"),
        (b"%PDF-1.7", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1", "OLE"),
    ],
)
def test_rejections_name_the_problem(data: bytes, words: str) -> None:
    with pytest.raises(InputError, match=words):
        decode(data, "x.txt")

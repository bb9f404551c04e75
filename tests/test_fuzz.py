"""Fuzzing every reader (issues 17 and 11): mutated bytes of a small valid file of each kind either read or raise the
tool's InputError — never another exception, never a hang. The seeds are the corpus in tests/data/fuzz; a
failing input Hypothesis finds is printed with its blob (settings ``print_blob``): add it there as
``regress-NNN.<kind>`` with the fix, and ``test_regressions_stay_fixed`` keeps it."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CORPUS = Path(__file__).resolve().parent / "data" / "fuzz"
KINDS = ("xlsx", "docx", "xls", "txt", "pdf", "html")
BUDGET = settings(max_examples=120, deadline=10_000, suppress_health_check=[HealthCheck.too_slow,
                  HealthCheck.function_scoped_fixture])  # fmt: skip


def _read(tmp: Path, kind: str, data: bytes) -> None:
    from checker.errors import InputError
    from checker.readers import read

    path = tmp / f"fuzz.{kind}"
    path.write_bytes(data)
    with contextlib.suppress(InputError):  # the one exception a reader may raise
        read(path)


@st.composite
def mutated(draw: st.DrawFn, kind: str) -> bytes:
    data = bytearray((CORPUS / f"seed.{kind}").read_bytes())
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "cut", "splice", "insert"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif op == "splice":
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
        else:
            data[at:at] = draw(
                st.sampled_from([b"<!DOCTYPE x>", b"\x00", b"\xff\xfe", b"<c><v>1</v></c>" * 8, b"\t" * 16])
            )
    return bytes(data)


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_reader_survives_mutated_bytes(tmp_path: Path, kind: str) -> None:
    @BUDGET
    @given(data=mutated(kind))
    def run(data: bytes) -> None:
        _read(tmp_path, kind, data)

    run()


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_reader_survives_arbitrary_bytes(tmp_path: Path, kind: str) -> None:
    @BUDGET
    @given(data=st.binary(min_size=1, max_size=4096))
    def run(data: bytes) -> None:
        _read(tmp_path, kind, data)

    run()


def test_corpus_seeds_read(tmp_path: Path) -> None:
    from checker.readers import read

    for kind in KINDS:
        assert read(CORPUS / f"seed.{kind}").tables, kind


@pytest.mark.parametrize("path", sorted(CORPUS.glob("regress-*")), ids=lambda p: p.name)
def test_regressions_stay_fixed(tmp_path: Path, path: Path) -> None:
    _read(tmp_path, path.suffix.lstrip("."), path.read_bytes())

"""Mutants of a real-shaped workbook through the library API: each one parses or raises InputError —
no other exception type escapes (docs/reliability.md R1). Seeded, so a failure reproduces."""

from __future__ import annotations

import io
import os
import random
import re
import time
import zipfile
from pathlib import Path

import pytest

from checker.api import check_path
from checker.errors import InputError
from checker.rules.engine import Engine

ENGINE = Engine()  # compiled once: the mutants test the readers, not pack loading
BYTE_MUTANTS = int(os.environ.get("JIXIAO_BYTE_MUTANTS", "2000"))
XML_MUTANTS = int(os.environ.get("JIXIAO_XML_MUTANTS", "1000"))
_TWEAKS = [
    (rb't="s"', [b't="n"', b't="e"', b't="str"', b't="b"', b't="d"', b't="inlineStr"']),
    (rb"<v>[^<]*</v>", [b"<v>NaN</v>", b"<v>1e999</v>", b"<v>-0</v>", b"<v>99999999</v>", b"<v></v>", b"<v>x</v>"]),
    (rb'r="[A-Z]+[0-9]+"', [b'r="ZZZZ1"', b'r="A0"', b'r="XFD1048576"', b'r=""', b'r="1A"']),
    (rb'ref="[A-Z0-9:]+"', [b'ref="A1:A0"', b'ref="Z9:A1"', b'ref="A1:XFD1048576"', b'ref=""']),
    (rb'numFmtId="[0-9]+"', [b'numFmtId="9999"', b'numFmtId="-1"', b'numFmtId="14"', b'numFmtId="10"']),
    (rb'formatCode="[^"]*"', [b'formatCode="0%"', b'formatCode=""', b'formatCode="yyyy-mm-dd"']),
    (rb'sheetId="[0-9]+"', [b'sheetId="0"', b'sheetId="-5"', b'sheetId="a"']),
    (rb'count="[0-9]+"', [b'count="0"', b'count="-1"', b'count="4000000000"']),
]


@pytest.fixture(scope="module")
def small_workbook(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from checker.api import parse_path
    from examples.make_examples import write_form_xlsx
    from tests.conftest import SEED

    path = tmp_path_factory.mktemp("mut") / "one.xlsx"
    write_form_xlsx(list(parse_path(SEED).sheets[:1]), path)
    return path.read_bytes()


def _check(data: bytes, tmp: Path, label: str) -> bool:
    """Check one mutant; True when it was read, False when it was rejected with one clear line."""
    path = tmp / "m.xlsx"
    path.write_bytes(data)
    start = time.perf_counter()
    read = True
    try:
        check_path(path, engine=ENGINE)
    except InputError:
        read = False
    except Exception as exc:  # the test's whole point: nothing else may escape
        keep = tmp / f"escaped-{label}.xlsx"
        keep.write_bytes(data)
        pytest.fail(f"{label}: {type(exc).__name__}: {exc} (mutant saved to {keep})")
    elapsed = time.perf_counter() - start
    if elapsed > 2.0:  # a mutant that takes this long is a denial of service, not a slow machine
        keep = tmp / f"slow-{label}.xlsx"
        keep.write_bytes(data)
        pytest.fail(f"{label}: took {elapsed:.1f}s (mutant saved to {keep})")
    return read


@pytest.mark.slow
def test_byte_level_mutants(small_workbook: bytes, tmp_path: Path) -> None:
    rng = random.Random(20261126)
    # The unmutated workbook reads: a reader that rejected everything would pass the loop below.
    assert _check(small_workbook, tmp_path, "original")
    outcomes = []
    for n in range(BYTE_MUTANTS):
        data = bytearray(small_workbook)
        for _ in range(rng.randint(1, 8)):
            op = rng.random()
            pos = rng.randrange(len(data))
            if op < 0.6:
                data[pos] = rng.randrange(256)
            elif op < 0.8:
                del data[pos : pos + rng.randint(1, 64)]
            else:
                data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        outcomes.append(_check(bytes(data), tmp_path, f"byte-{n}"))
    assert not all(outcomes), "no byte mutant was rejected: the mutation did nothing"


@pytest.mark.slow
def test_xml_level_mutants(small_workbook: bytes, tmp_path: Path) -> None:
    rng = random.Random(7)
    with zipfile.ZipFile(io.BytesIO(small_workbook)) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    xml_names = sorted(n for n in members if n.endswith((".xml", ".rels")))
    outcomes = []
    for n in range(XML_MUTANTS):
        mutated = dict(members)
        name = rng.choice(xml_names)
        body = bytearray(mutated[name])
        op = rng.randrange(5)
        if op == 0 and body:  # delete a slice
            a = rng.randrange(len(body))
            del body[a : a + rng.randint(1, 200)]
        elif op == 1 and body:  # duplicate a slice
            a = rng.randrange(len(body))
            body[a:a] = body[a : a + rng.randint(1, 400)]
        elif op == 2:  # a semantic tweak where the pattern occurs
            pattern, choices = rng.choice(_TWEAKS)
            matches = list(re.finditer(pattern, bytes(body)))
            if matches:
                m = rng.choice(matches)
                body[m.start() : m.end()] = rng.choice(choices)
        elif op == 3:  # truncate
            del body[rng.randrange(len(body) + 1) :]
        else:  # drop the member altogether
            mutated.pop(name)
            body = bytearray()
        if body or op != 4:
            mutated[name] = bytes(body)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for member, data in mutated.items():
                out.writestr(member, data)
        outcomes.append(_check(buf.getvalue(), tmp_path, f"xml-{n}-{name.replace('/', '_')}"))
    # Both outcomes occur: damaged parts are rejected with one line, harmless tweaks are read — a reader
    # that refused every workbook (or accepted every broken one) would not show both.
    assert any(outcomes) and not all(outcomes), (sum(outcomes), len(outcomes))

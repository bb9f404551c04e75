"""Run-level rules (target ``run``, issue 12 part 3): facts over every sheet of a run, evaluated once all
files are checked — a project submitted twice, boilerplate effects across a unit's projects."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from checker.cli import app
from tests.conftest import ROOT, SEED


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_submitted_twice_is_reported_on_every_project(tmp_path: Path, jobs: str) -> None:
    copy = tmp_path / "副本.txt"
    # Re-saved (not byte-identical: an identical copy is checked once, see test_an_identical_copy_is_checked_once)
    copy.write_text(SEED.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["check", str(SEED), str(copy), "--format", "json", "--exit-zero", "--jobs", jobs])
    doc = json.loads(out.stdout)
    per_file = [[f for s in file["sheets"] for f in s["findings"] if f["code"] == "STR014"] for file in doc["files"]]
    assert [len(found) for found in per_file] == [4, 4]  # the seed's four projects, in both files
    assert "副本.txt" in per_file[0][0]["message"]
    total = sum(len(s["findings"]) for f in doc["files"] for s in f["sheets"])
    assert total == sum(doc["summary"][k] for k in ("error", "warning", "note"))


def test_an_identical_copy_is_checked_once(tmp_path: Path) -> None:
    copy = tmp_path / "副本.txt"
    shutil.copy(SEED, copy)
    out = CliRunner().invoke(app, ["check", str(SEED), str(copy), "--format", "json", "--exit-zero", "--jobs", "1"])
    doc = json.loads(out.stdout)
    assert [f["source"] for f in doc["files"]] == [str(SEED)]  # its findings once, under the first name
    assert f"{copy} 与 {SEED} 内容相同" in out.stderr
    # and the report itself says so, for a machine reading only the JSON
    assert doc["duplicates"] == [{"source": str(copy), "same_as": str(SEED)}]
    jsonschema.validate(doc, json.loads((ROOT / "checker" / "schemas" / "report.schema.json").read_text("utf-8")))


def test_one_file_alone_raises_no_run_finding() -> None:
    out = CliRunner().invoke(app, ["check", str(SEED), "--format", "json", "--exit-zero", "--jobs", "1"])
    codes = {f["code"] for file in json.loads(out.stdout)["files"] for s in file["sheets"] for f in s["findings"]}
    assert not codes & {"STR014", "IND011"}


def test_run_findings_obey_per_path_ignores(tmp_path: Path) -> None:
    copy = tmp_path / "副本.txt"
    shutil.copy(SEED, copy)
    (tmp_path / "jixiao.toml").write_text('[per-path-ignores]\n"*副本.txt" = ["STR014"]\n', encoding="utf-8")
    out = CliRunner().invoke(app, ["check", str(SEED), str(copy), "--format", "json", "--exit-zero", "--jobs", "1",
                                   "--config", str(tmp_path / "jixiao.toml")])  # fmt: skip
    doc = json.loads(out.stdout)
    counts = [sum(f["code"] == "STR014" for s in file["sheets"] for f in s["findings"]) for file in doc["files"]]
    assert counts == [4, 0]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(min_size=16, max_size=16), max_size=300), st.integers(1, 5))
def test_the_sketch_never_undercounts(keys: list[bytes], n: int) -> None:
    """A key seen n times is always reported as seen at least n times (so no recurring key is missed);
    many keys in a small sketch only make it keep more."""
    from collections import Counter

    from checker.rules.runkeys import Sketch

    sketch = Sketch(1)  # the smallest: 4,096 counters for up to 300 keys
    for key in keys:
        sketch.add(key)
    for key, count in Counter(keys).items():
        assert sketch.at_least(key, count)
        assert sketch.at_least(key, min(n, count))


def test_run_checks_find_the_same_with_a_sketch_that_keeps_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sketch of two counters says every key may recur: the checks then count every key exactly, and must
    find what they find with the full sketch — the sketch only saves memory, it never decides."""
    from bench.gen_sheets import document
    from checker import batch
    from checker.config import Config
    from checker.rules import runkeys

    text = document(1, seed=7)
    head, body = text.split("（1）", 1)
    (tmp_path / "unit.txt").write_text(head + "\n".join(f"（{i}）" + body.replace("示例项目1", f"示例项目{c}")
                                                        for i, c in enumerate("ABC", 1)), encoding="utf-8")  # fmt: skip
    (tmp_path / "again.txt").write_text(SEED.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    shutil.copy(SEED, tmp_path / "seed.txt")
    for i in range(6):
        (tmp_path / f"g{i}.txt").write_text(document(2, seed=i), encoding="utf-8")

    def found() -> list[tuple[str, str, str]]:
        outcomes = batch.with_run_findings(
            list(batch.iter_outcomes(batch.collect([str(tmp_path)]), Config())), Config()
        )
        return [(o.path, f.code, f.message) for o in outcomes if o.report for f in o.report.findings
                if f.code in ("IND011", "STR014")]  # fmt: skip

    full = found()
    monkeypatch.setattr(runkeys.Sketch, "_MAX_BITS", 1)
    assert {code for _, code, _ in full} == {"IND011", "STR014"}
    assert found() == full


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.binary(min_size=16, max_size=16), st.integers(-(2**63), 2**63 - 1)), max_size=60),
       st.integers(1, 200))  # fmt: skip
def test_run_check_records_come_back_in_order_from_memory_or_disk(
    records: list[tuple[bytes, int]], buffer: int
) -> None:
    """What a run check keeps of every sheet comes back as it was added, in order, whether it stayed in
    memory or was written to disk part-way (a small buffer spills after a few records), and as often as
    it is read."""
    from unittest import mock

    from checker.rules.runkeys import Records

    with mock.patch.object(Records, "_BUFFER", buffer):
        kept = Records("16sq")
        try:
            for key, index in records:
                kept.add(key, index)
            assert list(kept) == records
            assert list(kept) == records
            assert (kept._file is not None) == (len(records) * 24 >= buffer)
        finally:
            kept.close()


def test_a_run_key_depends_on_the_texts_not_on_which_objects_hold_them() -> None:
    # Two sheets' equal names are equal strings, not the same object; a key that told them apart would
    # miss every duplicate. Where the texts split differently, the keys differ.
    from checker.rules.checks import _digest

    a, b = "示例项目", "".join(["示例", "项目"])
    assert a is not b
    assert _digest(a, a, ("≥98%", a)) == _digest(a, b, ("≥98%", b))
    assert _digest("ab", "c") != _digest("a", "bc") and _digest(None, "x") != _digest("x", None)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([hashlib.blake2b(bytes([k]), digest_size=16).digest() for k in range(12)]),
                max_size=80), st.integers(1, 4))  # fmt: skip
def test_recurring_keeps_every_record_of_a_key_seen_often_enough_in_order(keys: list[bytes], times: int) -> None:
    """Records come back in their order; each one whose key occurs ``times`` times or more is among them
    (the sketch may let others through: the checks count those exactly)."""
    from collections import Counter

    from checker.rules.runkeys import Records, recurring

    records = Records("16sq")
    try:
        for i, key in enumerate(keys):
            records.add(key, i)
        kept = list(recurring(records, 1, times))
        counts = Counter(keys)
        assert [r for r in kept if counts[r[0]] >= times] == [(k, i) for i, k in enumerate(keys) if counts[k] >= times]
        assert all(keys[i] == k for k, i in kept)  # each one a record that was added
        assert [i for _, i in kept] == sorted(i for _, i in kept)
    finally:
        records.close()

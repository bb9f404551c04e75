"""`jixiao check` streamed (checker.stream): the same bytes as the whole-run renderers, in flat memory."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example as hypothesis_example
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.gen_sheets import document
from checker.api import run_check, stream_check
from checker.report import RenderOptions, render_run
from checker.results import FileOutcome
from tests.conftest import ROOT

EXAMPLES = [str(p) for p in sorted((ROOT / "examples").glob("*.*")) if p.suffix in (".txt", ".xlsx", ".docx")]


@pytest.fixture(scope="module")
def batch_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated sheets (with a project that recurs, so run-level rules add findings to earlier files),
    the examples, and a rejected file."""
    folder = tmp_path_factory.mktemp("stream")
    for i in range(12):
        (folder / f"g{i:02d}.txt").write_text(document(1 + i % 2, seed=i), encoding="utf-8")
    (folder / "g99-again.txt").write_text(document(1, seed=3), encoding="utf-8")
    (folder / "g98-boilerplate.txt").write_text(_boilerplate(), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    for example in EXAMPLES:
        (folder / Path(example).name).write_bytes(Path(example).read_bytes())
    return folder


def _boilerplate() -> str:
    """One unit's three projects with the same effect indicators (IND011 on each of their effect rows)."""
    text = document(1, seed=7)
    head, body = text.split("（1）", 1)
    return head + "\n".join(f"（{i}）" + body.replace("示例项目1", f"示例项目{c}") for i, c in enumerate("ABC", 1))


@pytest.fixture(scope="module")
def side_files(tmp_path_factory: pytest.TempPathFactory, batch_dir: Path) -> tuple[Path, Path]:
    """Suppressions (one used, one not) and a baseline holding every other finding plus one that is gone."""
    folder = tmp_path_factory.mktemp("side")
    sup = folder / "s.toml"
    sup.write_text('[[suppress]]\ncode = "SAT002"\nreason = "ok"\n[[suppress]]\ncode = "NONE001"\nreason = "x"\n',
                   encoding="utf-8")  # fmt: skip
    result, _ = run_check([str(batch_dir)])
    fps = [f.fingerprint for f in result.findings()][::2]
    entries = {fp: {"code": "X", "project": "p", "indicator": None, "count": 1} for fp in fps}
    entries["0" * 16] = {"code": "GONE1", "project": "p", "indicator": None, "count": 2}
    base = folder / "b.json"
    base.write_text(json.dumps({"schema_version": "1", "tool": "jixiao", "findings": entries}), encoding="utf-8")
    return sup, base


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
@pytest.mark.parametrize("extra", ["plain", "marks", "en"])
def test_streamed_output_equals_the_whole_run_rendered(
    fmt: str, extra: str, batch_dir: Path, side_files: tuple[Path, Path]
) -> None:
    sup, base = side_files
    kwargs: dict[str, object] = {}
    if extra == "marks":
        kwargs = {"suppressions": sup, "baseline": base, "fail_on": "warning"}
    elif extra == "en":
        kwargs = {"lang": "en", "fail_on": "note"}
    whole, config = run_check([str(batch_dir)], output_format=fmt, **kwargs)  # type: ignore[arg-type]
    options = RenderOptions(opinions=extra == "en", statistics=extra == "marks")
    expected = render_run(whole, fmt, replace(options, fail_on=config.fail_on))
    out = io.StringIO()
    streamed, _ = stream_check([str(batch_dir)], output_format=fmt, stdout=out, options=options,
                               **kwargs)  # type: ignore[arg-type]  # fmt: skip
    assert out.getvalue() == expected
    assert streamed.summary == whole.summary()
    assert streamed.unused_suppressions == whole.unused_suppressions
    assert streamed.stale_baseline == whole.stale_baseline
    if extra == "plain":  # the run-level rules did add findings to files checked earlier
        assert {"STR014", "IND011"} <= {f.code for f in whole.findings()}


@pytest.mark.parametrize("encoding", ["utf-8", "UTF8", "gb18030"])
def test_a_json_run_passes_its_entries_as_bytes_only_to_a_utf8_stream(
    encoding: str, batch_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The spooled entries go to the stream's bytes as they are, when the stream would write those bytes;
    # the document is the same either way (a GB18030 stream gets text, as before).
    from checker.report import spool

    raw: list[bool] = []
    replay = spool.TextSpool.replay

    def counted(
        self: spool.TextSpool, write: Callable[[str], object], utf8: Callable[[bytes], object] | None = None
    ) -> None:
        raw.append(utf8 is not None)
        replay(self, write, utf8)

    monkeypatch.setattr(spool.TextSpool, "replay", counted)
    text = io.StringIO()
    stream_check([str(batch_dir)], output_format="json", stdout=text)
    assert raw == [False]  # a StringIO has no bytes under it
    raw.clear()
    data = io.BytesIO()
    out = io.TextIOWrapper(data, encoding=encoding, newline="")
    out.write("before\n")  # text the stream holds already goes first
    stream_check([str(batch_dir)], output_format="json", stdout=out)
    out.flush()
    assert raw == [encoding != "gb18030"]
    assert data.getvalue().decode(encoding) == "before\n" + text.getvalue()


def test_a_file_no_worker_could_check_gets_its_entry_in_the_parent(
    batch_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file that exhausts its worker comes back without an entry: the parent makes it, in its place.
    from checker import batch

    light = batch.check_one_light

    def exhausting(path: str, *args: Any, **kwargs: Any) -> FileOutcome:
        if path.endswith("g05.txt"):
            raise MemoryError
        return light(path, *args, **kwargs)

    monkeypatch.setattr(batch, "check_one_light", exhausting)
    out = io.StringIO()
    stream_check([str(batch_dir)], output_format="json", stdout=out)
    files = json.loads(out.getvalue())["files"]
    exhausted = [f for f in files if f["source"].endswith("g05.txt")]
    assert len(exhausted) == 1 and "内存不足" in exhausted[0]["error"] and exhausted[0]["sheets"] == []
    assert [f["source"] for f in files] == sorted((f["source"] for f in files), key=batch._path_order)


def test_files_nothing_changes_go_out_as_their_workers_wrote_them(
    batch_dir: Path, side_files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a run without suppressions or baseline, every file's entry goes to the writer as its worker wrote
    it, as the file comes (``JsonWriter.entry``), counted by the worker's Tally; once the run-level rules
    are judged, only the files they changed are unpickled and their entries rewritten, in one copy."""
    from checker import stream
    from checker.report.json_report import JsonWriter
    from checker.rules.engine import Engine

    direct: list[str] = []
    sizes: list[int] = []
    rewritten: list[tuple[int, str | None]] = []
    unpacked: list[str] = []
    filed: list[str] = []
    entry, file, rewrite, with_added = JsonWriter.entry, JsonWriter.file, JsonWriter.rewrite, stream._with_added

    def given(w: JsonWriter, text: bytes) -> None:
        direct.append(json.loads(text)["source"])
        sizes.append(len(text))
        entry(w, text)

    def again(w: JsonWriter, entries: Any) -> None:
        listed = list(entries)
        rewritten.extend((size, None if new is None else json.loads(new)["source"]) for size, new in listed)
        rewrite(w, listed)

    monkeypatch.setattr(JsonWriter, "entry", given)
    monkeypatch.setattr(JsonWriter, "rewrite", again)
    monkeypatch.setattr(JsonWriter, "file", lambda w, o: (filed.append(o.path), file(w, o)))
    monkeypatch.setattr(stream, "_with_added", lambda o, added: (unpacked.append(o.path), with_added(o, added))[1])
    whole, _ = run_check([str(batch_dir)])
    out = io.StringIO()
    streamed, _ = stream_check([str(batch_dir)], output_format="json", stdout=out)
    run_codes = {c.rule.code for c in Engine().rules_for("fw2015")[0] if c.rule.target == "run"}
    changed = [o.path for o in whole.outcomes if o.report and {f.code for f in o.report.findings} & run_codes]
    assert changed and unpacked == changed and filed == []
    assert direct == [o.path for o in whole.outcomes]
    # Every entry once more, by the size it was given with; new text only for the changed files.
    assert [size for size, _ in rewritten] == sizes
    assert [path for _, path in rewritten if path is not None] == changed
    assert streamed.summary == whole.summary()  # the workers' counts and the gained findings add up
    assert out.getvalue() == render_run(whole, "json")
    direct.clear()
    filed.clear()
    sup, base = side_files
    stream_check([str(batch_dir)], output_format="json", stdout=io.StringIO(), suppressions=sup, baseline=base)
    assert direct == [] and filed == [o.path for o in whole.outcomes]  # marks may change any file


def test_the_facts_spool_reads_back_each_entry_however_it_is_asked() -> None:
    import pickle

    from checker import stream
    from checker.findings import RunFacts, RunRow
    from checker.model import Location
    from checker.rules.registry import RunEntry

    entries = [
        (f"f{i}.xlsx", RunFacts(f"项目{i}", "单位", tuple(RunRow.of(f"指标{k}", "≥98%" * (i % 7) * 20, f"产出/数量/{k}",
                                                                  Location(f"f{i}.xlsx", "Sheet1", f"B{k}"))
                                                       for k in range(i % 4)), (("名称", "值"),) * (i % 3)))
        for i in range(60)
    ]  # fmt: skip
    spool = stream._FactsSpool()
    try:
        for entry in entries:
            spool.add(pickle.dumps(entry, pickle.HIGHEST_PROTOCOL))
        assert len(spool) == len(entries)
        # Indexing other entries while iterating (as the run-level checks do) changes nothing read.
        seen = []
        for i, got in enumerate(spool):
            assert spool[len(entries) - 1 - i] == RunEntry(*entries[len(entries) - 1 - i])
            seen.append(got)
        assert seen == [RunEntry(*e) for e in entries] == list(spool) == spool[:]
        assert spool[3] == RunEntry(*entries[3])  # the file's position is now inside it, not at its end
        spool.add(pickle.dumps(entries[0], pickle.HIGHEST_PROTOCOL))  # added after reading: read as well
        assert spool[-1] == RunEntry(*entries[0]) and spool[:-1] == [RunEntry(*e) for e in entries]
    finally:
        spool.close()


# Any code point, lone surrogates too (hypothesis's default text leaves them out).
_ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=40)


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(st.tuples(st.booleans(), _ANY_TEXT), max_size=30), chunk=st.integers(1, 9))
@hypothesis_example(parts=[(False, "广\udcb9东"), (True, "\udcb9\u2028")], chunk=1)
def test_a_text_spool_gives_back_what_was_written_as_text_or_utf8(parts: list[tuple[bool, str]], chunk: int) -> None:
    # Workers' JSON entries go in as UTF-8 bytes, everything else as text; read back in chunks that may end
    # inside a character. Any str comes back as it went in, a file name's lone surrogates included.
    from unittest import mock

    from checker.report import spool as spool_module

    spool = spool_module.TextSpool()
    for as_bytes, text in parts:
        if as_bytes:
            spool.write_utf8(text.encode("utf-8", "surrogatepass"))
        else:
            spool.write(text)
    got: list[str] = []
    with mock.patch.object(spool_module, "_CHUNK", chunk):
        spool.replay(got.append)
    assert "".join(got) == "".join(text for _, text in parts)
    assert spool.empty == (not "".join(text for _, text in parts))


@settings(max_examples=200, deadline=None)
@given(entries=st.lists(st.tuples(_ANY_TEXT, st.none() | _ANY_TEXT), max_size=12))
def test_a_rewritten_json_document_equals_one_written_with_the_final_entries(
    entries: list[tuple[str, str | None]],
) -> None:
    # The entries a run gave as files came, then the run-level rules changed some: the document is the one
    # the final entries would have made, whatever the entries' characters and sizes.
    from checker.report.json_report import JsonWriter
    from checker.results import Tally

    def document(given: list[bytes], changed: list[bytes | None] | None) -> str:
        out = io.StringIO()
        writer = JsonWriter(out.write)
        for data in given:
            writer.entry(data)
        if changed is not None:
            writer.rewrite((len(data), new) for data, new in zip(given, changed, strict=True))
        writer.end(Tally().tail((), (), ()))
        writer.close()
        return out.getvalue()

    first = [old.encode("utf-8", "surrogatepass") for old, _ in entries]
    news = [None if new is None else new.encode("utf-8", "surrogatepass") for _, new in entries]
    final = [old if new is None else new for old, new in zip(first, news, strict=True)]
    assert document(first, news) == document(final, None)


def test_tallies_made_apart_add_up_to_one_tally(batch_dir: Path) -> None:
    from checker.results import Tally

    whole, _ = run_check([str(batch_dir)])
    merged = Tally()
    for outcome in whole.outcomes:
        part = Tally()
        part.add(outcome)
        merged.merge(part)
    merged.merge(Tally())  # a Tally of nothing adds nothing
    one = whole.tally()
    assert (merged.summary(), merged.coverage, merged.ranks) == (one.summary(), one.coverage, one.ranks)
    assert one.ranks and one.summary()["rejected"] and one.summary()["sheets"]


def test_streamed_baseline_equals_the_whole_run_baseline(batch_dir: Path, tmp_path: Path) -> None:
    from checker.baseline import baseline_json
    from checker.batch import reports

    whole, _ = run_check([str(batch_dir)])
    target = tmp_path / "baseline.json"
    stream_check([str(batch_dir)], output_format="json", stdout=io.StringIO(), write_baseline=target)
    assert target.read_text(encoding="utf-8") == baseline_json(reports(list(whole.outcomes)))


def test_output_file_is_whole_or_absent(batch_dir: Path, tmp_path: Path) -> None:
    """-o is written atomically: a run that fails part-way (a broken pack)
    leaves the previous file as it was and no temporary file beside it (the pack is compiled once the
    output is open)."""
    target = tmp_path / "out.json"
    target.write_text("previous", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: x\nrules: [{code: 1}]\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "checker", "check", str(batch_dir), "-f", "json", "-o", str(target),
                           "--pack-file", str(bad)], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert target.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "out.json"]


def test_output_that_is_an_input_is_refused_before_any_work(batch_dir: Path) -> None:
    victim = batch_dir / "g00.txt"
    before = victim.read_bytes()
    done = subprocess.run([sys.executable, "-m", "checker", "check", str(batch_dir), "-o", str(victim)],
                          capture_output=True, text=True, timeout=120, env={**os.environ})  # fmt: skip
    assert done.returncode == 3 and "输出文件就是输入文件之一" in done.stderr
    assert victim.read_bytes() == before


# -- flat memory ---------------------------------------------------------------------------------------------


def _checked(folder: Path) -> list[FileOutcome]:
    """Twenty generated sheets checked once; the memory measure replays them under new names."""
    from checker import batch
    from checker.config import Config

    for i in range(20):
        (folder / f"m{i:02d}.txt").write_text(document(1, seed=100 + i), encoding="utf-8")
    return list(batch.iter_outcomes(batch.collect([str(folder)]), Config()))


def _replayed(base: list[FileOutcome], n: int) -> Iterator[FileOutcome]:
    """``n`` outcomes made from ``base``, each under a name and a project of its own (so the run-level rules
    see ``n`` different projects, as in a real run), made as they are asked for."""
    for i in range(n):
        o = base[i % len(base)]
        assert o.report is not None
        sheets = tuple(
            replace(s, run_facts=replace(s.run_facts, project=f"{s.run_facts.project}-{i}"))
            if s.run_facts is not None
            else s
            for s in o.report.sheets
        )
        yield replace(o, path=f"batch/{i:05d}/{o.path}", report=replace(o.report, sheets=sheets))


def _peak(work: Callable[[], object]) -> int:
    import gc
    import tracemalloc

    gc.collect()
    # As in a fresh `jixiao check` process: the objects every earlier test left behind are set aside, or
    # the collector, which scans the oldest generation only when it has grown by a quarter, would let a
    # whole suite's worth of cyclic garbage pile up during the run and be counted as the run's.
    gc.freeze()
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        gc.unfreeze()


def _streamed(fmt: str, outcomes: Callable[[], Iterator[FileOutcome]]) -> Callable[[], object]:
    """The streamed check (checker.stream) over ``outcomes``, its output counted and dropped."""
    from checker import stream
    from checker.batch import Inputs, pack
    from checker.config import Config
    from checker.report import FORMATS, RenderOptions

    def work() -> object:
        sink = _Sink()
        writer = FORMATS[fmt].writer(sink.write, "zh", "auto", RenderOptions())
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(stream, "iter_packed", lambda *_a, **_k: map(pack, outcomes()))  # as workers pack them
            return stream.stream_check(Inputs(()), Config(), writer, stream.Marks())

    return work


def _whole(fmt: str, outcomes: Callable[[], Iterator[FileOutcome]]) -> Callable[[], object]:
    """The same run held whole and rendered in one piece (what `check` did before it streamed)."""
    from checker.batch import with_run_findings
    from checker.config import Config
    from checker.report import render_run
    from checker.results import RunResult

    def work() -> object:
        return _Sink().write(render_run(RunResult(tuple(with_run_findings(list(outcomes()), Config()))), fmt))

    return work


class _Sink:
    def __init__(self) -> None:
        self.size = 0

    def write(self, text: str) -> int:
        self.size += len(text)
        return len(text)


FORMATS = ("json", "sarif", "text", "github", "junit")
SIZES = (100, 1_000)


def measure_memory(formats: tuple[str, ...] = FORMATS) -> dict[str, dict[str, list[int]]]:
    """Peak Python memory (tracemalloc) of a streamed run of 100 and of 1,000 files in each format, after a
    run of 20 that warms the caches every run fills once (the first run measured used to carry them, which
    loosened its own bound by several MB); and, as the control, the same outcomes held and rendered whole
    (as before streaming) in json."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="jixiao-memory-") as folder:
        checked = _checked(Path(folder))
    out: dict[str, dict[str, list[int]]] = {}
    for fmt in formats:
        _peak(_streamed(fmt, lambda: _replayed(checked, 20)))
        out[fmt] = {"streamed": [_peak(_streamed(fmt, lambda n=n: _replayed(checked, n))) for n in SIZES]}  # type: ignore[misc]
    out.setdefault("json", {})["whole"] = [_peak(_whole("json", lambda n=n: _replayed(checked, n))) for n in SIZES]  # type: ignore[misc]
    return out


@pytest.fixture(scope="module")
def memory() -> dict[str, dict[str, list[int]]]:
    """Every format measured in one process of its own, as a `jixiao check` runs: in the suite's process,
    caches and garbage the earlier tests left behind were counted as the run's (a flaky 6 MB against
    1.3 MB)."""
    done = subprocess.run([sys.executable, "-m", "tests.test_stream"], cwd=ROOT, capture_output=True, text=True,
                          timeout=900, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_memory_does_not_grow_with_the_number_of_files(fmt: str, memory: dict[str, dict[str, list[int]]]) -> None:
    """A streamed run of 1,000 files peaks within 1.5x of a run of 100 plus 2 MiB: a leak of ~3 KB a file
    fails it. The slack is for the interpreter's own tables: pathlib interns every part of a path, and the
    table of interned strings, rebuilt now and then as unique file names come and go, is a ~1.9 MB block
    counted at that moment (seen in SARIF's 1,000-file run). The same outcomes held and rendered whole grow
    several times over, so the measure can tell the two apart."""
    streamed = memory[fmt]["streamed"]
    assert streamed[1] <= 1.5 * streamed[0] + 2 * 2**20, streamed
    whole = memory["json"]["whole"]  # the control: the whole-run way does grow with the files
    assert whole[1] > 4 * whole[0], whole
    assert whole[1] > 3 * memory["json"]["streamed"][1], (whole, memory["json"]["streamed"])


# -- streamed documents stay valid -----------------------------------------------------------------------------


def _valid(fmt: str, text: str) -> dict[str, object]:
    from jsonschema import Draft7Validator, Draft202012Validator

    doc = json.loads(text)
    if fmt == "json":
        schema = json.loads((ROOT / "checker" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
        errors = list(Draft202012Validator(schema).iter_errors(doc))
    else:
        schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
        errors = list(Draft7Validator(schema).iter_errors(doc))
    assert not errors, errors[0]
    return doc  # type: ignore[no-any-return]


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_streamed_document_with_no_file_is_valid(fmt: str) -> None:
    from checker import stream
    from checker.batch import Inputs
    from checker.config import Config
    from checker.report import FORMATS, RenderOptions

    out = io.StringIO()
    writer = FORMATS[fmt].writer(out.write, "zh", "auto", RenderOptions())
    done = stream.stream_check(Inputs(()), Config(), writer, stream.Marks())
    doc = _valid(fmt, out.getvalue())
    assert done.summary["files"] == 0
    if fmt == "json":
        assert doc["files"] == [] and "duplicates" not in doc
    else:
        run = doc["runs"][0]  # type: ignore[index]
        assert run["results"] == [] and run["artifacts"] == []


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_streamed_document_with_copies_and_run_findings_is_valid(fmt: str, batch_dir: Path, tmp_path: Path) -> None:
    """Byte-identical copies (left out, named in the JSON), run-level findings added to files written
    earlier, a rejected file, suppressions: the document streamed to -o still validates."""
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "g01-again.txt").write_bytes((batch_dir / "g01.txt").read_bytes())
    target = tmp_path / f"out.{fmt}"
    result, _ = stream_check([str(batch_dir), str(copy)], output_format=fmt, output=target)
    doc = _valid(fmt, target.read_text(encoding="utf-8"))
    assert result.duplicates == ((str(copy / "g01-again.txt"), str(batch_dir / "g01.txt")),)
    if fmt == "json":
        assert doc["duplicates"] == [{"source": str(copy / "g01-again.txt"), "same_as": str(batch_dir / "g01.txt")}]
        codes = {f["code"] for file in doc["files"] for s in file["sheets"] for f in s["findings"]}  # type: ignore[attr-defined]
        assert {"STR014", "IND011"} <= codes
        assert any(file["error"] for file in doc["files"])  # type: ignore[attr-defined]
    else:
        codes = {r["ruleId"] for r in doc["runs"][0]["results"]}  # type: ignore[index]
        assert {"STR014", "IND011"} <= codes


if __name__ == "__main__":  # the memory measure's own process (the ``memory`` fixture)
    print(json.dumps(measure_memory(tuple(sys.argv[1:]) or FORMATS)))

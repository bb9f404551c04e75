"""A ``check`` run in flat memory: files are checked in a pool, spooled to disk as they complete, and given
to the output's writer one by one in the stable order, whatever the number of files.

Two passes, because the run-level rules (target ``run``: a project twice, boilerplate effects) can add a
finding to any file only once every file is checked:

1. outcomes come from ``batch.iter_packed``, pickled where they were checked (``batch.Packed``), and are
   written as they are to an anonymous temporary file, each sheet's ``RunFacts`` (what the run-level rules
   read) to another; memory keeps their offsets. Each sheet's facts are also given to the run-level rules
   as they arrive (``RunPass.add``), while the pool is still checking the rest of the run;
2. the run-level findings are judged from what the rules kept, reading back only the sheets they name
   (``_FactsSpool``), and pickled to a third file as they are made (``_AddedSpool``), then the outcomes are
   read back: each file gets its run-level findings, suppressions and baseline marks
   (``Suppressor``, ``BaselineMarker`` keep their bookkeeping across files), and goes to the writer and
   the running counts; the tail (counts, coverage, what the marks left unused) goes last.

Outcomes are consumed from ``batch.iter_packed`` only: how they are produced (one process, the pool,
another executor) is the batch's business.
"""

from __future__ import annotations

import pickle
import tempfile
from array import array
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from checker.batch import Encoder, Inputs, Packed, iter_packed, run_findings, run_pass
from checker.frozen import frozen
from checker.lazyseq import LazySequence
from checker.results import FileOutcome, Tally

if TYPE_CHECKING:
    from checker.baseline import BaselineMarker, BaselineRecorder, StaleEntry
    from checker.config import Config
    from checker.findings import Finding
    from checker.results import RunWriter
    from checker.rules.engine import RunPass
    from checker.rules.registry import RunEntry
    from checker.suppress import Suppression, Suppressor


@frozen
class Marks:
    """The per-file bookkeeping of a run: suppressions, the baseline, and a baseline being recorded."""

    suppressor: Suppressor | None = None
    baseline: BaselineMarker | None = None
    recorder: BaselineRecorder | None = None


@frozen
class StreamedRun:
    """What is left of a streamed run once its output is written: enough for the exit code and the notes."""

    summary: dict[str, int]
    active_ranks: frozenset[int]  # severity ranks of the active findings
    unused_suppressions: tuple[Suppression, ...]
    stale_baseline: tuple[StaleEntry, ...]
    outcomes: tuple[FileOutcome, ...] = ()  # only when asked for (check --fix needs every report)
    duplicates: tuple[tuple[str, str], ...] = ()  # (copy, first): inputs left out as byte-identical copies


class _Spool:
    """The files' outcomes in an anonymous temporary file, in order: for each a small header (the worker's
    entry, or the size of the entry the writer has already, and the size of what follows) and the pickled
    outcome, which is unpickled only when the replay asks for it."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - held open across calls, closed by close()
        self._count = 0

    def add(self, packed: Packed, written: int | None = None) -> None:
        """``written``: the size of the entry the writer was given already (its counts are in the run's
        tally then too); the entry itself is then not kept here."""
        encoded = packed.encoded if written is None else None
        pickle.dump((len(packed.outcome), encoded, written), self._file, pickle.HIGHEST_PROTOCOL)
        self._file.write(packed.outcome)
        self._count += 1

    def replay(self) -> Iterator[tuple[int | None, Callable[[], FileOutcome]]]:
        """(the size of the entry written already, the outcome when called) for each file, in order; a file
        whose outcome is not asked for is skipped unread."""
        file = self._file
        file.seek(0)
        for _ in range(self._count):
            size, encoded, written = pickle.load(file)  # written by this run's workers, as the pool's results are
            start = file.tell()

            def outcome(start: int = start, encoded: bytes | None = encoded) -> FileOutcome:
                file.seek(start)
                got: FileOutcome = pickle.load(file)
                return got if encoded is None else replace(got, encoded=encoded.decode("utf-8", "surrogatepass"))

            yield written, outcome
            file.seek(start + size)

    def close(self) -> None:
        self._file.close()


class _FactsSpool(LazySequence["RunEntry"]):
    """The run's sheets as the run-level checks see them (``RunEntry``), kept on disk and read back when
    indexed: memory holds one offset per sheet, not its facts. The checks are given each sheet as it
    arrives (``RunPass.add``) and index the spool only for the few sheets a finding names. Every read names
    its own place (seek, then read); an entry added after a read goes at the end all the same."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - held open across calls, closed by close()
        self._offsets = array("q", [0])  # where each entry starts, and after the last, where the spool ends
        self._moved = False  # a read moved the file's position away from its end

    def add(self, pickled: bytes) -> None:
        """One sheet's entry: a pickled (source, RunFacts) pair, as ``batch.pack`` makes it."""
        if self._moved:
            self._file.seek(self._offsets[-1])
            self._moved = False
        self._file.write(pickled)
        self._offsets.append(self._offsets[-1] + len(pickled))

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def _read(self, start: int, stop: int) -> bytes:
        self._moved = True
        self._file.seek(start)  # a buffered file flushes what was written before it moves
        return self._file.read(stop - start)

    def item(self, index: int) -> RunEntry:
        return self.entry(self._read(self._offsets[index], self._offsets[index + 1]))

    @staticmethod
    def entry(pickled: bytes | memoryview) -> RunEntry:
        from checker.rules.registry import RunEntry

        return RunEntry(*pickle.loads(pickled))

    def close(self) -> None:
        self._file.close()


class _AddedSpool:
    """The run-level findings, pickled to disk as the checks make them (a run of boilerplate can give most
    sheets one), read back grouped by file in the run's order. Memory keeps three numbers a finding."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - held open across calls, closed by close()
        self._files, self._sheets, self._offsets = array("q"), array("q"), array("q")

    def add(self, file: int, sheet: int, finding: Finding) -> None:
        self._offsets.append(self._file.seek(0, 2))
        pickle.dump(finding, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._files.append(file)
        self._sheets.append(sheet)

    def by_file(self) -> Iterator[tuple[int, dict[int, list[Finding]]]]:
        """(file index, sheet index -> findings) in file order; a sheet's findings in the order they were
        made (the sort is stable), as ``batch.with_run_findings`` adds them."""
        order = sorted(range(len(self._files)), key=self._files.__getitem__)
        group: dict[int, list[Finding]] = {}
        for n, k in enumerate(order):
            self._file.seek(self._offsets[k])
            group.setdefault(self._sheets[k], []).append(pickle.load(self._file))  # our own file
            if n + 1 == len(order) or self._files[order[n + 1]] != self._files[k]:
                yield self._files[k], group
                group = {}

    def close(self) -> None:
        self._file.close()


def stream_check(
    inputs: Inputs,
    config: Config,
    writer: RunWriter,
    marks: Marks,
    *,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
    encode: Encoder | None = None,
    keep_outcomes: bool = False,
    duplicates: tuple[tuple[str, str], ...] = (),
) -> StreamedRun:
    """Check ``inputs`` and give each finished file to ``writer`` in order, then the tail (``duplicates``:
    the inputs left out as copies, for the documents that name them)."""
    from checker.results import EntryWriter

    spool, facts, added = _Spool(), _FactsSpool(), _AddedSpool()
    run: RunPass | None = None
    tally = Tally()
    # A file nothing in the parent changes goes to the writer as the worker wrote it, counted as the worker
    # counted it, as it comes, while the pool checks the rest: its findings are never unpickled (that was
    # most of the end's CPU), and the end copies no entry. The few files the run-level rules then change
    # have their entries rewritten, in one copy of the writer's spool.
    direct: tuple[EntryWriter, Encoder] | None = None
    if isinstance(writer, EntryWriter) and marks == Marks() and not keep_outcomes and encode is not None:
        direct = (writer, encode)
    try:
        where = array("q")  # for each entry of ``facts``: file index, sheet index
        for i, packed in enumerate(iter_packed(inputs, config, jobs, progress=progress, encode=encode)):
            if direct is not None:
                tally.merge(packed.counted)
                data = packed.encoded
                if data is None:  # a file no worker could check: its entry is made here
                    data = _entry(direct[1], pickle.loads(packed.outcome))  # this run's own pickle
                direct[0].entry(data)
                spool.add(packed, len(data))
            else:
                spool.add(packed)
            for sheet, pickled in zip(packed.sheets, packed.facts, strict=True):
                facts.add(pickled)
                where.extend((i, sheet))
                # Made once the batch has set up its engine; given each sheet now, while the pool checks
                # the rest: after the last file only the judging is left.
                run = run or run_pass(config)
                run.add(_FactsSpool.entry(pickled))
        if run is not None:
            for index, finding in run_findings(run, facts, config):
                added.add(where[2 * index], where[2 * index + 1], finding)
        facts.close()
        del where
        kept: list[FileOutcome] = []
        by_file = added.by_file()
        pending = next(by_file, None)
        if direct is not None:
            if pending is not None:  # some files gained run-level findings: their entries are made again
                direct[0].rewrite(_rewritten(spool, pending, by_file, direct[1], tally))
        else:
            for i, (_, outcome) in enumerate(spool.replay()):
                gained = None
                if pending is not None and pending[0] == i:
                    gained, pending = pending[1], next(by_file, None)
                final = mark(_with_added(outcome(), gained), marks)
                writer.file(final)
                tally.add(final)
                if keep_outcomes:
                    kept.append(final)
                if marks.recorder is not None and final.report is not None:
                    marks.recorder.add(final.report)
        unused = tuple(marks.suppressor.unused()) if marks.suppressor else ()
        stale = tuple(marks.baseline.stale()) if marks.baseline else ()
        writer.end(tally.tail(unused, stale, duplicates))
        return StreamedRun(tally.summary(), frozenset(tally.ranks), unused, stale, tuple(kept), duplicates)
    finally:
        if run is not None:
            run.close()
        spool.close()
        facts.close()
        added.close()
        writer.close()


def _entry(encode: Encoder, outcome: FileOutcome) -> bytes:
    """A file's entry made in the parent, in UTF-8 as the workers send theirs (``batch.pack``)."""
    return encode(outcome).encode("utf-8", "surrogatepass")


def _rewritten(
    spool: _Spool,
    pending: tuple[int, dict[int, list[Finding]]],
    by_file: Iterator[tuple[int, dict[int, list[Finding]]]],
    encode: Encoder,
    tally: Tally,
) -> Iterator[tuple[int, bytes | None]]:
    """For ``EntryWriter.rewrite``: each file's entry as written (its size), or made again with the run-level
    findings it gained (``pending`` the first such file, ``by_file`` the rest), which the tally then counts."""
    next_file: tuple[int, dict[int, list[Finding]]] | None = pending
    for i, (written, outcome) in enumerate(spool.replay()):
        if written is None:  # every file of a direct run was written as it came
            raise AssertionError("a file of a direct run without its entry")
        if next_file is None or next_file[0] != i:
            yield written, None
            continue
        gained, next_file = next_file[1], next(by_file, None)
        final = _with_added(outcome(), gained)
        # Its own findings are counted already; no marks in such a run, so what it gained is active.
        tally.count([f for found in gained.values() for f in found])
        yield written, _entry(encode, final)


def _with_added(outcome: FileOutcome, added: dict[int, list[Finding]] | None) -> FileOutcome:
    """The file with its run-level findings after each sheet's own (as ``batch.with_run_findings`` adds them);
    its worker-made JSON entry no longer holds."""
    if not added or outcome.report is None:
        return outcome
    sheets = tuple(
        replace(s, findings=s.findings + tuple(added[k])) if k in added else s
        for k, s in enumerate(outcome.report.sheets)
    )
    return replace(outcome, report=replace(outcome.report, sheets=sheets), encoded=None)


def mark(outcome: FileOutcome, marks: Marks) -> FileOutcome:
    """The file's findings marked suppressed or baselined (the marks keep their bookkeeping across files)."""
    report = outcome.report
    if report is None:
        return outcome
    if marks.suppressor is not None:
        report = marks.suppressor.mark(report)
    if marks.baseline is not None:
        report = marks.baseline.mark(report)
    return outcome if report is outcome.report else replace(outcome, report=report)


__all__ = ["Marks", "StreamedRun", "mark", "stream_check"]

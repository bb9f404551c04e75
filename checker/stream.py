"""A ``check`` run in flat memory: files are checked in a pool, spooled to disk as they complete, and given
to the output's writer one by one in the stable order, whatever the number of files.

Two passes, because the run-level rules (target ``run``: a project twice, boilerplate effects) can add a
finding to any file only once every file is checked:

1. outcomes come from ``batch.iter_outcomes`` and are pickled to an anonymous temporary file; only each
   sheet's ``RunFacts`` (what the run-level rules read) stay in memory;
2. the run-level findings are computed, then the spool is read back: each file gets its run-level
   findings, suppressions and baseline marks (``Suppressor``, ``BaselineMarker`` keep their bookkeeping
   across files), and goes to the writer and the running counts.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from checker.batch import FileOutcome, Inputs, iter_outcomes, run_findings

if TYPE_CHECKING:
    from checker.baseline import BaselineMarker, BaselineRecorder, StaleEntry
    from checker.config import Config
    from checker.findings import Finding, RunFacts
    from checker.report import RunWriter
    from checker.suppress import Suppression, Suppressor


@dataclass(frozen=True, slots=True)
class Marks:
    """The per-file bookkeeping of a run: suppressions, the baseline, and a baseline being recorded."""

    suppressor: Suppressor | None = None
    baseline: BaselineMarker | None = None
    recorder: BaselineRecorder | None = None


@dataclass(frozen=True, slots=True)
class StreamedRun:
    """What is left of a streamed run once its output is written: enough for the exit code and the notes."""

    summary: dict[str, int]
    active_ranks: frozenset[int]  # severity ranks of the active findings
    unused_suppressions: tuple[Suppression, ...]
    stale_baseline: tuple[StaleEntry, ...]


class _Spool:
    """Outcomes pickled one after another into an anonymous temporary file, read back in the same order."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - held open across calls, closed by close()
        self._count = 0

    def add(self, outcome: FileOutcome) -> None:
        pickle.dump(outcome, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._count += 1

    def replay(self) -> Iterator[FileOutcome]:
        self._file.seek(0)
        for _ in range(self._count):
            yield pickle.load(self._file)

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
    encode_json: bool = False,
) -> StreamedRun:
    from checker.report.run import Tally

    spool = _Spool()
    try:
        places: list[tuple[int, int, str, RunFacts]] = []  # (file, sheet, path, facts)
        for i, outcome in enumerate(iter_outcomes(inputs, config, jobs, progress=progress, encode_json=encode_json)):
            spool.add(outcome)
            for k, s in enumerate(outcome.report.sheets if outcome.report else ()):
                if s.run_facts is not None:
                    places.append((i, k, outcome.path, s.run_facts))
        found = run_findings([(path, facts) for _, _, path, facts in places], config)
        added: dict[int, dict[int, list[Finding]]] = {}
        for index, findings in found.items():
            i, k, _, _ = places[index]
            added.setdefault(i, {})[k] = findings
        del places, found
        tally = Tally()
        for i, outcome in enumerate(spool.replay()):
            final = _marked(_with_added(outcome, added.get(i)), marks)
            writer.file(final)
            tally.add(final)
            if marks.recorder is not None and final.report is not None:
                marks.recorder.add(final.report)
        unused = tuple(marks.suppressor.unused()) if marks.suppressor else ()
        stale = tuple(marks.baseline.stale()) if marks.baseline else ()
        writer.end(tally.tail(unused, stale))
        return StreamedRun(tally.summary(), frozenset(tally.ranks), unused, stale)
    finally:
        spool.close()
        writer.close()


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


def _marked(outcome: FileOutcome, marks: Marks) -> FileOutcome:
    report = outcome.report
    if report is None:
        return outcome
    if marks.suppressor is not None:
        report = marks.suppressor.mark(report)
    if marks.baseline is not None:
        report = marks.baseline.mark(report)
    return outcome if report is outcome.report else replace(outcome, report=report)


__all__ = ["Marks", "StreamedRun", "stream_check"]

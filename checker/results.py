"""What a run produced, as every renderer receives it: one ``FileOutcome`` per input, the ``RunResult``.

Run-level values live here, below both the batch that makes them and the renderers that read them, so
neither imports the other."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from checker.findings import Finding, Report, Severity
from checker.frozen import frozen

if TYPE_CHECKING:  # imported when a run uses them: a plain lint never loads baseline or suppression code
    from collections.abc import Iterable

    from checker.baseline import StaleEntry
    from checker.coverage import Coverage
    from checker.rules.loader import Rule
    from checker.suppress import Suppression


@frozen
class FileOutcome:
    """One input: its report, or the one line saying why it was rejected."""

    path: str
    report: Report | None
    error: str | None = None
    # This file's entry in the JSON report as the worker wrote it, so the parent does not encode thousands
    # of findings serially; the renderer uses it only while suppressions and baseline leave it unchanged.
    encoded: str | None = None


@frozen
class RunTail:
    """What a streaming writer learns only after the last file: the counts, the coverage, the suppressions
    and baseline entries nothing used, and the inputs left out as byte-identical copies."""

    summary: dict[str, int]
    coverage: Coverage
    unused_suppressions: tuple[Suppression, ...] = ()
    stale_baseline: tuple[StaleEntry, ...] = ()
    duplicates: tuple[tuple[str, str], ...] = ()  # (copy, first), as RunResult.duplicates


@dataclass(slots=True)
class Tally:
    """Running counts over the outcomes of a run, one file at a time (a streamed run never holds them all)."""

    counts: dict[str, int] = field(default_factory=dict)
    coverage: Coverage | None = None
    ranks: set[int] = field(default_factory=set)  # severity ranks of the active findings seen

    def add(self, o: FileOutcome) -> None:
        from checker.coverage import Coverage

        if not self.counts:
            self.counts = {s.value: 0 for s in Severity}
            self.counts |= {"files": 0, "rejected": 0, "sheets": 0, "suppressed": 0, "baselined": 0}
        out = self.counts
        out["files"] += 1
        self.coverage = (self.coverage or Coverage()) + Coverage.of(o)
        if o.report is None:
            out["rejected"] += 1
            return
        out["sheets"] += sum(1 for s in o.report.sheets if not s.sheet.unread)
        self.count(o.report.findings)

    def count(self, findings: Iterable[Finding]) -> None:
        """Count findings of files already counted (run-level findings a file gained after its worker counted it)."""
        out = self.counts
        for f in findings:
            if f.suppressed:
                out["suppressed"] += 1
            elif f.baselined:
                out["baselined"] += 1
            else:
                out[f.severity.value] += 1
                self.ranks.add(f.severity.rank)

    def merge(self, other: Tally) -> None:
        """Add the counts of files counted apart (a worker's ``Tally`` of one file): as if each of those
        files had been given to ``add`` here, in order."""
        from checker.coverage import Coverage

        if not other.counts:
            return
        if not self.counts:
            self.counts = dict.fromkeys(other.counts, 0)
        for key, value in other.counts.items():
            self.counts[key] += value
        self.coverage = (self.coverage or Coverage()) + (other.coverage or Coverage())
        self.ranks |= other.ranks

    def summary(self) -> dict[str, int]:
        if not self.counts:
            empty = {s.value: 0 for s in Severity}
            return empty | {"files": 0, "rejected": 0, "sheets": 0, "suppressed": 0, "baselined": 0}
        return dict(self.counts)

    def tail(
        self,
        unused: tuple[Suppression, ...] = (),
        stale: tuple[StaleEntry, ...] = (),
        duplicates: tuple[tuple[str, str], ...] = (),
    ) -> RunTail:
        from checker.coverage import Coverage

        return RunTail(self.summary(), self.coverage or Coverage(), unused, stale, duplicates)


@frozen
class RunResult:
    """A whole check run: what every renderer receives."""

    outcomes: tuple[FileOutcome, ...]
    pack: str = "auto"
    lang: str = "zh"
    unused_suppressions: tuple[Suppression, ...] = ()
    stale_baseline: tuple[StaleEntry, ...] = ()
    # (copy, first): inputs with the same bytes as an earlier one, checked once (under the first name).
    duplicates: tuple[tuple[str, str], ...] = ()

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule the run could apply (read from the packs only when a renderer asks: SARIF does)."""
        return run_rules(self.pack)

    def findings(self) -> list[Finding]:
        return [f for o in self.outcomes if o.report for f in o.report.findings]

    def coverage(self) -> Coverage:
        """What the run read and could not read, and the budget years it used."""
        from checker.coverage import total

        return total(self.outcomes)

    def summary(self) -> dict[str, int]:
        """Counts of active findings by severity, files and sheets (unread placeholders are not sheets)."""
        return self.tally().summary()

    def tally(self) -> Tally:
        out = Tally()
        for o in self.outcomes:
            out.add(o)
        return out

    def tail(self) -> RunTail:
        return self.tally().tail(self.unused_suppressions, self.stale_baseline, self.duplicates)


def run_rules(pack: str) -> tuple[Rule, ...]:
    """Every rule a run with this pack could apply (SARIF lists them)."""
    from checker.rules.loader import all_rules

    return tuple(all_rules(None if pack == "auto" else pack))


class RunWriter(Protocol):
    """An output format written file by file (``checker.report.FORMATS`` holds each format's), so a run
    of any size is written in flat memory. Defined here, with the values it receives, so the run that
    feeds a writer need not import the renderers."""

    def file(self, outcome: FileOutcome) -> None:
        """Write (or spool) one file's part, in the run's order."""

    def end(self, tail: RunTail) -> None:
        """Write the rest once every file has been given."""

    def close(self) -> None:
        """Release what a run that stopped early leaves (spools); harmless after ``end``."""


@runtime_checkable
class EntryWriter(RunWriter, Protocol):
    """A writer whose files' entries workers can write (``batch.Encoder``): given a file's entry as a
    worker wrote it, when nothing in the parent changed the file (no run-level finding, suppression or
    baseline), so the parent need not unpickle the file's findings at all."""

    def entry(self, data: bytes) -> None:
        """Write (or spool) one file's entry, as the run's encoder made it, in UTF-8, in the run's order: it
        crosses from the worker to the output as bytes, never decoded and encoded again on the way."""

    def rewrite(self, entries: Iterable[tuple[int, bytes | None]]) -> None:
        """Before ``end``: every entry given so far again, in order, as (its size in bytes as given, its new
        entry in UTF-8, or None to keep it) — for the files the run-level rules changed once every file
        was in."""

"""What a run produced, as every renderer receives it: one ``FileOutcome`` per input, the ``RunResult``.

Run-level values live here, below both the batch that makes them and the renderers that read them, so
neither imports the other."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from checker.findings import Finding, Report, Severity

if TYPE_CHECKING:  # imported when a run uses them: a plain lint never loads baseline or suppression code
    from checker.baseline import StaleEntry
    from checker.coverage import Coverage
    from checker.rules.loader import Rule
    from checker.suppress import Suppression


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """One input: its report, or the one line saying why it was rejected."""

    path: str
    report: Report | None
    error: str | None = None
    # This file's entry in the JSON report as the worker wrote it, so the parent does not encode thousands
    # of findings serially; the renderer uses it only while suppressions and baseline leave it unchanged.
    encoded: str | None = None


@dataclass(frozen=True, slots=True)
class RunResult:
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
        from checker.rules.loader import all_rules

        return tuple(all_rules(None if self.pack == "auto" else self.pack))

    def findings(self) -> list[Finding]:
        return [f for o in self.outcomes if o.report for f in o.report.findings]

    def coverage(self) -> Coverage:
        """What the run read and could not read, and the budget years it used."""
        from checker.coverage import total

        return total(self.outcomes)

    def summary(self) -> dict[str, int]:
        """Counts of active findings by severity, files and sheets (unread placeholders are not sheets)."""
        out = {s.value: 0 for s in Severity}
        out |= {"files": len(self.outcomes), "rejected": 0, "sheets": 0, "suppressed": 0, "baselined": 0}
        for o in self.outcomes:
            if o.report is None:
                out["rejected"] += 1
                continue
            out["sheets"] += sum(1 for s in o.report.sheets if not s.sheet.unread)
            for f in o.report.findings:
                if f.suppressed:
                    out["suppressed"] += 1
                elif f.baselined:
                    out["baselined"] += 1
                else:
                    out[f.severity.value] += 1
        return out

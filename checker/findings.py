"""Findings and reports: what the engine produces and every renderer consumes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import fields, replace
from enum import StrEnum
from operator import attrgetter
from typing import Any, NamedTuple

from checker.frozen import frozen
from checker.model import GoalSheet, Location, pickled_by_init
from checker.text import clean


class Severity(StrEnum):
    """Values are the SARIF levels."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "note": 1}[self.value]

    def zh(self) -> str:
        return {"error": "错误", "warning": "警告", "note": "提示"}[self.value]


@pickled_by_init
@frozen
class Finding:
    """One rule's finding on one place of a sheet, stamped by the engine (docs/architecture.md)."""

    code: str
    name: str
    refs: tuple[str, ...]
    severity: Severity
    message: str
    message_en: str
    location: Location
    project: str
    indicator_path: str | None
    raw_value: str | None
    fingerprint: str
    suggestion: str | None = None
    suggestion_en: str | None = None
    suppressed: str | None = None  # the reason, when a suppressions file silences this finding
    baselined: bool = False  # already recorded in the baseline: reported as known, not as new
    # The code of the finding that states this one's root cause: such a finding is kept for the JSON report
    # (SheetResult.superseded), never shown or counted, so a reviewer reads each fault once.
    superseded_by: str | None = None
    dimension: str | None = None  # the rule's review dimension (完整性 …), for the 审核意见

    @property
    def active(self) -> bool:
        """Counts toward the summary and the exit code."""
        return self.suppressed is None and not self.baselined

    def text(self, lang: str = "zh") -> str:
        return self.message if lang == "zh" else self.message_en


def fingerprint(code: str, project: str, indicator_path: str | None, value: str | None) -> str:
    """Stable across re-ordering and inserted rows: no row numbers, only what the finding is about."""
    key = "\x1f".join([code, clean(project), clean(indicator_path or ""), clean(value or "")])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


class RunRow(NamedTuple):
    """One effect indicator as the run-level rules see it. A named tuple holding its location's fields, not
    a Location: a streamed run reads every sheet's run facts back from disk once per pass of a run-level
    check, and a named tuple unpickles with one Python call, not one per field (1,000 sheets: 41 µs a
    sheet's run facts with frozen rows and locations, 16–23 µs with these)."""

    name: str
    raw: str
    path: str
    at: tuple[Any, ...]  # Location's fields, in order

    @property
    def location(self) -> Location:
        return Location(*self.at)

    @staticmethod
    def of(name: str, raw: str, path: str, location: Location) -> RunRow:
        return RunRow(name, raw, path, _location_fields(location))


_location_fields = attrgetter(*(f.name for f in fields(Location)))


@pickled_by_init
@frozen
class RunFacts:
    """What the run-level rules (target ``run``) need of a sheet, small enough to come back from a worker
    that keeps the parsed sheet: who it is, its effect rows, and its indicators as (name, value) pairs."""

    project: str
    unit: str
    effect_rows: tuple[RunRow, ...]
    indicators: tuple[tuple[str, str], ...]


@pickled_by_init
@frozen
class SheetResult:
    """One sheet's findings. The row counts travel here because a batch drops the parsed indicators in the
    worker (see batch.check_one_light) while the coverage line still needs them."""

    sheet: GoalSheet
    framework: str
    findings: tuple[Finding, ...]
    indicator_rows: int = 0  # indicator rows read, not-applicable ones included
    not_applicable: int = 0  # rows declared not applicable: read, set aside, not judged
    superseded: tuple[Finding, ...] = ()  # follow-on findings dropped for their root cause (JSON only)
    run_facts: RunFacts | None = None  # for the run-level rules, evaluated once all files are checked


@pickled_by_init
@frozen
class Report:
    """The result of checking one file."""

    source: str
    sheets: tuple[SheetResult, ...]
    sha256: str = ""  # of the bytes that were checked (the review workbook records it)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for s in self.sheets for f in s.findings)


def map_findings(reports: list[Report], change: Callable[[str, Finding], Finding]) -> list[Report]:
    """New reports with ``change(source, finding)`` applied to every finding (sheets and order kept)."""
    return [
        replace(r, sheets=tuple(replace(s, findings=tuple(change(r.source, f) for f in s.findings))
                               for s in r.sheets))
        for r in reports
    ]  # fmt: skip

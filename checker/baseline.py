"""Baselines: record today's findings by fingerprint, then report only what is new.

The file counts each fingerprint, so two identical findings in a baseline excuse two, not more.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

from checker.errors import ConfigError
from checker.findings import Finding, Report, map_findings
from checker.frozen import frozen

BASELINE_VERSION = "1"


@frozen
class StaleEntry:
    fingerprint: str
    code: str
    project: str
    indicator: str | None
    missing: int


class BaselineRecorder:
    """The baseline of a run, counted file by file (``--write-baseline`` on a streamed run)."""

    def __init__(self) -> None:
        self._entries: dict[str, dict[str, object]] = {}

    def add(self, report: Report) -> None:
        for f in report.findings:
            if f.suppressed:
                continue
            entry = self._entries.setdefault(f.fingerprint, {"code": f.code, "project": f.project,
                                                             "indicator": f.indicator_path, "count": 0})  # fmt: skip
            entry["count"] = int(str(entry["count"])) + 1

    def json(self) -> str:
        doc = {"schema_version": BASELINE_VERSION, "tool": "jixiao", "findings": dict(sorted(self._entries.items()))}
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def baseline_json(reports: list[Report]) -> str:
    recorder = BaselineRecorder()
    for report in reports:
        recorder.add(report)
    return recorder.json()


def load_baseline(path: Path) -> dict[str, dict[str, object]]:
    from checker.resources import read_settings

    raw = read_settings(path, "cannot read baseline")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except ValueError as exc:
        raise ConfigError(str(path), "", f"not a jixiao baseline (invalid JSON: {exc})") from None
    if not isinstance(doc, dict) or doc.get("schema_version") != BASELINE_VERSION or "findings" not in doc:
        raise ConfigError(str(path), "$.schema_version", "not a jixiao baseline (version 1)")
    findings = doc["findings"]
    if not isinstance(findings, dict):
        raise ConfigError(str(path), "$.findings", "expected an object of fingerprints / 应为以指纹为键的对象")
    for fp, entry in findings.items():
        where = f"$.findings.{fp}"
        if not isinstance(entry, dict):
            raise ConfigError(str(path), where, "expected an object / 应为对象")
        count = entry.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ConfigError(str(path), f"{where}.count", f"expected a positive integer, got {count!r}")
        for key in ("code", "project", "indicator"):
            if entry.get(key) is not None and not isinstance(entry[key], str):
                raise ConfigError(str(path), f"{where}.{key}", "expected a string / 应为字符串")
    return dict(findings)


class BaselineMarker:
    """Marks findings file by file (a streamed run); what is left over at the end is stale."""

    def __init__(self, baseline: dict[str, dict[str, object]]) -> None:
        self._baseline = baseline
        self._left = Counter({fp: int(str(e.get("count", 1))) for fp, e in baseline.items()})

    def mark(self, report: Report) -> Report:
        return map_findings([report], self._mark)[0]

    def _mark(self, _source: str, found: Finding) -> Finding:
        if self._left[found.fingerprint] > 0 and not found.suppressed:
            self._left[found.fingerprint] -= 1
            return replace(found, baselined=True)
        return found

    def stale(self) -> list[StaleEntry]:
        baseline = self._baseline
        return [StaleEntry(fp, str(baseline[fp].get("code")), str(baseline[fp].get("project")),
                           baseline[fp].get("indicator"), n)  # type: ignore[arg-type]
                for fp, n in sorted(self._left.items()) if n > 0]  # fmt: skip

"""Baselines: record today's findings by fingerprint, then report only what is new.

The file counts each fingerprint, so two identical findings in a baseline excuse two, not more.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from checker.errors import ConfigError
from checker.findings import Finding, Report, map_findings

BASELINE_VERSION = "1"


@dataclass(frozen=True, slots=True)
class StaleEntry:
    fingerprint: str
    code: str
    project: str
    indicator: str | None
    missing: int


def baseline_json(reports: list[Report]) -> str:
    entries: dict[str, dict[str, object]] = {}
    for report in reports:
        for f in report.findings:
            if f.suppressed:
                continue
            entry = entries.setdefault(f.fingerprint, {"code": f.code, "project": f.project,
                                                       "indicator": f.indicator_path, "count": 0})  # fmt: skip
            entry["count"] = int(str(entry["count"])) + 1
    doc = {"schema_version": BASELINE_VERSION, "tool": "jixiao", "findings": dict(sorted(entries.items()))}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


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


def apply_baseline(
    reports: list[Report], baseline: dict[str, dict[str, object]]
) -> tuple[list[Report], list[StaleEntry]]:
    """Mark findings already in the baseline as known (kept out of counts) and list entries gone since."""
    left = Counter({fp: int(str(e.get("count", 1))) for fp, e in baseline.items()})

    def mark(_source: str, found: Finding) -> Finding:
        if left[found.fingerprint] > 0 and not found.suppressed:
            left[found.fingerprint] -= 1
            return replace(found, baselined=True)
        return found

    out = map_findings(reports, mark)
    stale = [StaleEntry(fp, str(baseline[fp].get("code")), str(baseline[fp].get("project")),
                        baseline[fp].get("indicator"), n)  # type: ignore[arg-type]
             for fp, n in sorted(left.items()) if n > 0]  # fmt: skip
    return out, stale

"""``--format json``: the whole run as one document (schema: checker/schemas/report.schema.json)."""

from __future__ import annotations

from typing import Any

from checker import __version__
from checker.findings import Finding
from checker.report import jsontext
from checker.report.run import RunResult

REPORT_SCHEMA_VERSION = "1"


def finding_json(f: Finding) -> dict[str, Any]:
    parts = (f.indicator_path or "").split("/") if f.indicator_path else None
    return {
        "code": f.code,
        "name": f.name,
        "refs": list(f.refs),
        "severity": f.severity.value,
        "message": f.message,
        "message_en": f.message_en,
        "suggestion": f.suggestion,
        "location": f.location.to_json(),
        "project": f.project,
        "indicator": None
        if parts is None
        else {
            "level1": parts[0],
            "level2": parts[1],
            "name": "/".join(parts[2:]),
            "path": f.indicator_path,
            "raw_value": f.raw_value,
        },
        "fingerprint": f.fingerprint,
        "suppressed": None if f.suppressed is None else {"reason": f.suppressed},
        "baselined": f.baselined,
    }


def finding_line(f: Finding) -> str:
    """One finding as the JSON text ``render`` writes for it."""
    return jsontext.encode(finding_json(f))


def render(run: RunResult) -> str:
    files = []
    for o in run.outcomes:
        sheets = []
        for k, s in enumerate(o.report.sheets if o.report else ()):
            lines = o.encoded[k] if o.encoded is not None else None
            findings = [
                jsontext.Raw(lines[j]) if lines is not None and f.suppressed is None and not f.baselined
                else finding_json(f)
                for j, f in enumerate(s.findings)
            ]  # fmt: skip  # a worker's line holds for a finding that suppressions and baseline left alone
            sheets.append({"project": s.sheet.project, "framework": s.framework,
                           "location": s.sheet.location.to_json(), "findings": findings})  # fmt: skip
        files.append({"source": o.path, "error": o.error, "sheets": sheets})
    doc = {
        "schema_version": REPORT_SCHEMA_VERSION,
        "tool": {"name": "jixiao", "version": __version__},
        "summary": run.summary(),
        "files": files,
        "unused_suppressions": [{"entry": s.describe(), "reason": s.reason} for s in run.unused_suppressions],
        "stale_baseline": [
            {
                "fingerprint": e.fingerprint,
                "code": e.code,
                "project": e.project,
                "indicator": e.indicator,
                "missing": e.missing,
            }
            for e in run.stale_baseline
        ],
    }
    return jsontext.dumps(doc, frozenset({"findings"})) + "\n"

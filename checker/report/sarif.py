"""``--format sarif``: SARIF 2.1.0 for code-scanning tools. Rules come from the packs; locations are the
file plus a logical ``工作表!单元格`` (or the line of a text extract); fingerprints are partialFingerprints."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from checker import __version__
from checker.findings import Finding
from checker.report import jsontext
from checker.results import RunResult

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(path: str) -> str:
    return quote(Path(path).as_posix(), safe="/:._-")


def _location(f: Finding) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(f.location.file)}}
    if f.location.line is not None:
        region: dict[str, Any] = {"startLine": f.location.line}
        if f.location.column is not None:
            region["startColumn"] = f.location.column
        physical["region"] = region
    loc: dict[str, Any] = {"physicalLocation": physical}
    logical = f.location.short() if f.location.cell else None
    # An unread placeholder has no project name: the file stands for it.
    names = [n for n in (f.project or Path(f.location.file).name, f.indicator_path) if n]
    loc["logicalLocations"] = [{"fullyQualifiedName": " › ".join([*names, logical] if logical else names) or f.project,
                                "kind": "element"}]  # fmt: skip
    return loc


def render(run: RunResult) -> str:
    rules = sorted(run.rules, key=lambda r: r.code)
    index = {r.code: i for i, r in enumerate(rules)}
    driver_rules = [{
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.title.zh if run.lang == "zh" else r.title.en},
        "fullDescription": {"text": r.rationale.zh if run.lang == "zh" else r.rationale.en},
        "help": {"text": f"{r.rationale.get(run.lang)} ({r.source})"},
        "defaultConfiguration": {"level": r.severity},
        "properties": {"refs": list(r.refs), "pack": r.pack},
    } for r in rules]  # fmt: skip
    results = []
    for f in run.findings():
        if f.baselined:
            continue
        result: dict[str, Any] = {
            "ruleId": f.code,
            "level": f.severity.value,
            "message": {"text": f.text(run.lang)},
            "locations": [_location(f)],
            "partialFingerprints": {"jixiao/v1": f.fingerprint},
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        if f.suppressed is not None:
            result["suppressions"] = [{"kind": "external", "justification": f.suppressed}]
        results.append(result)
    artifacts = [{"location": {"uri": _uri(o.path)}} for o in run.outcomes]
    notifications = [{"level": "error", "message": {"text": o.error}} for o in run.outcomes if o.error]
    invocation: dict[str, Any] = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    coverage = run.coverage()
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "jixiao", "version": __version__, "informationUri": "https://pypi.org/project/jixiao/",
                                "rules": driver_rules}},
            "artifacts": artifacts,
            "invocations": [invocation],
            "results": results,
            "properties": {"coverage": coverage.to_json(), "budgetYears": coverage.years_json(),
                           "summary": [coverage.read_line(run.lang), *filter(None, [coverage.year_line(run.lang)])]},
        }],
    }  # fmt: skip
    return jsontext.dumps(doc, frozenset({"results", "rules"})) + "\n"

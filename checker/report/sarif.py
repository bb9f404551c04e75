"""``--format sarif``: SARIF 2.1.0 for code-scanning tools. Rules come from the packs; locations are the
file plus a logical ``工作表!单元格`` (or the line of a text extract); fingerprints are partialFingerprints."""

from __future__ import annotations

import os
from pathlib import PureWindowsPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from checker import __version__
from checker.findings import Finding
from checker.report import jsontext
from checker.report.controls import json_escaped
from checker.report.spool import TextSpool

if TYPE_CHECKING:
    from collections.abc import Callable

    from checker.results import FileOutcome, RunTail
    from checker.rules.loader import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def posix(path: str) -> str:
    """``Path(path).as_posix()`` without a Path: pathlib interns every part of every path it parses, and a
    run's unique file names keep the interpreter's table of interned strings growing and being rebuilt
    (a ~2 MB block at a time) for output that only needs the string."""
    if os.name == "nt":
        return PureWindowsPath(path).as_posix()
    lead = "//" if path.startswith("//") and not path.startswith("///") else "/" if path.startswith("/") else ""
    return lead + "/".join(p for p in path.split("/") if p and p != ".") or "."


def _name(path: str) -> str:
    """``Path(path).name``, as ``posix`` spares the Path."""
    name = posix(path).rpartition("/")[2]
    return "" if name == "." else name


def _uri(path: str) -> str:
    # A name's bytes that are not UTF-8 (held as lone surrogates, os.fsdecode) are %-escaped as those bytes.
    return quote(posix(path).encode("utf-8", "surrogateescape"), safe="/:._-")


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
    names = [n for n in (f.project or _name(f.location.file), f.indicator_path) if n]
    loc["logicalLocations"] = [{"fullyQualifiedName": " › ".join([*names, logical] if logical else names) or f.project,
                                "kind": "element"}]  # fmt: skip
    return loc


_ARTIFACTS = jsontext.Raw("\x00artifacts\x00")
_RESULTS = jsontext.Raw("\x00results\x00")
_RUN_LEVEL = 2  # document → "runs" list → the run object
_ONE_LINE = frozenset({"results", "rules"})


class SarifWriter:
    """The log streamed: artifacts and results go to spools as files complete (the log lists the files'
    errors between them), and the log is written around them at the end."""

    def __init__(self, write: Callable[[str], Any], rules: tuple[Rule, ...], lang: str) -> None:
        self._write = write
        self._lang = lang
        self._rules = sorted(rules, key=lambda r: r.code)
        self._index = {r.code: i for i, r in enumerate(self._rules)}
        self._artifact_spool, self._result_spool = TextSpool(), TextSpool()
        self._artifacts = jsontext.ListWriter(self._artifact_spool.write, _RUN_LEVEL, False, _ONE_LINE)
        self._results = jsontext.ListWriter(self._result_spool.write, _RUN_LEVEL, True)
        self._errors: list[str] = []

    def file(self, o: FileOutcome) -> None:
        self._artifacts.add({"location": {"uri": _uri(o.path)}})
        if o.error:
            self._errors.append(o.error)
        for f in o.report.findings if o.report else ():
            if f.baselined:
                continue
            result: dict[str, Any] = {
                "ruleId": f.code,
                "level": f.severity.value,
                "message": {"text": f.text(self._lang)},
                "locations": [_location(f)],
                "partialFingerprints": {"jixiao/v1": f.fingerprint},
            }
            if f.code in self._index:
                result["ruleIndex"] = self._index[f.code]
            if f.suppressed is not None:
                result["suppressions"] = [{"kind": "external", "justification": f.suppressed}]
            self._results.add(result)

    def end(self, tail: RunTail) -> None:
        lang = self._lang
        driver_rules = [{
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.title.zh if lang == "zh" else r.title.en},
            "fullDescription": {"text": r.rationale.zh if lang == "zh" else r.rationale.en},
            "help": {"text": f"{r.rationale.get(lang)} ({r.source})"},
            "defaultConfiguration": {"level": r.severity},
            "properties": {"refs": list(r.refs), "pack": r.pack},
        } for r in self._rules]  # fmt: skip
        notifications = [{"level": "error", "message": {"text": e}} for e in self._errors]
        invocation: dict[str, Any] = {"executionSuccessful": not notifications}
        if notifications:
            invocation["toolExecutionNotifications"] = notifications
        coverage = tail.coverage
        doc = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {"name": "jixiao", "version": __version__, "informationUri": "https://pypi.org/project/jixiao/",
                                    "rules": driver_rules}},
                "artifacts": _ARTIFACTS,
                "invocations": [invocation],
                "results": _RESULTS,
                "properties": {"coverage": coverage.to_json(), "budgetYears": coverage.years_json(),
                               "summary": [coverage.read_line(lang), *filter(None, [coverage.year_line(lang)])]},
            }],
        }  # fmt: skip
        head, rest = jsontext.dumps(doc, _ONE_LINE).split(_ARTIFACTS)
        middle, after = rest.split(_RESULTS)
        self._artifacts.close()
        self._results.close()
        self._write(json_escaped(head))
        self._artifact_spool.replay(lambda chunk: self._write(json_escaped(chunk)))
        self._write(json_escaped(middle))
        self._result_spool.replay(lambda chunk: self._write(json_escaped(chunk)))
        self._write(json_escaped(after) + "\n")

    def close(self) -> None:
        self._artifact_spool.close()
        self._result_spool.close()

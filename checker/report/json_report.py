"""``--format json``: the whole run as one document (schema: checker/schemas/report.schema.json)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checker import __version__
from checker.findings import Finding, SheetResult
from checker.opinion import opinions
from checker.report import jsontext
from checker.report.controls import json_escaped
from checker.report.spool import TextSpool

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from checker.results import FileOutcome, RunTail

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
        **({"dimension": f.dimension} if f.dimension else {}),
        **({"superseded_by": f.superseded_by} if f.superseded_by else {}),
    }


_ONE_LINE = frozenset({"findings", "superseded", "items"})
_FILE_LEVEL = 2  # document → "files" list → one file


def sheet_json(s: SheetResult) -> dict[str, Any]:
    out: dict[str, Any] = {"project": s.sheet.project, "framework": s.framework,
                           "location": s.sheet.location.to_json()}  # fmt: skip
    if s.sheet.unread:  # a placeholder for what could not be read: no rows, no year
        out["unread"] = True
    else:
        out["indicator_rows"] = s.indicator_rows
        if s.not_applicable:
            out["rows_not_applicable"] = s.not_applicable
        if s.sheet.budget_year is not None:
            out["budget_year"] = s.sheet.budget_year.to_json()
    out["findings"] = [finding_json(f) for f in s.findings]
    if s.superseded:
        out["superseded"] = [finding_json(f) for f in s.superseded]
    if not s.sheet.unread:
        zh, text_en = opinions(s)
        out["opinion"] = {**zh.to_json(), "text_en": text_en}
    return out


def file_json(o: FileOutcome) -> dict[str, Any]:
    sheets = [sheet_json(s) for s in (o.report.sheets if o.report else ())]
    return {"source": o.path, "error": o.error, "sheets": sheets}


def file_text(o: FileOutcome) -> str:
    """One file's entry as ``JsonWriter`` writes it, made where the file was checked (a pool worker), its
    C1 controls already escaped: scanning the entries was ~1.4 s of the parent's serial end of a 10,000-file
    run, and an escaped entry has nothing left to escape."""
    return json_escaped(jsontext.dumps(file_json(o), _ONE_LINE, level=_FILE_LEVEL))


def entry(o: FileOutcome) -> str:
    """The file's entry: the worker's text while suppressions and the baseline left every finding alone."""
    if o.encoded is not None and (o.report is None or all(f.active for f in o.report.findings)):
        return o.encoded
    return file_text(o)


_FILES = jsontext.Raw("\x00files\x00")  # where the streamed entries go in the finished document


class JsonWriter:
    """The document streamed: each file's entry goes to a spool as it arrives; the summary (which the
    document puts first) is known at the end, when the document is written around the spooled entries."""

    def __init__(self, write: Callable[[str], Any]) -> None:
        self._write = write
        # Every entry is escaped (no lone surrogate) UTF-8: straight to the output's bytes when it takes them.
        self._utf8: Callable[[bytes], Any] | None = getattr(write, "utf8", None)
        self._body = TextSpool()
        self._files = jsontext.ListWriter(self._body.write, 0)

    def file(self, o: FileOutcome) -> None:
        self._files.add(jsontext.Raw(entry(o)))

    def entry(self, data: bytes) -> None:
        """A file's entry as ``file_text`` made it in a worker, in UTF-8 (results.EntryWriter)."""
        self._body.write(self._files.before_next())
        self._body.write_utf8(data)

    def rewrite(self, entries: Iterable[tuple[int, bytes | None]]) -> None:
        """Every entry given so far again, in order, as (its size in bytes as given, its new text or None to
        keep it): the spool is copied once, the changed entries put in (results.EntryWriter)."""
        old, self._body = self._body, TextSpool()
        self._files = jsontext.ListWriter(self._body.write, 0)
        source = old.rewound()
        try:
            for size, new in entries:
                head = self._files.before_next()
                source.read(len(head.encode("utf-8")))  # the same separator, written the first time
                kept = source.read(size)
                self._body.write(head)
                self._body.write_utf8(kept if new is None else new)
        finally:
            old.close()

    def end(self, tail: RunTail) -> None:
        self._files.close()
        doc: dict[str, Any] = {
            "schema_version": REPORT_SCHEMA_VERSION,
            "tool": {"name": "jixiao", "version": __version__},
            "summary": {
                **tail.summary,
                "coverage": tail.coverage.to_json(),
                "budget_years": tail.coverage.years_json(),
            },
            "files": _FILES,
            "unused_suppressions": [{"entry": s.describe(), "reason": s.reason} for s in tail.unused_suppressions],
            "stale_baseline": [
                {
                    "fingerprint": e.fingerprint,
                    "code": e.code,
                    "project": e.project,
                    "indicator": e.indicator,
                    "missing": e.missing,
                }
                for e in tail.stale_baseline
            ],
            # Only when there are copies, so a run without any keeps the document it always had.
            **({"duplicates": [{"source": c, "same_as": f} for c, f in tail.duplicates]} if tail.duplicates else {}),
        }
        head, after = jsontext.dumps(doc, _ONE_LINE).split(_FILES)
        self._write(json_escaped(head))
        self._body.replay(self._write, self._utf8)  # every entry is file_text's, escaped where it was made
        self._write(json_escaped(after) + "\n")

    def close(self) -> None:
        self._body.close()

"""Suppressions: spreadsheets cannot hold ``# noqa``, so a sidecar TOML file lists what to silence.

[[suppress]]
fingerprint = "3f2a…"            # one finding, wherever it moves
reason = "已与财政厅确认"          # required

[[suppress]]
code = "SAT002"                   # or: code + file glob + indicator path (any of them may be left out
file = "*.xlsx"                   #     except code)
indicator = "满意度指标/服务对象满意度指标/网上信访事项群众参评满意率"
reason = "..."
"""

from __future__ import annotations

import fnmatch
from dataclasses import replace
from pathlib import Path

from checker.errors import ConfigError
from checker.findings import Finding, Report, map_findings
from checker.frozen import frozen
from checker.resources import read_toml

_KEYS = {"fingerprint", "code", "file", "indicator", "reason"}


@frozen
class Suppression:
    reason: str
    fingerprint: str | None = None
    code: str | None = None
    file: str | None = None
    indicator: str | None = None
    index: int = 0

    def applies(self, f: Finding, source: str) -> bool:
        if self.file is not None and not self._file_matches(source):
            return False
        if self.fingerprint is not None:
            return f.fingerprint == self.fingerprint
        if self.code != f.code:
            return False
        return self.indicator is None or self.indicator == f.indicator_path

    def _file_matches(self, source: str) -> bool:
        # A glob, or a path relative to some folder above the file (import-review writes the file's path
        # relative to the folder the review was run on).
        posix, pattern = Path(source).as_posix(), self.file or ""
        return (fnmatch.fnmatch(posix, pattern) or fnmatch.fnmatch(posix, "*/" + pattern)
                or fnmatch.fnmatch(Path(source).name, pattern))  # fmt: skip

    def describe(self) -> str:
        return self.fingerprint or f"{self.code} {self.file or '*'} {self.indicator or ''}".strip()


def load_suppressions(path: Path) -> list[Suppression]:
    data = read_toml(path)
    unknown = set(data) - {"suppress"}
    if unknown:
        raise ConfigError(str(path), f"$.{sorted(unknown)[0]}", "unknown key (expected [[suppress]] tables)")
    out = []
    for i, entry in enumerate(data.get("suppress", [])):
        where = f"$.suppress[{i}]"
        extra = set(entry) - _KEYS
        if extra:
            raise ConfigError(str(path), f"{where}.{sorted(extra)[0]}", "unknown key")
        reason = str(entry.get("reason", "")).strip()
        if not reason:
            raise ConfigError(str(path), f"{where}.reason", "a suppression needs a reason / 请写明理由")
        if "fingerprint" not in entry and "code" not in entry:
            raise ConfigError(str(path), where, "give a fingerprint, or a code (with file and indicator)")
        out.append(Suppression(reason, entry.get("fingerprint"), entry.get("code"), entry.get("file"),
                               entry.get("indicator"), i))  # fmt: skip
    return out


class Suppressor:
    """Marks findings file by file (a streamed run) and remembers which suppressions were used."""

    def __init__(self, rules: list[Suppression]) -> None:
        self._rules = rules
        self._used: set[int] = set()

    def mark(self, report: Report) -> Report:
        return map_findings([report], self._mark)[0]

    def _mark(self, source: str, found: Finding) -> Finding:
        hit = next((s for s in self._rules if s.applies(found, source)), None)
        if hit is None:
            return found
        self._used.add(hit.index)
        return replace(found, suppressed=hit.reason)

    def unused(self) -> list[Suppression]:
        return [s for s in self._rules if s.index not in self._used]

"""The library surface. The CLI only adapts arguments to these functions."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from checker.model import GoalSheet

if TYPE_CHECKING:
    from checker.config import Config
    from checker.findings import Report, SheetResult
    from checker.report.run import RunResult
    from checker.rules.engine import Engine
    from checker.rules.loader import Rule

PARSE_SCHEMA_VERSION = "1"


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """Every goal sheet found in one file."""

    source: str
    sheets: tuple[GoalSheet, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": PARSE_SCHEMA_VERSION,
            "source": self.source,
            "sheets": [sheet.to_json() for sheet in self.sheets],
        }


def check_sheet(sheet: GoalSheet, config: Config | None = None) -> SheetResult:
    """Validate one parsed sheet (framework detected unless the config names one)."""
    from checker.rules.engine import Engine

    return Engine(config).check_sheet(sheet)


def check_path(path: str | os.PathLike[str], config: Config | None = None, engine: Engine | None = None) -> Report:
    """Read, parse and validate one file. Raises InputError for a rejected file, ConfigError for bad packs."""
    from checker.findings import Report
    from checker.rules.engine import Engine

    parsed = parse_path(path)
    engine = engine or Engine(config)
    return Report(parsed.source, tuple(engine.check_sheet(sheet) for sheet in parsed.sheets))


def parse_path(path: str | os.PathLike[str]) -> ParsedFile:
    """Read one file and parse every goal sheet in it. Raises InputError for a rejected file."""
    from checker.parse.sheet import parse_document
    from checker.readers import read

    doc = read(path)
    return ParsedFile(doc.source, tuple(parse_document(doc)))


def list_rules(pack: str | None = None) -> list[Rule]:
    """Every rule of one pack (its extends chain applied), or of all shipped packs when ``pack`` is None."""
    from checker.rules.loader import _load_shipped, resolve, shipped_packs

    order = ["common", "fw2015", "fw2021"]
    ids = [pack] if pack else order + sorted(set(shipped_packs()) - set(order))
    rules: dict[str, Rule] = {}
    for pack_id in ids:
        for code, rule in resolve(_load_shipped(pack_id))[0].items():
            rules.setdefault(code, rule)
    return sorted(rules.values(), key=rule_sort_key)


def pack_summaries() -> list[tuple[str, str, int]]:
    from checker.rules.loader import _load_shipped, resolve, shipped_packs

    return [(pid, _load_shipped(pid).title.zh, len(resolve(_load_shipped(pid))[0])) for pid in shipped_packs()]


_GROUP_ORDER = [
    "STR",
    "FUND",
    "GOAL",
    "IND",
    "VAL",
    "QUAL",
    "COST",
    "SAT",
    "COUNT",
    "TIME",
    "WT",
    "APPR",
    "FEAS",
    "PRS",
]


def rule_sort_key(rule: Rule) -> tuple[int, str]:
    prefix = rule.code.rstrip("0123456789")
    return (_GROUP_ORDER.index(prefix) if prefix in _GROUP_ORDER else len(_GROUP_ORDER), rule.code)


def run_check(
    paths: list[str],
    *,
    config_file: os.PathLike[str] | None = None,
    jobs: int = 1,
    baseline: os.PathLike[str] | None = None,
    suppressions: os.PathLike[str] | None = None,
    progress: Any = None,
    **flags: Any,
) -> tuple[RunResult, Config]:
    """The whole ``jixiao check`` run: config layering, files, pool, suppressions and baseline."""
    from pathlib import Path

    from checker import batch
    from checker.baseline import apply_baseline, load_baseline
    from checker.config import load_config, with_flags
    from checker.report.run import RunResult
    from checker.suppress import apply_suppressions, load_suppressions

    start = Path(paths[0]) if paths else Path.cwd()
    config = load_config(start if start.exists() else Path.cwd(), Path(config_file) if config_file else None)
    packs = flags.pop("packs", None)
    if packs:
        flags["packs"] = config.packs + tuple(str(p) for p in packs)
    for key in ("select", "ignore"):
        if flags.get(key):
            flags[key] = tuple(flags[key])
    config = with_flags(config, **flags)
    files = batch.collect(paths)
    outcomes = batch.run(files, config, jobs=jobs, progress=progress)
    reports = batch.reports(outcomes)
    unused: list[Any] = []
    stale: list[Any] = []
    suppress_path = Path(suppressions) if suppressions else (Path(config.suppressions) if config.suppressions else None)
    if suppress_path is not None:
        reports, unused = apply_suppressions(reports, load_suppressions(suppress_path))
    baseline_path = Path(baseline) if baseline else (Path(config.baseline) if config.baseline else None)
    if baseline_path is not None:
        reports, stale = apply_baseline(reports, load_baseline(baseline_path))
    outcomes = batch.with_reports(outcomes, reports)
    return RunResult(tuple(outcomes), config.pack, config.lang, tuple(unused), tuple(stale)), config

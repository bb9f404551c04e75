"""The library surface. The CLI only adapts arguments to these functions."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from checker.model import GoalSheet, ParsedFile
from checker.pipeline import check_path, parse_path

if TYPE_CHECKING:
    from collections.abc import Callable

    from checker.config import Config
    from checker.findings import SheetResult
    from checker.results import FileOutcome, RunResult
    from checker.rules.loader import Rule


def check_sheet(sheet: GoalSheet, config: Config | None = None) -> SheetResult:
    """Validate one parsed sheet (framework detected unless the config names one)."""
    from checker.rules.engine import Engine

    return Engine(config).check_sheet(sheet)


def list_rules(pack: str | None = None) -> list[Rule]:
    """Every rule of one pack (its extends chain applied), or of all shipped packs when ``pack`` is None."""
    from checker.rules.loader import all_rules, shipped_packs
    from checker.suggest import one_of

    return all_rules(one_of(pack, sorted(shipped_packs()), "--pack", "pack") if pack else None)


def pack_summaries() -> list[tuple[str, str, int]]:
    """(id, title, number of rules) of every shipped pack."""
    from checker.rules.loader import pack_summaries as summaries

    return summaries()


def run_check(
    paths: list[str],
    *,
    config_file: os.PathLike[str] | None = None,
    jobs: int = 1,
    baseline: os.PathLike[str] | None = None,
    suppressions: os.PathLike[str] | None = None,
    progress: Any = None,
    output_format: str | None = None,
    **flags: Any,
) -> tuple[RunResult, Config]:
    """The whole ``jixiao check`` run: config layering, files, pool, suppressions and baseline.

    ``output_format`` names the format the result will be rendered in, so the workers can prepare it.
    """
    from pathlib import Path

    from checker import batch
    from checker.results import RunResult

    config = _layered_config(paths, config_file, flags)
    inputs, duplicates = batch_inputs(paths, config)
    # Both files are read before any sheet is checked: a typo in their path is refused at once.
    suppress_path = Path(suppressions) if suppressions else (Path(config.suppressions) if config.suppressions else None)
    baseline_path = Path(baseline) if baseline else (Path(config.baseline) if config.baseline else None)
    rules_off, known = _suppressions_and_baseline(suppress_path, baseline_path)
    outcomes = list(batch.iter_outcomes(inputs, config, jobs=jobs, progress=progress, encode=_encoder(output_format)))
    outcomes = batch.with_run_findings(outcomes, config)
    reports = batch.reports(outcomes)
    unused: list[Any] = []
    stale: list[Any] = []
    if rules_off is not None:
        from checker.suppress import apply_suppressions

        reports, unused = apply_suppressions(reports, rules_off)
    if known is not None:
        from checker.baseline import apply_baseline

        reports, stale = apply_baseline(reports, known)
    outcomes = batch.with_reports(outcomes, reports)
    result = RunResult(tuple(outcomes), config.pack, config.lang, tuple(unused), tuple(stale), duplicates)
    return result, config


def _suppressions_and_baseline(
    suppress_path: os.PathLike[str] | None, baseline_path: os.PathLike[str] | None
) -> tuple[list[Any] | None, dict[str, dict[str, object]] | None]:
    from pathlib import Path

    rules_off = known = None
    if suppress_path is not None:
        from checker.suppress import load_suppressions

        rules_off = load_suppressions(Path(suppress_path))
    if baseline_path is not None:
        from checker.baseline import load_baseline

        known = load_baseline(Path(baseline_path))
    return rules_off, known


def batch_inputs(paths: list[str], config: Config) -> tuple[Any, tuple[tuple[str, str], ...]]:
    """The run's files (batch.collect) with byte-identical copies left out, and (copy, first) for each.

    A copy is left out only when the same rules apply to it (per-path-ignores may differ by folder)."""
    from dataclasses import replace

    from checker import batch
    from checker.dedupe import unique_by_content

    inputs = batch.collect(paths)
    kept, duplicates = unique_by_content(inputs.files, config.ignored_for)
    return (replace(inputs, files=kept) if duplicates else inputs), duplicates


@dataclass(frozen=True, slots=True)
class ReviewDone:
    """What ``jixiao review`` wrote: findings, the previous round's decisions that found no finding, the
    reviewer entries that are not decision words, copies left out, and whether --fail-on was reached."""

    count: int
    dropped: tuple[Any, ...]
    invalid_decisions: tuple[str, ...]
    duplicates: tuple[tuple[str, str], ...]
    failed: bool


def _encoder(output_format: str | None) -> Callable[[FileOutcome], str] | None:
    """The function workers use to write each file's entry of this output format, if it has one."""
    if output_format != "json":
        return None
    from checker.report.json_report import file_text

    return file_text


def run_review(
    paths: list[str],
    output: os.PathLike[str],
    *,
    config_file: os.PathLike[str] | None = None,
    previous: os.PathLike[str] | None = None,
    jobs: int = 1,
    progress: Any = None,
    writing: Any = None,
    baseline: os.PathLike[str] | None = None,
    suppressions: os.PathLike[str] | None = None,
    **flags: Any,
) -> ReviewDone:
    """``jixiao review``: check the inputs and stream them into a review workbook at ``output``.

    The same configuration as ``run_check``: suppressed and baselined findings are listed but not counted.
    ``writing(rows)`` is told how many rows have been written while the workbook is saved.
    """
    from pathlib import Path

    from checker import batch
    from checker.decisions import invalid_decisions, read_decisions, run_root
    from checker.output import ensure_not_input
    from checker.report.xlsx_review import write_review

    config = _layered_config(paths, config_file, flags)
    target = Path(output)
    if target.suffix.lower() not in (".xlsx", ".xlsm"):
        from checker.errors import OutputError

        # Checked before any work: an .xlsx written under a .csv name opens as garbage.
        raise OutputError(f"{output}: 审核表须为 .xlsx 文件 / the review workbook is an .xlsx file (e.g. 审核表.xlsx)")
    inputs, duplicates = batch_inputs(paths, config)
    suppress_path = Path(suppressions) if suppressions else (Path(config.suppressions) if config.suppressions else None)
    baseline_path = Path(baseline) if baseline else (Path(config.baseline) if config.baseline else None)
    read = [*inputs.files, *read_paths(config, previous, suppress_path, baseline_path)]
    ensure_not_input(target, read)
    rules_off, known = _suppressions_and_baseline(suppress_path, baseline_path)
    decisions = read_decisions(Path(previous)) if previous else {}
    rules = list_rules(None if config.pack == "auto" else config.pack)
    outcomes = batch.iter_outcomes(inputs, config, jobs=jobs, progress=progress, keep_sheets=True)
    marked = _marked(outcomes, rules_off, known) if rules_off is not None or known is not None else outcomes
    packs = config.pack if config.pack != "auto" else "auto (fw2015 / fw2021 按表识别)"
    root = run_root(inputs.files)
    count, dropped, totals = write_review(
        marked,
        target,
        rules,
        packs,
        previous=decisions,
        lang=config.lang,
        inputs=read,
        root=root,
        writing=writing,
        duplicates=duplicates,
    )
    from checker.findings import Severity

    threshold = Severity(config.fail_on).rank
    failed = any(totals.get(s.value, 0) for s in Severity if s.rank >= threshold)
    bad = invalid_decisions(decisions, str(previous), decision_words()) if previous else []
    return ReviewDone(count, tuple(dropped), tuple(bad), duplicates, failed)


def _marked(outcomes: Any, rules_off: list[Any] | None, known: dict[str, dict[str, object]] | None) -> Any:
    """Suppressions and baseline applied one file at a time, as the outcomes stream into the workbook."""
    from checker import batch

    left = dict(known or {})
    for outcome in outcomes:
        if outcome.report is None:
            yield outcome
            continue
        reports = [outcome.report]
        if rules_off is not None:
            from checker.suppress import apply_suppressions

            reports, _ = apply_suppressions(reports, rules_off)
        if known is not None:
            from checker.baseline import apply_baseline

            reports, _ = apply_baseline(reports, left)
            left = _unspent(left, reports)
        yield batch.with_reports([outcome], reports)[0]


def _unspent(left: dict[str, dict[str, object]], reports: list[Any]) -> dict[str, dict[str, object]]:
    """The baseline less the entries these reports used (a baseline counts each finding once per run)."""
    from collections import Counter

    used = Counter(f.fingerprint for r in reports for f in r.findings if f.baselined)
    out: dict[str, dict[str, object]] = {}
    for fp, entry in left.items():
        n = int(str(entry.get("count", 1))) - used[fp]
        if n > 0:
            out[fp] = {**entry, "count": n}
    return out


@contextlib.contextmanager
def stdin_paths(paths: list[str]) -> Iterator[list[str]]:
    """``paths`` with ``-`` standing for the bytes on standard input, saved to a private temporary file for
    the run and removed after it. The reader tells the format from the content (checker/readers)."""
    if "-" not in paths:
        yield paths
        return
    import shutil
    import sys
    import tempfile
    from pathlib import Path

    from checker.errors import InputError
    from checker.readers import MAX_TEXT_BYTES

    if paths.count("-") > 1:
        raise InputError("-", "标准输入只能读一次 / standard input can be given once")
    folder = Path(tempfile.mkdtemp(prefix="jixiao-stdin-"))
    try:
        target = folder / "stdin"
        target.write_bytes(sys.stdin.buffer.read(MAX_TEXT_BYTES + 1))  # the reader refuses more
        yield [str(target) if p == "-" else p for p in paths]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def decision_words() -> list[str]:
    """The 审核结论 words of the review workbook's dropdown (templates/review.yaml)."""
    from checker.report.xlsx_review import template

    return list(template()["decisions"])


def unused_configs(paths: list[str], config: Config) -> list[str]:
    """Config files inside the checked folders that this run does not obey (reported, so nobody wonders)."""
    from pathlib import Path

    from checker.config import find_config

    used = Path(config.source).resolve() if config.source else None
    out: list[str] = []
    for arg in paths:
        folder = Path(arg)
        if not folder.is_dir():
            continue
        for name in ("jixiao.toml", "pyproject.toml"):
            for found in sorted(folder.rglob(name))[:20]:
                if found.resolve() != used and find_config(found) == found.resolve() and str(found) not in out:
                    out.append(str(found))
    return out


def read_paths(config: Config, *extra: os.PathLike[str] | str | None) -> list[str]:
    """Every file a run reads besides the checked ones (config, packs, suppressions, baseline, previous
    workbook): an output may be none of them."""
    named = [config.source, *config.packs, config.suppressions, config.baseline, *extra]
    return [str(p) for p in named if p]


def fix_config(paths: list[str], config_file: os.PathLike[str] | None = None, **flags: Any) -> Config:
    """The config ``jixiao fix`` checks a file under: the same layering and flags as ``jixiao check``."""
    return _layered_config(paths, config_file, flags)


def _layered_config(paths: list[str], config_file: os.PathLike[str] | None, flags: dict[str, Any]) -> Config:
    from pathlib import Path

    from checker.config import load_config, with_flags

    # From the working directory up (as mypy does), never from the checked files: a folder of submissions
    # must not configure the run that checks it (ignore = [...] would silence every rule).
    config = load_config(Path.cwd(), Path(config_file) if config_file else None)
    packs = flags.pop("packs", None)
    if packs:
        flags["packs"] = config.packs + tuple(str(p) for p in packs)
    from checker.suggest import split_list

    for key in ("select", "ignore"):
        if flags.get(key):
            flags[key] = split_list(flags[key])
    if flags.get("year") is not None:
        flags["year_origin"] = "option"
    return with_flags(config, **flags)


def import_review(workbook: os.PathLike[str], suppressions: os.PathLike[str]) -> tuple[int, list[str], list[str]]:
    """Turn 误报 / 接受例外 decisions that give a reason into entries of the suppressions file.

    Returns how many entries were added, the fingerprints skipped for lack of a reason, and one line for
    each 审核结论 that is not one of the decision words (taken as 待定, so never imported).
    """
    from pathlib import Path

    from checker.decisions import invalid_decisions, read_decisions
    from checker.output import write_atomic
    from checker.report.controls import one_line
    from checker.suppress import load_suppressions

    target = Path(suppressions)
    from checker.output import check_output

    check_output(target, "toml")  # a folder or a wrong name is refused before the workbook is read
    existing = {(s.fingerprint, s.file) for s in load_suppressions(target)} if target.exists() else set()
    lines, skipped = [], []
    decisions = read_decisions(Path(workbook))
    unique = {id(d): d for d in decisions.values()}
    for d in unique.values():
        fp = d.fingerprint
        if d.decision not in ("误报", "接受例外") or (fp, d.file or None) in existing:
            continue
        if not d.comment:
            skipped.append(fp)
            continue
        reason = f"{d.decision}：{d.comment}" + (f"（{d.reviewer} {d.date}）" if d.reviewer or d.date else "")
        comment = one_line(f"{d.project} {d.path}")  # a newline here would end the comment: TOML injection
        # The file too: the same finding in another file is another reviewer's question.
        where = f"file = {_toml(d.file)}\n" if d.file else ""
        lines.append(f"\n[[suppress]]\n# {comment}\nfingerprint = {_toml(fp)}\n{where}reason = {_toml(reason)}\n")
        existing.add((fp, d.file or None))
    if lines:
        before = target.read_text(encoding="utf-8") if target.exists() else "# jixiao 忽略清单 / suppressions\n"
        write_atomic(target, (before + "".join(lines)).encode("utf-8"), inputs=[workbook])
    return len(lines), skipped, invalid_decisions(decisions, str(workbook), decision_words())


def _toml(text: str) -> str:
    from checker.report.controls import toml_string

    return toml_string(text)


__all__ = [
    "ParsedFile",
    "check_path",
    "check_sheet",
    "import_review",
    "list_rules",
    "pack_summaries",
    "parse_path",
    "read_paths",
    "run_check",
    "run_review",
    "unused_configs",
]

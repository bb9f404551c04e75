"""The library surface. The CLI only adapts arguments to these functions."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, TextIO

from checker.model import GoalSheet, ParsedFile
from checker.pipeline import check_path, parse_path

if TYPE_CHECKING:
    from collections.abc import Callable

    from checker.config import Config
    from checker.findings import SheetResult
    from checker.results import FileOutcome, RunResult
    from checker.rules.loader import Rule
    from checker.stream import StreamedRun


def check_sheet(sheet: GoalSheet, config: Config | None = None) -> SheetResult:
    """Validate one parsed sheet (framework detected unless the config names one)."""
    from checker.rules.engine import Engine

    return Engine(config).check_sheet(sheet)


def list_rules(pack: str | None = None) -> list[Rule]:
    """Every rule of one pack (its extends chain applied), or of all shipped packs when ``pack`` is None."""
    from checker.rules.loader import all_rules

    return all_rules(pack)


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
    inputs = batch.collect(paths)
    outcomes = list(batch.iter_outcomes(inputs, config, jobs=jobs, progress=progress, encode=_encoder(output_format)))
    outcomes = batch.with_run_findings(outcomes, config)
    reports = batch.reports(outcomes)
    unused: list[Any] = []
    stale: list[Any] = []
    suppress_path = Path(suppressions) if suppressions else (Path(config.suppressions) if config.suppressions else None)
    if suppress_path is not None:
        from checker.suppress import apply_suppressions, load_suppressions

        reports, unused = apply_suppressions(reports, load_suppressions(suppress_path))
    baseline_path = Path(baseline) if baseline else (Path(config.baseline) if config.baseline else None)
    if baseline_path is not None:
        from checker.baseline import apply_baseline, load_baseline

        reports, stale = apply_baseline(reports, load_baseline(baseline_path))
    outcomes = batch.with_reports(outcomes, reports)
    return RunResult(tuple(outcomes), config.pack, config.lang, tuple(unused), tuple(stale)), config


def stream_check(
    paths: list[str],
    *,
    output_format: str = "text",
    output: os.PathLike[str] | None = None,
    stdout: TextIO | None = None,
    config_file: os.PathLike[str] | None = None,
    jobs: int = 1,
    baseline: os.PathLike[str] | None = None,
    suppressions: os.PathLike[str] | None = None,
    write_baseline: os.PathLike[str] | None = None,
    progress: Any = None,
    colour: bool = False,
    opinions: bool = False,
    keep_outcomes: bool = False,
    **flags: Any,
) -> tuple[StreamedRun, Config]:
    """``jixiao check`` in flat memory: the same run as ``run_check``, written to ``output`` (atomically) or
    to ``stdout`` as files complete, never holding every file's result (see ``checker.stream``) unless
    ``keep_outcomes`` asks for them (``StreamedRun.outcomes``, for ``check --fix``)."""
    import sys
    from pathlib import Path

    from checker import batch
    from checker.output import ensure_not_input, text_output
    from checker.report import writer_for
    from checker.stream import Marks
    from checker.stream import stream_check as run_streamed

    config = _layered_config(paths, config_file, flags)
    inputs = batch.collect(paths)
    suppress_path = Path(suppressions) if suppressions else (Path(config.suppressions) if config.suppressions else None)
    baseline_path = Path(baseline) if baseline else (Path(config.baseline) if config.baseline else None)
    suppressor = marker = recorder = None
    if suppress_path is not None:
        from checker.suppress import Suppressor, load_suppressions

        suppressor = Suppressor(load_suppressions(suppress_path))
    if baseline_path is not None:
        from checker.baseline import BaselineMarker, load_baseline

        marker = BaselineMarker(load_baseline(baseline_path))
    # Every file the run reads is an input: neither the output nor the baseline written may replace one,
    # and that is known before any work.
    read = [*inputs.files, *read_paths(config, baseline, suppressions)]
    if write_baseline is not None:
        from checker.baseline import BaselineRecorder

        ensure_not_input(Path(write_baseline), read)
        recorder = BaselineRecorder()
    marks = Marks(suppressor, marker, recorder)
    with text_output(Path(output) if output is not None else None, read, stdout or sys.stdout) as out:
        writer = writer_for(output_format, out.write, lang=config.lang, pack=config.pack, fail_on=config.fail_on,
                            colour=colour, opinions=opinions)  # fmt: skip
        result = run_streamed(inputs, config, writer, marks, jobs=jobs, progress=progress,
                              encode=_encoder(output_format), keep_outcomes=keep_outcomes)  # fmt: skip
    if recorder is not None and write_baseline is not None:
        from checker.output import write_atomic

        write_atomic(Path(write_baseline), recorder.json().encode("utf-8"), inputs=read)
    return result, config


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
    **flags: Any,
) -> tuple[int, list[Any]]:
    """``jixiao review``: check the inputs and stream them into a review workbook at ``output``.

    Returns the number of findings written and the previous round's decisions that found no finding.
    """
    from pathlib import Path

    from checker import batch
    from checker.decisions import read_decisions, run_root
    from checker.output import ensure_not_input
    from checker.report.xlsx_review import write_review

    config = _layered_config(paths, config_file, flags)
    target = Path(output)
    if target.suffix.lower() not in (".xlsx", ".xlsm"):
        from checker.errors import OutputError

        # Checked before any work: an .xlsx written under a .csv name opens as garbage.
        raise OutputError(f"{output}: 审核表须为 .xlsx 文件 / the review workbook is an .xlsx file (e.g. 审核表.xlsx)")
    inputs = batch.collect(paths)
    ensure_not_input(target, [*inputs.files, *read_paths(config, previous)])
    decisions = read_decisions(Path(previous)) if previous else {}
    rules = list_rules(None if config.pack == "auto" else config.pack)
    outcomes = batch.iter_outcomes(inputs, config, jobs=jobs, progress=progress, keep_sheets=True)
    packs = config.pack if config.pack != "auto" else "auto (fw2015 / fw2021 按表识别)"
    read = [*inputs.files, *read_paths(config, previous)]
    root = run_root(inputs.files)
    return write_review(outcomes, target, rules, packs, previous=decisions, lang=config.lang, inputs=read, root=root)


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
    for key in ("select", "ignore"):
        if flags.get(key):
            flags[key] = tuple(flags[key])
    if flags.get("year") is not None:
        flags["year_origin"] = "option"
    return with_flags(config, **flags)


def import_review(workbook: os.PathLike[str], suppressions: os.PathLike[str]) -> tuple[int, list[str]]:
    """Turn 误报 / 接受例外 decisions that give a reason into entries of the suppressions file.

    Returns how many entries were added and the fingerprints skipped for lack of a reason.
    """
    from pathlib import Path

    from checker.decisions import read_decisions
    from checker.output import write_atomic
    from checker.report.controls import one_line
    from checker.suppress import load_suppressions

    target = Path(suppressions)
    existing = {(s.fingerprint, s.file) for s in load_suppressions(target)} if target.exists() else set()
    lines, skipped = [], []
    unique = {id(d): d for d in read_decisions(Path(workbook)).values()}
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
    return len(lines), skipped


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

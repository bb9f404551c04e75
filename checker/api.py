"""The library surface. The CLI only adapts arguments to these functions."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, TextIO

from checker.frozen import frozen
from checker.model import GoalSheet, ParsedFile
from checker.pipeline import check_path, parse_path

if TYPE_CHECKING:
    from collections.abc import Callable

    from checker.config import Config
    from checker.findings import SheetResult
    from checker.report import RenderOptions
    from checker.results import FileOutcome, RunResult
    from checker.rules.loader import Rule
    from checker.stream import Marks, StreamedRun


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
    from checker import batch
    from checker.results import RunResult
    from checker.stream import mark

    config = _layered_config(paths, config_file, flags)
    inputs, duplicates = batch_inputs(paths, config)
    marks = _marks(config, suppressions, baseline)
    outcomes = list(batch.iter_outcomes(inputs, config, jobs=jobs, progress=progress, encode=_encoder(output_format)))
    outcomes = [mark(o, marks) for o in batch.with_run_findings(outcomes, config)]
    unused = tuple(marks.suppressor.unused()) if marks.suppressor else ()
    stale = tuple(marks.baseline.stale()) if marks.baseline else ()
    return RunResult(tuple(outcomes), config.pack, config.lang, unused, stale, duplicates), config


def batch_inputs(paths: list[str], config: Config) -> tuple[Any, tuple[tuple[str, str], ...]]:
    """The run's files (batch.collect) with byte-identical copies left out, and (copy, first) for each.

    A copy is left out only when the same rules apply to it (per-path-ignores may differ by folder)."""
    from dataclasses import replace

    from checker import batch
    from checker.dedupe import unique_by_content
    from checker.executors import warm_up

    warm_up(config)
    inputs = batch.collect(paths)
    kept, duplicates = unique_by_content(inputs.files, config.ignored_for)
    return (replace(inputs, files=kept) if duplicates else inputs), duplicates


@frozen
class ReviewDone:
    """What ``jixiao review`` wrote: findings, the previous round's decisions that found no finding, the
    reviewer entries that are not decision words, copies left out, and whether --fail-on was reached."""

    count: int
    dropped: tuple[Any, ...]
    invalid_decisions: tuple[str, ...]
    duplicates: tuple[tuple[str, str], ...]
    failed: bool


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
    options: RenderOptions | None = None,
    keep_outcomes: bool = False,
    shown_as: Mapping[str, str] | None = None,
    **flags: Any,
) -> tuple[StreamedRun, Config]:
    """``jixiao check`` in flat memory: the same run as ``run_check``, written to ``output`` (atomically) or
    to ``stdout`` as files complete, never holding every file's result (see ``checker.stream``) unless
    ``keep_outcomes`` asks for them (``StreamedRun.outcomes``, for ``check --fix``). ``shown_as`` names
    paths to print under another name (standard input's temporary file as ``-``)."""
    import sys
    from dataclasses import replace
    from itertools import chain
    from pathlib import Path

    from checker.output import Sink, ensure_not_input, renamed, text_output
    from checker.report import FORMATS, RenderOptions
    from checker.stream import stream_check as run_streamed

    config = _layered_config(paths, config_file, flags)
    inputs, duplicates = batch_inputs(paths, config)
    marks = _marks(config, suppressions, baseline)
    # Every file the run reads is an input: neither the output nor the baseline written may replace one,
    # and that is known before any work.
    extra = read_paths(config, baseline, suppressions)
    if write_baseline is not None:
        from checker.baseline import BaselineRecorder

        ensure_not_input(Path(write_baseline), chain(inputs.files, extra))
        marks = replace(marks, recorder=BaselineRecorder())
    chosen = replace(options or RenderOptions(), fail_on=config.fail_on)  # JUnit's failures follow the config
    target = Path(output) if output is not None else None
    with (
        text_output(target, chain(inputs.files, extra), stdout or sys.stdout) as out,
        renamed(Sink(out), shown_as or {}) as write,
    ):
        writer = FORMATS[output_format].writer(write, config.lang, config.pack, chosen)
        result = run_streamed(inputs, config, writer, marks, jobs=jobs, progress=progress,
                              encode=_encoder(output_format), keep_outcomes=keep_outcomes,
                              duplicates=duplicates)  # fmt: skip
    if marks.recorder is not None and write_baseline is not None:
        from checker.output import write_atomic

        write_atomic(Path(write_baseline), marks.recorder.json().encode("utf-8"), inputs=chain(inputs.files, extra))
    return result, config


def _marks(config: Config, suppressions: os.PathLike[str] | None, baseline: os.PathLike[str] | None) -> Marks:
    """The per-file bookkeeping of a run: the suppressions and baseline named here or in the config. Both
    files are read before any sheet is checked: a typo in their path is refused at once."""
    from pathlib import Path

    from checker.stream import Marks

    suppress_path = Path(suppressions) if suppressions else (Path(config.suppressions) if config.suppressions else None)
    baseline_path = Path(baseline) if baseline else (Path(config.baseline) if config.baseline else None)
    suppressor = marker = None
    if suppress_path is not None:
        from checker.suppress import Suppressor, load_suppressions

        suppressor = Suppressor(load_suppressions(suppress_path))
    if baseline_path is not None:
        from checker.baseline import BaselineMarker, load_baseline

        marker = BaselineMarker(load_baseline(baseline_path))
    return Marks(suppressor, marker)


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
    from itertools import chain
    from pathlib import Path

    from checker import batch
    from checker.decisions import invalid_decisions, read_decisions, run_root
    from checker.output import ensure_not_input
    from checker.report.xlsx_review import write_review
    from checker.stream import mark

    config = _layered_config(paths, config_file, flags)
    target = Path(output)
    if target.suffix.lower() not in (".xlsx", ".xlsm"):
        from checker.errors import OutputError

        # Checked before any work: an .xlsx written under a .csv name opens as garbage.
        raise OutputError(f"{output}: 审核表须为 .xlsx 文件 / the review workbook is an .xlsx file (e.g. 审核表.xlsx)")
    inputs, duplicates = batch_inputs(paths, config)
    suppress_path = Path(suppressions) if suppressions else (Path(config.suppressions) if config.suppressions else None)
    baseline_path = Path(baseline) if baseline else (Path(config.baseline) if config.baseline else None)
    extra = read_paths(config, previous, suppress_path, baseline_path)
    ensure_not_input(target, chain(inputs.files, extra))
    marks = _marks(config, suppress_path, baseline_path)
    decisions = read_decisions(Path(previous)) if previous else {}
    rules = list_rules(None if config.pack == "auto" else config.pack)
    outcomes = batch.iter_outcomes(inputs, config, jobs=jobs, progress=progress, keep_sheets=True)
    marked = (mark(o, marks) for o in outcomes)  # one file at a time, as the outcomes stream into the workbook
    packs = config.pack if config.pack != "auto" else "auto (fw2015 / fw2021 按表识别)"
    root = run_root(inputs.files)
    count, dropped, totals = write_review(
        marked,
        target,
        rules,
        packs,
        previous=decisions,
        lang=config.lang,
        inputs=chain(inputs.files, extra),
        root=root,
        writing=writing,
        duplicates=duplicates,
    )
    from checker.findings import Severity

    threshold = Severity(config.fail_on).rank
    failed = any(totals.get(s.value, 0) for s in Severity if s.rank >= threshold)
    bad = invalid_decisions(decisions, str(previous), decision_words()) if previous else []
    return ReviewDone(count, tuple(dropped), tuple(bad), duplicates, failed)


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

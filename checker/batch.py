"""Checking many files: expand folders and globs, run in a process pool, keep a stable order."""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from checker.config import Config
from checker.errors import InputError
from checker.findings import Report, SheetResult
from checker.model import GoalSheet
from checker.readers import SUFFIXES
from checker.rules.engine import Engine
from checker.rules.loader import selector_matches


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """One input: its report, or the one line saying why it was rejected."""

    path: str
    report: Report | None
    error: str | None = None
    # This file's entry in the JSON report as the worker wrote it, so the parent does not encode thousands
    # of findings serially; the renderer uses it only while suppressions and baseline leave it unchanged.
    encoded: str | None = None


def collect(args: Iterable[str]) -> list[str]:
    """Files as given; folders searched recursively for supported suffixes; globs expanded. Sorted per
    folder or glob, first occurrence kept, so the order (and the output) never depends on the file system."""
    out: list[str] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            out.append(path)

    for arg in args:
        if any(ch in arg for ch in "*?[") and not Path(arg).exists():
            for match in sorted(glob.glob(arg, recursive=True)):
                if Path(match).is_file():
                    add(match)
        elif Path(arg).is_dir():
            for found in sorted(Path(arg).rglob("*")):
                if found.is_file() and found.suffix.lower() in SUFFIXES and not found.name.startswith(("~$", ".")):
                    add(str(found))
        else:
            add(arg)
    return out


_ENGINE: Engine | None = None


def check_one(path: str) -> FileOutcome:
    from checker.api import check_path

    engine = _ENGINE or Engine()
    try:
        report = check_path(path, engine=engine)
    except InputError as exc:
        return FileOutcome(path, None, f"jixiao: {exc}")
    ignored = engine.config.ignored_for(path)
    if ignored:
        report = replace(report, sheets=tuple(
            SheetResult(s.sheet, s.framework, tuple(f for f in s.findings
                                                   if not any(selector_matches(f.code, f.name, f.refs, sel)
                                                              for sel in ignored)))
            for s in report.sheets))  # fmt: skip
    return FileOutcome(path, report)


def check_one_light(path: str, encode_json: bool = False) -> FileOutcome:
    """check_one for the pool: the parsed sheets stay in the worker (only their project and location go
    back), because unpickling whole sheets is serial work in the parent that caps the speed-up; with
    ``encode_json`` the file's JSON entry is written here too, for the same reason."""
    outcome = check_one(path)
    if outcome.report is not None:
        light = tuple(
            SheetResult(GoalSheet(s.sheet.project, s.sheet.location, year=s.sheet.year,
                                  source_kind=s.sheet.source_kind), s.framework, s.findings)
            for s in outcome.report.sheets
        )  # fmt: skip
        outcome = replace(outcome, report=replace(outcome.report, sheets=light))
    if encode_json:
        from checker.report.json_report import file_text

        outcome = replace(outcome, encoded=file_text(outcome))
    return outcome


def _init(engine: Engine) -> None:
    # One compiled engine per worker process, set once by the pool's initializer (or by run()).
    global _ENGINE  # noqa: PLW0603
    _ENGINE = engine


def iter_outcomes(
    paths: list[str],
    config: Config,
    jobs: int = 1,
    *,
    progress: Callable[[int, int], None] | None = None,
    keep_sheets: bool = False,
    encode_json: bool = False,
) -> Iterator[FileOutcome]:
    """Outcomes one by one, in the order of ``paths`` whatever ``jobs`` is, so a writer can stream them in
    bounded memory.

    With ``keep_sheets`` False, outcomes carry sheets without their indicators (findings keep everything
    they need); a caller that needs the parsed sheets (the review workbook) asks for them. With
    ``encode_json`` the workers also write each file's JSON entry (see FileOutcome.encoded).
    """
    engine = Engine(config)
    _init(engine)
    if jobs <= 1 or len(paths) < 2:
        for i, path in enumerate(paths, 1):
            yield _work(path, keep_sheets, encode_json)
            if progress:
                progress(i, len(paths))
        return
    import multiprocessing  # a one-file lint never pays for the pool's imports
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    for pack_id in sorted({config.pack} if config.pack != "auto" else {"fw2015", "fw2021"}):
        engine.rules_for(pack_id)  # compile before forking: workers inherit it, a broken pack fails once here
    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    chunks = guided_chunks(paths, jobs)
    done = 0
    # Executor.map submits everything at once and buffers every result: with a slow consumer (the review
    # writer) memory would grow with the batch. A window of a few chunks per worker keeps it flat.
    window = 2 * jobs
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init, initargs=(engine,)) as pool:
        pending: deque[Future[list[FileOutcome]]] = deque()
        for i, chunk in enumerate(chunks):
            pending.append(pool.submit(_work_chunk, chunk, keep_sheets, encode_json))
            last = i == len(chunks) - 1
            while pending and (len(pending) >= window or last):
                for outcome in pending.popleft().result():
                    done += 1
                    yield outcome
                    if progress:
                        progress(done, len(paths))


def guided_chunks(paths: list[str], jobs: int) -> list[list[str]]:
    """Chunks of at most 32 files that shrink as the work runs out (guided scheduling): large chunks keep
    the pool's per-task cost low, small last ones keep one worker from finishing a 32-file chunk alone
    while the other waits (on 2 cores that tail was ~40 ms of a 1.3 s batch)."""
    chunks, i = [], 0
    while i < len(paths):
        size = max(1, min(32, (len(paths) - i) // (jobs * 4)))
        chunks.append(paths[i : i + size])
        i += size
    return chunks


def _work(path: str, keep_sheets: bool, encode_json: bool) -> FileOutcome:
    return check_one(path) if keep_sheets else check_one_light(path, encode_json)


def _work_chunk(chunk: list[str], keep_sheets: bool, encode_json: bool) -> list[FileOutcome]:
    return [_work(path, keep_sheets, encode_json) for path in chunk]


def reports(outcomes: list[FileOutcome]) -> list[Report]:
    return [o.report for o in outcomes if o.report is not None]


def with_reports(outcomes: list[FileOutcome], new: list[Report]) -> list[FileOutcome]:
    it = iter(new)
    return [replace(o, report=next(it)) if o.report is not None else o for o in outcomes]

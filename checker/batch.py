"""Checking many files: expand folders and globs, hand them to an executor (checker.executors), keep a stable
order."""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from checker.config import Config
from checker.errors import InputError
from checker.findings import Finding, Report
from checker.frozen import frozen
from checker.lazyseq import LazySequence
from checker.model import GoalSheet, pickled_by_init
from checker.pathlist import PathList
from checker.readers import SUFFIXES
from checker.results import FileOutcome, Tally
from checker.rules.engine import Engine, RunPass
from checker.rules.loader import selector_matches

if TYPE_CHECKING:
    from checker.executors import R, Task
    from checker.rules.registry import RunEntry

T = TypeVar("T")
# Writes one file's entry of the output where the file was checked (see FileOutcome.encoded).
Encoder = Callable[[FileOutcome], str]


@frozen
class Inputs:
    """The files of a run in order, and those the user named one by one (not found in a folder or by a
    glob): a named file without a goal sheet is worth a warning, a folder's other documents are not.
    ``files`` is a PathList for a collected run (compact: a province's paths are its largest list)."""

    files: Sequence[str]
    named: frozenset[str] = frozenset()  # os.path.normpath of each named file

    def is_named(self, path: str) -> bool:
        return bool(self.named) and os.path.normpath(path) in self.named


def collect(args: Iterable[str]) -> Inputs:
    """Files as given; folders searched recursively for supported suffixes; globs expanded. Sorted per
    folder or glob, first occurrence kept, so the order (and the output) never depends on the file system.

    An argument that gives no file — a missing path, an empty folder, a glob matching nothing — is an
    InputError: a run that checks nothing must not look like a clean one."""
    out = PathList()
    named: set[str] = set()
    args = list(args)
    # One argument cannot name a file twice (a folder is walked once, a glob's matches are distinct), so
    # the set of every path seen, as large as the list, is kept only when arguments may overlap.
    seen: set[str] | None = set() if len(args) > 1 else None

    def add(path: str) -> None:
        if seen is None:
            out.append(path)
            return
        key = os.path.normpath(path)
        if key not in seen:
            seen.add(key)
            out.append(path)

    kinds = " ".join(sorted(SUFFIXES))
    for arg in args:
        if any(ch in arg for ch in "*?[") and not Path(arg).exists():
            # A recursive pattern can match one file twice (a/**/**/x): its own matches are made unique here,
            # since one argument is not checked against ``seen``.
            unique = {os.path.normpath(m): m for m in sorted(glob.glob(arg, recursive=True), reverse=True)}
            matches = sorted(m for m in unique.values() if Path(m).is_file())
            if not matches:
                raise InputError(arg, "没有文件与此通配符匹配 / no file matches this pattern",
                                 "检查通配符和当前目录 / check the pattern and the current folder")  # fmt: skip
            for match in matches:
                add(match)
        elif Path(arg).is_dir():
            before = len(out)
            for path in _files_below(Path(arg)):
                add(path)
            if len(out) == before and not any(True for _ in _files_below(Path(arg))):
                raise InputError(arg, f"文件夹中没有可检查的文件（{kinds}）/ no file to check in this folder ({kinds})",
                                 "检查路径，或直接列出要检查的文件 / check the path or name the files")  # fmt: skip
        elif not Path(arg).exists():
            raise InputError(arg, "文件或文件夹不存在 / no such file or folder",
                             "检查路径和当前目录 / check the path and the current folder")  # fmt: skip
        else:
            add(arg)
            named.add(os.path.normpath(arg))
    return Inputs(out, frozenset(named))


@pickled_by_init  # a local Dask scheduler unpickles each chunk's items too (yappi: ~4 per sheet)
@frozen
class WorkItem:
    """One file to check, as an executor hands it to a worker: ``path`` as the user gave it (what the
    outputs show). On a worker that does not share the run's working directory, ``source`` is where to read
    it (an absolute path on shared storage); ``data`` is the file's bytes when workers cannot see the file
    at all, or ``refused`` the line saying why the run could not read them."""

    path: str
    named: bool = False
    source: str | None = None
    data: bytes | None = None
    refused: str | None = None


def _files_below(folder: Path) -> Iterator[str]:
    """The files to check below ``folder`` in the order pathlib's ``sorted(folder.rglob("*"))`` gives them
    (symlinked folders not entered), named as rglob names them, one at a time: each folder's entries are
    sorted and walked depth first, which is that order (a part compares before any longer part it begins,
    see _path_order), so no list of every file is ever built."""
    root = str(folder)
    stack: list[Iterator[tuple[str, bool]]] = [_sorted_entries(root)]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
        elif entry[1]:
            stack.append(_sorted_entries(entry[0]))
        else:
            yield entry[0]


def _sorted_entries(here: str) -> Iterator[tuple[str, bool]]:
    """(path, is a folder to enter) for the entries of one folder worth a look, in path order: folders not
    reached through a link, and files with a supported suffix that are not Office lock files or hidden."""
    found: list[tuple[str, bool]] = []
    try:
        with os.scandir(here) as it:
            for entry in it:
                try:
                    if entry.is_dir() and not entry.is_symlink():
                        found.append((entry.name, True))
                    elif (
                        entry.is_file()
                        and os.path.splitext(entry.name)[1].lower() in SUFFIXES
                        and not entry.name.startswith(("~$", "."))
                    ):
                        found.append((entry.name, False))
                except OSError:
                    continue
    except OSError:  # unreadable, as rglob: skipped
        return
    found.sort(key=lambda e: _path_order(e[0]))
    for name, is_dir in found:
        yield (name if here == "." else os.path.join(here, name)), is_dir


def _path_order(path: str) -> str:
    """The order pathlib gives paths (part by part; case-folded on Windows), for path strings: a separator
    made the lowest character compares a shorter part before a longer one it begins."""
    key = path.replace(os.sep, "\0")
    return key.lower() if os.name == "nt" else key


_ENGINE: Engine | None = None


def check_one(path: str, named: bool = False, *, data: bytes | None = None, source: str | None = None) -> FileOutcome:
    """One file checked by the worker's engine; ``data`` (its bytes) or ``source`` (where to read them)
    when the worker cannot read ``path`` itself."""
    from checker.pipeline import check_path
    from checker.readers import read_bytes

    engine = _ENGINE or Engine()
    try:
        if data is None and source is not None:
            data = read_bytes(source)
        report = check_path(path, engine=engine, named=named, data=data)
    except InputError as exc:
        return FileOutcome(path, None, f"jixiao: {exc}")
    # Where the file lives decides its per-path ignores (resolve() on a worker would start from its own cwd).
    ignored = engine.config.ignored_for(source or path)
    if ignored:
        report = replace(report, sheets=tuple(
            replace(s, findings=tuple(f for f in s.findings
                                      if not any(selector_matches(f.code, f.name, f.refs, sel) for sel in ignored)))
            for s in report.sheets))  # fmt: skip
    return FileOutcome(path, report)


def check_one_light(
    path: str, encode: Encoder | None = None, named: bool = False, *, data: bytes | None = None,
    source: str | None = None,
) -> FileOutcome:  # fmt: skip
    """check_one for the pool: the parsed sheets stay in the worker (only their project, location and year
    go back), because unpickling whole sheets is serial work in the parent that caps the speed-up; with
    ``encode`` the file's output entry is written here too, for the same reason."""
    outcome = check_one(path, named, data=data, source=source)
    if outcome.report is not None:
        light = tuple(
            replace(s, sheet=GoalSheet(s.sheet.project, s.sheet.location, year=s.sheet.year,
                                       problems=s.sheet.problems, source_kind=s.sheet.source_kind,
                                       budget_year=s.sheet.budget_year, unread=s.sheet.unread,
                                       document_type=s.sheet.document_type))
            for s in outcome.report.sheets
        )  # fmt: skip
        outcome = replace(outcome, report=replace(outcome.report, sheets=light))
    if encode is not None:
        outcome = replace(outcome, encoded=encode(outcome))
    return outcome


def set_engine(engine: Engine) -> None:
    """The compiled engine every file of this process is checked with: set once per worker (by the pool's
    initializer or the cluster's worker plugin), or by iter_outcomes for a run in this process."""
    global _ENGINE  # noqa: PLW0603
    _ENGINE = engine


def iter_outcomes(
    paths: list[str] | Inputs,
    config: Config,
    jobs: int = 1,
    *,
    progress: Callable[[int, int], None] | None = None,
    keep_sheets: bool = False,
    encode: Encoder | None = None,
) -> Iterator[FileOutcome]:
    """Outcomes one by one, in the order of ``paths`` whatever ``jobs`` is, so a writer can stream them in
    bounded memory. Files in ``Inputs.named`` are checked as named by the user (markers.never_silent).

    With ``keep_sheets`` False, outcomes carry sheets without their indicators (findings keep everything
    they need); a caller that needs the parsed sheets (the review workbook) asks for them. With ``encode``
    (a module-level function, so that it pickles) the workers also write each file's entry of the output
    (see FileOutcome.encoded): the renderer hands it in, the batch knows no output format.

    ``config.executor`` says where files are checked: here (``jobs`` 1), a local process pool, or a Dask
    cluster (``checker.executors``).
    """
    task = partial(work_chunk, keep_sheets=keep_sheets, encode=encode)
    yield from _executed(paths, config, jobs, progress, task)


def iter_packed(
    paths: list[str] | Inputs,
    config: Config,
    jobs: int = 1,
    *,
    progress: Callable[[int, int], None] | None = None,
    encode: Encoder | None = None,
) -> Iterator[Packed]:
    """iter_outcomes for a run that spools its outcomes (checker.stream): each one pickled where it was
    checked, its sheets light (no indicators)."""
    for got in _executed(paths, config, jobs, progress, partial(work_chunk_packed, encode=encode)):
        # An executor's own outcome (a file whose every worker died) comes unpacked.
        yield got if isinstance(got, Packed) else pack(got)


def _executed(
    paths: list[str] | Inputs, config: Config, jobs: int, progress: Callable[[int, int], None] | None, task: Task[R]
) -> Iterator[R | FileOutcome]:
    from checker.executors import chosen

    executor = chosen(config)  # a wrong choice or a missing extra is refused before any file is read
    inputs = paths if isinstance(paths, Inputs) else Inputs(tuple(paths))
    work = WorkItems(inputs)
    engine = Engine(config)
    set_engine(engine)
    made = executor.outcomes(work, engine, task, jobs)
    for done, outcome in enumerate(made, 1):
        yield outcome
        if progress:
            progress(done, len(work))


class WorkItems(LazySequence[WorkItem]):
    """The run's files as WorkItems, made when an executor takes them: a list of 100,000 of them, made
    up front, was a fifth of a province run's memory."""

    __slots__ = ("_inputs",)

    def __init__(self, inputs: Inputs) -> None:
        self._inputs = inputs

    def __len__(self) -> int:
        return len(self._inputs.files)

    def item(self, index: int) -> WorkItem:
        path = self._inputs.files[index]
        return WorkItem(path, self._inputs.is_named(path))


def guided_bounds(count: int, jobs: int) -> Iterator[range]:
    """The index ranges of guided chunks over ``count`` files: at most 32 files each, shrinking as the work
    runs out (guided scheduling): large chunks keep the pool's per-task cost low, small last ones keep one
    worker from finishing a 32-file chunk alone while the other waits (on 2 cores that tail was ~40 ms of
    a 1.3 s batch). A generator, so a pool takes chunks as it submits them."""
    i = 0
    while i < count:
        size = max(1, min(32, (count - i) // (jobs * 4)))
        yield range(i, i + size)
        i += size


def guided_chunks(paths: Sequence[T], jobs: int) -> list[list[T]]:
    """Every guided chunk of ``paths`` at once (see guided_bounds)."""
    return [list(paths[r.start : r.stop]) for r in guided_bounds(len(paths), jobs)]


def work_one(item: WorkItem, keep_sheets: bool, encode: Encoder | None) -> FileOutcome:
    """One file's outcome in a worker: a file that exhausts the worker is that file's failure."""
    path, named = item.path, item.named
    if item.refused is not None:
        return FileOutcome(path, None, f"jixiao: {item.refused}")
    try:
        if keep_sheets:
            return check_one(path, named, data=item.data, source=item.source)
        return check_one_light(path, encode, named, data=item.data, source=item.source)
    except (MemoryError, RecursionError) as exc:
        # One file that exhausts a worker is that file's failure, not the batch's: the rest still run.
        what = "内存不足 / out of memory" if isinstance(exc, MemoryError) else "结构嵌套过深 / nested too deeply"
        return FileOutcome(path, None, f"jixiao: {path}: {what} — 文件被拒绝 / the file was rejected")


def work_chunk(chunk: list[WorkItem], keep_sheets: bool, encode: Encoder | None) -> list[FileOutcome]:
    """A worker's task: a chunk of files, their outcomes in the same order."""
    return [work_one(item, keep_sheets, encode) for item in chunk]


def work_chunk_packed(chunk: list[WorkItem], encode: Encoder | None) -> list[Packed]:
    """A worker's task for a streamed run: the chunk's outcomes, each pickled here (see Packed)."""
    return [pack(work_one(item, False, encode)) for item in chunk]


@pickled_by_init
@frozen
class Packed:
    """One file's outcome as the worker that checked it pickled it, for a run that spools outcomes to disk
    (checker.stream): the parent writes these bytes to its spool as they are. Unpickling every worker's
    findings and pickling them again for the spool was a third of the parent's CPU (yappi, 1,000 files), and
    the parent is the one serial part of a batch. The sheets' run facts travel apart, for the run-level
    pass: ``facts`` holds a pickled ``(path, RunFacts)`` for each sheet that has them, ``sheets`` its index."""

    path: str
    outcome: bytes  # a pickled FileOutcome whose sheets carry no run facts, and no ``encoded``
    # The file's counts (a Tally of this file alone, never changed) and its output entry
    # (FileOutcome.encoded): what the parent counts and writes for a file that nothing in the run changes,
    # without unpickling ``outcome`` (checker.stream).
    counted: Tally
    facts: tuple[bytes, ...] = ()
    sheets: tuple[int, ...] = ()
    encoded: bytes | None = None  # in UTF-8


def pack(outcome: FileOutcome) -> Packed:
    """``outcome`` as a streamed run spools it (see Packed)."""
    import pickle

    counted = Tally()
    counted.add(outcome)
    encoded = None
    if outcome.encoded is not None:
        encoded = outcome.encoded.encode("utf-8", "surrogatepass")  # as the parent's spool holds text
        outcome = replace(outcome, encoded=None)
    report = outcome.report
    facts: list[bytes] = []
    sheets: list[int] = []
    if report is not None and any(s.run_facts is not None for s in report.sheets):
        for k, s in enumerate(report.sheets):
            if s.run_facts is not None:
                facts.append(pickle.dumps((outcome.path, s.run_facts), pickle.HIGHEST_PROTOCOL))
                sheets.append(k)
        bare = tuple(replace(s, run_facts=None) for s in report.sheets)
        outcome = replace(outcome, report=replace(report, sheets=bare))
    blob = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
    return Packed(outcome.path, blob, counted, tuple(facts), tuple(sheets), encoded)


def reports(outcomes: list[FileOutcome]) -> list[Report]:
    return [o.report for o in outcomes if o.report is not None]


def _run_engine(config: Config) -> Engine:
    """The run's own engine when this process has it (its packs are compiled already), else a new one."""
    return _ENGINE if _ENGINE is not None and _ENGINE.config is config else Engine(config)


def run_pass(config: Config) -> RunPass:
    """The run-level rules (target ``run``: boilerplate across projects, duplicate projects) of a run under
    ``config``, to be given its sheets as they are checked."""
    return _run_engine(config).run_pass()


def run_findings(run: RunPass, entries: Sequence[RunEntry], config: Config) -> Iterator[tuple[int, Finding]]:
    """The run pass's findings once every sheet of ``entries`` is in, as (index into ``entries``, finding),
    per-path ignores applied; none for a run of one sheet."""
    if len(entries) >= 2:
        yield from _not_ignored(run.findings(entries), entries, config)


def iter_run_findings(entries: Sequence[RunEntry], config: Config) -> Iterator[tuple[int, Finding]]:
    """The run-level findings over every sheet of a run given at once, per-path ignores applied."""
    if len(entries) >= 2:
        yield from _not_ignored(_run_engine(config).check_run(entries), entries, config)


def _not_ignored(
    found: Iterator[tuple[int, Finding]], entries: Sequence[RunEntry], config: Config
) -> Iterator[tuple[int, Finding]]:
    for index, finding in found:
        ignored = config.ignored_for(entries[index].source)  # per-path ignores hold for run findings too
        if not any(selector_matches(finding.code, finding.name, finding.refs, sel) for sel in ignored):
            yield index, finding


def with_run_findings(outcomes: list[FileOutcome], config: Config) -> list[FileOutcome]:
    """Add the run-level rules' findings once every file is checked; a file that gains findings loses its
    worker-made JSON entry."""
    from checker.rules.registry import RunEntry

    places = [(o, s) for o in outcomes if o.report for s in o.report.sheets if s.run_facts is not None]
    added: dict[int, list[Finding]] = {}
    for index, finding in iter_run_findings([RunEntry(o.path, s.run_facts) for o, s in places], config):
        added.setdefault(index, []).append(finding)
    if not added:
        return outcomes
    by_sheet = {id(places[i][1]): found for i, found in added.items()}
    out = []
    for o in outcomes:
        if o.report is None or not any(id(s) in by_sheet for s in o.report.sheets):
            out.append(o)
            continue
        sheets = tuple(
            replace(s, findings=s.findings + tuple(by_sheet[id(s)])) if id(s) in by_sheet else s
            for s in o.report.sheets
        )
        out.append(replace(o, report=replace(o.report, sheets=sheets), encoded=None))
    return out

"""Where a batch's files are checked. ``batch.iter_outcomes`` hands every executor the same things — the
files as ``WorkItem``s, the compiled ``Engine``, and the task a worker runs on a chunk of them — and takes
back what the task made of each file (a ``FileOutcome``, or a ``batch.Packed`` for a spooled run) in the
order of the files, one at a time, so writers stream in flat memory. An executor that could not get a file
checked at all (every worker that took it died) gives that file's ``FileOutcome`` itself.

- ``process`` (the default): this process for ``--jobs 1``, else a fork process pool (``process.py``);
- ``dask``: a Dask cluster, the one ``--scheduler`` names or a local one sized by ``--jobs`` (``dask.py``,
  the optional extra ``jixiao[dask]``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

from checker.errors import ConfigError

if TYPE_CHECKING:
    from checker.batch import WorkItem
    from checker.config import Config
    from checker.results import FileOutcome
    from checker.rules.engine import Engine

R = TypeVar("R")
# What a worker runs: a chunk of files → their outcomes in the same order (a module-level function or a
# partial of one, so that it pickles).
Task = Callable[[list["WorkItem"]], list[R]]

EXECUTORS = ("process", "dask")


class Executor(Protocol):
    def outcomes(
        self, items: Sequence[WorkItem], engine: Engine, task: Task[R], jobs: int
    ) -> Iterator[R | FileOutcome]:
        """Every item's outcome, in the order of ``items``, with a bounded number of files in flight."""
        ...


class Local:
    """This process for one job or one file (a one-file lint never pays for a pool), else the pool."""

    def outcomes(
        self, items: Sequence[WorkItem], engine: Engine, task: Task[R], jobs: int
    ) -> Iterator[R | FileOutcome]:
        if jobs <= 1 or len(items) < 2:
            for item in items:
                yield from task([item])
            return
        from checker.executors.process import pool_outcomes

        yield from pool_outcomes(items, engine, task, jobs)


def chosen(config: Config) -> Executor:
    """The executor ``config`` names; a ConfigError (one line, exit 2) for a choice that cannot run."""
    from checker.suggest import one_of

    kind = one_of(config.executor, EXECUTORS, "--executor", "executor")
    if kind == "dask":
        import importlib.util

        missing = ConfigError(
            "--executor dask", "", "需要 dask.distributed / needs dask.distributed — pip install 'jixiao[dask]'"
        )
        if importlib.util.find_spec("distributed") is None:
            raise missing
        if config.scheduler is None:
            from checker.executors import fork_server

            fork_server.start()  # the local workers' imports overlap with this process's from here on
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise missing from None
        from checker.executors.dask import DaskExecutor

        return DaskExecutor(config.scheduler, config.send_bytes)
    if config.scheduler is not None or config.send_bytes:
        option = "--scheduler" if config.scheduler is not None else "--send-bytes"
        raise ConfigError(option, "", "只用于 Dask / only for a Dask cluster — add --executor dask")
    return Local()


def warm_up(config: Config) -> None:
    """Start, before the run's files are listed and hashed, what the chosen executor takes long to start:
    a local Dask cluster's fork server, whose imports (dask and the checker, ~1.6 s) then overlap the
    listing (~0.5 s for 10,000 files) instead of following it. Anything wrong with the choice is left to
    ``chosen``, which refuses it with one line."""
    if config.executor.lower() != "dask" or config.scheduler is not None:
        return
    import importlib.util

    if importlib.util.find_spec("distributed") is not None:
        from checker.executors import fork_server

        fork_server.start()


def compile_packs(engine: Engine) -> None:
    """Compile every pack the run can use here, once: workers receive them compiled, and a broken pack
    fails once, in this process, instead of in every worker."""
    from checker.frameworks import framework_ids

    pack = engine.config.pack
    for pack_id in sorted({pack} if pack != "auto" else set(framework_ids())):
        engine.rules_for(pack_id)

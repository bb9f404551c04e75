"""A Dask cluster as the executor (``--executor dask``; the optional extra ``jixiao[dask]``).

Without ``--scheduler`` a LocalCluster of ``--jobs`` worker processes (one thread each: the parser is pure
Python, threads would share one interpreter lock) with its logs silenced and no dashboard. With
``--scheduler tcp://host:8786`` the cluster the operator started (``dask scheduler``, ``dask worker``).

- **The engine reaches each worker once**: a worker plugin carries the compiled rule packs and the config
  and sets them when a worker joins (a worker restarted after a crash too), not with every task.
- **Where the files are read**: a local cluster shares this machine's files and working directory, so
  workers read each path as given. A remote worker reads the absolute path (the files live on storage
  every worker mounts at the same path; checked on the first file before the run), or, with
  ``--send-bytes``, receives each file's bytes read here.
- **Order and memory**: chunks of files (guided chunks as the pool's, of up to 64 files) are made and
  submitted a few per worker thread ahead of the oldest unfinished one and collected as they complete; a
  reorder buffer hands the outcomes on in the order of the files. Memory stays flat for any number of
  files.
- **Start-up and chores** (a local cluster): the fork server the workers come from is started as soon as
  the executor is chosen (``fork_server.py``); dask's periodic chores are slowed (``QUIET_CLOCKS``).
- **A worker lost mid-run loses no file**: the scheduler gives its chunk to another worker. A chunk whose
  workers died ``allowed-failures`` + 1 times (2 + 1 on a local cluster) is split and its files rerun
  alone, one at a time; a file that still kills its worker as often is reported as that file's internal
  error, not retried forever.
"""

from __future__ import annotations

import gc
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import dask
from distributed import Client, LocalCluster, wait
from distributed.diagnostics.plugin import WorkerPlugin
from distributed.scheduler import KilledWorker

from checker import __version__
from checker.batch import WorkItem, set_engine
from checker.errors import ConfigError, InputError
from checker.executors import R, Task, compile_packs
from checker.frozen import frozen
from checker.results import FileOutcome

if TYPE_CHECKING:
    from distributed import Future

    from checker.rules.engine import Engine

# Chunks in flight per worker thread: enough that no worker waits for its next task across a network,
# few enough that the reorder buffer (and the bytes sent with --send-bytes) stay small.
IN_FLIGHT = 4
# On a local cluster: a chunk whose worker died is rerun once by the scheduler before it is split. Every
# task on a worker that dies counts, including those that only waited beside the culprit.
LOCAL_ALLOWED_FAILURES = 1
# How often a wait looks whether a local cluster lost workers for good (see _client).
HEAL_EVERY = 2.0
# Files per chunk at most: twice the pool's 32, because a chunk costs the submitting process a task's
# round trip through the scheduler (guided chunks still shrink towards the end, so the tail stays short).
MOST_PER_CHUNK = 64
# A local cluster's periodic chores, paid on the same cores as the work: the event-loop latency tick (20 ms
# by default), the system monitor (500 ms, with disk counters), the stack profiler sampling each running
# task (10 ms), work stealing (100 ms; the scheduler queues chunks until a worker thread is free, so there
# is little to steal), and each worker's own memory monitor (100 ms) for spilling and pausing, which
# results fetched at once never need. Each wakes an event loop that then takes the interpreter lock from
# the work (one pair, 1,000 sheets: this process's CPU from first outcome to last 1.9 s -> 1.4 s). The
# nanny's check that restarts a worker near its memory limit stays (it runs in this process), once a second
# instead of ten times: each reads the worker's /proc status through psutil (s23, yappi: 683 checks, ~0.4 s
# of this process's CPU over 2,800 sheets), and each file is capped on its own (docs/reliability.md).
QUIET_CLOCKS = {
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.system-monitor.disk": False,
    "distributed.worker.profile.enabled": False,
    "distributed.scheduler.work-stealing": False,
    "distributed.worker.memory.target": False,
    "distributed.worker.memory.spill": False,
    "distributed.worker.memory.pause": False,
    "distributed.worker.memory.monitor-interval": "1s",
}


class EnginePlugin(WorkerPlugin):
    """Sets the run's compiled engine in each worker process once, when the worker joins."""

    name = "jixiao-engine"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def setup(self, worker: Any) -> None:
        set_engine(self.engine)


def worker_version() -> str:
    """Run on every worker before the run: the jixiao it has installed."""
    return __version__


@frozen
class DaskExecutor:
    scheduler: str | None = None
    send_bytes: bool = False

    def outcomes(
        self, items: Sequence[WorkItem], engine: Engine, task: Task[R], jobs: int
    ) -> Iterator[R | FileOutcome]:
        compile_packs(engine)  # here, once: a broken pack fails before any cluster starts
        with _quiet(), _client(self.scheduler, jobs) as (client, heal):
            threads = _ready(client, self.scheduler or "--executor dask")
            if self.scheduler is not None:
                items = [replace(item, source=os.path.abspath(item.path)) for item in items]
                if items and not self.send_bytes:
                    _check_visible(client, items[0], self.scheduler)
            client.register_plugin(EnginePlugin(engine))
            chunks = chunked(items, threads)
            with _frozen():
                yield from ordered(client, chunks, task, window=IN_FLIGHT * threads, send_bytes=self.send_bytes,
                                   heal=heal)  # fmt: skip


@contextmanager
def _frozen() -> Iterator[None]:
    """The objects alive once the cluster runs (dask's and the checker's modules, the scheduler's and the
    client's state, the engine) live as long as the run: moved out of the garbage collector's sight for
    it, so that its full collections stop walking them. Measured on 3,000 sheets: this process holds
    ~72,000 tracked objects beside a cluster (~26,000 beside the pool), and its full collections took
    0.21–0.36 s before, 0.07–0.10 s after. (In the workers the same showed no gain in interleaved
    rounds: docs/scale.md.)"""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()  # a library caller's process goes on; its heap is collected as before


def chunked(items: Sequence[WorkItem], threads: int) -> Iterator[list[WorkItem]]:
    """The pool's guided chunks (batch.guided_chunks) with up to MOST_PER_CHUNK files, made as they are
    submitted: a list of every chunk at once would hold a WorkItem per file of a province's run."""
    i = 0
    while i < len(items):
        size = max(1, min(MOST_PER_CHUNK, (len(items) - i) // (threads * 4)))
        yield list(items[i : i + size])
        i += size


@contextmanager
def _client(scheduler: str | None, jobs: int) -> Iterator[tuple[Client, Callable[[], None]]]:
    """A client of the named scheduler, or of a local cluster started (and closed) here, and what to call
    while waiting: a local worker that dies while its nanny is still starting it is not restarted, and
    the cluster forgets it after ``lost-worker-timeout`` — scaling back to ``jobs`` starts a new one."""
    if scheduler is None:
        # The scheduler of a local cluster runs in this process and reads allowed-failures when it starts;
        # its workers are started by a fork server that has imported dask and the checker once, where
        # each spawned worker would import them itself (measured: 8.2 s against 11.2 s wall from start to
        # closed on 2 workers, most of it the imports and the slower shutdown of spawned workers).
        method = _start_method()
        settings = {"distributed.scheduler.allowed-failures": LOCAL_ALLOWED_FAILURES,
                    "distributed.worker.multiprocessing-method": method,
                    "distributed.deploy.lost-worker-timeout": "1s", **QUIET_CLOCKS}  # fmt: skip
        size = max(1, jobs)
        # Settings for the cluster's life (the lost-worker timeout is read when a worker is lost); the
        # workers' scratch space is the run's own, removed after it (dask would leave a folder in TMPDIR).
        with (
            tempfile.TemporaryDirectory(prefix="jixiao-dask-", ignore_cleanup_errors=True) as scratch,
            dask.config.set(settings),
        ):
            # No dashboard; the scheduler's HTTP routes on a free loopback port (its default, 8787, is
            # taken by a second run at the same time, and dask warns about that on stderr).
            cluster = LocalCluster(
                n_workers=size, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                silence_logs=logging.CRITICAL, local_directory=scratch,
            )  # fmt: skip
            with cluster, Client(cluster, set_as_default=False) as client:

                def heal() -> None:
                    if len(client.nthreads()) < size:
                        cluster.scale(size)

                yield client, heal
        return
    timeout = dask.config.get("distributed.comm.timeouts.connect")
    try:
        client = Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise ConfigError(
            f"--scheduler {scheduler}", "",
            f"无法连接 Dask 调度器 / cannot reach the Dask scheduler ({_reason(exc)}) — 检查地址，并确认 "
            f"`dask scheduler` 在运行 / check the address and that `dask scheduler` runs there",
        ) from None  # fmt: skip
    with client:
        yield client, _nothing


def _nothing() -> None:
    """A cluster someone else runs is theirs to heal."""


def _start_method() -> str:
    from distributed.utils import get_mp_context

    from checker.executors import fork_server

    if not fork_server.start():  # started already by executors.chosen; here again if it has died since
        return "spawn"  # Windows
    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        # distributed names its own preload the first time it asks for the context (for a fork server
        # started later); ours, which imports all of those too, replaces it.
        get_mp_context().set_forkserver_preload(fork_server.PRELOAD)
    return "forkserver"


def _ready(client: Client, where: str) -> int:
    """The cluster's worker threads, once every worker runs this jixiao; else a one-line ConfigError."""
    timeout = dask.utils.parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"))
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise ConfigError(where, "", "调度器没有工作进程 / no worker is connected to the scheduler — start "
                          "`dask worker <scheduler address>` on the machines that check") from None  # fmt: skip
    try:
        versions: dict[str, str] = client.run(worker_version)
    except Exception as exc:  # whatever a worker without jixiao raised while unpickling the call
        raise ConfigError(where, "", f"工作进程无法运行 jixiao / a worker cannot run jixiao ({_reason(exc)}) — "
                          f"pip install 'jixiao[dask]=={__version__}' on every worker") from None  # fmt: skip
    other = sorted(f"{address}: {version}" for address, version in versions.items() if version != __version__)
    if other:
        raise ConfigError(where, "", f"工作进程的 jixiao 版本不同 / workers run another jixiao ({'; '.join(other)}; "
                          f"here {__version__}) — install the same version everywhere")  # fmt: skip
    return sum(client.nthreads().values())


def _check_visible(client: Client, item: WorkItem, scheduler: str) -> None:
    """Refuse a run whose workers cannot see the files (each would come back 'no such file')."""
    seen: dict[str, bool] = client.run(os.path.isfile, item.source)
    blind = sorted(address for address, ok in seen.items() if not ok)
    if blind:
        raise ConfigError(f"--scheduler {scheduler}", "", f"工作进程看不到文件 / the workers {', '.join(blind)} cannot "
                          f"see {item.source} — put the files on storage every worker mounts at the same path, "
                          f"or add --send-bytes")  # fmt: skip


def ordered(
    client: Client,
    chunks: Iterable[list[WorkItem]],
    task: Task[R],
    *,
    window: int,
    send_bytes: bool,
    heal: Callable[[], None] = _nothing,
) -> Iterator[R | FileOutcome]:
    """Outcomes in the order of the chunks, at most ``window`` chunks ahead of the oldest unfinished one."""
    running: dict[int, Future[list[R]]] = {}
    sent: dict[int, list[WorkItem]] = {}  # what each unfinished chunk was sent as (its bytes, for a rerun)
    ready: dict[int, list[R | FileOutcome]] = {}
    pending = iter(chunks)
    submitted = next_out = 0
    more = True
    while more or next_out < submitted:
        while more and submitted - next_out < window:
            chunk = next(pending, None)
            if chunk is None:
                more = False
                break
            if send_bytes:
                chunk = [_with_bytes(item) for item in chunk]
            running[submitted], sent[submitted] = client.submit(task, chunk, pure=False), chunk
            submitted += 1
        if not running:
            break
        try:
            with client.as_current():  # wait() asks for the current client; this run's is not the default
                done = wait(list(running.values()), timeout=HEAL_EVERY, return_when="FIRST_COMPLETED").done
        except TimeoutError:
            heal()
            continue
        for i in [i for i, future in running.items() if future in done]:
            ready[i] = _result(client, running.pop(i), sent.pop(i), task, heal)
        while next_out in ready:
            yield from ready.pop(next_out)
            next_out += 1


def _result(
    client: Client, future: Future[list[R]], chunk: list[WorkItem], task: Task[R], heal: Callable[[], None]
) -> list[R | FileOutcome]:
    """The chunk's outcomes. A chunk that kept killing workers holds a file that does — or was beside one
    on the same worker when it died: its files are rerun alone, one at a time, so that a file is reported
    only for what it did itself."""
    try:
        done: list[R | FileOutcome] = [*future.result()]
        return done
    except KilledWorker:
        pass
    out: list[R | FileOutcome] = []
    for item in chunk:
        single = client.submit(task, [item], pure=False)
        while True:
            try:
                out.extend(single.result(timeout=HEAL_EVERY))
                break
            except KilledWorker:
                out.append(_lost(item))
                break
            except TimeoutError:
                if single.done():
                    raise  # the task's own error
                heal()
    return out


def _lost(item: WorkItem) -> FileOutcome:
    return FileOutcome(item.path, None, f"jixiao: {item.path}: 内部错误：检查此文件的工作进程反复退出 / internal "
                       "error: every worker that checked this file died — 文件未检查，请单独检查 / not checked; "
                       "check it alone to see why")  # fmt: skip


def _with_bytes(item: WorkItem) -> WorkItem:
    from checker.readers import read_bytes

    try:
        return replace(item, data=read_bytes(item.path))
    except InputError as exc:
        return replace(item, refused=str(exc))


def _reason(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__).splitlines()[0]


@contextmanager
def _quiet() -> Iterator[None]:
    """Dask's own log lines (a worker restarted, a connection retried) are not the user's output: the
    outcomes say what happened to each file."""
    logger = logging.getLogger("distributed")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)

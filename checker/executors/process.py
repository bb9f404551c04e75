"""The local process pool: fork workers initialised once with the compiled engine, guided chunks, a
bounded window of chunks in flight, outcomes in the order of the files."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from checker.batch import guided_bounds, set_engine
from checker.executors import R, Task, compile_packs

if TYPE_CHECKING:
    from checker.batch import WorkItem
    from checker.rules.engine import Engine


def pool_outcomes(items: Sequence[WorkItem], engine: Engine, task: Task[R], jobs: int) -> Iterator[R]:
    import multiprocessing  # a one-file lint never pays for the pool's imports
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    compile_packs(engine)  # before forking: workers inherit it
    # The first file is checked here, before forking, so that what a process pays once — the stages' imports,
    # patterns compiled and value classes' methods made on first use, ~110 ms — is paid once, not once
    # per worker: forked workers inherit it.
    yield from task([items[0]])
    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    # The rest in chunks made as they are submitted: flat for 100,000 files.
    bounds = (range(span.start + 1, span.stop + 1) for span in guided_bounds(len(items) - 1, jobs))
    # Executor.map submits everything at once and buffers every result: with a slow consumer (the review
    # writer) memory would grow with the batch. A window of a few chunks per worker keeps it flat.
    window = 2 * jobs
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(engine,)
    ) as pool:
        pending: deque[Future[list[R]]] = deque()
        for span in bounds:
            pending.append(pool.submit(task, list(items[span.start : span.stop])))
            last = span.stop == len(items)
            while pending and (len(pending) >= window or last):
                yield from pending.popleft().result()


def _init_worker(engine: Engine) -> None:
    import signal

    # A forked worker inherits the CLI's SIGTERM handler (which unwinds the parent's run as Ctrl-C would);
    # in a worker that handler only interrupts one task, so the death signal below would not end it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    set_engine(engine)
    _die_with_parent()


def _die_with_parent() -> None:
    """Ask Linux to end this worker when its parent dies: a parent killed with SIGKILL runs no cleanup, and
    its workers would otherwise wait on the task queue forever."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the call: nobody would send the signal
        os._exit(1)

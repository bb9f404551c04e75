"""The fork server a local Dask cluster's workers are started from, started as soon as the run knows it
needs one: it imports dask and the checker (``PRELOAD``) in its own process while this one goes on importing
dask, compiling the rule packs and starting the scheduler, instead of only once the cluster asks for its
first worker. On idle cores the two run side by side; on the loaded 2-core machine it was measured on, no
difference showed (docs/scale.md). Standard library only, so that starting it costs this process nothing."""

from __future__ import annotations

import os

from checker.executors import quiet_workers

# What a local worker needs for any file, imported once by the fork server rather than by every worker.
PRELOAD = [
    "checker.executors.quiet_workers", "distributed", "checker.executors.dask", "checker.pipeline",
    "checker.parse.document", "checker.facts", "checker.doctype", "checker.report.json_report",
]  # fmt: skip


def start() -> bool:
    """Start this process's fork server with ``PRELOAD`` unless it runs already; False where there is no
    fork server (Windows: workers are spawned)."""
    import multiprocessing
    from multiprocessing import forkserver

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return False
    multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOAD)
    # Read once, by the fork server started here: its workers' standard error goes nowhere (quiet_workers).
    os.environ[quiet_workers.VARIABLE] = str(os.getpid())
    try:
        forkserver.ensure_running()  # returns once the server is launched; it imports PRELOAD on its own
    finally:
        os.environ.pop(quiet_workers.VARIABLE, None)
    return True

"""Tasks for tests/test_dask.py that Dask workers import by name (a test module's own functions would need
pytest's import machinery in the worker). Each wraps the real worker task or stands in for it."""

from __future__ import annotations

import os
import time
from pathlib import Path

from checker.batch import WorkItem, work_chunk
from checker.results import FileOutcome


def killing(chunk: list[WorkItem], once: str, always: str, marker: str) -> list[FileOutcome]:
    """The real task, except that the file named ``once`` ends its worker process the first time (the
    marker file records that it did) and the file named ``always`` ends every worker that touches it."""
    for item in chunk:
        name = Path(item.path).name
        if name == always or (name == once and not os.path.exists(marker)):
            Path(marker).touch()
            os._exit(1)  # as the kernel's OOM killer would: no exception, no cleanup
    return work_chunk(chunk, keep_sheets=False, encode=None)


def slow_echo(chunk: list[WorkItem]) -> list[FileOutcome]:
    """Each file's name back as its error, the first chunks slowest, so chunks complete out of order."""
    first = int(Path(chunk[0].path).stem)
    time.sleep(max(0.0, 0.05 - first * 0.002))
    return [FileOutcome(item.path, None, Path(item.path).stem) for item in chunk]

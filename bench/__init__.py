"""Benchmarks (not tests): run each script directly, e.g. ``python bench/pdf_bench.py``."""

from __future__ import annotations

import time
from collections.abc import Callable


def best(fn: Callable[[], object], rounds: int) -> float:
    """The fastest of ``rounds`` calls, in seconds: the least noise a shared machine adds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)

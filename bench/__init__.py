"""Benchmarks (not tests): run each script directly, e.g. ``python bench/pdf_bench.py``."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def best(fn: Callable[[], object], rounds: int) -> float:
    """The fastest of ``rounds`` calls, in seconds: the least noise a shared machine adds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


@dataclass(frozen=True, slots=True)
class ChildRun:
    """One CLI run in a fresh process (see ``launch``): what the benches compare."""

    wall: float  # seconds, as the launcher saw them
    cpu: float  # the CLI process's own user + system seconds
    peak_mib: float  # its peak RSS (VmHWM)
    workers_cpu: float  # its children's (the pool's workers') CPU seconds
    workers_peak_mib: float  # the largest child's peak RSS
    code: int


def peak_kib() -> int:
    """This process's peak RSS (KiB) from /proc (Linux): getrusage's ru_maxrss keeps, across exec, the peak of
    the process that spawned it, so every child of a 60 MiB bench would report at least 60 MiB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        return int(next(line.split()[1] for line in fh if line.startswith("VmHWM:")))


# What ``launch`` runs in the fresh process: the CLI of the checker PYTHONPATH names, then which checker ran
# and what the run cost, on standard error. A -c program, so the child needs nothing of the launching tree.
CHILD = """
import os, resource, sys
from pathlib import Path
import checker
from checker.cli import main
sys.stderr.write(f"checker from {Path(checker.__file__).parent.parent}\\n")
quiet = sys.argv[1] == "quiet"
sys.argv = ["jixiao", *sys.argv[2:]]
if quiet:
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
code = main()
own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
with open("/proc/self/status", encoding="ascii") as fh:
    hwm = next(line.split()[1] for line in fh if line.startswith("VmHWM:"))
cpu, kids_cpu = own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime
sys.stderr.write(f"\\nRUN {cpu} {hwm} {kids_cpu} {kids.ru_maxrss} {code}\\n")
"""


def launch(tree: Path, args: list[str], *, quiet_stdout: bool = False, ok: tuple[int, ...] = (0,)) -> ChildRun:
    """``jixiao ARGS`` in a fresh process on the checker in ``tree``, and its costs (CHILD). Refuses a run
    that failed or that imported the checker from anywhere else: a pair measured against the wrong code
    would compare a tree with itself."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONSAFEPATH": "1"}
    cmd = [sys.executable, "-c", CHILD, "quiet" if quiet_stdout else "-", *args]
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tree, check=False)
    wall = time.perf_counter() - start
    line = next((x for x in proc.stderr.splitlines() if x.startswith("RUN ")), None)
    if line is None or int(line.split()[5]) not in ok:
        raise SystemExit(f"run failed on {tree}: {proc.stderr[-2000:]}")
    where = next(x for x in proc.stderr.splitlines() if x.startswith("checker from "))
    if Path(where.removeprefix("checker from ")).resolve() != tree.resolve():
        raise SystemExit(f"measured the wrong code: {where}, expected {tree}")
    _, cpu, peak, kids_cpu, kids_peak, code = line.split()
    return ChildRun(wall, float(cpu), int(peak) / 1024, float(kids_cpu), int(kids_peak) / 1024, int(code))

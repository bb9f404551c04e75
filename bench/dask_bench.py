"""The Dask executor against the process pool on the same machine (not a test).

`jixiao check DIR --format json --jobs 2` with the process pool and with `--executor dask` (a LocalCluster of
2 workers) on the same generated one-sheet files, whole processes, alternating round by round so that the
pairs share the machine's state. Prints each run, then medians, spreads, sheets per second and the ratio
of each pair (dask / pool); the first pair's outputs are compared byte for byte. The machine's load
(``os.getloadavg``) is printed before and after: on a shared machine, read the numbers with it.

    python bench/dask_bench.py [--files 1000 10000] [--rounds 5] [--jobs 2]
    python bench/dask_bench.py --cpu [--files 1000] [--rounds 3]

With ``--cpu`` the runs happen in this process (``batch.iter_outcomes`` with the JSON encoder, as `check
--format json` runs it) and print CPU seconds per sheet: this process's (for Dask that includes the local
scheduler and the client: what one machine pays for every sheet of a cluster's run) and the workers'
(summed over every descendant process when the last outcome arrives, before the pool or cluster closes).
The load changes wall time much more than CPU time, so these are the figures to project from.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gen_sheets import document  # noqa: E402


def compile_package() -> None:
    """Byte-compile checker/ first, as pip does for an installed wheel: with PYTHONDONTWRITEBYTECODE set,
    every spawned Dask worker would otherwise compile the package again."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "checker")], check=True)


def run(folder: Path, executor: str, jobs: int, out: Path) -> float:
    cmd = [sys.executable, "-m", "checker", "check", str(folder), "--format", "json", "--exit-zero",
           "--jobs", str(jobs), "--executor", executor, "-o", str(out)]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0 or proc.stderr.strip():
        raise SystemExit(f"{executor} run failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return elapsed


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def bench(n: int, rounds: int, jobs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for i in range(n):
            (folder / f"{i:05d}.txt").write_text(document(1, seed=i), encoding="utf-8")
        pool_out, dask_out = Path(tmp) / "pool.json", Path(tmp) / "dask.json"
        print(f"{n} sheets, --jobs {jobs}, load before: {load()}", flush=True)
        pools, dasks = [], []
        for r in range(rounds):
            pools.append(run(folder, "process", jobs, pool_out))
            dasks.append(run(folder, "dask", jobs, dask_out))
            print(f"  round {r + 1}: pool {pools[-1]:.2f} s, dask {dasks[-1]:.2f} s, load {load()}", flush=True)
            if r == 0 and pool_out.read_bytes() != dask_out.read_bytes():
                raise SystemExit("the two executors wrote different JSON")
        ratios = [d / p for p, d in zip(pools, dasks, strict=True)]
        for name, times in (("pool", pools), ("dask", dasks)):
            median = statistics.median(times)
            print(f"  {name}: median {median:.2f} s (min {min(times):.2f}, max {max(times):.2f}), "
                  f"{n / median:.0f} sheets/s")  # fmt: skip
        print(f"  dask / pool per pair: median {statistics.median(ratios):.3f} (min {min(ratios):.3f}, "
              f"max {max(ratios):.3f}); load after: {load()}", flush=True)  # fmt: skip


def cpu(n: int, rounds: int, jobs: int) -> None:
    import psutil  # installed with distributed

    from checker import batch
    from checker.config import Config
    from checker.report.json_report import file_text

    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i in range(n):
            path = Path(tmp) / f"{i:05d}.txt"
            path.write_text(document(1, seed=i), encoding="utf-8")
            files.append(str(path))
        me = psutil.Process()
        print(f"{n} sheets in process, --jobs {jobs}, load before: {load()}", flush=True)
        for r in range(rounds):
            for executor in ("process", "dask"):
                # A child alive before the round (the fork server of an earlier Dask round) counts from now.
                before = {c.pid: sum(c.cpu_times()[:2]) for c in me.children(recursive=True)}
                start, own = time.perf_counter(), time.process_time()
                workers = 0.0
                outcomes = batch.iter_outcomes(files, Config(executor=executor), jobs, encode=file_text)
                for done, _ in enumerate(outcomes, 1):
                    if done == n:  # the workers are still there: the generator closes them on the next step
                        workers = sum(
                            sum(c.cpu_times()[:2]) - before.get(c.pid, 0.0) for c in me.children(recursive=True)
                        )
                wall, own = time.perf_counter() - start, time.process_time() - own
                print(f"  round {r + 1} {executor}: wall {wall:.2f} s; CPU per sheet: this process "
                      f"{own / n * 1000:.2f} ms, workers {workers / n * 1000:.2f} ms; load {load()}",
                      flush=True)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cpu", action="store_true", help="CPU per sheet, in this process")
    args = ap.parse_args()
    compile_package()
    for n in args.files:
        (cpu if args.cpu else bench)(n, args.rounds, args.jobs)


if __name__ == "__main__":
    main()

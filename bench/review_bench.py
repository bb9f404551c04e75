"""Review workbook benchmark (not a test): `jixiao review` of N generated one-sheet files against the floor,
a bare openpyxl write-only of the same rows.

The floor is fair: the same sheets, in the same order, with the same values in the same columns — read
back from the workbook the review wrote, kept one marshalled row at a time in a file, and written with
openpyxl's write-only mode without styles, row heights, links, notes, charts or validation. Reading that
file costs the floor process time too, so it reads the file once alone first, and what that pass took is
subtracted from its wall and CPU time.

Each run is a fresh process. For the review: wall time, the parent's CPU (user + system: the writer, which
is what a reviewer waits for once the workers have caught up) and the workers' CPU (checking), read by
bench.launch, and the parent's peak RSS (VmHWM; Linux only). The ratios are each round's review over the
same round's floor: CPU is the parent's (writing, plus its start-up and receiving the outcomes) over the
floor's; wall is the whole review's, checking included, over the floor's write alone — on a loaded machine
it follows the third ratio printed, the CPU of checking and writing over the floor's. With ``--against DIR``
(a checkout of another commit, e.g. ``git archive main | tar -x -C DIR``) that code's review runs right
after this one's in every round, so each pair shares the machine's state; the floor runs in the same round.

    python bench/review_bench.py [--files 1000 10000] [--rounds 3] [--jobs 2] [--against /tmp/main-tree]
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

from bench import launch  # noqa: E402

FLOOR = """
import marshal, resource, sys, time
rows = sys.argv[1]

def sheets(fh):
    while True:
        try:
            name, count = marshal.load(fh)
        except EOFError:
            return
        yield name, (marshal.load(fh) for _ in range(count))

start, cpu = time.perf_counter(), time.process_time()
with open(rows, "rb") as fh:  # the read alone, to be subtracted
    for name, values in sheets(fh):
        for _ in values:
            pass
read, read_cpu = time.perf_counter() - start, time.process_time() - cpu
import openpyxl
wb = openpyxl.Workbook(write_only=True)
with open(rows, "rb") as fh:
    for name, values in sheets(fh):
        ws = wb.create_sheet(name)
        for row in values:
            ws.append(row)
wb.save(sys.argv[2])
own = resource.getrusage(resource.RUSAGE_SELF)
hwm = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(read, read_cpu, own.ru_utime + own.ru_stime, hwm)
"""


def review(tree: Path, folder: Path, out: Path, jobs: int) -> tuple[float, float, float, float]:
    """(wall s, parent CPU s, workers' CPU s, parent peak MiB) of one review on the code in ``tree``."""
    run = launch(tree, ["review", str(folder), "-o", str(out), "--jobs", str(jobs), "--exit-zero"])
    return run.wall, run.cpu, run.workers_cpu, run.peak_mib


def dump_rows(workbook: Path, target: Path) -> list[str]:
    """The workbook's values, a sheet at a time, marshalled row by row into ``target``; returns name=rows."""
    import marshal

    import openpyxl

    wb = openpyxl.load_workbook(workbook, read_only=True)
    counts = []
    with open(target, "wb") as fh:
        for ws in wb.worksheets:
            rows = [list(r) for r in ws.iter_rows(values_only=True)]
            marshal.dump((ws.title, len(rows)), fh)
            for row in rows:
                marshal.dump(row, fh)
            counts.append(f"{ws.title}={len(rows)}")
    wb.close()
    return counts


def floor(rows: Path, out: Path) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MiB) of the bare write-only floor, the read of its rows subtracted."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", FLOOR, str(rows), str(out)], capture_output=True, text=True,
                          check=True)  # fmt: skip
    wall = time.perf_counter() - start
    read, read_cpu, cpu, rss = proc.stdout.split()
    return wall - float(read), float(cpu) - float(read_cpu), int(rss) / 1024


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):7.2f} [{min(values):.2f}–{max(values):.2f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, nargs="+", default=[1000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--against", type=Path, help="another checkout, run in the same rounds")
    args = parser.parse_args()
    from bench.gen_sheets import document

    trees = {"this": ROOT, **({"against": args.against.resolve()} if args.against else {})}
    print(f"load before: {os.getloadavg()[0]:.2f}")
    for n in args.files:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "in"
            folder.mkdir()
            for i in range(n):
                (folder / f"{i:05d}.txt").write_text(document(1, seed=i), encoding="utf-8")
            results: dict[str, list[tuple[float, ...]]] = {name: [] for name in [*trees, "floor"]}
            rows = Path(tmp) / "rows.marshal"
            counts: dict[str, list[str]] = {}
            for _ in range(args.rounds):
                for name, tree in trees.items():
                    out = Path(tmp) / f"{name}.xlsx"
                    results[name].append(review(tree, folder, out, args.jobs))
                    if name not in counts:
                        counts[name] = dump_rows(out, rows) if name == "this" else []
                results["floor"].append(floor(rows, Path(tmp) / "floor.xlsx"))
            if "against" in trees:  # the same rows, so the floor is the floor of both
                theirs = dump_rows(Path(tmp) / "against.xlsx", Path(tmp) / "against.marshal")
                if theirs != counts["this"]:
                    print(f"  rows differ: {theirs} vs {counts['this']}")
            print(f"{n} sheets, {args.rounds} rounds, --jobs {args.jobs}; rows {counts['this']}")
            base = results["floor"]
            print(f"  {'floor':8} wall {_spread([r[0] for r in base])} s  cpu {_spread([r[1] for r in base])} s"
                  f"  peak {_spread([r[2] for r in base])} MiB")  # fmt: skip
            for name in trees:
                got = results[name]
                walls, cpus = [r[0] for r in got], [r[1] for r in got]
                # Each round's review over the floor of the same round: the pair shares the machine's state.
                wall_x = [r[0] / f[0] for r, f in zip(got, base, strict=True)]
                cpu_x = [r[1] / f[1] for r, f in zip(got, base, strict=True)]
                print(
                    f"  {name:8} wall {_spread(walls)} s  cpu {_spread(cpus)} s  workers' cpu "
                    f"{_spread([r[2] for r in got])} s  peak {_spread([r[3] for r in got])} MiB"
                )
                # The review's wall includes checking, the floor's does not: under load a process's wall follows
                # the CPU it asks for, so the review's wall over the floor's tends to (checking + writing) over
                # writing alone. That ratio is printed beside the wall's, so the two are not confused.
                work_x = [(r[1] + r[2]) / f[1] for r, f in zip(got, base, strict=True)]
                print(f"  {'':8} × floor: wall {_spread(wall_x)}  cpu {_spread(cpu_x)}  "
                      f"check + write cpu {_spread(work_x)}")  # fmt: skip
    print(f"load after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

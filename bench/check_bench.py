"""`jixiao check` benchmarks (not a test):

1. cold `jixiao check` of one example workbook, paired with `python -c "import openpyxl, jsonschema, typer"`
   (the import floor: only what is needed should be imported);
2. batch throughput on 1,000 generated one-sheet files with --jobs 1 and --jobs 2 (text extracts, or
   workbooks with --kind xlsx).

    python bench/check_bench.py [--runs 15] [--files 1000] [--rounds 5] [--only cold|batch] [--kind txt|xlsx]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gen_sheets import document  # noqa: E402

WORKBOOKS = [
    ROOT / "examples" / "绩效目标批量导出.xlsx",
    ROOT / "examples" / "项目支出绩效目标申报表.xlsx",
    ROOT / "examples" / "山西省信访局2024年单位预算.txt",
]  # the text seed too: no openpyxl at all


def compile_package() -> None:
    """Byte-compile checker/ first, as pip does for an installed wheel: with PYTHONDONTWRITEBYTECODE set
    (it is on these machines) an editable checkout would otherwise recompile every module on each run."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "checker")], check=True)


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def cold(runs: int) -> None:
    compile_package()
    py = sys.executable
    floor = [py, "-c", "import openpyxl, jsonschema, typer"]
    for workbook in WORKBOOKS:
        check = [py, "-m", "checker", "check", str(workbook), "--format", "json"]
        wall(check), wall(floor)
        a, b, r = [], [], []
        for _ in range(runs):
            x, y = wall(check), wall(floor)
            a.append(x)
            b.append(y)
            r.append(x / y)
        print(f"cold check of {workbook.name}: {statistics.median(a) * 1000:.0f} ms; import floor "
              f"{statistics.median(b) * 1000:.0f} ms; ratio median {statistics.median(r):.2f} "
              f"(min {min(r):.2f}, max {max(r):.2f})")  # fmt: skip


def batch(n: int, rounds: int = 5, kind: str = "txt") -> None:
    """--jobs 1 and --jobs 2 alternate round by round (the machine drifts); medians and the paired ratio."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i in range(n):
            text = document(1, seed=i)
            if kind == "xlsx":
                from bench.gen_sheets import as_workbook

                as_workbook(text, folder / f"{i:04d}.xlsx")
            else:
                (folder / f"{i:04d}.txt").write_text(text, encoding="utf-8")
        cmd = [sys.executable, "-m", "checker", "check", str(folder), "--format", "json", "--exit-zero", "--jobs"]
        wall([*cmd, "1"])
        ones, twos, ceiling = [], [], []
        for _ in range(rounds):
            ones.append(wall([*cmd, "1"]))
            twos.append(wall([*cmd, "2"]))
            ceiling.append(
                wall([sys.executable, __file__, "--spin", "1"]) / wall([sys.executable, __file__, "--spin", "2"])
            )
        one, two = statistics.median(ones), statistics.median(twos)
        ratios = [a / b for a, b in zip(ones, twos, strict=True)]
        print(f"batch of {n} {kind} files, --jobs 1: {one:.2f} s ({n / one:,.0f} files/s); --jobs 2: {two:.2f} s "
              f"({n / two:,.0f} files/s); speed-up median {statistics.median(ratios):.2f}x "
              f"(min {min(ratios):.2f}, max {max(ratios):.2f}); the machine's own ceiling in the same rounds, "
              f"a pure-CPU loop in 1 vs 2 processes: {statistics.median(ceiling):.2f}x "
              f"(min {min(ceiling):.2f}, max {max(ceiling):.2f})")  # fmt: skip


def spin(processes: int) -> None:
    """A fixed amount of pure-Python CPU work split over ``processes`` forked processes."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(processes) as pool:
        pool.map(_spin, range(4))


def _spin(_: int) -> int:
    total = 0
    for i in range(4_000_000):
        total += i * i
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--only", choices=["cold", "batch"])
    ap.add_argument("--kind", choices=["txt", "xlsx"], default="txt", help="generated files as text or workbooks")
    ap.add_argument("--spin", type=int, help=argparse.SUPPRESS)  # the ceiling's own subprocess
    args = ap.parse_args()
    if args.spin:
        spin(args.spin)
        return
    if args.only != "batch":
        cold(args.runs)
    if args.only != "cold":
        batch(args.files, args.rounds, args.kind)


if __name__ == "__main__":
    main()

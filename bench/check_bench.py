"""`jixiao check` benchmarks (not a test):

1. cold `jixiao check` of one example workbook, paired with `python -c "import openpyxl, jsonschema, typer"`
   (the import floor: only what is needed should be imported);
2. batch throughput on 1,000 generated one-sheet files with --jobs 1 and --jobs 2.

    python bench/check_bench.py [--runs 15] [--files 1000]
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

WORKBOOKS = [ROOT / "examples" / "绩效目标批量导出.xlsx", ROOT / "examples" / "项目支出绩效目标申报表.xlsx"]


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


def batch(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i in range(n):
            (folder / f"{i:04d}.txt").write_text(document(1, seed=i), encoding="utf-8")
        times = {}
        for jobs in ("1", "2"):
            cmd = [
                sys.executable,
                "-m",
                "checker",
                "check",
                str(folder),
                "--format",
                "json",
                "--jobs",
                jobs,
                "--exit-zero",
            ]
            wall(cmd)
            times[jobs] = min(wall(cmd) for _ in range(3))
            print(f"batch of {n} files, --jobs {jobs}: {times[jobs]:.2f} s ({n / times[jobs]:,.0f} sheets/s)")
        print(f"speed-up with 2 jobs: {times['1'] / times['2']:.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--files", type=int, default=1000)
    args = ap.parse_args()
    cold(args.runs)
    batch(args.files)


if __name__ == "__main__":
    main()

"""The xlsx path measured (not a test): the fast reader (readers/xlsx_fast.py) against openpyxl.

1. reading alone, in this process: generated one-sheet workbooks and the example workbooks, best of N;
2. a batch of generated one-sheet workbooks, `check --format json --jobs 2`, this checkout against another
   (``--against``, e.g. ``git archive main``), alternating round by round; sheets per second;
3. a cold `check` of one example workbook against `python -c "import openpyxl, typer"`, alternating.

    python bench/xlsx_bench.py [--files 300] [--rounds 5] [--against DIR]
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

from bench import best  # noqa: E402
from bench.gen_sheets import as_workbook, document  # noqa: E402

EXAMPLE = ROOT / "examples" / "项目支出绩效目标申报表.xlsx"


def reading(folder: Path) -> None:
    from checker.readers import xlsx
    from checker.readers.guard import preflight

    small = folder / "one.xlsx"
    as_workbook(document(1, seed=7), small)
    for path in [small, EXAMPLE, ROOT / "examples" / "绩效目标批量导出.xlsx"]:
        data = path.read_bytes()
        package = preflight(data, str(path))
        assert xlsx._read_fast(package, str(path)) is not None
        fast = best(lambda: xlsx._read_fast(package, str(path)), 15)  # noqa: B023 - called at once
        slow = best(lambda: xlsx.read_openpyxl(data, str(path), package), 15)  # noqa: B023
        print(f"read {path.name}: fast {fast * 1000:.2f} ms, openpyxl {slow * 1000:.2f} ms ({slow / fast:.1f}x)")


def wall(cmd: list[str], tree: Path | None = None) -> float:
    env = {**os.environ, **({"PYTHONPATH": str(tree), "PYTHONSAFEPATH": "1"} if tree else {})}
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=tree or ROOT)
    return time.perf_counter() - start


def batch(folder: Path, n: int, rounds: int, against: Path | None) -> None:
    for i in range(n):
        as_workbook(document(1, seed=i), folder / f"{i:04d}.xlsx")
    cmd = [sys.executable, "-m", "checker", "check", str(folder), "--format", "json", "--exit-zero", "--jobs", "2"]
    trees = [("this", ROOT), *([("against", against)] if against else [])]
    times: dict[str, list[float]] = {name: [] for name, _ in trees}
    for _, tree in trees:
        wall(cmd, tree)  # warm the caches once
    for _ in range(rounds):
        for name, tree in trees:
            times[name].append(wall(cmd, tree))
    for name, got in times.items():
        med = statistics.median(got)
        print(f"batch of {n} xlsx, --jobs 2, {name}: {med:.2f} s ({n / med:,.0f} sheets/s), {rounds} rounds")
    if against:
        ratios = [b / a for a, b in zip(times["this"], times["against"], strict=True)]
        print(f"  throughput this/against: median {statistics.median(ratios):.2f}x "
              f"(min {min(ratios):.2f}, max {max(ratios):.2f})")  # fmt: skip


def cold(rounds: int) -> None:
    check = [sys.executable, "-m", "checker", "check", str(EXAMPLE), "--exit-zero"]
    floor = [sys.executable, "-c", "import openpyxl, typer"]
    wall(check)
    pairs = [(wall(check), wall(floor)) for _ in range(rounds)]
    ratios = [a / b for a, b in pairs]
    print(f"cold check of {EXAMPLE.name}: {statistics.median(a for a, _ in pairs) * 1000:.0f} ms, "
          f"import floor {statistics.median(b for _, b in pairs) * 1000:.0f} ms, ratio median "
          f"{statistics.median(ratios):.2f}x (min {min(ratios):.2f})")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--against", type=Path)
    args = ap.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "checker")], check=True)
    if args.against:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(args.against / "checker")], check=True)
    with tempfile.TemporaryDirectory(prefix="xlsxbench-") as tmp:
        reading(Path(tmp))
        cold(args.rounds * 3)
        folder = Path(tmp) / "batch"
        folder.mkdir()
        batch(folder, args.files, args.rounds, args.against)


if __name__ == "__main__":
    main()

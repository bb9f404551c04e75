"""Reading throughput of the example workbooks against a bare openpyxl loop (not a test).

    python bench/read_bench.py [--rounds 20]

"jixiao" = guard (zip pre-flight, DTD scan, cell caps) + openpyxl read-only load + merged-cell fill from
the sheet XML + sheet parsing with values and units — everything up to GoalSheets. "bare" = openpyxl's
read-only load of the same bytes with the same options and one pass over every cell, nothing else (the
least any openpyxl-based reader does). "full" = openpyxl's normal-mode load, which jixiao used before
(shown for reference). Same process, alternating, best of the rounds.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from checker.api import parse_path  # noqa: E402

FILES = [ROOT / "examples" / "项目支出绩效目标申报表.xlsx", ROOT / "examples" / "绩效目标批量导出.xlsx"]


def bare(path: Path) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), data_only=True, read_only=True)
        for ws in wb.worksheets:
            for _row in ws.iter_rows(values_only=True):
                pass
    return len(wb.worksheets)


def full(path: Path) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), data_only=True, read_only=False)
    return len(wb.worksheets)


def ours(path: Path) -> int:
    return len(parse_path(path).sheets)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    totals = [0.0, 0.0]
    for path in FILES:
        bare(path), ours(path), full(path)  # warm up
        best_bare = best_ours = best_full = float("inf")
        for _ in range(args.rounds):
            start = time.perf_counter()
            sheets = bare(path)
            best_bare = min(best_bare, time.perf_counter() - start)
            start = time.perf_counter()
            goal_sheets = ours(path)
            best_ours = min(best_ours, time.perf_counter() - start)
            start = time.perf_counter()
            full(path)
            best_full = min(best_full, time.perf_counter() - start)
        print(f"{path.name:<24} worksheets {sheets}  goal sheets {goal_sheets}   "
              f"bare read-only openpyxl {best_bare * 1000:6.1f} ms   jixiao {best_ours * 1000:6.1f} ms   "
              f"ratio {best_ours / best_bare:4.2f}   (normal-mode load alone {best_full * 1000:6.1f} ms)")  # fmt: skip
        totals[0] += best_bare
        totals[1] += best_ours
    print(
        f"all example workbooks: bare {totals[0] * 1000:.1f} ms, jixiao {totals[1] * 1000:.1f} ms, "
        f"ratio {totals[1] / totals[0]:.2f}"
    )


if __name__ == "__main__":
    main()

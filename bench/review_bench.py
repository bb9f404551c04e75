"""Review workbook benchmark (not a test): time and peak memory of `jixiao review` for N generated sheets,
against bare openpyxl write-only writing the same number of rows and columns in the same run.

    python bench/review_bench.py 1000 10000
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gen_sheets import document  # noqa: E402

BARE = """
import sys, openpyxl
rows = {name: int(n) for name, n in (a.split("=") for a in sys.argv[2:])}
wb = openpyxl.Workbook(write_only=True)
for name, n in rows.items():
    ws = wb.create_sheet(name)
    for i in range(n):
        ws.append([f"{name}文本{i}", "山西省信访局2024年单位预算.txt › L585", "网上信访事项群众参评满意率",
                   "≥83%", "满意度目标偏低，低于常用下限 90%", "警告", "SAT002", "满意度目标通常不低于 90%",
                   "待定", "", "", "", i, "0123abcd"])
wb.save(sys.argv[1])
"""


def timed(cmd: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-q", "-f", "%M", *cmd], capture_output=True, text=True, check=True)
    return time.perf_counter() - start, int(proc.stderr.strip().split("\n")[-1])


def main() -> None:
    import openpyxl

    for n in [int(a) for a in sys.argv[1:]] or [1000]:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "in"
            folder.mkdir()
            for i in range(n):
                (folder / f"{i:05d}.txt").write_text(document(1, seed=i), encoding="utf-8")
            out = Path(tmp) / "review.xlsx"
            secs, rss = timed([sys.executable, "-m", "checker", "review", str(folder), "-o", str(out), "--jobs", "2"])
            wb = openpyxl.load_workbook(out, read_only=True)
            counts = [f"{ws.title}={sum(1 for _ in ws.iter_rows(values_only=True))}" for ws in wb.worksheets]
            wb.close()
            bare_secs, bare_rss = timed([sys.executable, "-c", BARE, str(Path(tmp) / "bare.xlsx"), *counts])
            print(
                f"{n:>6} sheets: review {secs:6.1f} s, peak {rss / 1024:6.0f} MiB | bare write-only, same rows "
                f"{bare_secs:6.1f} s, {bare_rss / 1024:5.0f} MiB | time ratio {secs / bare_secs:4.2f} | rows {counts}"
            )


if __name__ == "__main__":
    main()

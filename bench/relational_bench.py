"""Relational workbook benchmark (not a test): a keyed project + indicator workbook read and parsed by
jixiao against a bare openpyxl read-only load of the same bytes that visits every cell.

    python bench/relational_bench.py [path.xlsx] [--runs 7] [--profile]

The default file is the 松岗街道 2023 declaration (291 projects, 3,024 indicator rows), from
tests/data/corpus/files/ (or a copy of the corpus beside the checkout). Same process, alternating, median of the runs.
"bare" = openpyxl.load_workbook(read_only=True, data_only=True) + iter_rows(values_only=True) over every
worksheet; "read" = checker.readers.read (guard, openpyxl read-only, merged-cell fill, RawDocument);
"relational" = checker.parse.relational.read on the document already read; "parse" = parse_document
(relational + the sheet parser on what it left + year + markers); "read+parse" = checker.api.parse_path.
The value parser's caches are cleared before each run, so every run parses as a first file does.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from checker.api import parse_path  # noqa: E402
from checker.parse import relational  # noqa: E402
from checker.parse.document import parse_document  # noqa: E402
from checker.parse.values import parse_value  # noqa: E402
from checker.readers import read  # noqa: E402

NAME = "shenzhen_baoan_songgang_xiangmuxinxi.xlsx"
CANDIDATES = (ROOT / "tests" / "data" / "corpus" / "files" / NAME, ROOT.parent / "shared" / "corpus" / "files" / NAME)


def bare(path: Path) -> int:
    cells = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), data_only=True, read_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                cells += len(row)
    return cells


def cold() -> None:
    parse_value.cache_clear()
    relational.place_levels.cache_clear()


def timed(fn: Callable[[], object]) -> float:
    cold()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", type=Path)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--profile", action="store_true", help="print where read+parse spends its time")
    args = ap.parse_args()
    path = args.path or next((p for p in CANDIDATES if p.exists()), None)
    if path is None:
        sys.exit(f"no workbook given and none of {[str(p) for p in CANDIDATES]} exists")
    doc = read(path)
    found = relational.read(doc)
    print(f"{path.name}: {bare(path)} cells; {len(found.sheets)} sheets, "
          f"{sum(len(s.indicators) for s in found.sheets)} indicators, {found.skipped} empty rows skipped, "
          f"joins {list(found.joins)}, claimed {sorted(doc.tables[i].name or '' for i in found.claimed)}")  # fmt: skip
    runs: dict[str, list[float]] = {k: [] for k in ("bare", "read", "relational", "parse", "read+parse")}
    for _ in range(args.runs):  # alternate, so that drift of a shared machine falls on every measure alike
        runs["bare"].append(timed(lambda: bare(path)))
        runs["read"].append(timed(lambda: read(path)))
        runs["relational"].append(timed(lambda: relational.read(doc)))
        runs["parse"].append(timed(lambda: parse_document(doc)))
        runs["read+parse"].append(timed(lambda: parse_path(path)))
    base = statistics.median(runs["bare"])
    for key, values in runs.items():
        med = statistics.median(values)
        print(f"{key:<11} median {med * 1000:8.1f} ms  (min {min(values) * 1000:8.1f})  ×bare {med / base:5.2f}")
    if args.profile:
        cold()
        profile = cProfile.Profile()
        profile.runcall(parse_path, path)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()

"""Layout detection benchmark (not a test): how long choosing a layout family takes on a 1 MB text,
and how long the chosen family's recovery and the whole parse take. Each corpus shape is repeated to
1 MB (the seed's tab rows, one-cell-per-line pipes, a run-on line, news prose, an outline). Goal: detection
≤ 0.2 s on 1 MB. Run with the project's venv python:

    python bench/layout_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from checker.layout import choose
from checker.parse.document import parse_document
from checker.readers.text import read_text

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corpus" / "texts"
SHAPES = {
    "tabs (seed)": ROOT / "examples" / "山西省信访局2024年单位预算.txt",
    "pipes, a cell a line": CORPUS / "21_anhui_luan_jinan_tiyu_2sheets.txt",
    "run-on": CORPUS / "24_fujian_putian_xiuyu_shuili_duoquyu.txt",
    "prose": CORPUS / "20_zhongyang_lvyou_jijin_xinwen.txt",
    "outline": CORPUS / "15_ningxia_shizuishan_jikong_pifu.txt",
}
SIZE = 1_000_000


def megabyte(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    copies = SIZE // len(text.encode("utf-8")) + 1
    return "\n".join([text] * copies)


def timed(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{'shape':24s} {'family':8s} {'detect':>8s} {'parse':>8s}  (medians of {args.runs}, 1 MB each)")
    for label, path in SHAPES.items():
        text = megabyte(path)
        lines = text.splitlines()
        choose(lines[:50])  # vocabulary and patterns are built once per process, not per document
        family, _ = choose(lines)
        detect = timed(lambda lines=lines: choose(lines), args.runs)
        doc = read_text(text.encode("utf-8"), "bench.txt")
        parse = timed(lambda doc=doc: parse_document(doc), max(1, args.runs // 2))
        print(f"{label:24s} {family.name:8s} {detect:8.3f} {parse:8.3f}")


if __name__ == "__main__":
    main()

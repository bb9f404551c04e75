"""Parse benchmarks (not a test): cold `jixiao parse` of the seed vs a bare `import typer`, and
value-parser throughput. Prints a small table; run with the project's venv python:

    python bench/parse_bench.py [--runs 15]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "山西省信访局2024年单位预算.txt"


def compile_package() -> None:
    """Byte-compile checker/ first, as pip does for an installed wheel: with PYTHONDONTWRITEBYTECODE set
    (it is on these machines) an editable checkout would otherwise recompile every module on each run."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "checker")], check=True)


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def cold(runs: int) -> None:
    compile_package()
    py = sys.executable
    parse = [py, "-m", "checker", "parse", str(SEED), "--format", "json"]
    typer_only = [py, "-c", "import typer"]
    floor = [py, "-c", "pass"]
    for cmd in (parse, typer_only, floor):  # warm the page cache and .pyc files
        wall(cmd)
    a, b, c, ratios = [], [], [], []
    for _ in range(runs):  # alternate so machine drift cancels out pair by pair
        x, y, z = wall(parse), wall(typer_only), wall(floor)
        a.append(x)
        b.append(y)
        c.append(z)
        ratios.append(x / y)
    print(f"cold jixiao parse seed   median {statistics.median(a) * 1000:7.1f} ms  (min {min(a) * 1000:.1f})")
    print(f"python -c 'import typer' median {statistics.median(b) * 1000:7.1f} ms  (min {min(b) * 1000:.1f})")
    print(f"python -c pass           median {statistics.median(c) * 1000:7.1f} ms")
    spread = f"min {min(ratios):.2f}, max {max(ratios):.2f}"
    print(f"ratio parse/typer        median {statistics.median(ratios):.2f}  ({spread})")


def throughput() -> None:
    sys.path.insert(0, str(ROOT))
    from checker.api import parse_path
    from checker.parse.values import parse_value

    raws = [i.value.raw for s in parse_path(SEED).sheets for i in s.indicators]
    extra = ["＞＝９０％", "不低于15万平方米", "90%-95%", "±3%以内", "控制在5个工作日以内", "12月31日前完成", "≥5头牛"]
    sample = (raws + extra) * 200
    uncached = parse_value.__wrapped__  # parse_value is lru-cached: time the parser itself, then a hit
    for label, fn in (("value parser (uncached)", uncached), ("value parser (cache hit)", parse_value)):
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            for raw in sample:
                fn(raw)
            best = min(best, time.perf_counter() - start)
        per = best / len(sample) * 1e6
        print(f"{label:<28} {per:7.2f} µs/value  ({len(sample) / best:,.0f} values/s, {len(sample)} values)")
    start = time.perf_counter()
    for _ in range(50):
        parse_path(SEED)
    per_doc = (time.perf_counter() - start) / 50 * 1000
    print(f"parse seed in process    {per_doc:7.2f} ms/document (4 sheets, 64 indicators)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    cold(args.runs)
    throughput()


if __name__ == "__main__":
    main()

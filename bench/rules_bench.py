"""Rule evaluation cost per sheet against the cost of reading the sheet (not a test).

    python bench/rules_bench.py            # the seed and a generated batch of 1,000 sheets

Reading = decode + split into cells + parse sheets and values. Evaluating = facts + every rule of the
auto-selected pack. Both in process, after one warm-up, best of 5 runs.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from gen_sheets import document  # noqa: E402

from checker.api import parse_path  # noqa: E402
from checker.rules.engine import Engine  # noqa: E402

SEED = ROOT / "examples" / "山西省信访局2024年单位预算.txt"


def measure(label: str, path: Path, rounds: int = 7) -> None:
    """Reading and rule evaluation alternate round by round (the machine drifts); best of the rounds each.
    parse_value's cache is cleared before every read, so a read pays for each distinct value once, as a
    real batch does."""
    from checker.parse.values import parse_value

    sheets = parse_path(path).sheets
    engine = Engine()
    [engine.check_sheet(s) for s in sheets]  # compile the packs before timing
    read = evaluate = float("inf")
    for _ in range(rounds):
        parse_value.cache_clear()
        start = time.perf_counter()
        parse_path(path)
        read = min(read, time.perf_counter() - start)
        start = time.perf_counter()
        [engine.check_sheet(s) for s in sheets]
        evaluate = min(evaluate, time.perf_counter() - start)
    findings = sum(len(engine.check_sheet(s).findings) for s in sheets)
    n = len(sheets)
    per_read, per_eval = read / n * 1000, evaluate / n * 1000
    print(f"{label:<28} sheets {n:>5}  read+parse {per_read:7.3f} ms/sheet   facts+rules {per_eval:7.3f} ms/sheet")
    print(f"{'':<28} ratio rules/read {evaluate / read:5.2f}   findings {findings}")


def main() -> None:
    start = time.perf_counter()
    engine = Engine()
    engine.rules_for("fw2015")
    print(f"load + compile the fw2015 pack: {(time.perf_counter() - start) * 1000:.1f} ms (once per process)")
    measure("seed (4 sheets)", SEED)
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch.txt"
        batch.write_text(document(1000), encoding="utf-8")
        measure("generated batch (1,000)", batch)


if __name__ == "__main__":
    main()

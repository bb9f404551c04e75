"""Peak memory of `jixiao check` over many generated one-sheet files (not a test).

Each run is a fresh process (bench.launch); the parent's peak RSS (where results gather) is its VmHWM,
the largest worker's is read from getrusage. With ``--against DIR`` (a checkout of another commit, e.g.
``git archive main``) the same command runs on that code right before or after this one, round by round,
so the pairs share the machine's state. Generated files live in a temporary folder that is removed at the end.

    python bench/memory_bench.py [--files 1000 10000 100000] [--per-file 1] [--formats json sarif]
                                 [--rounds 1] [--jobs 2] [--against /tmp/main-checkout] [--against-max N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import launch  # noqa: E402


def measure(tree: Path, folder: Path, fmt: str, jobs: int) -> tuple[float, float, float]:
    """(parent peak MiB, largest worker peak MiB, seconds) of one check run on the code in ``tree``."""
    run = launch(tree, ["check", str(folder), "--format", fmt, "--exit-zero", "--jobs", str(jobs)],
                 quiet_stdout=True)  # fmt: skip
    return run.peak_mib, run.workers_peak_mib, run.wall


def generate(folder: Path, n: int, per_file: int = 1) -> None:
    """``n`` sheets in files of ``per_file`` sheets each, a thousand files a folder."""
    from bench.gen_sheets import document

    for i in range(n // per_file):
        (folder / f"{i // 1000:03d}").mkdir(exist_ok=True)
        (folder / f"{i // 1000:03d}" / f"{i:06d}.txt").write_text(document(per_file, seed=i), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, nargs="+", default=[1000, 10000], help="numbers of sheets")
    ap.add_argument("--per-file", type=int, default=1, help="sheets in each generated file")
    ap.add_argument("--formats", nargs="+", default=["json", "sarif"])
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--against", type=Path, help="another checkout to measure in pairs with this one")
    ap.add_argument("--against-max", type=int, default=10**9, help="skip --against above this many files")
    args = ap.parse_args()
    trees = [("this", ROOT)]
    for n in args.files:
        with tempfile.TemporaryDirectory(prefix="membench-") as tmp:
            generate(Path(tmp), n, args.per_file)
            pairs = trees + ([("against", args.against)] if args.against and n <= args.against_max else [])
            for fmt in args.formats:
                got: dict[str, list[tuple[float, float, float]]] = {name: [] for name, _ in pairs}
                for _ in range(args.rounds):
                    for name, tree in pairs:
                        got[name].append(measure(tree, Path(tmp), fmt, args.jobs))
                for name, runs in got.items():
                    own = statistics.median(r[0] for r in runs)
                    spread = max(r[0] for r in runs) - min(r[0] for r in runs)
                    kid = statistics.median(r[1] for r in runs)
                    secs = statistics.median(r[2] for r in runs)
                    print(f"{n:>7,} sheets ({args.per_file}/file) {fmt:<5} {name:<8} parent peak {own:7.1f} MiB "
                          f"(spread {spread:.1f}), largest worker {kid:6.1f} MiB, {secs:6.1f} s "
                          f"({n / secs:,.0f} sheets/s), {len(runs)} run(s)", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()

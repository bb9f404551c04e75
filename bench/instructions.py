"""Instructions a batch costs, counted by valgrind (not a test): the one measure of CPU work that does not
drift with a shared machine's speed (two runs of the same code differ by a third in time within minutes).

Each tree runs ``check --format json --jobs 2`` over N and M generated one-sheet workbooks under
``valgrind --tool=cachegrind --cache-sim=no --trace-children=yes``, with a warmed cache folder of its own
and its modules compiled first; the instructions of every process (the parent and its workers) are summed.
The difference of the two runs, divided by M − N, is a file's cost; the rest is the run's fixed part.
Time is not instructions (openpyxl's code runs at a lower IPC than ours: s25 and s26 saw the time ratio
~10 % above the instruction ratio), but a change that does not lower these counts did not save work.

    python bench/instructions.py [--files 20 120] [--against DIR ...]

Needs ``valgrind`` on the PATH (Debian: ``apt-get install valgrind``); a run takes 1–5 minutes a tree.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gen_sheets import as_workbook, document  # noqa: E402

_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def _env(tree: Path, cache: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree), "PYTHONSAFEPATH": "1", "JIXIAO_CACHE_DIR": str(cache)}


def _check(folder: Path) -> list[str]:
    return [sys.executable, "-m", "checker", "check", str(folder), "--format", "json", "--exit-zero", "--jobs", "2"]


def counted(tree: Path, folder: Path, cache: Path, logs: Path) -> int:
    """Instructions of every process of one ``check`` run of ``folder`` on the code in ``tree``, whose
    ``cache`` folder is already filled (the runs compared are warm ones)."""
    for old in logs.glob("*.txt"):
        old.unlink()
    env, cmd = _env(tree, cache), _check(folder)
    subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--trace-children=yes",
         "--cachegrind-out-file=/dev/null", f"--log-file={logs}/%p.txt", *cmd],
        check=True, capture_output=True, env=env, cwd=tree,
    )  # fmt: skip
    total = 0
    for log in logs.glob("*.txt"):
        found = _REFS.search(log.read_text(encoding="utf-8", errors="replace"))
        total += int(found.group(1).replace(",", "")) if found else 0
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, nargs=2, default=[20, 120], metavar=("N", "M"))
    ap.add_argument("--against", type=Path, action="append", default=[])
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not on the PATH (Debian: apt-get install valgrind)")
    small, large = sorted(args.files)
    if small == large:
        sys.exit("--files needs two different counts")
    trees = [("this", ROOT), *((str(tree), tree) for tree in args.against)]
    with tempfile.TemporaryDirectory(prefix="instr-") as tmp:
        base = Path(tmp)
        folders = {n: base / f"batch{n}" for n in (small, large)}
        for n, folder in folders.items():
            folder.mkdir()
            for i in range(n):
                as_workbook(document(1, seed=i), folder / f"{i:04d}.xlsx")
        per_file: dict[str, float] = {}
        for k, (name, tree) in enumerate(trees):
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "checker")], check=True,
                           capture_output=True)  # fmt: skip
            logs = base / f"logs{k}"
            logs.mkdir()
            # One plain run fills the tree's cache folder: the counted runs are warm ones.
            subprocess.run(_check(folders[small]), check=True, capture_output=True, env=_env(tree, base / f"cache{k}"),
                           cwd=tree)  # fmt: skip
            got = {n: counted(tree, folder, base / f"cache{k}", logs) for n, folder in folders.items()}
            per_file[name] = (got[large] - got[small]) / (large - small)
            fixed = got[small] - small * per_file[name]
            print(f"{name}: {per_file[name] / 1e6:.2f} M instructions a file, fixed part {fixed / 1e9:.2f} G "
                  f"({small} and {large} files, every process)")  # fmt: skip
        for name, cost in list(per_file.items())[1:]:
            print(f"  this does {cost / per_file['this']:.2f}x fewer instructions a file than {name}")


if __name__ == "__main__":
    main()

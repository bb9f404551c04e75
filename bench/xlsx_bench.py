"""The xlsx path measured (not a test): the fast reader (readers/xlsx_fast.py) against openpyxl.

1. reading alone, in this process: generated one-sheet workbooks and the example workbooks, best of N;
2. a cold `check` of one example workbook against `python -c "import openpyxl, typer"` (the goal's floor),
   with a warm cache folder (the packs' validation and parsed YAML kept, as on every run after the first)
   and with an empty one (the first run after an install), each tree in the same alternating rounds;
3. a batch of generated one-sheet workbooks, `check --format json --jobs 2`, this checkout against others
   (``--against DIR``, repeatable: e.g. ``git archive main``), alternating round by round; sheets per second
   by wall time and CPU seconds (the run's own and its workers'), since a shared machine's wall time drifts.

5. where a cold check's time goes (``--only phases``, the child is ``bench/cold_phases.py``), each tree in a
   process of its own started as ``python -m checker check`` starts, alternating round by round.

4. per-stage CPU per file in one process (``--only stages``): read, parse, facts, rules and the file's JSON
   entry, over the same generated workbooks, each tree in its own process, alternating round by round
   (plain ``time.process_time`` around each stage: cProfile inflates small calls).

    python bench/xlsx_bench.py [--files 1000] [--rounds 5] [--against DIR ...]
                               [--only cold|batch|read|stages|phases]
"""

from __future__ import annotations

import argparse
import os
import resource
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


def timed(cmd: list[str], tree: Path | None = None, cache: Path | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children) of one run; ``tree`` is the checkout
    on the path, ``cache`` the cache folder (each tree keeps its own: entries are keyed by version only)."""
    env = {**os.environ, **({"PYTHONPATH": str(tree), "PYTHONSAFEPATH": "1"} if tree else {})}
    if cache is not None:
        env["JIXIAO_CACHE_DIR"] = str(cache)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=tree or ROOT)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return took, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f}x (min {min(values):.2f}, max {max(values):.2f})"


def batch(folder: Path, n: int, rounds: int, trees: list[tuple[str, Path]], caches: Path) -> None:
    for i in range(n):
        as_workbook(document(1, seed=i), folder / f"{i:04d}.xlsx")
    cmd = [sys.executable, "-m", "checker", "check", str(folder), "--format", "json", "--exit-zero", "--jobs", "2"]
    times: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in trees}
    for name, tree in trees:
        timed(cmd, tree, caches / name)  # warm the caches once
    for _ in range(rounds):
        for name, tree in trees:
            times[name].append(timed(cmd, tree, caches / name))
    for name, got in times.items():
        wall, cpu = statistics.median(w for w, _ in got), statistics.median(c for _, c in got)
        print(f"batch of {n} xlsx, --jobs 2, {name}: {wall:.2f} s ({n / wall:,.0f} sheets/s), "
              f"CPU {cpu:.2f} s ({n / cpu:,.0f} sheets per CPU-second), {rounds} rounds")  # fmt: skip
    this = times[trees[0][0]]
    for name, _ in trees[1:]:
        pairs = list(zip(this, times[name], strict=True))
        print(f"  throughput {trees[0][0]}/{name}: wall {_spread([b[0] / a[0] for a, b in pairs])}"
              f", CPU {_spread([b[1] / a[1] for a, b in pairs])}")  # fmt: skip


def cold(rounds: int, trees: list[tuple[str, Path]], caches: Path) -> None:
    check = [sys.executable, "-m", "checker", "check", str(EXAMPLE), "--exit-zero"]
    floor = [sys.executable, "-c", "import openpyxl, typer"]
    for name, tree in trees:
        timed(check, tree, caches / name)  # fills each tree's cache: "warm" below
    warm: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in trees}
    empty: dict[str, list[tuple[float, float]]] = {name: [] for name, _ in trees}
    floors = []
    for i in range(rounds):
        for name, tree in trees:
            warm[name].append(timed(check, tree, caches / name))
            empty[name].append(timed(check, tree, caches / f"empty-{name}-{i}"))
        floors.append(timed(floor))
    wall, cpu = statistics.median(w for w, _ in floors), statistics.median(c for _, c in floors)
    print(f"import floor (python -c 'import openpyxl, typer'): wall {wall * 1000:.0f} ms, CPU {cpu * 1000:.0f} ms, "
          f"{rounds} rounds")  # fmt: skip
    for label, runs in (("warm cache", warm), ("empty cache", empty)):
        for name, got in runs.items():
            print(f"cold check of {EXAMPLE.name}, {label}, {name}: wall "
                  f"{statistics.median(w for w, _ in got) * 1000:.0f} ms, ratio to the floor "
                  f"{_spread([a[0] / b[0] for a, b in zip(got, floors, strict=True)])}; CPU ratio "
                  f"{_spread([a[1] / b[1] for a, b in zip(got, floors, strict=True)])}")  # fmt: skip


_STAGES = ("read", "parse", "facts", "rules", "json")


def stage_times(folder: Path, n: int) -> dict[str, float]:
    """Milliseconds of CPU per file for each stage, this process's checker, the files of ``folder``."""
    from checker import batch as run
    from checker.doctype import with_document_types
    from checker.facts import build_facts
    from checker.parse.document import parse_document
    from checker.readers import read_data
    from checker.report.json_report import file_text
    from checker.rules.engine import Engine

    files = [(str(p), p.read_bytes()) for p in sorted(folder.iterdir())[:n]]
    engine = Engine()
    run.set_engine(engine)
    for path, data in files[:20]:  # warm: packs compiled, first-use patterns made
        run.check_one_light(path, file_text, data=data)
    clock = time.process_time
    spent = dict.fromkeys(_STAGES, 0.0)
    for path, data in files:
        start = clock()
        doc = read_data(data, path)
        read = clock()
        sheets = with_document_types(doc, parse_document(doc))
        parsed = clock()
        for sheet in sheets:
            build_facts(sheet, engine.framework_for(sheet)[0])
        facts = clock()
        outcome = run.check_one_light(path, data=data)  # read, parse, facts and rules again
        checked = clock()
        file_text(outcome)
        spent["json"] += clock() - checked
        spent["read"] += read - start
        spent["parse"] += parsed - read
        spent["facts"] += facts - parsed
        spent["rules"] += (checked - facts) - (facts - start)
    return {stage: value / len(files) * 1000 for stage, value in spent.items()}


def stages(folder: Path, n: int, rounds: int, trees: list[tuple[str, Path]]) -> None:
    for i in range(n):
        as_workbook(document(1, seed=i), folder / f"{i:04d}.xlsx")
    got: dict[str, list[dict[str, float]]] = {name: [] for name, _ in trees}
    for _ in range(rounds):
        for name, tree in trees:
            out = subprocess.run(
                [sys.executable, __file__, "--stages-of", str(folder), "--files", str(n), "--tree", str(tree)],
                check=True, capture_output=True, text=True, cwd=tree,
            ).stdout  # fmt: skip
            got[name].append(dict(zip(_STAGES, map(float, out.split()), strict=True)))
    for name, runs in got.items():
        per = {stage: statistics.median(r[stage] for r in runs) for stage in _STAGES}
        totals = [sum(r.values()) for r in runs]
        print(f"CPU per file, {name}: " + ", ".join(f"{k} {v:.2f}" for k, v in per.items())
              + f"; total {statistics.median(totals):.2f} ms (median of {rounds}; min {min(totals):.2f})")  # fmt: skip


_PHASE_NAMES = {
    "own": "in process: the entry and the command",
    "imports": "  of which imports (typer's too)",
    "patterns": "  of which compiling patterns",
    "packs": "  of which packs (Engine.rules_for)",
    "collector": "  of which the collector's young passes",
    "exit": "exit after the command (teardown)",
}


def phases(rounds: int, trees: list[tuple[str, Path]], caches: Path) -> None:
    got: dict[str, list[dict[str, float]]] = {name: [] for name, _ in trees}
    for i in range(rounds + 1):  # the first round fills each tree's cache and is not counted
        for name, tree in trees:
            env = {**os.environ, "JIXIAO_CACHE_DIR": str(caches / name)}
            out = subprocess.run([sys.executable, str(ROOT / "bench" / "cold_phases.py"), str(tree)], check=True,
                                 capture_output=True, text=True, env=env, cwd=tree).stdout  # fmt: skip
            ended = time.time()
            values = dict(zip([*list(_PHASE_NAMES)[:-1], "end"], map(float, out.split()), strict=True))
            values["exit"] = (ended - values.pop("end")) * 1000
            if i:
                got[name].append(values)
    print(f"where a cold check of {EXAMPLE.name} goes, warm cache, medians of {rounds} rounds [min-max], ms:")
    print(f"{'':42}" + "".join(f"{name[-24:]:>26}" for name, _ in trees))
    for phase, label in _PHASE_NAMES.items():
        cells = []
        for name, _ in trees:
            values = [r[phase] for r in got[name]]
            cells.append(f"{statistics.median(values):.1f} [{min(values):.0f}-{max(values):.0f}]")
        print(f"{label:42}" + "".join(f"{c:>26}" for c in cells))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--against", type=Path, action="append", default=[])
    ap.add_argument("--only", choices=["read", "cold", "batch", "stages", "phases"])
    ap.add_argument("--stages-of", type=Path, help=argparse.SUPPRESS)  # one tree's stages, in this process
    ap.add_argument("--tree", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stages_of is not None:
        sys.path.insert(0, str(args.tree))  # that tree's checker, not this one's
        import checker

        assert Path(checker.__file__).resolve().is_relative_to(args.tree.resolve()), checker.__file__
        print(" ".join(f"{v:.4f}" for v in stage_times(args.stages_of, args.files).values()))
        return
    trees = [("this", ROOT), *((str(tree), tree) for tree in args.against)]
    for _, tree in trees:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "checker")], check=True)
    with tempfile.TemporaryDirectory(prefix="xlsxbench-") as tmp:
        caches = Path(tmp) / "caches"
        if args.only in (None, "read"):
            reading(Path(tmp))
        if args.only in (None, "cold"):
            cold(args.rounds * 3, trees, caches)
        if args.only == "phases":
            phases(args.rounds * 3, trees, caches)
        if args.only == "stages":
            folder = Path(tmp) / "stages"
            folder.mkdir()
            stages(folder, args.files, args.rounds, trees)
        if args.only in (None, "batch"):
            folder = Path(tmp) / "batch"
            folder.mkdir()
            batch(folder, args.files, args.rounds, trees, caches)


if __name__ == "__main__":
    main()

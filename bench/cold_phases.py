"""One tree's cold check of the form workbook, timed by phase (not a test; ``xlsx_bench.py --only phases``
runs it and prints the table). Imports only what the measurement needs, so the check's own imports are
all counted.

    python bench/cold_phases.py TREE     # prints: own imports patterns packs collector end (ms; end = wall clock)

The command runs as ``python -m checker check EXAMPLE --exit-zero`` would (``runpy``, the tree's own entry).
Counted: the whole of the entry and the command in this process; of it, the outermost imports (typer's
too), compiling regular expressions, ``Engine.rules_for`` (the packs) and the collector's passes (gc
callbacks). Overlapping: a pattern compiled at import is in both. The exit is timed by the caller.
"""

from __future__ import annotations

import contextlib
import gc
import importlib._bootstrap as bootstrap
import io
import re._compiler as compiler
import runpy
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "项目支出绩效目标申报表.xlsx"
_clock = time.perf_counter
spent = dict.fromkeys(("own", "imports", "patterns", "packs", "collector"), 0.0)


def _timed(real: Callable[..., Any], key: str) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = _clock()
        try:
            return real(*args, **kwargs)
        finally:
            spent[key] += _clock() - start

    return wrapper


_started = [0.0]


def _on_collect(phase: str, _info: object) -> None:
    if phase == "start":
        _started[0] = _clock()
    else:
        spent["collector"] += _clock() - _started[0]


_load, _depth = bootstrap._load_unlocked, [0]


def _loading(spec: Any) -> Any:
    """Every import goes through here: the outermost ones are timed, nested ones are inside them."""
    _depth[0] += 1
    start = _clock()
    try:
        module = _load(spec)
    finally:
        _depth[0] -= 1
        if _depth[0] == 0:
            spent["imports"] += _clock() - start
    if spec.name == "checker.rules.engine":
        module.Engine.rules_for = _timed(module.Engine.rules_for, "packs")
    return module


def main() -> None:
    tree = Path(sys.argv[1]).resolve()
    sys.path[0] = str(tree)  # the tree's checker, not this script's folder
    gc.callbacks.append(_on_collect)
    compiler.compile = _timed(compiler.compile, "patterns")
    bootstrap._load_unlocked = _loading  # type: ignore[assignment]
    sys.argv = ["jixiao", "check", str(EXAMPLE), "--exit-zero"]
    start = _clock()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
        runpy.run_module("checker", run_name="__main__", alter_sys=True)
    spent["own"] = _clock() - start
    assert Path(sys.modules["checker"].__file__ or "").resolve().is_relative_to(tree), "not the tree's checker"
    print(" ".join(f"{v * 1000:.3f}" for v in spent.values()), f"{time.time():.6f}")


if __name__ == "__main__":
    main()

"""The correctness gate of a speed change (not a test): ``check --format json`` and ``parse --format json`` of
two trees, byte for byte, on the examples, every sheet file under ``tests/``, the corpus workbooks and a
batch of generated one-sheet workbooks with one project twice (checked as one run, so the run-level rules
are compared too; in this process and with ``--jobs 2``, JSON and SARIF).

    python bench/same_output.py BEFORE_TREE [AFTER_TREE] [--corpus DIR]

Each tree runs in its own process (``PYTHONPATH``) with its own empty cache folder; the exit status is 1 and
the differing inputs are named when any output differs.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".txt", ".docx", ".html", ".htm", ".pdf", ".csv")


def inputs(corpus: Path | None, batch: Path) -> list[str]:
    found = {str(p.relative_to(ROOT)) for p in (ROOT / "examples").iterdir() if p.is_file()}
    found |= {str(p.relative_to(ROOT)) for p in (ROOT / "tests").rglob("*") if p.suffix.lower() in SUFFIXES}
    if corpus is not None and corpus.is_dir():
        found |= {str(p) for p in corpus.rglob("*.xlsx")}
    return [*sorted(found), str(batch)]


def run_here(out: Path, paths: list[str]) -> None:
    """In the tree on PYTHONPATH: each input's output (and exit code, and stderr) to ``out``."""
    import checker
    from checker.cli import app_for

    tree = Path(os.environ["PYTHONPATH"]).resolve()
    assert Path(checker.__file__).resolve().is_relative_to(tree), checker.__file__  # not the installed copy
    out.mkdir(parents=True, exist_ok=True)
    for i, path in enumerate(paths):
        commands = [("check", ["check", path, "--format", "json", "--exit-zero"])]
        if os.path.isdir(path):  # the batch through the pool too: workers' packed outcomes, the parent's replay
            for fmt in ("json", "sarif"):
                commands.append((f"{fmt}-jobs2", ["check", path, "--format", fmt, "--exit-zero", "--jobs", "2"]))
        else:
            commands.append(("parse", ["parse", path, "--format", "json"]))
        for name, argv in commands:
            text, err, code = io.StringIO(), io.StringIO(), 0
            with contextlib.redirect_stdout(text), contextlib.redirect_stderr(err):
                try:
                    app_for(argv)(argv)
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
            (out / f"{i:04d}-{name}.json").write_text(
                f"# {path} exit {code}\n{text.getvalue()}\n# stderr\n{err.getvalue()}", encoding="utf-8"
            )


def main() -> int:
    if sys.argv[1:2] == ["--run-here"]:  # the child: one tree's outputs
        run_here(Path(sys.argv[2]), sys.argv[3:])
        return 0
    ap = argparse.ArgumentParser()
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path, nargs="?", default=ROOT)
    ap.add_argument("--corpus", type=Path, default=Path("/work/shared/corpus/files"))
    ap.add_argument("--files", type=int, default=40, help="generated workbooks in the batch")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.gen_sheets import as_workbook, document

    with tempfile.TemporaryDirectory(prefix="same-output-") as tmp:
        batch = Path(tmp) / "batch"
        batch.mkdir()
        for i in range(args.files):
            as_workbook(document(1, seed=i), batch / f"{i:04d}.xlsx")
        # The project of 0003.xlsx again, as text: the run-level rules (STR014) add findings to earlier files.
        (batch / "again.txt").write_text(document(1, seed=3), encoding="utf-8")
        paths = inputs(args.corpus, batch)
        outs = []
        for label, tree in (("before", args.before), ("after", args.after)):
            out = Path(tmp) / label
            env = {**os.environ, "PYTHONPATH": str(tree.resolve()), "PYTHONSAFEPATH": "1",
                   "JIXIAO_CACHE_DIR": str(Path(tmp) / f"cache-{label}")}  # fmt: skip
            subprocess.run([sys.executable, __file__, "--run-here", str(out), *paths], check=True, env=env, cwd=ROOT)
            outs.append(out)
        differ = [p.name for p in sorted(outs[0].iterdir()) if p.read_bytes() != (outs[1] / p.name).read_bytes()]
        for name in differ:
            print(f"differs: {name} ({paths[int(name[:4])]})")
        print(f"{len(paths)} inputs, {len(list(outs[0].iterdir()))} outputs: "
              + ("byte-identical" if not differ else f"{len(differ)} differ"))  # fmt: skip
        return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())

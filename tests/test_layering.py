"""Imports run one way, with the flow: base → domain → read → layout → parse → facts → rules → run → report →
surface (docs/architecture.md, "Modules by stage"). Every import counts, function-level ones too: they are
lazy for start-up time, not to hide a dependency. A module not placed in a layer fails the test, so a new
module is placed on purpose."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "checker"

# (layer, module prefixes) from the bottom up; a module may import its own layer and those below.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "base",
        (
            "checker",
            "checker.errors",
            "checker.i18n",
            "checker.units",
            "checker.resources",
            "checker.cache",
            "checker.text",
            "checker.lazyre",
            "checker.model",
            "checker.output",
            "checker.suggest",
            "checker.pathlist",
            "checker.lazyseq",
            "checker.frozen",
        ),
    ),
    # The form's words and the value grammar are asked by every stage alike, so they sit below all of them.
    (
        "domain",
        ("checker.frameworks", "checker.vocabulary", "checker.parse.values", "checker.config", "checker.findings"),
    ),
    ("read", ("checker.readers",)),
    ("layout", ("checker.layout",)),
    ("parse", ("checker.parse", "checker.doctype")),
    ("facts", ("checker.facts", "checker.facts_disclosure", "checker.forms")),
    ("rules", ("checker.rules",)),
    (
        "run",
        (
            "checker.pipeline",
            "checker.batch",
            "checker.executors",
            "checker.stream",
            "checker.results",
            "checker.coverage",
            "checker.decisions",
            "checker.dedupe",
            "checker.suppress",
            "checker.baseline",
            "checker.opinion",
            "checker.fix",
            "checker.template",
        ),
    ),
    ("report", ("checker.report",)),
    (
        "surface",
        (
            "checker.api",
            "checker.cli",
            "checker.cli_options",
            "checker.cli_fix",
            "checker.cli_template",
            "checker.__main__",
            "checker.selfcheck",
        ),
    ),
]

# Edges the layer order allows but the design does not: renderers receive data (RunResult, outcomes) and
# neither run the checks nor read files.
FORBIDDEN = {
    "checker.report": ("checker.api", "checker.batch", "checker.pipeline", "checker.readers"),
}


def _layer(module: str) -> int:
    best: tuple[int, int] | None = None  # (prefix length, layer): the longest prefix decides
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            matches = module == prefix or module.startswith(prefix + ".")
            if matches and (best is None or len(prefix) > best[0]):
                best = (len(prefix), index)
    if best is None:
        raise LookupError(module)
    return best[1]


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, text: str | None = None) -> Iterator[tuple[int, str, str]]:
    """(line, imported module, imported name or '') for every checker import in the file (or in ``text``
    as if it were that file)."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    source = path.read_text(encoding="utf-8") if text is None else text
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "checker":
                    yield node.lineno, alias.name, ""
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "checker":
                continue
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                is_module = (ROOT / (submodule.replace(".", "/") + ".py")).exists() or (
                    ROOT / submodule.replace(".", "/")
                ).is_dir()
                yield node.lineno, submodule if is_module else target, "" if is_module else alias.name


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    unplaced = []
    for path in SOURCES:
        try:
            _layer(_module(path))
        except LookupError:
            unplaced.append(_module(path))
    assert not unplaced, f"place these modules in a layer of LAYERS: {unplaced}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_run_with_the_flow(path: Path) -> None:
    module = _module(path)
    # checker/__init__.py is two things: ``__version__`` (base, imported by many) and the lazy facade of the
    # public API (surface, importing from every stage).
    mine = len(LAYERS) - 1 if module == "checker" else _layer(module)
    wrong = []
    for line, target, _ in _imports(path):
        theirs = _layer(target)
        if theirs > mine:
            wrong.append(f"{path.relative_to(ROOT)}:{line}: {LAYERS[mine][0]} imports {LAYERS[theirs][0]} ({target})")
        for prefix, banned in FORBIDDEN.items():
            if module.startswith(prefix) and any(target == b or target.startswith(b + ".") for b in banned):
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {module} must not import {target}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    "path", [*SOURCES, *sorted((ROOT / "bench").glob("*.py"))], ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_private_name_is_imported_from_another_module(path: Path) -> None:
    private = [
        f"{path.relative_to(ROOT)}:{line}: {target}.{name}"
        for line, target, name in _imports(path)
        if name.startswith("_") and not name.startswith("__")
    ]
    assert not private, "\n".join(private)


def test_a_backward_import_is_caught() -> None:
    """The checker itself: a reader importing the rules engine (lazily, inside a function) is a violation;
    importing the model is not; a private name is seen."""
    probe = PACKAGE / "readers" / "probe.py"
    text = "from checker.model import Location\n\ndef f():\n    from checker.rules.engine import _x\n"
    found = list(_imports(probe, text))
    assert [(t, n) for _, t, n in found] == [("checker.model", "Location"), ("checker.rules.engine", "_x")]
    assert [_layer(t) > _layer(_module(probe)) for _, t, _ in found] == [False, True]

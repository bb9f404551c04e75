"""The repository stands on its own (issue 14): every catalogue id a shipped rule cites is summarised in
docs/catalogue.md, and no Markdown file, rule pack, schema or Python docstring/comment points at a file
outside the repository (the design notes a clone does not have) or at a Markdown file that is not in it."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.rules.loader import load_pack_file, shipped_packs

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "docs" / "catalogue.md"
SKIP_DIRS = {".git", ".venv", "venv", "build", "dist", "node_modules", "__pycache__"}
CODE_DIRS = ("checker", "tests", "bench", "examples")

# A path that leaves the repository: the sibling folder the first design notes lived in, or a machine path.
OUTSIDE = re.compile(r"\.\./shared\b|(?<![\w.])shared/(?:docs|data|seeds|corpus)/|/work/|rules-catalogue")
# A Markdown file named in prose or a link (docs/catalogue.md, a relative link, a bare file name).
MD_NAME = re.compile(r"(?<![\w/.-])((?:\.{1,2}/|[\w-]+/)*[\w.-]+\.md)\b")
URL = re.compile(r"[a-z]+://\S+")


def _files(pattern: str, under: tuple[str, ...] = ()) -> list[Path]:
    roots = [ROOT / d for d in under] if under else [ROOT]
    found = []
    for root in roots:
        for path in root.rglob(pattern):
            if not SKIP_DIRS & set(path.relative_to(ROOT).parts) and not path.name.endswith(".egg-info"):
                found.append(path)
    return sorted(found)


def catalogue_ids() -> set[str]:
    """The ids in the first column of docs/catalogue.md's tables."""
    text = CATALOGUE.read_text(encoding="utf-8")
    return set(re.findall(r"^\| ([A-Z]+(?:-[A-Z]+)?-[0-9]{3}) \|", text, flags=re.MULTILINE))


def test_every_rule_ref_of_every_shipped_pack_is_in_the_catalogue() -> None:
    ids = catalogue_ids()
    assert len(ids) >= 60  # the summary is the whole catalogue, not only what is cited today
    missing = {
        f"{pack_id}:{rule.code}:{ref}"
        for pack_id, path in shipped_packs().items()
        for rule in load_pack_file(path).rules
        for ref in rule.refs
        if ref not in ids
    }
    assert not missing, f"refs not in docs/catalogue.md: {sorted(missing)}"


def _python_prose(path: Path) -> Iterator[tuple[int, str]]:
    """The comments and docstrings of one Python file, with their line numbers."""
    source = path.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                yield first.lineno, first.value.value


def prose() -> Iterator[tuple[Path, int, str]]:
    """Every piece of text that may point somewhere: Markdown files, rule packs (their `source:` fields
    and comments), JSON schemas, and the comments and docstrings of the Python code."""
    for path in _files("*.md"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            yield path, number, line
    for path in [*_files("*.yaml", ("rules",)), *_files("*.json", ("checker/schemas",))]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            yield path, number, line
    for path in _files("*.py", CODE_DIRS):
        for number, text in _python_prose(path):
            yield path, number, text


def _outside(text: str, here: Path, markdown: dict[str, list[Path]]) -> list[str]:
    """What in one piece of text points outside the repository."""
    text = URL.sub("", text)
    found = [m.group(0) for m in OUTSIDE.finditer(text)]
    return found + [m.group(1) for m in MD_NAME.finditer(text) if not _resolves(m.group(1), here, markdown)]


def _resolves(name: str, here: Path, markdown: dict[str, list[Path]]) -> bool:
    if "/" not in name:
        return name in markdown  # a bare file name: some Markdown file of the repository has it
    for base in (here.parent, ROOT):
        target = (base / name).resolve()
        if target.is_relative_to(ROOT) and target.exists():
            return True
    return False


def test_nothing_points_outside_the_repository() -> None:
    markdown: dict[str, list[Path]] = {}
    for path in _files("*.md"):
        markdown.setdefault(path.name, []).append(path)
    bad = []
    for path, number, text in prose():
        bad += [f"{path.relative_to(ROOT)}:{number}: {what}" for what in _outside(text, path, markdown)]
    assert not bad, "references outside the repository:\n" + "\n".join(bad)


@pytest.mark.parametrize(
    "text",
    [
        "see ../shared/docs/architecture.md",
        "rules-catalogue.md §4",
        "source: rules-catalogue FUND-002",
        "the notes in design-notes.md",
        "[x](../../elsewhere/README.md)",
    ],
)
def test_the_scan_catches_an_outside_reference(text: str) -> None:
    markdown = {p.name: [p] for p in _files("*.md")}
    here = ROOT / "docs" / "architecture.md"
    assert _outside(text, here, markdown)


def test_the_scan_accepts_in_repository_references() -> None:
    markdown = {p.name: [p] for p in _files("*.md")}
    here = ROOT / "tests" / "data" / "heldout" / "README.md"
    for text in ("docs/catalogue.md §4", "reliability.md S4", "`../corpus/README.md`", "[layouts](docs/layouts.md)"):
        assert not _outside(text, here, markdown), text

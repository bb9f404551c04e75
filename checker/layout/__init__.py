"""Layout recovery: a text becomes a grid of cells (a RawTable) by the layout family that fits it best.

Published goal sheets reach us as text in many shapes: tab-separated rows (pdftotext of a ruled table),
HTML tables dumped with ``|`` between cells (one row per line, or one cell per line, merged cells dropped),
space-aligned columns, one cell per line with labels split a character a line, indentation outlines,
run-on lines with the cells glued together, and prose. Each family is one module with a ``detect`` score
(how many lines of the text look like it) and a ``recover`` that builds the table; they are registered in
``FAMILIES`` in order of preference, so adding a family is one module and one line here
(docs/layouts.md). Tab-separated text is read by column position; every other family's table is read
as a sequence (``RawTable.positional`` is False), since their column positions are not reliable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from checker.readers.raw import RawDocument, RawTable


@dataclass(frozen=True, slots=True)
class Family:
    """One way a goal sheet can be laid out as text."""

    name: str
    title_zh: str
    detect: Callable[[Sequence[str]], float]
    recover: Callable[[Sequence[str], str], RawTable]


def _families() -> tuple[Family, ...]:
    from checker.layout import columns, lines, listing, pipes, prose, runon, spaced, tabs

    return (
        tabs.FAMILY,
        pipes.FAMILY,
        spaced.FAMILY,
        lines.FAMILY,
        runon.FAMILY,
        prose.FAMILY,
        columns.FAMILY,
        listing.FAMILY,
    )


def families() -> tuple[Family, ...]:
    """The registered families, in order of preference when two score the same."""
    return _families()


_PREAMBLE = re.compile(r"^#\s*(?:source|note|url|title|saved|date)\s*:", re.IGNORECASE)


def text_lines(doc: RawDocument) -> list[str]:
    """The text of a text document, line by line (the text reader split each line at tabs).

    Page texts saved by crawlers open with ``# source: …`` / ``# note: …`` lines about the page; they are
    blanked (line numbers stay) so that words quoted in a note are not read as the sheet.
    """
    (table,) = doc.tables
    lines = ["\t".join(cell.text for cell in row.cells) for row in table.rows]
    for n, line in enumerate(lines):
        if not _PREAMBLE.match(line):
            break
        lines[n] = ""
    return lines


# Detection reads a sample: the lines around the first goal-sheet words, so that a 1 MB budget
# disclosure is scored in bounded time (bench/layout_bench.py) and its narrative does not outvote it.
_SAMPLE_LINES = 2000
_WINDOW = 60
_MARK = re.compile(r"指标|指標|绩效|績效|项目名称|項目名稱")


_SAMPLE_CHARS = 60_000


def sample(lines: Sequence[str]) -> Sequence[str]:
    """All lines of a short text; of a long one, windows around the lines that carry goal-sheet words,
    up to a bounded number of lines and characters."""
    if len(lines) <= _SAMPLE_LINES and sum(len(line) for line in lines) <= _SAMPLE_CHARS:
        return lines
    keep: list[str] = []
    chars, end = 0, -1
    for n, line in enumerate(lines):
        if len(keep) >= _SAMPLE_LINES or chars >= _SAMPLE_CHARS:
            break
        if n > end and _MARK.search(line):
            start = max(n - _WINDOW // 3, end + 1)
            end = min(len(lines) - 1, n + _WINDOW)
            window = lines[start : end + 1]
            keep.extend(window)
            chars += sum(len(x) for x in window)
    return keep or lines[:_SAMPLE_LINES]


def _tab_grid(lines: Sequence[str]) -> bool:
    """Whether the goal-sheet lines are tab-separated rows (pdftotext, a sheet pasted from Excel). Every
    other family skips lines with tabs, so such a text is the tabs family's without scoring the rest —
    which saves compiling their patterns (~35 ms) on the commonest text input."""
    marked = [line for line in lines if "指标" in line]
    tabbed = sum(1 for line in marked if line.count("\t") >= 1 and sum(1 for p in line.split("\t") if p.strip()) >= 2)
    return len(marked) >= 3 and tabbed >= 0.7 * len(marked)


def choose(lines: Sequence[str]) -> tuple[Family, float]:
    """The family with the highest score on a sample of the text (the first registered on a tie)."""
    best: tuple[Family, float] | None = None
    sampled = sample(lines)
    if _tab_grid(sampled):
        from checker.layout import tabs

        return tabs.FAMILY, tabs.detect(sampled)
    for family in families():
        score = family.detect(sampled)
        if best is None or score > best[1]:
            best = (family, score)
    assert best is not None
    return best


def recover(doc: RawDocument) -> RawDocument:
    """A text document's single raw table replaced by the table its best layout family recovers."""
    if doc.kind != "text" or len(doc.tables) != 1:
        return doc
    lines = text_lines(doc)
    family, score = choose(lines)
    if score <= 0:
        return doc
    if family.name == "tabs":
        # The text reader already split every line at its tabs: that grid is this family's grid.
        table = doc.tables[0]
        skip = next((n for n, line in enumerate(lines) if line), len(lines))  # the blanked preamble
        return replace(doc, tables=(replace(table, rows=table.rows[skip:], layout="tabs"),))
    return replace(doc, tables=(family.recover(lines, doc.source),))


__all__ = ["Family", "choose", "families", "recover", "text_lines"]

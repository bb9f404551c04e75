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
from dataclasses import replace
from functools import cache

from checker.frozen import frozen
from checker.lazyre import lazy
from checker.model import Location
from checker.readers.raw import RawDocument, RawRow, RawTable


@frozen
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


_PREAMBLE = lazy(r"^#\s*(?:source|note|url|title|saved|date)\s*:", re.IGNORECASE)


def text_lines(source: RawDocument | RawTable) -> list[str]:
    """The text of a flow table (a text document's one table), line by line (the text reader split each
    line at tabs).

    Page texts saved by crawlers open with ``# source: …`` / ``# note: …`` lines about the page; they are
    blanked (line numbers stay) so that words quoted in a note are not read as the sheet. So are the page's
    furniture lines (vocabulary.yaml ``page_furniture``: 抄送, 印发, 【打印】, 网站地图 …), which would
    otherwise continue the table's last cell.
    """
    table = source if isinstance(source, RawTable) else next(t for t in source.tables if t.flow)
    lines = ["\t".join(cell.text for cell in row.cells) for row in table.rows]
    for n, line in enumerate(lines):
        if not _PREAMBLE.match(line):
            break
        lines[n] = ""
    furniture = _furniture()
    return ["" if len(line) <= _FURNITURE_CHARS and furniture.search(line) else line for line in lines]


_FURNITURE_CHARS = 80  # a furniture line is short; a longer line holding the words is content


@cache
def _furniture() -> re.Pattern[str]:
    from checker.resources import shipped_yaml

    return re.compile("|".join(f"(?:{p})" for p in shipped_yaml("frameworks/vocabulary.yaml")["page_furniture"]))


# Detection reads the goal sheet's region, not the whole text: the lines from just before each line with
# goal-sheet words to some way after it. A budget disclosure's other tables (tab rows from pdftotext, say)
# then do not outvote a sheet laid out otherwise, and a 1 MB text is scored in bounded time
# (bench/layout_bench.py): at most 2,000 lines and 60,000 characters.
_SAMPLE_LINES = 2000
_SAMPLE_CHARS = 60_000
_BEFORE, _AFTER = 3, 60
_MARK = lazy(r"指标|指標|绩效|績效|项目名称|項目名稱")


def sample(lines: Sequence[str]) -> list[str]:
    """The lines around the goal-sheet words (all lines, up to the bounds, when there are none)."""
    spans: list[list[int]] = []
    for n, line in enumerate(lines):
        if not _MARK.search(line):
            continue
        if spans and n - _BEFORE <= spans[-1][1] + 1:
            spans[-1][1] = min(len(lines) - 1, n + _AFTER)
        else:
            spans.append([max(0, n - _BEFORE), min(len(lines) - 1, n + _AFTER)])
        if sum(b - a + 1 for a, b in spans) >= _SAMPLE_LINES:
            break
    keep: list[str] = []
    chars = 0
    for line in (line for a, b in spans for line in lines[a : b + 1]) if spans else lines:
        if len(keep) >= _SAMPLE_LINES or chars >= _SAMPLE_CHARS:
            break
        keep.append(line)
        chars += len(line)
    return keep


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
    """Each flow table of a document (a text file's one table; the text around a PDF's or a web page's
    tables) replaced by the table its best layout family recovers."""
    if not any(t.flow for t in doc.tables):
        return doc
    return replace(doc, tables=tuple(_recover(t, doc.source) if t.flow else t for t in doc.tables))


def _recover(table: RawTable, source: str) -> RawTable:
    lines = text_lines(table)
    family, score = choose(lines)
    if score <= 0:
        return table
    if family.name == "tabs":
        # The text reader already split every line at its tabs: that grid is this family's grid.
        skip = next((n for n, line in enumerate(lines) if line), len(lines))  # the blanked preamble
        return replace(table, rows=table.rows[skip:], layout="tabs", flow=False, positional=True)
    return _relocate(family.recover(lines, source), table)


def _relocate(recovered: RawTable, flow: RawTable) -> RawTable:
    """Families number the lines they were given; where a flow table's rows stand elsewhere (a PDF page
    and its row), each recovered cell takes its line's own location, keeping its column."""
    rows = flow.rows
    if all(row.location.page is None and row.location.line == n for n, row in enumerate(rows, 1)):
        return recovered

    def moved(at: Location) -> Location:
        line = at.line
        if line is None or not 1 <= line <= len(rows):
            return at
        return replace(rows[line - 1].location, column=at.column)

    return replace(recovered, rows=tuple(
        RawRow(tuple(replace(c, location=moved(c.location), origin=c.origin and moved(c.origin)) for c in row.cells),
               moved(row.location))
        for row in recovered.rows
    ))  # fmt: skip


__all__ = ["Family", "choose", "families", "recover", "text_lines"]

"""``|`` between cells: HTML tables dumped to text, one row per line (``a | b | c |||``), markdown rows
(``| a | b |``), or one cell per line (``a |`` on each line, a line of bare ``|||`` ending a row).

The whole text is split at ``|``; a cell's own line breaks (``打造金安国际网球\\n公开赛等…``, ``绩\\n效\\n指\\n标``)
are joined, and a cell that starts on a new line starts a new row. Merged cells are missing from the rows
they span, so the table is read as a sequence, not by position.
"""

from __future__ import annotations

from collections.abc import Sequence

from checker.layout import Family
from checker.layout.base import Piece, table
from checker.lazyre import lazy
from checker.readers.raw import RawTable

_CJK_END = lazy(r"[\u3000-\u9fff\uff00-\uffef]$")
_CJK_START = lazy(r"^[\u3000-\u9fff\uff00-\uffef]")


def detect(lines: Sequence[str]) -> float:
    # A line with a pipe between or after cell text; a pure separator line (|||) supports nothing.
    return float(sum(1 for line in lines if "|" in line and line.replace("|", "").strip()))


def join_lines(parts: list[str]) -> str:
    """A cell's lines as one text: CJK lines join directly (a label split a character a line),
    others with a space."""
    out = ""
    for raw in parts:
        part = raw.strip()
        if not part:
            continue
        if out and not (_CJK_END.search(out) or _CJK_START.match(part)):
            out += " "
        out += part
    return out


def recover(lines: Sequence[str], path: str) -> RawTable:
    rows: list[list[Piece]] = []
    current: list[Piece] = []
    buffer: list[tuple[str, int]] = []  # the lines of the cell being read
    starts_row = True

    def close_cell() -> None:
        nonlocal current, starts_row
        # A blank line inside a cell's text is a paragraph break of prose around the table: each
        # paragraph becomes a row of its own, so a label after it (项目名称) is seen as a label.
        paragraphs: list[list[tuple[str, int]]] = [[]]
        for text, n in buffer:
            if not text.strip():
                if paragraphs[-1]:
                    paragraphs.append([])
                continue
            paragraphs[-1].append((text, n))
        for i, para in enumerate(p for p in paragraphs if p):
            text = join_lines([t for t, _ in para])
            if not text:
                continue
            if (i > 0 or starts_row) and current:
                rows.append(current)
                current = []
            current.append((text, para[0][1]))
        buffer.clear()
        starts_row = False

    # What the previous line was: a pipe-less line continues a cell only after a line that ended with a
    # pipe (the cell starts there: 打造金安国际网球⏎公开赛… |), after one whose last cell is still open
    # (| 社会效益⏎指标) or after such a continuation; after a blank line or a line of prose it stands alone
    # (a title above the table is not glued to the table's first cell).
    previous = "blank"
    for n, line in enumerate(lines, 1):
        if "|" not in line:
            if not line.strip():
                buffer.append((line, n))
                previous = "blank" if previous in ("blank", "alone") else previous
                continue
            if previous in ("blank", "alone"):
                close_cell()
                starts_row = True
                buffer.append((line, n))
                close_cell()
                starts_row = True
                previous = "alone"
                continue
            buffer.append((line, n))
            previous = "continued"
            continue
        segments = line.split("|")
        if previous == "open" and segments[0].strip():
            # a | b | c on one line, d | e on the next: a row a line whose last cell has no closing pipe.
            close_cell()
            starts_row = True
        for k, segment in enumerate(segments):
            if k > 0:
                close_cell()
            if k == 0 and not segment.strip():
                # A line that opens with | (markdown, or a dump putting the separator first) adds nothing.
                continue
            if k == 0 and buffer == [] and segment.strip():
                # Text at the start of a line after a closed cell: a new cell on a new line, a new row.
                starts_row = True
            buffer.append((segment, n))
        if not segments[-1].strip():
            # The line ended with a pipe: the next text starts a new cell on a new line.
            buffer.clear()
            starts_row = True
            previous = "ended"
        else:
            previous = "open"
    close_cell()
    if current:
        rows.append(current)
    return table(rows, path, "pipes")


FAMILY = Family("pipes", "竖线分隔", detect, recover)

"""Page geometry → tables: ruling lines become cells, characters fall into the cell under their centre.

Pure geometry, no PDF library: checker/readers/pdf.py hands in each page's line segments and characters
(top-down coordinates in points), and gets back blocks in reading order — ruled tables (with merged
ranges as spans) and lines of text outside them. The algorithm is the one pdfplumber and Camelot's
"lattice" mode use: snap and join collinear edges, find their crossings, take for every crossing the
smallest rectangle whose four sides are drawn, then group rectangles that share corners into tables.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter

from checker.frozen import frozen

SNAP = 3.0  # points: borders drawn 1–2 pt apart (double lines, rounding) are one border
JOIN = 3.0  # collinear pieces with gaps this small are one edge
MIN_EDGE = 3.0
MAX_EDGES = 4000  # per page: a page of hatching is not a table (and would cost O(h·v) crossings)


@frozen
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


@frozen
class Segment:
    """A drawn straight line (or a thin filled rectangle) in top-down page coordinates."""

    x0: float
    top: float
    x1: float
    bottom: float


@frozen
class GridCell:
    """A cell of a ruled table: its grid position and span, and its text."""

    row: int
    col: int
    row_end: int
    col_end: int
    text: str


@frozen
class Table:
    """A ruled table: column boundaries (x, left to right), row boundaries (top to bottom), cells."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    cells: tuple[GridCell, ...]

    @property
    def top(self) -> float:
        return self.ys[0]

    @property
    def bottom(self) -> float:
        return self.ys[-1]

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1


@frozen
class Line:
    """A line of text outside every table: its words joined with spaces that keep its columns apart."""

    text: str
    top: float
    bottom: float
    x0: float = 0.0
    x1: float = 0.0


Block = Table | Line


# --- edges -----------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Edge:
    pos: float  # y of a horizontal edge, x of a vertical one
    start: float
    end: float


def _snap_join(edges: list[_Edge]) -> list[_Edge]:
    """Edges within SNAP of one position share it; collinear pieces that touch or overlap are one edge."""
    if not edges:
        return []
    edges.sort(key=lambda e: e.pos)
    groups: list[list[_Edge]] = [[edges[0]]]
    for e in edges[1:]:
        if e.pos - groups[-1][0].pos <= SNAP:
            groups[-1].append(e)
        else:
            groups.append([e])
    out: list[_Edge] = []
    for group in groups:
        pos = sum(e.pos for e in group) / len(group)
        group.sort(key=lambda e: e.start)
        cur = _Edge(pos, group[0].start, group[0].end)
        for e in group[1:]:
            if e.start <= cur.end + JOIN:
                cur.end = max(cur.end, e.end)
            else:
                out.append(cur)
                cur = _Edge(pos, e.start, e.end)
        out.append(cur)
    return [e for e in out if e.end - e.start >= MIN_EDGE]


def edges_of(segments: Iterable[Segment]) -> tuple[list[_Edge], list[_Edge]]:
    """Horizontal and vertical edges from drawn segments; slanted lines and curves are no border."""
    hs: list[_Edge] = []
    vs: list[_Edge] = []
    for s in segments:
        width, height = s.x1 - s.x0, s.bottom - s.top
        if height <= SNAP and width > height:
            hs.append(_Edge((s.top + s.bottom) / 2, s.x0, s.x1))
        elif width <= SNAP and height > width:
            vs.append(_Edge((s.x0 + s.x1) / 2, s.top, s.bottom))
    hs, vs = _snap_join(hs), _snap_join(vs)
    return _snap_join(hs + _page_cuts(vs)), vs


def _page_cuts(vs: list[_Edge]) -> list[_Edge]:
    """Where a page break cuts a table, the printer draws no border across a merged cell it splits (its
    sides run to the cut, open). Neighbouring vertical borders that end at the same height are closed
    there, so the open cell is a cell."""
    cuts: list[_Edge] = []
    for end in ("start", "end"):
        by_height: dict[int, list[tuple[float, float]]] = defaultdict(list)
        for v in vs:
            by_height[round(getattr(v, end) / SNAP)].append((getattr(v, end), v.pos))
        for ends in by_height.values():
            if len(ends) >= 2:
                xs = [x for _, x in ends]
                cuts.append(_Edge(sum(y for y, _ in ends) / len(ends), min(xs), max(xs)))
    return cuts


# --- cells and tables ------------------------------------------------------------------------------------


def _crossings(hs: list[_Edge], vs: list[_Edge]) -> dict[tuple[float, float], tuple[set[int], set[int]]]:
    """Every point where a horizontal and a vertical edge meet, with the edges through it."""
    points: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    for vi, v in enumerate(vs):
        for hi, h in enumerate(hs):
            if h.start - SNAP <= v.pos <= h.end + SNAP and v.start - SNAP <= h.pos <= v.end + SNAP:
                key = (v.pos, h.pos)
                entry = points.setdefault(key, (set(), set()))
                entry[0].add(hi)
                entry[1].add(vi)
    return points


def _rectangles(
    points: dict[tuple[float, float], tuple[set[int], set[int]]],
) -> list[tuple[float, float, float, float]]:
    """For each crossing, the smallest rectangle to its right and below whose four sides are edges."""
    by_x: dict[float, list[float]] = defaultdict(list)
    by_y: dict[float, list[float]] = defaultdict(list)
    for x, y in points:
        by_x[x].append(y)
        by_y[y].append(x)
    for ys in by_x.values():
        ys.sort()
    for xs in by_y.values():
        xs.sort()
    rects = []
    for (x, y), (h_here, v_here) in points.items():
        below = [y2 for y2 in by_x[x] if y2 > y and points[(x, y2)][1] & v_here]
        right = [x2 for x2 in by_y[y] if x2 > x and points[(x2, y)][0] & h_here]
        found = False
        for y2 in below:
            for x2 in right:
                corner = points.get((x2, y2))
                if corner and corner[0] & points[(x, y2)][0] and corner[1] & points[(x2, y)][1]:
                    rects.append((x, y, x2, y2))
                    found = True
                    break
            if found:
                break
    return rects


def _group(rects: list[tuple[float, float, float, float]]) -> list[list[tuple[float, float, float, float]]]:
    """Rectangles sharing a corner belong to one table (union-find over corners)."""
    parent = list(range(len(rects)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for i, (x0, y0, x1, y1) in enumerate(rects):
        for corner in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
            j = owner.setdefault(corner, i)
            parent[find(i)] = find(j)
    groups: dict[int, list[tuple[float, float, float, float]]] = defaultdict(list)
    for i, rect in enumerate(rects):
        groups[find(i)].append(rect)
    # A lone rectangle is a box around text (a stamp, a framed note), not a table.
    return [g for g in groups.values() if len(g) > 1]


# --- text ------------------------------------------------------------------------------------------------


_X0 = attrgetter("x0")


def _ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def text_lines(chars: Sequence[Char]) -> list[list[Char]]:
    """Characters grouped into lines (a character whose middle lies within a line's band joins it), each
    line in x order, lines top to bottom."""
    lines: list[list[Char]] = []
    bands: list[tuple[float, float]] = []
    for ch in sorted(chars, key=lambda c: (c.top + c.bottom) / 2):
        mid = (ch.top + ch.bottom) / 2
        if bands and bands[-1][0] <= mid <= bands[-1][1]:
            lines[-1].append(ch)
            top, bottom = bands[-1]
            bands[-1] = (min(top, ch.top), max(bottom, ch.bottom))
        else:
            lines.append([ch])
            bands.append((ch.top, ch.bottom))
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def _line_text(line: Sequence[Char], spaced: bool) -> str:
    """One line's text; a gap wider than half a character is a space, and in ``spaced`` mode (text
    outside tables) every further half character of gap is another space, so columns stay apart."""
    out: list[str] = []
    prev: Char | None = None
    space = False
    for ch in line:
        text = ch.text
        if text.isspace():
            space = True  # a space in the text layer: at least one, however narrow
            continue
        if prev is not None:
            size = ch.bottom - ch.top
            size = max(size, prev.bottom - prev.top, 1.0)
            gap = ch.x0 - prev.x1
            if gap > 0.5 * size:
                out.append(" " * (max(1, int(gap / (0.5 * size))) if spaced else 1))
            elif space or (gap > 0.15 * size and _ascii_word(prev.text[-1]) and _ascii_word(text[0])):
                out.append(" ")
        out.append(text)
        prev, space = ch, False
    return "".join(out)


def cell_text(chars: Sequence[Char]) -> str:
    """A cell's text: its lines joined as the cell's one text (a wrapped line breaks nowhere in the source),
    with a space only between two Latin words or numbers."""
    if not chars:
        return ""
    tops = [c.top for c in chars]
    if max(tops) - min(tops) < 0.5 * (chars[0].bottom - chars[0].top):  # most cells: one line
        return _line_text(sorted(chars, key=_X0), spaced=False)
    parts = [_line_text(line, spaced=False) for line in text_lines(chars)]
    parts = [p for p in parts if p]
    if not parts:
        return ""
    text = parts[0]
    for part in parts[1:]:
        text += (" " if _ascii_word(text[-1]) and _ascii_word(part[0]) else "") + part
    return text


# --- a page ----------------------------------------------------------------------------------------------


def _grid(rects: list[tuple[float, float, float, float]]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    xs = sorted({r[0] for r in rects} | {r[2] for r in rects})
    ys = sorted({r[1] for r in rects} | {r[3] for r in rects})
    return tuple(xs), tuple(ys)


def _open_cell(
    slot: dict[tuple[int, int], int], spans: list[tuple[int, int, int, int]], r: int, c: int, n_rows: int
) -> int:
    """Text in a grid slot no drawn rectangle covers: a merged cell left open at a page break (the printer
    draws no border where the page cuts it). The run of uncovered slots in its column becomes one cell."""
    r0, r1 = r, r
    while r0 > 0 and (r0 - 1, c) not in slot:
        r0 -= 1
    while r1 < n_rows - 1 and (r1 + 1, c) not in slot:
        r1 += 1
    spans.append((r0, c, r1, c))
    k = len(spans) - 1
    for row in range(r0, r1 + 1):
        slot[(row, c)] = k
    return k


def page_blocks(
    segments: Iterable[Segment], chars: Sequence[Char], columns: HeaderColumns | None = None
) -> list[Block]:
    """A page's ruled tables and its lines of text outside them, in reading order (top to bottom)."""
    hs, vs = edges_of(segments)
    groups: list[list[tuple[float, float, float, float]]] = []
    if hs and vs and len(hs) + len(vs) <= MAX_EDGES:
        groups = _group(_rectangles(_crossings(hs, vs)))
    tables = []
    shapes = []
    for rects in groups:
        xs, ys = _grid(rects)
        # Each grid slot → the rectangle covering it, so a character's slot names its cell.
        slot: dict[tuple[int, int], int] = {}
        spans = []
        for k, (x0, y0, x1, y1) in enumerate(rects):
            c0, c1 = xs.index(x0), xs.index(x1)
            r0, r1 = ys.index(y0), ys.index(y1)
            spans.append((r0, c0, r1 - 1, c1 - 1))
            for r in range(r0, r1):
                for c in range(c0, c1):
                    slot.setdefault((r, c), k)
        shapes.append((xs, ys, slot, spans))
    cell_chars: list[dict[int, list[Char]]] = [defaultdict(list) for _ in groups]
    loose: list[Char] = []
    bounds = [(xs[0], xs[-1], ys[0], ys[-1], len(xs) - 2, len(ys) - 2) for xs, ys, _, _ in shapes]
    right = bisect.bisect_right
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) * 0.5, (ch.top + ch.bottom) * 0.5
        for t, (left, x_end, top, y_end, last_col, last_row) in enumerate(bounds):
            if left <= cx <= x_end and top <= cy <= y_end:
                xs, ys, slot, spans = shapes[t]
                c = min(right(xs, cx) - 1, last_col)
                r = min(right(ys, cy) - 1, last_row)
                found = slot.get((r, c))
                k = found if found is not None else _open_cell(slot, spans, r, c, last_row + 1)
                cell_chars[t][k].append(ch)
                break
        else:
            loose.append(ch)
    for t, (xs, ys, _, spans) in enumerate(shapes):
        cells = tuple(
            GridCell(r0, c0, r1, c1, cell_text(cell_chars[t].get(k, [])))
            for k, (r0, c0, r1, c1) in sorted(enumerate(spans), key=lambda kv: (kv[1][0], kv[1][1]))
        )
        tables.append(Table(xs, ys, cells))
    blocks: list[Block] = list(tables)
    lines = text_lines(loose)
    done = 0
    for first, end, borders in columns.regions(lines) if columns is not None else []:
        blocks += [
            _line_block(text, line) for line in lines[done:first] if (text := _line_text(line, spaced=True).rstrip())
        ]
        blocks += _stream_rows(lines[first:end], borders)
        done = end
    blocks += [_line_block(text, line) for line in lines[done:] if (text := _line_text(line, spaced=True).rstrip())]
    blocks.sort(key=lambda b: b.top)
    return blocks


def _line_block(text: str, line: list[Char]) -> Line:
    return Line(text, min(c.top for c in line), max(c.bottom for c in line), line[0].x0, line[-1].x1)


# --- a table printed without ruling lines ----------------------------------------------------------------


def _runs(line: list[Char]) -> list[list[Char]]:
    """A line's runs of characters; a gap of half a character or more (or a space) ends a run."""
    runs: list[list[Char]] = []
    for ch in line:
        if ch.text.isspace():
            if runs and runs[-1]:
                runs.append([])
            continue
        if runs and runs[-1] and ch.x0 - runs[-1][-1].x1 < 0.5 * (ch.bottom - ch.top):
            runs[-1].append(ch)
        else:
            runs.append([ch])
    return [r for r in runs if r]


class HeaderColumns:
    """Column borders of a table printed without ruling lines, taken from its header line (the stream
    method anchored on what a goal sheet's header says): a line of three or more runs of which at least
    two are known column heads (一级指标, 指标值 …, ``is_head``). Borders sit midway between neighbouring
    heads; every later line — on this page and the next, until another header — is split at them. A
    spreadsheet printed without gridlines leaves too little white space between its columns for the
    gaps alone to find them."""

    def __init__(self, is_head: Callable[[str], bool]) -> None:
        self.is_head = is_head
        self.borders: list[float] = []

    def regions(self, lines: list[list[Char]]) -> list[tuple[int, int, list[float]]]:
        """The runs of lines that are a table without ruling lines, each (first, end, borders): from a
        header line (or the page's top, for a table the page before left running) to the first line with
        text across the columns (a title, a paragraph, another form)."""
        out = []
        n = 0
        if self.borders:
            end = self._end(lines, 0, self.borders)
            if end > 0:
                out.append((0, end, self.borders))
            if end == len(lines):
                return out  # still running on: the borders stay for the next page
            n = end
        self.borders = []
        while n < len(lines):
            runs = _runs(lines[n])
            texts = ["".join(c.text for c in run) for run in runs]
            if len(runs) >= 3 and sum(1 for t in texts if self.is_head(t)) >= 2:
                below = [c for later in lines[n + 1 :] for c in later if not c.text.isspace()]
                borders = [_border(a[-1].x1, b[0].x0, below) for a, b in itertools.pairwise(runs)]
                end = self._end(lines, n + 1, borders)
                if not _aligned(lines[n + 1 : end], borders):
                    n += 1
                    continue
                out.append((n, end, borders))
                if end == len(lines):
                    self.borders = borders  # the table runs on to the next page
                n = end
            else:
                n += 1
        return out

    @staticmethod
    def _end(lines: list[list[Char]], start: int, borders: list[float]) -> int:
        """The first line with a run of text across two borders: wider than a cell and its neighbour (two
        adjacent cells printed close together make one run across one border), so not a table row."""
        for m in range(start, len(lines)):
            for run in _runs(lines[m]):
                if sum(1 for b in borders if run[0].x0 + 1 < b < run[-1].x1 - 1) >= 2:
                    return m
        return len(lines)


def _aligned(lines: list[list[Char]], borders: list[float]) -> bool:
    """Whether the rows keep to the header's columns: in a real table no cell holds two pieces of text a
    character apart (text laid out at tab stops, say, only looks like a table under its header)."""
    if not lines:
        return True
    astray = 0
    for line in lines:
        words = [c for c in line if not c.text.isspace()]
        for a, b in itertools.pairwise(words):
            same = bisect.bisect_right(borders, (a.x0 + a.x1) / 2) == bisect.bisect_right(borders, (b.x0 + b.x1) / 2)
            if same and b.x0 - a.x1 >= b.bottom - b.top:
                astray += 1
                break
    return astray <= len(lines) // 10


def _border(start: float, end: float, chars: list[Char]) -> float:
    """Between two column heads, the x the rows below print over least (the rightmost such): a column's
    text, left-aligned or right-aligned, stays on its side whether the heads are centred or not."""
    near = [(c.x0, c.x1) for c in chars if c.x1 > start and c.x0 < end]
    candidates = sorted({start, end, *(x for span in near for x in span if start <= x <= end)})
    best, best_count = end, len(near) + 1
    for x in reversed(candidates):
        count = sum(1 for x0, x1 in near if x0 < x < x1)
        if count < best_count:
            best, best_count = x, count
    return best


def _stream_rows(lines: list[list[Char]], borders: list[float]) -> list[Line]:
    """The lines of a table without ruling lines as its rows, cells between tabs. A row whose cells wrap
    prints on several lines; a line that fills under half the columns is such a wrapped part and joins the
    next full line (a spreadsheet prints a tall row's other cells at its bottom), or the last one at the
    end."""
    split = []
    for line in lines:
        cells: list[list[Char]] = [[] for _ in range(len(borders) + 1)]
        for ch in line:
            cells[bisect.bisect_right(borders, (ch.x0 + ch.x1) / 2)].append(ch)
        split.append([_line_text(cell, spaced=False) for cell in cells])
    full = max(3, (len(borders) + 1) // 2)
    rows: list[tuple[list[str], list[list[Char]]]] = []
    pending: list[tuple[list[str], list[Char]]] = []
    for texts, line in zip(split, lines, strict=True):
        if sum(1 for t in texts if t) < full:
            pending.append((texts, line))
            continue
        merged = [_join([*(p[0][i] for p in pending), text]) for i, text in enumerate(texts)]
        rows.append((merged, [*(p[1] for p in pending), line]))
        pending = []
    if pending and rows:
        texts, parts = rows[-1]
        rows[-1] = ([_join([text, *(p[0][i] for p in pending)]) for i, text in enumerate(texts)],
                    [*parts, *(p[1] for p in pending)])  # fmt: skip
    elif pending:
        rows = [(texts, [line]) for texts, line in pending]
    out = []
    for texts, parts in rows:
        chars = [c for part in parts for c in part]
        text = "\t".join(texts).rstrip("\t")
        if text.strip():
            out.append(Line(text, min(c.top for c in chars), max(c.bottom for c in chars),
                            min(c.x0 for c in chars), max(c.x1 for c in chars)))  # fmt: skip
    return out


def _join(parts: list[str]) -> str:
    """A wrapped cell's lines as one text (a space only between two Latin words or numbers)."""
    text = ""
    for part in (p for p in parts if p):
        text += (" " if text and _ascii_word(text[-1]) and _ascii_word(part[0]) else "") + part
    return text


def column_of(table: Table, line: Line, tolerance: float = 2.0) -> int | None:
    """The grid column a line of text fits inside, or None when it crosses a border or lies outside."""
    i = bisect.bisect_right(table.xs, line.x0 + tolerance) - 1
    if 0 <= i < table.n_cols and line.x1 <= table.xs[i + 1] + tolerance:
        return i
    return None


def continues(prev: Table, nxt: Table, tolerance: float = 2.0) -> list[int] | None:
    """If ``nxt`` (the first table on a page) continues ``prev`` (the last on the page before), each of
    its columns' index in ``prev``'s grid; None when its column borders are not ``prev``'s."""
    mapping = []
    for x in nxt.xs:
        i = bisect.bisect_left(prev.xs, x - tolerance)
        if i >= len(prev.xs) or abs(prev.xs[i] - x) > tolerance:
            return None
        mapping.append(i)
    return mapping

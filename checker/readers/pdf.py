"""Published PDFs (text layer) through PDFium (pypdfium2, the optional ``jixiao[pdf]`` extra).

Chosen over pdfplumber by measurement (bench/pdf_bench.py, README): on PDFs printed by LibreOffice from
our example workbooks PDFium reads every character right where pdfminer decodes a subset CJK font without
a usable cmap as one repeated character, and it is ~20× faster; PDFium is also the engine a browser runs
on untrusted PDFs. It has no table finder, so checker/readers/pdfgrid.py builds tables from the ruling
lines PDFium hands us.

What becomes of a page: its ruled tables are positional tables (merged ranges as copies with an origin, as
in workbooks); a table that runs on over a page break — with or without its header repeated — continues
the same table; text outside tables is kept as lines (spaces standing for gaps) in *flow* tables that the
layout stage recovers like a text extract; running page headers/footers and page numbers are dropped.
Locations are page + cell (rows counted on the page) and a document-wide row number as the line.

Guards, before PDFium parses anything: the file size cap of every reader, every Flate stream inflated once
under a total cap (a compressed-stream bomb is rejected, not decoded), and caps on pages, characters and
drawn objects. JavaScript and embedded files are never run or opened: only text and paths are read.
"""

from __future__ import annotations

import re
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from checker.errors import InputError
from checker.lazyre import lazy
from checker.model import Location
from checker.readers.cells import column_letter
from checker.readers.pdfgrid import (
    Block,
    Char,
    HeaderColumns,
    Line,
    Segment,
    Table,
    column_of,
    continues,
    page_blocks,
)
from checker.readers.raw import RawCell, RawDocument, RawRow, RawTable

MAX_PAGES = 2000
MAX_CHARS = 2_000_000
MAX_PATHS_PER_PAGE = 20_000  # beyond this a page's drawing is not read as borders (its text still is)
MAX_SEGMENTS_PER_PAGE = 200_000
MAX_INFLATED = 256 * 1024 * 1024
MAX_SECONDS = 60.0
_MARGIN = 0.08  # of the page height: where running heads, feet and page numbers are printed
_STREAM = lazy(rb"stream\r?\n")
_FLATE = lazy(rb"/(?:FlateDecode|Fl)\b")
_PAGE_NUMBER = lazy(
    r"^[\s\-—–]*(?:第\s*)?\d{1,4}\s*页?(?:\s*[/／]\s*(?:共\s*)?\d{1,4}\s*页?)?[\s\-—–]*$"
    r"|^[\s\-—–]*(?:page\s*)?\d{1,4}(?:\s*of\s*\d{1,4})?[\s\-—–]*$",
    re.IGNORECASE,
)
_DIGITS = lazy(r"\d+")


def _reject(path: str, what: str) -> InputError:
    return InputError(path, f"unsafe or malformed PDF: {what}", "文件被拒绝 / the file was rejected")


def preflight(data: bytes, path: str) -> None:
    """Inflate every Flate stream once, counting, never keeping: a bomb stops at the cap."""
    total = 0
    for m in _STREAM.finditer(data):
        head = data[max(0, m.start() - 400) : m.start()]
        if not _FLATE.search(head[head.rfind(b"<<") :] if b"<<" in head else head):
            continue
        end = data.find(b"endstream", m.end())
        body = data[m.end() : end if end >= 0 else len(data)]
        inflater = zlib.decompressobj()
        chunk = body
        try:
            while chunk and not inflater.eof:  # bytes after the deflate stream's end are not more of it
                out = inflater.decompress(chunk, 1 << 20)
                total += len(out)
                if total > MAX_INFLATED:
                    raise _reject(path, f"compressed streams inflate to over {MAX_INFLATED} bytes")
                if not out and inflater.unconsumed_tail == chunk:
                    break  # no progress: nothing more will come of this stream
                chunk = inflater.unconsumed_tail
        except zlib.error:
            continue  # PDFium decides what a damaged stream means; it is not a bomb


@dataclass(slots=True)
class _Page:
    number: int
    height: float
    blocks: list[Block] = field(default_factory=list)


def page_chars(textpage: Any, width: float, height: float, raw: Any) -> Iterator[Char]:
    clips = _Clips(raw)
    for i in range(textpage.count_chars()):
        if raw.FPDFText_IsGenerated(textpage.raw, i):
            continue  # spaces and line ends PDFium inferred: gaps are measured instead
        code = raw.FPDFText_GetUnicode(textpage.raw, i)
        if code in (0, 0xFFFE, 0xFFFF) or code < 32:
            continue
        if chr(code).isspace():
            code = 32  # a space the text layer holds is a space; the gap decides how wide
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        if right <= left and top <= bottom:
            continue
        cx, cy = (left + right) / 2, (top + bottom) / 2
        if not (0 <= cx <= width and 0 <= cy <= height):
            continue  # off the page: a merged cell's label centred on its whole range, beyond the page cut
        if not clips.shows(textpage, i, cx, cy):
            continue  # cut off by its clip: text running past a cell that Excel or WPS printed clipped
        yield Char(chr(code), left, height - top, right, height - bottom)


def _address(obj: Any) -> int:
    import ctypes

    return ctypes.cast(obj, ctypes.c_void_p).value or 0


class _Clips:
    """The clip box of each text object (cached): a character whose middle lies outside it is not printed."""

    def __init__(self, raw: Any) -> None:
        import ctypes

        self.raw = raw
        self.boxes: dict[int, tuple[float, float, float, float] | None] = {}
        self.x, self.y = ctypes.c_float(), ctypes.c_float()
        self.available = hasattr(raw, "FPDFText_GetTextObject")

    def shows(self, textpage: Any, index: int, cx: float, cy: float) -> bool:
        if not self.available:
            return True
        obj = self.raw.FPDFText_GetTextObject(textpage.raw, index)
        if not obj:
            return True
        key = _address(obj)
        if key not in self.boxes:
            self.boxes[key] = self._box(obj)
        box = self.boxes[key]
        return box is None or (box[0] - 1 <= cx <= box[2] + 1 and box[1] - 1 <= cy <= box[3] + 1)

    def _box(self, obj: Any) -> tuple[float, float, float, float] | None:
        """The intersection of the bounding boxes of the object's clip paths (page coordinates), or None."""
        raw, x, y = self.raw, self.x, self.y
        clip = raw.FPDFPageObj_GetClipPath(obj)
        if not clip:
            return None
        box: tuple[float, float, float, float] | None = None
        for p in range(max(0, raw.FPDFClipPath_CountPaths(clip))):
            xs, ys = [], []
            for k in range(max(0, raw.FPDFClipPath_CountPathSegments(clip, p))):
                raw.FPDFPathSegment_GetPoint(raw.FPDFClipPath_GetPathSegment(clip, p, k), x, y)
                xs.append(x.value)
                ys.append(y.value)
            if not xs:
                continue
            here = (min(xs), min(ys), max(xs), max(ys))
            box = here if box is None else (max(box[0], here[0]), max(box[1], here[1]),
                                            min(box[2], here[2]), min(box[3], here[3]))  # fmt: skip
        return box


def page_segments(page: Any, height: float, raw: Any) -> Iterator[Segment]:
    import ctypes

    x, y = ctypes.c_float(), ctypes.c_float()
    budget = MAX_SEGMENTS_PER_PAGE
    for count, obj in enumerate(page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=1)):
        n = raw.FPDFPath_CountSegments(obj.raw)
        budget -= max(n, 0)
        if count >= MAX_PATHS_PER_PAGE or budget < 0:
            return  # a page of hatching or a hostile path: its drawing is not read as borders
        m = obj.get_matrix()
        points: list[tuple[float, float]] = []
        start: tuple[float, float] | None = None
        for i in range(n):
            seg = raw.FPDFPath_GetPathSegment(obj.raw, i)
            raw.FPDFPathSegment_GetPoint(seg, x, y)
            kind = raw.FPDFPathSegment_GetType(seg)
            pt = (m.a * x.value + m.c * y.value + m.e, height - (m.b * x.value + m.d * y.value + m.f))
            if kind == raw.FPDF_SEGMENT_MOVETO:
                start = pt
            elif kind == raw.FPDF_SEGMENT_LINETO and points:
                yield _segment(points[-1], pt)
            if raw.FPDFPathSegment_GetClose(seg) and start is not None:
                yield _segment(pt, start)
            points.append(pt)


def _segment(a: tuple[float, float], b: tuple[float, float]) -> Segment:
    return Segment(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))


def _open(data: bytes, path: str) -> Any:
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise InputError(path, "reading PDF needs pypdfium2", "pip install 'jixiao[pdf]'") from None
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError(
                path, "the PDF is password-protected", "请提供未加密的文件 / give an unencrypted copy"
            ) from None
        raise InputError(path, f"not a readable PDF ({exc})", "文件可能已损坏 / the file may be damaged") from None


def _is_column_head(text: str) -> bool:
    """A column head of a goal sheet's table (一级指标 … 指标值, 项目名称, 指标性质, 权重 …)."""
    from checker.text import label_key
    from checker.vocabulary import vocabulary

    key = label_key(text)
    vocab = vocabulary()
    return key in _column_heads() or key in vocab.columns or key in vocab.flat_columns


@cache
def _column_heads() -> frozenset[str]:
    from checker.vocabulary import marker_words

    return frozenset(marker_words().table_header) | {"项目名称", "年度资金总额", "年度目标", "项目编码"}


def _page(pdf: Any, number: int, path: str) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdf[number]
    except pdfium.PdfiumError as exc:
        raise InputError(
            path, f"page {number + 1} cannot be read ({exc})", "文件可能已损坏 / the file may be damaged"
        ) from None


def read_pdf(data: bytes, path: str) -> RawDocument:
    preflight(data, path)
    from pypdfium2 import raw

    pdf = _open(data, path)
    started = time.monotonic()
    try:
        n = len(pdf)
        if n > MAX_PAGES:
            raise InputError(path, f"{n} pages, over the {MAX_PAGES}-page limit", "拆分文件后再检查 / split the file")
        pages = []
        total = 0
        columns = HeaderColumns(_is_column_head)
        for number in range(n):
            page = _page(pdf, number, path)
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                chars = list(page_chars(textpage, width, height, raw))
                total += len(chars)
                if total > MAX_CHARS:
                    raise InputError(path, f"over {MAX_CHARS} characters of text", "拆分文件后再检查 / split the file")
                blocks = page_blocks(page_segments(page, height, raw), chars, columns) if chars else []
                textpage.close()
            finally:
                page.close()
            pages.append(_Page(number + 1, height, blocks))
            if time.monotonic() - started > MAX_SECONDS:
                raise InputError(path, f"reading took over {MAX_SECONDS:.0f} s", "拆分文件后再检查 / split the file")
    finally:
        pdf.close()
    if not total:
        raise InputError(
            path,
            "the PDF has no text layer (a scanned image?)",
            "请提供原始 xlsx/docx，或先做文字识别（OCR）/ give the original workbook, or OCR the PDF first",
        )
    _drop_running_lines(pages)
    return RawDocument(path, "pdf", tuple(assemble(pages_blocks(pages), path)))


def pages_blocks(pages: list[_Page]) -> list[tuple[int, list[Block]]]:
    return [(p.number, p.blocks) for p in pages]


def _drop_running_lines(pages: list[_Page]) -> None:
    """Page headers, footers and page numbers: a line at a page's top or bottom edge (before the first or
    after the last table) that is a page number, or whose text (digits aside) recurs on half the pages."""
    edge: list[list[Line]] = []
    for p in pages:
        lines = [b for b in p.blocks if isinstance(b, Line)]
        first = next((i for i, b in enumerate(p.blocks) if isinstance(b, Table)), len(p.blocks))
        last = max((i for i, b in enumerate(p.blocks) if isinstance(b, Table)), default=-1)
        zone = [b for i, b in enumerate(p.blocks) if isinstance(b, Line) and (i < first or i > last)]
        # Running heads sit in the margins; a form's title printed on each form's first page does not.
        margin = _MARGIN * p.height
        edge.append([line for line in zone if line in (lines[:2] + lines[-2:])
                     and (line.bottom <= margin or line.top >= p.height - margin)])  # fmt: skip
    counts = Counter(key for lines in edge for key in {_DIGITS.sub("#", line.text.strip()) for line in lines})
    repeated = {k for k, c in counts.items() if c >= 2 and c * 2 >= len(pages)}
    for p, lines in zip(pages, edge, strict=True):
        drop = {
            id(line)
            for line in lines
            if _PAGE_NUMBER.match(line.text) or _DIGITS.sub("#", line.text.strip()) in repeated
        }
        p.blocks = [b for b in p.blocks if id(b) not in drop]


@dataclass(slots=True)
class _Open:
    """The table being assembled (possibly over several pages): its last page's grid, its rows so far and
    the texts of its first rows (a continuation that repeats one of them repeats the header)."""

    table: Table
    rows: list[RawRow]
    heads: list[tuple[str, ...]]


class _Assembler:
    """Pages' blocks → RawTables in reading order, numbering rows per page (cell names) and through the
    document (lines)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.out: list[RawTable] = []
        self.flow: list[RawRow] = []
        self.current: _Open | None = None
        self.pending: list[Line] = []
        self.line = 0
        self.page = 0
        self.page_row = 0

    def new_page(self, number: int) -> None:
        self.page, self.page_row = number, 0

    def _next_row(self) -> tuple[Location, int]:
        self.line += 1
        self.page_row += 1
        return Location(self.path, line=self.line, page=self.page), self.page_row

    def text(self, line: Line) -> None:
        if self.current is not None and column_of(self.current.table, line) is not None:
            self.pending.append(line)  # perhaps the label of a merged cell the page break splits
            return
        self.flush_pending()
        self._flow_line(line)

    def _flow_line(self, line: Line) -> None:
        at, _ = self._next_row()
        # A line of a table printed without ruling lines comes split at its gutters, cells between tabs.
        cells = tuple(RawCell(text, col, replace(at, column=col)) for col, text in enumerate(line.text.split("\t"), 1))
        self.flow.append(RawRow(cells, at))

    def flush_pending(self) -> None:
        self.close_table()
        pending, self.pending = self.pending, []
        for line in pending:
            self._flow_line(line)

    def start_page(self, blocks: list[Block]) -> list[Block]:
        """Continue the open table when this page's first table carries on its columns, with nothing before
        it (and nothing after the open table on the page before) but labels of its split merged cells;
        the blocks left to add one by one."""
        first = next((i for i, b in enumerate(blocks) if isinstance(b, Table)), None)
        current = self.current
        if current is None or first is None:
            return blocks
        lead = [b for b in blocks[:first] if isinstance(b, Line)]
        table = blocks[first]
        assert isinstance(table, Table)
        mapping = continues(current.table, table)
        columns = [column_of(current.table, line) for line in [*self.pending, *lead]]
        if mapping is None or None in columns or _starts_anew(current, table):
            return blocks
        self.pending = []
        self._add_rows(table, mapping, split={c for c in columns if c is not None})
        return blocks[first + 1 :]

    def close_flow(self) -> None:
        if self.flow:
            self.out.append(RawTable(None, tuple(self.flow), positional=False, flow=True))
            self.flow = []

    def close_table(self) -> None:
        if self.current is not None:
            number = sum(1 for t in self.out if not t.flow) + 1
            self.out.append(RawTable(f"表{number}", tuple(self.current.rows)))
            self.current = None

    def table(self, table: Table) -> None:
        self.flush_pending()
        self.close_flow()
        self.current = _Open(table, [], [])
        self._add_rows(table, list(range(len(table.xs))), set())

    def _add_rows(self, table: Table, mapping: list[int], split: set[int]) -> None:
        current = self.current
        assert current is not None
        texts: dict[int, list[tuple[int, str]]] = {r: [] for r in range(table.n_rows)}
        for cell in table.cells:
            if cell.text:
                texts[cell.row].append((cell.col, cell.text))
        heads = {r: tuple(t for _, t in sorted(v)) for r, v in texts.items()}
        skip = 0 if not (current.rows and heads.get(0) and heads[0] in current.heads) else 1
        rows: dict[int, tuple[Location, int]] = {r: self._next_row() for r in range(skip, table.n_rows)}
        cells: dict[int, list[RawCell]] = {r: [] for r in rows}
        for cell in table.cells:
            if not cell.text:
                continue
            c0, c1 = mapping[cell.col], mapping[cell.col_end + 1] - 1
            anchor: Location | None = None
            for r in range(max(cell.row, skip), cell.row_end + 1):
                at, page_row = rows[r]
                for c in range(c0, c1 + 1):
                    loc = Location(self.path, cell=f"{column_letter(c + 1)}{page_row}", line=at.line, column=c + 1,
                                   page=at.page)  # fmt: skip
                    cells[r].append(RawCell(cell.text, c + 1, loc, anchor))
                    anchor = anchor or loc
        self._carry_split(current, rows, cells, split)
        for r, (at, _) in rows.items():
            current.rows.append(RawRow(tuple(sorted(cells[r], key=lambda c: c.column)), at))
            if len(current.heads) < 12 and heads[r]:
                current.heads.append(heads[r])

    def _carry_split(
        self, current: _Open, rows: dict[int, tuple[Location, int]], cells: dict[int, list[RawCell]], split: set[int]
    ) -> None:
        """A merged cell the page break split goes on down its column on the new page, as a copy of the
        cell above the cut, until that column's next cell. Split are the columns whose label was printed
        again at the cut, and those whose last cell above the cut is itself a merged copy: Excel and WPS
        clip the label to the part of the merged cell on one page, so it may show on neither."""
        if not current.rows:
            return
        above = current.rows[-1]
        split = split | {c.column - 1 for c in above.cells if c.origin is not None}
        for column in sorted(split):
            cell = above.at(column + 1)
            if cell is None:
                continue
            origin = cell.origin or cell.location
            for r, (at, page_row) in rows.items():
                if any(c.column == column + 1 for c in cells[r]):
                    break
                loc = Location(self.path, cell=f"{column_letter(column + 1)}{page_row}", line=at.line,
                               column=column + 1, page=at.page)  # fmt: skip
                cells[r].append(RawCell(cell.text, column + 1, loc, origin))


def _row_texts(table: Table, row: int) -> tuple[str, ...]:
    return tuple(c.text for c in sorted(table.cells, key=lambda c: c.col) if c.row == row and c.text)


def _starts_anew(current: _Open, table: Table) -> bool:
    """The next page's table opens as the open one did (项目名称 | another project): the same form again,
    not its continuation. A repeated header is identical and is a continuation."""
    first, opened = _row_texts(table, 0), current.heads[0] if current.heads else ()
    return bool(first and opened) and first[0] == opened[0] and first != opened


def assemble(pages: list[tuple[int, list[Block]]], path: str) -> list[RawTable]:
    """Blocks of every page → tables in reading order: flow text between ruled tables, and each ruled table
    joined with its continuation on the next page."""
    asm = _Assembler(path)
    for number, blocks in pages:
        asm.new_page(number)
        for block in asm.start_page(blocks):
            if isinstance(block, Table):
                asm.table(block)
            else:
                asm.text(block)
    asm.flush_pending()
    asm.close_flow()
    return asm.out

"""Web pages (.html/.htm) and the "Excel" files many systems export that are really HTML, through lxml.

Every ``<table>`` becomes a positional table, its ``rowspan``/``colspan`` cells merged ranges (the covered
slots copies with an origin, as in workbooks); a table inside a table cell (forms laid out in a frame) is
a table of its own and its text is not repeated in the outer cell. Text outside tables (titles, 单位：万元
lines, the narrative of a disclosure page) is kept as *flow* lines for the layout stage. Locations are the
table (表1, 表2, … in page order) and cell, with the row counted through the page as the line.

The page is decoded by its BOM, its declared charset (GB2312/GBK pages are read as GB18030, their
superset), else strict UTF-8, else GB18030. Nothing is fetched: lxml's HTML parser loads no DTD and no
external entity, and links, scripts and styles are never followed. Caps as for workbooks: the byte size
of every reader, ``MAX_CELLS`` grid slots (spans included, checked while the grid is built) and lxml's
own depth limit (libxml2 stops at 256 levels without ``huge_tree``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from checker.errors import InputError
from checker.lazyre import lazy
from checker.model import Location
from checker.readers.cells import column_letter
from checker.readers.guard import MAX_CELLS
from checker.readers.raw import RawCell, RawDocument, RawRow, RawTable

MAX_SPAN = 1000  # colspan/rowspan beyond this is clipped (browsers clip colspan at 1000, rowspan at 65534)
_SNIFF = lazy(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|table|title)\b",
    re.IGNORECASE | re.DOTALL,
)
_CHARSET = lazy(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}
_BLOCKS = frozenset(
    ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br", "caption", "title", "dt", "dd", "section",
     "article", "header", "footer")
)  # fmt: skip
_CELL_TAG = lazy(rb"<t[dh][\s>/]", re.IGNORECASE)
_BREAK = "\x00"
_SPACE = lazy(r"[ \t\r\n\f\u00a0]+")
_SKIP = frozenset(("script", "style", "noscript", "template"))


def looks_like_html(data: bytes) -> bool:
    """Whether bytes are a web page (sniffed from their start, as browsers do)."""
    start = data[:2048].lstrip(b"\xef\xbb\xbf")
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        start = start.decode("utf-16", "ignore").encode()
    return bool(_SNIFF.match(start))


def decode(data: bytes, path: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    declared = _CHARSET.search(data[:4096])
    name = declared.group(1).decode("ascii").lower() if declared else ""
    if name in _GB:
        return data.decode("gb18030", "replace")
    if name and name not in ("utf-8", "utf8"):
        try:
            return data.decode(name, "replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(
            path, "web page in an unknown encoding (not UTF-8 or GB18030)", "请另存为 UTF-8 / save it as UTF-8"
        ) from None


@cache
def _structured() -> Any:
    """Whether a cell holds an element that breaks lines or must be skipped (compiled once, on first use:
    lxml is imported only when a page is read)."""
    from lxml import etree

    names = " | ".join(f".//{t}" for t in ("br", "p", "div", "table", "li", "script", "style", "tr"))
    return etree.XPath(f"boolean({names})")


def _parse(text: str, path: str) -> Any:
    try:
        from lxml import etree
    except ImportError:
        raise InputError(path, "reading web pages needs lxml", "pip install 'jixiao[html]'") from None
    # An XML declaration in a str makes lxml refuse the text; the encoding is settled already.
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    # etree's HTML parser, not lxml.html's: its elements need no Python class lookup per element (measured
    # ~4 µs each, a fifth of reading a flat export); nothing here uses lxml.html's element methods.
    parser = etree.HTMLParser(recover=True, no_network=True, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(path, f"not a readable web page ({exc})", "文件可能已损坏 / the file may be damaged") from None
    if root is None:
        raise InputError(path, "web page without content", "没有可检查的内容 / nothing to check")
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        # libxml2 stopped (e.g. at 256 levels of nesting): what follows was never read, so say so.
        raise InputError(path, "web page nested too deeply to read", "文件被拒绝 / the file was rejected")
    return root


def read_html(data: bytes, path: str) -> RawDocument:
    # Counted in the bytes before lxml builds a tree: a million-cell table is refused, not built.
    tags = len(_CELL_TAG.findall(data))
    if tags > MAX_CELLS:
        raise InputError(
            path, f"{tags} table cells, over the {MAX_CELLS}-cell limit", "拆分文件后再检查 / split the file"
        )
    root = _parse(decode(data, path), path)
    builder = _Builder(path)
    builder.walk(root)
    tables = builder.finish()
    return RawDocument(path, "html", tuple(tables))


class _Builder:
    """Walks the page once, in document order: text outside tables → flow lines, tables → grids."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.out: list[RawTable] = []
        self.flow: list[RawRow] = []
        self.line: list[str] = []
        # Rows counted through the page, flow lines and table rows alike: a page's source lines cannot
        # number them (an export may put a whole table on one line), and reading order needs a number.
        self.rows = 0
        self.tables = 0
        self.slots = 0

    def _break(self) -> None:
        text = re.sub(r"[ \t\r\n\u00a0\u3000]+", " ", "".join(self.line)).strip()
        if text:
            self.rows += 1
            at = Location(self.path, line=self.rows)
            self.flow.append(RawRow((RawCell(text, 1, at),), at))
        self.line = []

    def _text(self, text: str | None) -> None:
        if text:
            self.line.append(text)

    def walk(self, root: Any) -> None:
        # Iterative: a page nested thousands deep must not exhaust Python's stack.
        stack: list[tuple[Any, bool]] = [(root, False)]
        while stack:
            node, closing = stack.pop()
            tag = node.tag if isinstance(node.tag, str) else ""
            if closing:
                if tag in _BLOCKS:
                    self._break()
                self._text(node.tail)
                continue
            if tag in _SKIP:
                self._text(node.tail)
                continue
            if tag == "table":
                self._break()
                self._flush_flow()
                self._table(node)
                self._text(node.tail)
                continue
            if tag in _BLOCKS:
                self._break()
            self._text(node.text)
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node))

    def _flush_flow(self) -> None:
        if self.flow:
            self.out.append(RawTable(None, tuple(self.flow), positional=False, flow=True))
            self.flow = []

    def finish(self) -> list[RawTable]:
        self._break()
        self._flush_flow()
        return self.out

    def _rows(self, table: Any) -> Iterator[Any]:
        """The table's own rows (not those of tables nested in its cells), in order."""
        for child in table:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "tr":
                yield child
            elif tag in ("thead", "tbody", "tfoot"):
                yield from (tr for tr in child if tr.tag == "tr")

    def _table(self, node: Any) -> None:
        self.tables += 1
        name = f"表{self.tables}"
        path = self.path
        nested: list[Any] = []
        taken: set[tuple[int, int]] = set()  # slots a rowspan from an earlier row already fills
        cells: dict[int, list[RawCell]] = {}
        row_at: dict[int, Location] = {}
        spanned = False
        r = 0
        for r, tr in enumerate(self._rows(node), 1):
            self.rows += 1
            row_line = self.rows
            row_at[r] = Location(path, sheet=name, line=row_line)
            row_cells = cells.setdefault(r, [])
            c = 1
            for td in tr.iterchildren("td", "th"):
                while (r, c) in taken:
                    c += 1
                rowspan, colspan = td.get("rowspan"), td.get("colspan")
                rows = 1 if rowspan is None else _span(rowspan)
                cols = 1 if colspan is None else _span(colspan)
                self.slots += rows * cols
                if self.slots > MAX_CELLS:
                    raise InputError(
                        path, f"tables over the {MAX_CELLS}-cell limit", "拆分文件后再检查 / split the file"
                    )
                text = _cell_text(td, nested)
                line = row_line
                if rows == cols == 1:  # the common cell: no merged range to fill
                    if text:
                        row_cells.append(
                            RawCell(text, c, Location(path, sheet=name, cell=f"{column_letter(c)}{r}", line=line))
                        )
                    c += 1
                    continue
                spanned = True
                anchor = Location(path, sheet=name, cell=f"{column_letter(c)}{r}", line=line)
                for dr in range(rows):
                    for dc in range(cols):
                        taken.add((r + dr, c + dc))
                        if not text:
                            continue
                        if dr == dc == 0:
                            cells.setdefault(r, []).append(RawCell(text, c, anchor))
                            continue
                        at = Location(path, sheet=name, cell=f"{column_letter(c + dc)}{r + dr}", line=line + dr)
                        cells.setdefault(r + dr, []).append(RawCell(text, c + dc, at, anchor))
                c += cols
        last = max([r, *cells]) if cells or r else 0
        rows_out = []
        for i in range(1, last + 1):
            at = row_at.get(i) or Location(path, sheet=name, line=self.rows)
            found = cells.get(i, [])
            if spanned:  # copies from rows above were appended after this row's own cells
                found.sort(key=lambda cell: cell.column)
            rows_out.append(RawRow(tuple(found), at))
        self.out.append(RawTable(name, tuple(rows_out)))
        for inner in nested:
            self._table(inner)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int((value or "1").strip() or 1), MAX_SPAN))
    except ValueError:
        return 1


def _cell_text(td: Any, nested: list[Any]) -> str:
    """A cell's text with line breaks where the page breaks lines; a table inside is set aside (read as a
    table of its own) and its text left out."""
    if not len(td):  # most cells: plain text, no element inside
        return " ".join((td.text or "").split())
    if not _structured()(td):  # only inline elements (font, span, b): their text in order, one line
        return " ".join("".join(td.itertext()).split())
    parts: list[str] = []
    stack: list[tuple[Any, bool]] = [(td, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag if isinstance(node.tag, str) else ""
        if closing:
            if tag in _BLOCKS and parts:
                parts.append(_BREAK)
            if node is not td and node.tail:
                parts.append(node.tail)
            continue
        if tag == "table" and node is not td:
            nested.append(node)
            if node.tail:
                parts.append(node.tail)
            continue
        if tag in _SKIP:
            continue
        if node.text:
            parts.append(node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    # Line ends in the page's source are spaces; only <br> and block ends break a line.
    text = _SPACE.sub(" ", "".join(parts))
    return "\n".join(line.strip() for line in text.split(_BREAK) if line.strip())

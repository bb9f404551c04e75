"""Word (.docx) forms through python-docx, behind the guard.

python-docx repeats a merged cell's content in every grid cell it spans (both directions); the
repeats share one ``<w:tc>`` element, so the first occurrence is the origin and the rest are marked
as copies — the sheet parser then reads levels from them but never joins their text twice.
"""

from __future__ import annotations

import io
from typing import Any

from checker.errors import InputError
from checker.lazyre import lazy
from checker.model import Location
from checker.readers.cells import TextBudget, column_letter
from checker.readers.guard import MAX_CELLS, Package, preflight
from checker.readers.raw import RawCell, RawDocument, RawRow, RawTable

_TC = lazy(rb"<w:tc[\s>/]")
_SPAN = lazy(rb"<w:gridSpan\b[^>]*?w:val=\"([0-9]{1,9})\"")
_TBL = lazy(rb"<w:tbl[\s>]")
# Tables inside table cells (a form's outer frame) are read, to this depth: Word itself stops nesting
# well before it, and each level is a recursion in the reader.
MAX_NESTING = 8


def _check_docx_cells(package: Package, path: str) -> None:
    """The same cell cap as a workbook, counted in the XML before python-docx builds anything: every
    ``<w:tc>`` (nested tables included) and the grid columns a ``gridSpan`` makes python-docx repeat it in."""
    body = package.members.get("word/document.xml", b"")
    cells = len(_TC.findall(body)) + sum(max(int(n) - 1, 0) for n in _SPAN.findall(body))
    if cells > MAX_CELLS:
        raise InputError(path, f"{cells} cells, over the {MAX_CELLS}-cell limit", "拆分文件后再检查 / split the file")


def read_docx(data: bytes, path: str) -> RawDocument:
    package = preflight(data, path)
    _check_docx_cells(package, path)
    try:
        import docx
    except ImportError:
        raise InputError(path, "reading .docx needs python-docx", "pip install 'jixiao[docx]'") from None
    try:
        document = docx.Document(io.BytesIO(data))
        tables = list(document.tables)
        budget = TextBudget(path)
        paragraphs = [budget.take(p.text) for p in document.paragraphs]
    except MemoryError:
        raise InputError(path, "document too large to read") from None
    except Exception as exc:  # python-docx/lxml errors on malformed parts; all mean "bad input"
        raise InputError(
            path, f"not a readable .docx document ({type(exc).__name__})", "请用 Word/WPS 另存后重试"
        ) from None
    out = [_paragraphs(paragraphs, path)]
    try:
        for i, table in enumerate(tables, 1):
            out += _tables(table, f"表{i}", path, 0, budget)
    except MemoryError:
        raise InputError(path, "document too large to read") from None
    except InputError:
        raise
    except Exception as exc:  # python-docx raises on malformed grids (spans past the row end, …)
        raise InputError(
            path, f"not a readable .docx document ({type(exc).__name__})", "请用 Word/WPS 另存后重试"
        ) from None
    return RawDocument(path, "docx", tuple(out))


def _tables(table: Any, name: str, path: str, depth: int, budget: TextBudget) -> list[RawTable]:
    """A table, then the tables nested in its cells (named 表1-1, 表1-1-1 …), each once."""
    out = [_table(table, name, path, budget)]
    if depth >= MAX_NESTING:
        return out
    seen: set[Any] = set()
    k = 0
    for row in table.rows:
        for cell in row.cells:
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            for inner in cell.tables:
                k += 1
                out += _tables(inner, f"{name}-{k}", path, depth + 1, budget)
    return out


def _paragraphs(texts: list[str], path: str) -> RawTable:
    rows = tuple(
        RawRow((RawCell(text, 1, Location(path, sheet="正文", line=i)),), Location(path, sheet="正文", line=i))
        for i, text in enumerate(texts, 1)
        if text.strip()
    )
    return RawTable("正文", rows)


def _table(table: Any, name: str, path: str, budget: TextBudget) -> RawTable:
    # Keyed by the <w:tc> element itself: it stays referenced, so identity cannot be reused (id() can).
    seen: dict[Any, Location] = {}
    rows = []
    for r, row in enumerate(table.rows, 1):
        cells = []
        for c, cell in enumerate(row.cells, 1):
            loc = Location(path, sheet=name, cell=f"{column_letter(c)}{r}")
            origin = seen.get(cell._tc)
            if origin is None:
                seen[cell._tc] = loc
            text = budget.take(cell.text)
            if text.strip():
                cells.append(RawCell(text, c, loc, origin))
        rows.append(RawRow(tuple(cells), Location(path, sheet=name, line=r)))
    return RawTable(name, tuple(rows))

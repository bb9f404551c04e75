"""Word (.docx) forms through python-docx, behind the guard.

python-docx repeats a merged cell's content in every grid cell it spans (both directions); the
repeats share one ``<w:tc>`` element, so the first occurrence is the origin and the rest are marked
as copies — the sheet parser then reads levels from them but never joins their text twice.
"""

from __future__ import annotations

import io
from typing import Any

from checker.errors import InputError
from checker.model import Location
from checker.readers.cells import column_letter
from checker.readers.guard import check_cells, preflight
from checker.readers.raw import RawCell, RawDocument, RawRow, RawTable


def read_docx(data: bytes, path: str) -> RawDocument:
    package = preflight(data, path)
    check_cells(package, path, [])
    try:
        import docx
    except ImportError:
        raise InputError(path, "reading .docx needs python-docx", "pip install 'jixiao[docx]'") from None
    try:
        document = docx.Document(io.BytesIO(data))
        tables = list(document.tables)
        paragraphs = [p.text for p in document.paragraphs]
    except MemoryError:
        raise InputError(path, "document too large to read") from None
    except Exception as exc:  # python-docx/lxml errors on malformed parts; all mean "bad input"
        raise InputError(
            path, f"not a readable .docx document ({type(exc).__name__})", "请用 Word/WPS 另存后重试"
        ) from None
    out = [_paragraphs(paragraphs, path)]
    out += [_table(table, f"表{i}", path) for i, table in enumerate(tables, 1)]
    return RawDocument(path, "docx", tuple(out))


def _paragraphs(texts: list[str], path: str) -> RawTable:
    rows = tuple(
        RawRow((RawCell(text, 1, Location(path, sheet="正文", line=i)),), Location(path, sheet="正文", line=i))
        for i, text in enumerate(texts, 1)
        if text.strip()
    )
    return RawTable("正文", rows)


def _table(table: Any, name: str, path: str) -> RawTable:
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
            text = cell.text
            if text.strip():
                cells.append(RawCell(text, c, loc, origin))
        rows.append(RawRow(tuple(cells), Location(path, sheet=name, line=r)))
    return RawTable(name, tuple(rows))

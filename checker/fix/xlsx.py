"""Write fixes into a copy of an xlsx package, changing only the fixed cells' XML.

openpyxl was measured for this (tests/test_fix.py::test_openpyxl_round_trip_loses_parts): a load and
save in normal mode drops images, charts, form controls and x14 data validations and throws away the
cached results of every formula, so a fixed copy would silently lose what the clerk put there. Editing
the cell elements in place keeps every other part byte for byte: styles, merges, validations, drawings,
formulas with their values, VBA. A fixed cell becomes an inline string with its style index kept;
an inline string is never a formula, whatever it says.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape

from checker.fix.plan import Fix
from checker.lazyre import lazy

_SHEET = lazy(rb"<(?:\w+:)?sheet\b([^>]*)/?>")
_NAME = lazy(rb'\bname="([^"]*)"')
_RID = lazy(rb'\b(?:\w+:)?id="([^"]*)"')
_REL = lazy(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_REL_ID = lazy(rb'\bId="([^"]*)"')
_REL_TARGET = lazy(rb'\bTarget="([^"]*)"')
_XF_BLOCK = lazy(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", re.S)
_XF = lazy(rb"<(?:\w+:)?xf\b([^>]*)>")
_NUMFMT = lazy(rb'<(?:\w+:)?numFmt\b[^>]*\bnumFmtId="(\d+)"[^>]*\bformatCode="([^"]*)"')
_NUMFMT_ID = lazy(rb'\bnumFmtId="(\d+)"')
_STYLE = lazy(rb'\bs="(\d+)"')
_TYPE = lazy(rb'\bt="(\w+)"')
_BUILTIN_PERCENT = {9, 10}


def _unescape(raw: bytes) -> str:
    from xml.sax.saxutils import unescape

    return unescape(raw.decode("utf-8"), {"&quot;": '"', "&apos;": "'"})


def sheet_parts(members: dict[str, bytes]) -> dict[str, str]:
    """Worksheet title → the package part holding it, from xl/workbook.xml and its relationships."""
    rels: dict[str, str] = {}
    for rel in _REL.finditer(members.get("xl/_rels/workbook.xml.rels", b"")):
        rid, target = _REL_ID.search(rel.group(1)), _REL_TARGET.search(rel.group(1))
        if rid and target:
            t = target.group(1).decode("utf-8")
            rels[rid.group(1).decode()] = t.lstrip("/") if t.startswith("/") else posixpath.normpath("xl/" + t)
    out: dict[str, str] = {}
    for sheet in _SHEET.finditer(members.get("xl/workbook.xml", b"")):
        name, rid = _NAME.search(sheet.group(1)), _RID.search(sheet.group(1))
        if name and rid and rid.group(1).decode() in rels:
            out[_unescape(name.group(1))] = rels[rid.group(1).decode()]
    return out


_CELL_OPEN = lazy(rb"<(\w+:)?c\b[^>]*>")


class _Span:
    """Where one ``<c r="E12" …>…</c>`` element sits in a worksheet part."""

    __slots__ = ("end", "start", "xml")

    def __init__(self, xml: bytes, start: int, end: int) -> None:
        self.xml, self.start, self.end = xml, start, end

    def group(self, _: int = 0) -> bytes:
        return self.xml[self.start : self.end]


def _cell_element(xml: bytes, ref: str) -> _Span | None:
    """The whole cell element (namespace prefix or not), found by its reference without scanning every tag
    with a pattern: a 10 MB worksheet and a hundred fixes stay milliseconds."""
    key = b'r="' + ref.encode() + b'"'
    pos = 0
    while (at := xml.find(key, pos)) >= 0:
        start = xml.rfind(b"<", 0, at)
        opened = _CELL_OPEN.match(xml, start)
        if opened is not None and opened.end() > at and xml[at - 1 : at].isspace():
            if opened.group(0).endswith(b"/>"):
                return _Span(xml, start, opened.end())
            close = b"</" + (opened.group(1) or b"") + b"c>"
            end = xml.find(close, opened.end())
            return _Span(xml, start, end + len(close)) if end >= 0 else None
        pos = at + 1
    return None


def _percent_styles(styles: bytes) -> set[int]:
    """Indexes of cellXfs whose number format shows a percentage."""
    custom = {int(i): _unescape(code) for i, code in _NUMFMT.findall(styles)}
    block = _XF_BLOCK.search(styles)
    out: set[int] = set()
    for index, xf in enumerate(_XF.finditer(block.group(0) if block else b"")):
        found = _NUMFMT_ID.search(xf.group(1))
        fmt = int(found.group(1)) if found else 0
        if fmt in _BUILTIN_PERCENT or "%" in re.sub(r'"[^"]*"|\\.', "", custom.get(fmt, "")):
            out.add(index)
    return out


def percent_text_cells(
    members: dict[str, bytes], wanted: Iterable[tuple[str | None, str | None]]
) -> set[tuple[str | None, str | None]]:
    """Of ``wanted`` (sheet, cell), those holding text in a cell formatted as a percentage."""
    styles = _percent_styles(members.get("xl/styles.xml", b""))
    parts = sheet_parts(members)
    out: set[tuple[str | None, str | None]] = set()
    for sheet, cell in wanted:
        part = parts.get(sheet or "")
        found = _cell_element(members.get(part, b""), cell) if part and cell else None
        if found is None:
            continue
        head = found.group(0).split(b">", 1)[0]
        style, kind = _STYLE.search(head), _TYPE.search(head)
        if style and int(style.group(1)) in styles and kind and kind.group(1) in (b"s", b"inlineStr", b"str"):
            out.add((sheet, cell))
    return out


def _replacement(element: bytes, text: str) -> bytes | None:
    head, _, body = element.partition(b">")
    if head.endswith(b"/") or b"<f" in body.split(b"<v", 1)[0] or re.search(rb"<(\w+:)?f\b", body):
        return None  # an empty cell or a formula: never rewritten
    prefix = re.match(rb"<(\w+:)?c\b", head)
    p = prefix.group(1) or b"" if prefix else b""
    # Keep r and s (the style: borders, fonts, number format); drop the type and value metadata.
    attrs = re.sub(rb'\s(?:t|cm|vm|ph)="[^"]*"', b"", head[len(b"<" + p + b"c") :])
    t = escape(text).encode("utf-8")
    return (
        b"<"
        + p
        + b"c"
        + attrs
        + b' t="inlineStr"><'
        + p
        + b"is><"
        + p
        + b't xml:space="preserve">'
        + t
        + b"</"
        + p
        + b"t></"
        + p
        + b"is></"
        + p
        + b"c>"
    )


def patch(data: bytes, fixes: list[Fix]) -> tuple[bytes, list[Fix], list[tuple[Fix, str]]]:
    """The package with ``fixes`` applied: (bytes, applied, [(skipped, why)])."""
    from checker.readers.guard import preflight

    members = preflight(data, "").members
    parts = sheet_parts(members)
    changed: dict[str, bytes] = {}
    applied: list[Fix] = []
    skipped: list[tuple[Fix, str]] = []
    for fix in fixes:
        part = parts.get(fix.location.sheet or "")
        if part is None or fix.location.cell is None:
            skipped.append((fix, "没有这个工作表 / no such worksheet"))
            continue
        xml = changed.get(part, members.get(part, b""))
        found = _cell_element(xml, fix.location.cell)
        new = _replacement(found.group(0), fix.after) if found else None
        if found is None or new is None:
            skipped.append((fix, "单元格含公式或为空 / the cell holds a formula or nothing"))
            continue
        changed[part] = xml[: found.start] + new + xml[found.end :]
        applied.append(fix)
    if not changed:
        return data, applied, skipped
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, changed.get(info.filename, members.get(info.filename, b"")))
    return out.getvalue(), applied, skipped

"""xlsx cells read straight from the worksheet XML the guard already inflated, without openpyxl's
workbook objects (issue 16: openpyxl was ~73 % of an xlsx batch's time per file).

The reader follows openpyxl's read-only, data-only reading rule for rule — the same workbook part (from the
content types), sheet order and names, shared and inline strings (plain text and rich runs), number formats by
style (custom codes and built-in ids, % and dates with openpyxl's date tests and ``from_excel``, copied in
``xlsx_numfmt`` so that a fast read never imports openpyxl, the 1904 epoch), booleans, errors and ISO dates —
so a workbook gives the same cells either way (``tests/test_xlsx_fast.py`` holds them equal on every workbook
in the repository). Anything outside that well-trodden shape raises ``Unsupported`` and the caller reads the
file with openpyxl instead, which stays the reference: the fast path never accepts or rejects a file on its
own judgement of odd structure.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from checker.frozen import frozen
from checker.lazyre import lazy
from checker.readers import xlsx_numfmt as nf

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_WORKBOOK_TYPES = (  # openpyxl's order of preference (reader.excel._find_workbook_part)
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)
_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_REF = lazy(r"([A-Z]{1,3})([0-9]{1,7})")
_ROW, _C, _IS, _V, _T, _R = (f"{_MAIN}{local}" for local in ("row", "c", "is", "v", "t", "r"))
_BUILTIN_MAX = 164  # openpyxl's BUILTIN_FORMATS_MAX_SIZE: custom format ids start here


class Unsupported(Exception):
    """The package is outside the shape this reader mirrors; openpyxl reads it instead."""


@frozen
class _Book:
    """What every cell of the workbook is read with."""

    strings: list[str]
    formats: tuple[str, ...]  # by style index
    dates: frozenset[int]  # style indices openpyxl reads as dates
    timedeltas: frozenset[int]  # … and as durations
    epoch: Any
    text: Any  # (value, number format) -> text


@frozen
class Sheet:
    """One worksheet as openpyxl's read-only workbook lists it: its title, part, and cells in file order
    as (row, column, text) — text as ``readers.xlsx`` makes it of the value and its number format."""

    title: str
    part: str
    cells: tuple[tuple[int, int, str], ...]


def read_sheets(members: dict[str, bytes], text: Any) -> list[Sheet]:
    """Every worksheet of the package; ``text(value, number_format)`` makes a cell's text of a number, date
    or bool (a string is its own text; None is skipped)."""
    overrides, defaults = _content_types(members)
    workbook = next((overrides[t] for t in _WORKBOOK_TYPES if t in overrides), None)
    if workbook is None or workbook not in members or any(t in defaults for t in _WORKBOOK_TYPES):
        raise Unsupported("workbook part")
    book: ET.Element = _outline(_root, members[workbook], "workbook")
    pr = book.find(f"{_MAIN}workbookPr")
    date1904 = (pr.get("date1904") if pr is not None else None) or "false"
    if date1904 not in ("0", "1", "false", "true"):
        raise Unsupported("date1904")
    epoch = nf.MAC_EPOCH if date1904 in ("1", "true") else nf.WINDOWS_EPOCH
    rels = _relationships(members, workbook)
    strings = _shared_strings(members[overrides[_SHARED_STRINGS]]) if _SHARED_STRINGS in overrides else []
    formats, dates, timedeltas = _styles(members)
    cells_of = _Book(strings, formats, dates, timedeltas, epoch, text)
    sheets_el = book.find(f"{_MAIN}sheets")
    out = []
    for sheet in sheets_el if sheets_el is not None else ():
        if sheet.tag != f"{_MAIN}sheet":
            raise Unsupported("sheets")
        rid, name = sheet.get(f"{_REL_NS}id"), sheet.get("name")
        if not rid or name is None or rid not in rels:
            raise Unsupported("sheet relationship")
        rel_type, target = rels[rid]
        if target not in members:
            continue
        if "chartsheet" in rel_type:  # openpyxl reads (or trips over) its drawing: left to it
            raise Unsupported("chart sheet")
        cells = tuple(_cells(members[target], cells_of))
        out.append(Sheet(name, target, cells))
    return out


def _root(xml: bytes, local: str) -> ET.Element:
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        raise Unsupported("XML") from None
    if root.tag != f"{_MAIN}{local}":
        raise Unsupported(f"{local} namespace")
    return root


# The package's outline (content types, workbook, its relationships) is byte for byte the same in every file
# one system exports: each small part is parsed once per process. The answers are shared, so read only.
def _outline(parse: Any, xml: bytes, *args: Any) -> Any:
    return _small_parse(parse, xml, *args) if len(xml) <= _MEMO_BYTES else parse(xml, *args)


@lru_cache(maxsize=64)
def _small_parse(parse: Any, xml: bytes, *args: Any) -> Any:
    return parse(xml, *args)


def _content_types(members: dict[str, bytes]) -> tuple[dict[str, str], frozenset[str]]:
    if "[Content_Types].xml" not in members:
        raise Unsupported("content types")
    result: tuple[dict[str, str], frozenset[str]] = _outline(_parse_content_types, members["[Content_Types].xml"])
    return result


def _parse_content_types(xml: bytes) -> tuple[dict[str, str], frozenset[str]]:
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        raise Unsupported("content types") from None
    overrides: dict[str, str] = {}
    for el in root.iter(f"{_CT_NS}Override"):
        ctype, part = el.get("ContentType", ""), el.get("PartName", "")
        overrides.setdefault(ctype, part[1:] if part.startswith("/") else part)
    defaults = frozenset(el.get("ContentType", "") for el in root.iter(f"{_CT_NS}Default"))
    return overrides, defaults


def _relationships(members: dict[str, bytes], part: str) -> dict[str, tuple[str, str]]:
    folder = posixpath.dirname(part)
    rels_part = posixpath.join(folder, "_rels", posixpath.basename(part) + ".rels")
    if rels_part not in members:
        raise Unsupported("workbook relationships")
    result: dict[str, tuple[str, str]] = _outline(_parse_relationships, members[rels_part], folder)
    return result


def _parse_relationships(xml: bytes, folder: str) -> dict[str, tuple[str, str]]:
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        raise Unsupported("relationships") from None
    out = {}
    for rel in root.iter(f"{_PKG_REL}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id", "")] = (rel.get("Type", ""), target)
    return out


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _rich_text(node: ET.Element) -> str:
    """openpyxl's ``Text.from_tree(node).content``: the plain <t>, then each run's <t>; phonetic runs left out."""
    plain: list[str] = []
    runs: list[str] = []
    for child in node:
        tag = child.tag
        local = "t" if tag == _T else "r" if tag == _R else _local(tag)  # the usual tags without a split
        if local == "t":
            plain.append(child.text or "")
        elif local == "r":
            ts = [el for el in child if el.tag == _T or _local(el.tag) == "t"]
            if len(ts) > 1:
                raise Unsupported("run with two texts")
            if ts and ts[0].text is not None:
                runs.append(ts[0].text)
    if len(plain) > 1:
        raise Unsupported("two plain texts")
    return "".join(plain + runs)


def _shared_strings(xml: bytes) -> list[str]:
    root = _root(xml, "sst")
    return [_rich_text(si).replace("x005F_", "") for si in root.iter(f"{_MAIN}si")]


def _styles(members: dict[str, bytes]) -> tuple[tuple[str, ...], frozenset[int], frozenset[int]]:
    """Per cell style index: its number format code, and which styles are dates or durations (as
    openpyxl's Stylesheet._normalise_numbers decides)."""
    if "xl/styles.xml" not in members:
        raise Unsupported("no stylesheet")
    xml = members["xl/styles.xml"]
    # Workbooks exported by one system share their stylesheet byte for byte: a batch reads it once. Only
    # small ones are kept, so the memo never holds more than a few MiB whatever the files are.
    return _stylesheet(xml) if len(xml) <= _MEMO_BYTES else _stylesheet.__wrapped__(xml)


_MEMO_BYTES = 256 * 1024


@lru_cache(maxsize=16)
def _stylesheet(xml: bytes) -> tuple[tuple[str, ...], frozenset[int], frozenset[int]]:
    root = _root(xml, "styleSheet")
    custom: dict[int, str] = {}
    num_fmts = root.find(f"{_MAIN}numFmts")
    for el in num_fmts if num_fmts is not None else ():
        custom[int(el.get("numFmtId", ""))] = el.get("formatCode", "")
    xfs = root.find(f"{_MAIN}cellXfs")
    if xfs is None or not len(xfs):
        raise Unsupported("no cell styles")
    formats: list[str] = []
    dates: set[int] = set()
    timedeltas: set[int] = set()
    for idx, xf in enumerate(xfs):
        fmt_id = int(xf.get("numFmtId", "0"))
        if fmt_id not in custom and fmt_id >= _BUILTIN_MAX:
            raise Unsupported("number format not defined")
        code = custom[fmt_id] if fmt_id in custom else nf.BUILTIN_FORMATS.get(fmt_id)
        formats.append(code if code is not None else "General")
        if nf.is_date_format(code):
            dates.add(idx)
        if nf.is_timedelta_format(code):
            timedeltas.add(idx)
    return tuple(formats), frozenset(dates), frozenset(timedeltas)


@lru_cache(maxsize=65_536)
def _reference(ref: str) -> tuple[int, int] | None:
    """(row, column) of a plain ``A1`` reference inside the sheet, else None; cached, since a batch of
    sheets written on one form repeats the same references file after file."""
    match = _REF.fullmatch(ref)
    if match is None:
        return None
    column = 0
    for ch in match.group(1):
        column = column * 26 + ord(ch) - 64
    row = int(match.group(2))
    return (row, column) if 1 <= row <= 1_048_576 and column <= 16_384 else None


def _cells(xml: bytes, book: _Book) -> Iterator[tuple[int, int, str]]:
    """The cells openpyxl's read-only iteration yields with a value, in its order. Its rules, kept: a row
    whose number is not past the last one yielded is skipped; a row's cells stop at its last cell's
    column, and a later cell of the same column wins."""
    root = _root(xml, "worksheet")
    data = root.find(f"{_MAIN}sheetData")
    if data is None or len(root.findall(f".//{_MAIN}row")) != len(data):
        raise Unsupported("rows outside sheetData")
    counter, row_counter = 1, 0
    text = book.text
    for row in data:
        if row.tag != _ROW:
            raise Unsupported("not a row")
        r = row.get("r")
        row_counter = int(r) if r else row_counter + 1
        cells = [_cell(c, book) for c in row]
        if counter > row_counter:
            continue
        counter = row_counter + 1
        if not cells:
            continue
        last = cells[-1][1]
        by_column: dict[int, tuple[int, Any, str]] = {}
        for cell_row, column, value, fmt in cells:
            if column <= last:
                by_column[column] = (cell_row, value, fmt)
        for column in sorted(by_column):
            cell_row, value, fmt = by_column[column]
            if value is not None:
                # A string is its own text (``readers.xlsx.value_text``): only numbers, dates and bools
                # are made text by their number format.
                yield cell_row, column, value if type(value) is str else text(value, fmt)


def _cell(c: ET.Element, book: _Book) -> tuple[int, int, Any, str]:
    """openpyxl's WorkSheetParser.parse_cell with data_only: (row, column, value, number format)."""
    if c.tag != _C:
        raise Unsupported("not a cell")
    get = c.get
    place = _reference(get("r", ""))
    if place is None:
        raise Unsupported("cell without a plain reference inside the sheet")
    row, column = place
    kind, style = get("t", "n"), int(get("s") or 0)
    if not 0 <= style < len(book.formats):
        raise Unsupported("style index")
    value: Any = None
    if kind == "inlineStr":
        child = c.find(_IS)
        if child is not None:
            # One plain <t>, as most writers put it, is _rich_text's answer without its loop.
            value = (child[0].text or "") if len(child) == 1 and child[0].tag == _T else _rich_text(child)
    else:
        value = c.findtext(_V) or None
        if value is not None:
            if kind == "n":
                value = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
                if style in book.dates:
                    try:
                        value = nf.from_excel(value, book.epoch, timedelta=style in book.timedeltas)
                    except (OverflowError, ValueError):
                        value = "#VALUE!"
            elif kind == "s":
                value = book.strings[int(value)]
            elif kind == "b":
                value = bool(int(value))
            elif kind == "d":
                value = nf.from_iso8601(value)
            elif kind not in ("str", "e"):
                raise Unsupported("cell type")
    return row, column, value, book.formats[style]

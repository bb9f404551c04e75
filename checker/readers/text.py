"""Text extracts (published PDFs turned into text): lines split at tabs into cells.

Decoding is deterministic (docs/reliability.md §0.6): BOM → strict UTF-8 (with a guard for short GBK text
that happens to be valid UTF-8) → strict GB18030 → rejected. No statistical detector decides.
"""

from __future__ import annotations

from checker.errors import InputError
from checker.model import Location
from checker.readers.raw import RawCell, RawDocument, RawRow, RawTable

MAX_TEXT_BYTES = 64 * 1024 * 1024
_MAGIC = (
    (b"PK\x03\x04", "a zip package (xlsx/docx?)"),
    (b"%PDF", "a PDF file"),
    (b"\xd0\xcf\x11\xe0", "an OLE file (xls/doc?)"),
    (b"\x7fELF", "an executable"),
)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def _looks_misdecoded(text: str) -> bool:
    """UTF-8 that is really GBK shows as Latin/Greek/Cyrillic/… letters (U+0080–U+07FF) and no CJK."""
    odd = sum(1 for ch in text if "\u0080" <= ch <= "\u07ff")
    return odd > 0 and not any(_is_cjk(ch) for ch in text)


def decode(data: bytes, path: str) -> str:
    """Bytes → text, or InputError naming what is wrong."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(path, f"binary file ({what}), expected text", "请提供文本文件 / give a text file")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(
            path, f"binary file (NUL byte at offset {nul}), expected text", "请提供文本文件 / give a text file"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        if not _looks_misdecoded(text):
            return text
        try:
            gb = data.decode("gb18030")
        except UnicodeDecodeError:
            return text
        return gb if any(_is_cjk(ch) for ch in gb) else text
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(
            path,
            f"neither UTF-8 nor GB18030 (invalid byte at offset {utf8_error.start})",
            "请另存为 UTF-8 文本 / save the file as UTF-8",
        ) from None


def read_text(data: bytes, path: str) -> RawDocument:
    text = decode(data, path)
    rows = []
    for lineno, line in enumerate(text.splitlines(), 1):
        cells = tuple(
            RawCell(part, col, Location(path, line=lineno, column=col)) for col, part in enumerate(line.split("\t"), 1)
        )
        rows.append(RawRow(cells, Location(path, line=lineno)))
    return RawDocument(path, "text", (RawTable(None, tuple(rows), flow=True),))

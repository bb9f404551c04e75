"""Text extracts (published PDFs turned into text): lines split at tabs into cells.

Decoding is deterministic (docs/reliability.md §0.6): BOM → strict UTF-8 (with a guard for short GBK text
that happens to be valid UTF-8) → strict GB18030 → rejected. No statistical detector decides.
"""

from __future__ import annotations

from collections.abc import Iterator

from checker.errors import InputError
from checker.lazyre import lazy
from checker.model import Location
from checker.readers.cells import TextBudget
from checker.readers.guard import MAX_CELLS
from checker.readers.raw import RawCell, RawDocument, RawRow, RawTable

# A line is a row and every tab a cell: the caps match the workbook readers', counted before a row is built.
MAX_TEXT_LINES = MAX_CELLS
_SPLIT_HINT = "拆分文件后再检查 / split the file"
# Only these end a line, as editors and `grep -n` count them; str.splitlines() also breaks at form feeds
# (pdftotext's page breaks), U+2028 and others, which shifted every later line number.
_NEWLINE = lazy(r"\r\n|\r|\n")
_INLINE_BREAKS = str.maketrans(dict.fromkeys("\f\v\x1c\x1d\x1e\x85\u2028\u2029", " "))
_MAGIC = (
    (b"PK\x03\x04", "a zip package (xlsx/docx?)"),
    (b"%PDF", "a PDF file"),
    (b"\xd0\xcf\x11\xe0", "an OLE file (xls/doc?)"),
    (b"\x7fELF", "an executable"),
)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


_ODD = lazy("[\u0080-\u07ff]")
_CJK = lazy("[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


def _looks_misdecoded(text: str) -> bool:
    """UTF-8 that is really GBK shows as Latin/Greek/Cyrillic/… letters (U+0080–U+07FF) and no CJK.
    (Searched with a regex: a per-character Python loop took seconds on a 60 MB file.)"""
    return _ODD.search(text) is not None and _CJK.search(text) is None


_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16/32 by its BOM, or, when NULs appear, by the byte order that reads the start as text (CJK,
    ASCII, white space): Windows Notepad's "Unicode" is UTF-16 LE, and GBK or UTF-8 text has no NULs."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    head = data[:4096]
    if len(head) < 8 or b"\x00" not in head:
        return None
    best, best_share = None, 0.9
    for codec in ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"):
        unit = 4 if "32" in codec else 2
        try:
            sample = head[: len(head) // unit * unit].decode(codec)
        except UnicodeDecodeError:
            continue
        share = len(_PLAIN.findall(sample)) / max(len(sample), 1)
        if share > best_share:
            best, best_share = codec, share
    return best


# What a text extract is made of: CJK, ASCII printables and white space (the share picks the byte order).
_PLAIN = lazy("[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\x20-\x7e\t\n\r]")


# Kana, Greek, Cyrillic and box drawing: GB2312's symbol rows, where Big5 bytes read as GB18030 keep landing
# (Big5's 0xA1–0xA9 lead bytes are GB2312's symbol rows); Chinese text in GBK uses them rarely.
_GB_SYMBOLS = lazy("[\u0370-\u04ff\u3040-\u30ff\u2500-\u257f]")


def _looks_big5(data: bytes, gb: str) -> bool:
    sample = gb[:8000]
    odd = len(_GB_SYMBOLS.findall(sample))
    hanzi = len(_CJK.findall(sample))
    if odd < 3 or odd < 0.05 * (hanzi + odd):
        return False
    try:
        big5 = data[:16000].decode("big5", errors="ignore")
    except LookupError:
        return False
    return len(_GB_SYMBOLS.findall(big5)) < odd // 2


def decode(data: bytes, path: str) -> str:
    """Bytes → text, or InputError naming what is wrong."""
    wide = _wide_encoding(data)
    if wide is not None:
        try:
            text = data.decode(wide)
        except UnicodeDecodeError as exc:
            raise InputError(
                path, f"{wide.upper()} text with an invalid unit at offset {exc.start}",
                "请另存为 UTF-8 文本 / save the file as UTF-8",
            ) from None  # fmt: skip
        text = text.removeprefix("\ufeff")
        sample = text[:4000]
        if sample and len(_PLAIN.findall(sample)) < 0.5 * len(sample):  # a BOM in front of binary data
            raise InputError(
                path, f"binary file (starts like {wide.upper()} text but is not text), expected text",
                "请提供文本文件 / give a text file",
            )  # fmt: skip
        return text
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
        return gb if _CJK.search(gb) else text
    try:
        gb = data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError(
            path,
            f"neither UTF-8 nor GB18030 (invalid byte at offset {utf8_error.start})",
            "请另存为 UTF-8 文本 / save the file as UTF-8",
        ) from None
    if _looks_big5(data, gb):
        raise InputError(
            path, "Big5（繁体中文）编码的文本 / Big5 (traditional Chinese) text, not UTF-8 or GB18030",
            "请另存为 UTF-8 文本 / save the file as UTF-8",
        )  # fmt: skip
    return gb


def _lines(text: str) -> Iterator[str]:
    pos = 0
    for match in _NEWLINE.finditer(text):
        yield text[pos : match.start()]
        pos = match.end()
    if pos < len(text):
        yield text[pos:]


def read_text(data: bytes, path: str) -> RawDocument:
    text = decode(data, path)
    lines = text.count("\n") + text.count("\r")
    if lines > MAX_TEXT_LINES:
        raise InputError(path, f"{lines} lines, over the {MAX_TEXT_LINES}-line limit", _SPLIT_HINT)
    rows = []
    budget, chars = MAX_CELLS, TextBudget(path)
    for lineno, line in enumerate(_lines(text), 1):
        budget -= line.count("\t") + 1
        if budget < 0:
            raise InputError(
                path, f"over {MAX_CELLS} cells by line {lineno}, over the {MAX_CELLS}-cell limit", _SPLIT_HINT
            )
        cells = tuple(
            RawCell(chars.take(part), col, Location(path, line=lineno, column=col))
            for col, part in enumerate(line.translate(_INLINE_BREAKS).split("\t"), 1)
        )
        rows.append(RawRow(cells, Location(path, line=lineno)))
    return RawDocument(path, "text", (RawTable(None, tuple(rows), flow=True),))

"""The guarded opening layer every package reader goes through (docs/reliability.md §6 S1–S4).

Before any XML parser sees a submitted xlsx/docx, the zip's central directory is checked (member count,
sizes, compression ratio, duplicate or overlapping entries, encryption), every member is inflated once
under a cap that does not trust the declared size, and any ``<!DOCTYPE`` in any XML part is rejected —
whatever openpyxl's own settings are (``OPENPYXL_DEFUSEDXML=False`` included). Cell counts are capped
from the sheet XML itself, never from ``<dimension>``.
"""

from __future__ import annotations

import io
import itertools
import re
import struct
import zipfile
import zlib
from functools import lru_cache

from checker.errors import InputError
from checker.frozen import frozen
from checker.lazyre import lazy

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 160 * 1024 * 1024
MAX_RATIO = 100  # members over 1 MiB may not inflate more than this
RATIO_FLOOR = 1024 * 1024
MAX_CELLS = 200_000
_DOCTYPE = lazy(rb"<!DOCTYPE", re.IGNORECASE)
_CELL = lazy(rb"<(?:\w+:)?c[\s>/]")


@frozen
class Package:
    """A zip package that passed the pre-flight: its members, inflated and checked, and every internal
    relationship of its ``.rels`` parts as (type, resolved target) — read once here, not once per question."""

    members: dict[str, bytes]
    links: tuple[tuple[str, str], ...] = ()

    def related(self, *kinds: str) -> list[str]:
        """Targets of the relationships whose type ends in one of ``kinds`` (as ``related`` tells them)."""
        ends = tuple("/" + kind for kind in kinds)
        return [target for rel_type, target in self.links if rel_type.endswith(ends)]

    def cells_in(self, name: str) -> int:
        return len(_CELL.findall(self.members.get(name, b"")))


def _reject(path: str, part: str, what: str) -> InputError:
    return InputError(path, f"unsafe or malformed package: {what} in {part}", "文件被拒绝 / the file was rejected")


def preflight(data: bytes, path: str) -> Package:
    """Check a zip package before anything parses it; raise InputError naming the part and the limit."""
    if len(data) > MAX_FILE_BYTES:
        raise InputError(path, f"file is {len(data)} bytes, over the {MAX_FILE_BYTES}-byte limit")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception as exc:  # BadZipFile, struct.error, OSError, …: a damaged zip either way
        raise InputError(
            path, f"not a valid zip package ({type(exc).__name__})", "文件已损坏 / the file is damaged"
        ) from None
    if len(infos) > MAX_MEMBERS:
        raise _reject(path, "the zip directory", f"{len(infos)} members (limit {MAX_MEMBERS})")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise _reject(path, dup, "duplicate member name")
    spans = sorted(
        (i.header_offset, i.header_offset + 30 + len(i.filename) + i.compress_size, i.filename) for i in infos
    )
    for (_, end, name), (start, _, nxt) in itertools.pairwise(spans):
        if start < end:
            raise _reject(path, f"{name} / {nxt}", "overlapping zip entries")
    total = 0
    members: dict[str, bytes] = {}
    for info in infos:
        part = info.filename
        if info.flag_bits & 0x1:
            raise _reject(path, part, "encrypted member")
        if info.file_size > MAX_MEMBER_BYTES:
            raise _reject(path, part, f"declared size {info.file_size} (limit {MAX_MEMBER_BYTES})")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise _reject(path, part, f"compression ratio {ratio}:1 (limit {MAX_RATIO}:1)")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise _reject(path, part, f"total size over {MAX_TOTAL_BYTES} bytes")
        fast = _inflate_plain(data, info)
        members[part] = fast if fast is not None else _inflate(zf, info, path)
    found = links(members)
    xml_parts = {n for n in members if n.endswith((".xml", ".rels", ".vml"))} | set(_xml_read(found))
    for part in sorted(xml_parts & set(members)):
        if _has_doctype(members[part], path, part):
            raise _reject(path, part, "XML with a DTD (<!DOCTYPE>)")
    return Package(members, tuple(found))


_DECLARED = lazy(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
# Encodings in which "<!DOCTYPE" is the same bytes as in ASCII: the raw bytes can be searched directly.
_ASCII_SAFE = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252",
               "gbk", "gb2312", "gb18030", "big5", "shift_jis", "euc-jp", "euc-kr"}  # fmt: skip


_SIGNATURES = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x4c\x6f\xa7\x94", "cp037"),  # EBCDIC "<?xm"
)


def _encoding_of(xml: bytes) -> str | None:
    """The encoding an XML parser would read this part in (BOM, then the first bytes, then the declaration,
    as XML 1.0 appendix F does), or None for the ASCII-compatible ones."""
    for bom, codec in _SIGNATURES:
        if xml.startswith(bom):
            return codec
    declared = _DECLARED.match(xml[:200])
    if declared is None:
        return None
    name = declared.group(1).decode("ascii").lower()
    return None if name in _ASCII_SAFE else name


def _has_doctype(xml: bytes, path: str, part: str) -> bool:
    # "<!" first: a plain byte search, where the case-blind pattern scans slowly; no "<!", no "<!DOCTYPE".
    if b"<!" in xml and _DOCTYPE.search(xml):
        return True
    codec = _encoding_of(xml)
    if codec is None:
        return False
    try:
        text = xml.decode(codec, errors="replace")
    except LookupError:  # libxml2 knows encodings Python does not: unknowable, so not trusted
        raise _reject(path, part, f"XML in an unknown encoding ({codec})") from None
    return "<!doctype" in text.lower()


# Relationship types whose targets an XML parser reads (worksheets, shared strings, styles …), as against
# images, media and embedded objects, which no reader parses.
_REL = lazy(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_ATTR = lazy(rb"""\b(Type|Target|TargetMode)\s*=\s*["']([^"']*)["']""")
_NOT_XML = ("image", "media", "video", "audio", "oleObject", "package", "hyperlink", "font", "printerSettings")


def related(members: dict[str, bytes], kind: str) -> list[str]:
    """Members that some ``.rels`` part points at with a relationship type ending in ``kind`` (any XML-read
    type when ``kind`` is empty), resolved against the folder the .rels part describes."""
    found = links(members)
    if not kind:
        return _xml_read(found)
    return [target for rel_type, target in found if rel_type.endswith("/" + kind)]


def _xml_read(found: list[tuple[str, str]]) -> list[str]:
    return [target for rel_type, target in found if not any(w in rel_type.rsplit("/", 1)[-1] for w in _NOT_XML)]


def links(members: dict[str, bytes]) -> list[tuple[str, str]]:
    """Every internal relationship of every ``.rels`` part, as (type, target resolved against the folder
    the part describes), in the parts' order."""
    out: list[tuple[str, str]] = []
    for name, body in members.items():
        if name.endswith(".rels"):
            out += _part_links(name, body) if len(body) <= _LINKS_MEMO_BYTES else _part_links.__wrapped__(name, body)
    return out


_LINKS_MEMO_BYTES = 64 * 1024


@lru_cache(maxsize=64)
def _part_links(name: str, body: bytes) -> tuple[tuple[str, str], ...]:
    # Remembered: the .rels parts of one exporting system's files are the same bytes under the same names.
    import posixpath

    folder = posixpath.dirname(posixpath.dirname(name))
    out = []
    for rel in _REL.finditer(body):
        attrs = {k.decode(): v.decode("utf-8", "replace") for k, v in _ATTR.findall(rel.group(1))}
        rel_type, target = attrs.get("Type", ""), attrs.get("Target", "")
        if not target or attrs.get("TargetMode") == "External":
            continue
        joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        out.append((rel_type, posixpath.normpath(joined)))
    return tuple(out)


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str) -> bytes:
    """Inflate one member, never past its declared size (a forged size cannot blow up memory)."""
    try:
        with zf.open(info) as fh:
            body = fh.read(info.file_size + 1)
    except Exception as exc:  # zipfile and zlib raise many types on damaged data; all mean "bad input"
        raise _reject(path, info.filename, f"unreadable member ({type(exc).__name__})") from None
    if len(body) != info.file_size:
        raise _reject(path, info.filename, "member size differs from the declared size")
    return body


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zipfile's structFileHeader


def _inflate_plain(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """The member's bytes when it is the plain case (stored or deflated, no odd flag bits, a local header
    that agrees with the directory, a deflate stream that ends cleanly at the declared size with the
    declared CRC), inflated straight from ``data``; None otherwise, and ``_inflate`` (zipfile's reading,
    which names the fault) decides. zipfile's per-member reader objects were ~60 % of the pre-flight of a
    small workbook. Everything this accepts, ``_inflate`` accepts with the same bytes: it reads the same
    prefix of the same stream, and this also asks that the stream end there."""
    kind = info.compress_type
    if kind not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x61:
        return None
    start = info.header_offset
    header = data[start : start + 30]
    if len(header) != 30:
        return None
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != b"PK\x03\x04":
        return None
    name_end = start + 30 + fields[10]
    raw_name = data[start + 30 : name_end]
    try:
        name = raw_name.decode("utf-8" if fields[3] & 0x800 else "cp437")
    except UnicodeDecodeError:
        return None
    if name != info.orig_filename:
        return None
    begin = name_end + fields[11]
    packed = data[begin : begin + info.compress_size]
    if len(packed) != info.compress_size:
        return None
    if kind == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            return None
        body = packed
    else:
        inflater = zlib.decompressobj(-15)
        try:
            body = inflater.decompress(packed, info.file_size + 1)
        except zlib.error:
            return None
        if not inflater.eof:
            return None
    if len(body) != info.file_size or zlib.crc32(body) != info.CRC:
        return None
    return body


_MERGE = lazy(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Za-z]{1,3})([0-9]{1,7})(?::([A-Za-z]{1,3})([0-9]{1,7}))?"')
MAX_MERGED_AREA = 100_000


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def merged_ranges(xml: bytes) -> list[tuple[int, int, int, int]]:
    """The ``<mergeCell ref>`` ranges of a worksheet part as (min_row, min_col, max_row, max_col)."""
    out: list[tuple[int, int, int, int]] = []
    if b"mergeCell" not in xml:  # the pattern's own literal: most sheets merge nothing
        return out
    for m in _MERGE.finditer(xml):
        c1, r1 = _col(m.group(1)), int(m.group(2))
        c2, r2 = (_col(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
        out.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    return out


def check_cells(package: Package, path: str, parts: list[str]) -> None:
    """Cap the cells a reader will materialise: written cells, and merged ranges (a reader that creates
    an object for every cell a merged range covers would exhaust memory on ``A1:XFD1048576`` alone)."""
    # A cell's tag takes at least 3 bytes and tags do not overlap, so parts smaller than 3 bytes a cell
    # allowed cannot hold too many: the count (a scan of every part) is only made for larger ones.
    size = sum(len(package.members.get(p, b"")) for p in parts)
    total = sum(package.cells_in(p) for p in parts) if size > 3 * MAX_CELLS else 0
    if total > MAX_CELLS:
        raise InputError(path, f"{total} cells, over the {MAX_CELLS}-cell limit", "拆分文件后再检查 / split the file")
    for part in parts:
        merged = 0
        for r1, c1, r2, c2 in merged_ranges(package.members.get(part, b"")):
            merged += (r2 - r1 + 1) * (c2 - c1 + 1)
            if merged > MAX_MERGED_AREA:
                raise _reject(path, part, f"merged ranges cover over {MAX_MERGED_AREA} cells")

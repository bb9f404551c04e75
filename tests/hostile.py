"""Generators for hostile packages (docs/reliability.md appendix D), built into a temp dir at test time."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

SST_CT = '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
SST_REL = '<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def base_members() -> dict[str, bytes]:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "项目名称"
    wb.active["B1"] = "示例"
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def pack(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def with_member(name: str, body: bytes, sst: bool = False) -> bytes:
    members = base_members()
    members[name] = body
    if sst:
        members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
            b"</Types>", SST_CT.encode() + b"</Types>"
        )
        rels = "xl/_rels/workbook.xml.rels"
        members[rels] = members[rels].replace(b"</Relationships>", SST_REL.encode() + b"</Relationships>")
    return pack(members)


def _dtd(kind: str) -> str:
    if kind == "BL":
        ents = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
        return f"<!DOCTYPE x [{ents}]>", "&a9;"
    if kind == "QB":
        return f'<!DOCTYPE x [<!ENTITY q "{"x" * 50_000}">]>', "&q;" * 2000
    if kind == "XXE-file":
        return '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', "&e;"
    if kind == "XXE-http":
        return '<!DOCTYPE x [<!ENTITY e SYSTEM "http://127.0.0.1:9/x">]>', "&e;"
    return f'<!DOCTYPE x [<!ENTITY s "{"y" * 50_000}">]>', "&s;"


def entity_file(kind: str, part: str) -> bytes:
    dtd, ref = _dtd(kind)
    if part == "sharedStrings":
        body = f'<?xml version="1.0"?>{dtd}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{ref}</t></si></sst>'
        return with_member("xl/sharedStrings.xml", body.encode(), sst=True)
    if part == "sheet":
        body = f'<?xml version="1.0"?>{dtd}{SHEET_HEAD[SHEET_HEAD.index("<worksheet") :]}<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>{ref}</t></is></c></row></sheetData></worksheet>'
        return with_member("xl/worksheets/sheet1.xml", body.encode())
    members = base_members()
    wb = members["xl/workbook.xml"].decode()
    wb = wb.replace("?>", "?>" + dtd, 1) if "?>" in wb else dtd + wb
    wb = wb.replace('name="Sheet"', f'name="{ref[:30]}"')
    members["xl/workbook.xml"] = wb.encode()
    return pack(members)


def cell_bomb() -> bytes:
    row = "<row>" + "<c><v>1</v></c>" * 100 + "</row>"
    return with_member(
        "xl/worksheets/sheet1.xml", (SHEET_HEAD + "<sheetData>" + row * 30_000 + "</sheetData></worksheet>").encode()
    )


def sst_bomb() -> bytes:
    strings = "<si><t>" + "x" * 100 + "</t></si>"
    body = (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="4000000000">'
        + strings * 300_000
        + "</sst>"
    )
    return with_member("xl/sharedStrings.xml", body.encode(), sst=True)


def whitespace_bomb() -> bytes:
    return with_member(
        "xl/worksheets/sheet1.xml", SHEET_HEAD.encode() + b" " * 80_000_000 + b"<sheetData/></worksheet>"
    )


def empty_rows() -> bytes:
    return with_member(
        "xl/worksheets/sheet1.xml",
        (SHEET_HEAD + "<sheetData>" + "<row/>" * 1_000_000 + "</sheetData></worksheet>").encode(),
    )


def far_cell() -> bytes:
    body = (
        SHEET_HEAD
        + '<dimension ref="A1:XFD1048576"/><sheetData><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'
    )
    return with_member("xl/worksheets/sheet1.xml", body.encode())


def many_members() -> bytes:
    members = base_members()
    for i in range(1001):
        members[f"xl/media/pad{i}.bin"] = b"x"
    return pack(members)


def duplicate_names() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in base_members().items():
            zf.writestr(name, data)
        zf.writestr("xl/workbook.xml", b"<x/>")
    return buf.getvalue()


def _patch_central(data: bytes, fn: Callable[[bytearray, int], None]) -> bytes:
    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    while pos >= 0:
        fn(out, pos)
        pos = out.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


def encrypted_flag() -> bytes:
    def flag(out: bytearray, pos: int) -> None:
        out[pos + 8] |= 0x1

    return _patch_central(pack(base_members()), flag)


def forged_size() -> bytes:
    body = SHEET_HEAD.encode() + b"<sheetData>" + b"<row><c><v>1</v></c></row>" * 200_000 + b"</sheetData></worksheet>"
    data = bytearray(with_member("xl/worksheets/sheet1.xml", body))
    # claim the big sheet is 1,000 bytes in both the central and the local header
    name = b"xl/worksheets/sheet1.xml"
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        n = struct.unpack("<H", data[pos + 28 : pos + 30])[0]
        if data[pos + 46 : pos + 46 + n] == name:
            struct.pack_into("<I", data, pos + 24, 1000)
            local = struct.unpack("<I", data[pos + 42 : pos + 46])[0]
            struct.pack_into("<I", data, local + 22, 1000)
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(data)


def overlapping() -> bytes:
    data = bytearray(pack(base_members()))
    offsets = []
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        offsets.append(pos)
        pos = data.find(b"PK\x01\x02", pos + 4)
    first_local = struct.unpack("<I", data[offsets[0] + 42 : offsets[0] + 46])[0]
    struct.pack_into("<I", data, offsets[1] + 42, first_local)  # two entries claim the same bytes
    return bytes(data)


def truncated() -> bytes:
    data = pack(base_members())
    return data[: len(data) // 2]


def docx_bomb(kind: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("项目名称")
    buf = io.BytesIO()
    document.save(buf)
    with zipfile.ZipFile(buf) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    if kind == "paragraphs":
        para = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"
        body = members["word/document.xml"]
        members["word/document.xml"] = body.replace(b"</w:body>", para * 3_000_000 + b"</w:body>")
    else:
        dtd, ref = _dtd(kind)
        body = members["word/document.xml"].decode()
        body = body.replace("?>", "?>" + dtd, 1) if "?>" in body else dtd + body
        members["word/document.xml"] = body.replace("项目名称", ref).encode()
    return pack(members)


def write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


def merge_bomb() -> bytes:
    body = (
        SHEET_HEAD
        + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>'
    )
    return with_member("xl/worksheets/sheet1.xml", body.encode())


# --- issue 17: the second hardening round ------------------------------------------------------------

XLS_FIXTURE = Path(__file__).resolve().parent / "layouts" / "xlsx" / "grouped_value-lo.xls"


def cfb(stream: bytes, name: str = "Workbook") -> bytes:
    """A minimal OLE compound file (CFB v3, 512-byte sectors) holding one stream, as xlrd reads it."""
    end, free, fat_mark, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    body = stream + b"\0" * (-len(stream) % 512)
    body += b"\0" * max(0, 4096 - len(body))  # below 4,096 bytes a stream would live in the mini stream
    n = len(body) // 512
    fats = 1
    while n + 1 + fats > 128 * fats:
        fats += 1
    fat = [*range(1, n), end, end] + [fat_mark] * fats
    fat += [free] * (128 * fats - len(fat))

    def entry(label: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = label.encode("utf-16-le") + b"\0\0" if label else b""
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1 if kind else 0)
                + struct.pack("<III", nostream, nostream, child) + b"\0" * 36 + struct.pack("<IQ", start, size))  # fmt: skip

    directory = entry("Root Entry", 5, 1, end, 0) + entry(name, 2, nostream, 0, len(stream))
    directory += entry("", 0, nostream, 0, 0) * 2
    difat = [n + 1 + i for i in range(fats)] + [free] * (109 - fats)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, fats, n, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", *difat))  # fmt: skip
    return header + body + directory + struct.pack(f"<{128 * fats}I", *fat)


def xls_with_records(records: bytes) -> bytes:
    """The LibreOffice-saved fixture with ``records`` added to its last sheet, just before that sheet's EOF
    (nothing after it moves, so no BOUNDSHEET offset needs fixing)."""
    from xlrd.compdoc import CompDoc

    mem, base, size = CompDoc(XLS_FIXTURE.read_bytes()).locate_named_stream("Workbook")
    stream = bytes(mem[base : base + size])
    eof = stream.rindex(b"\x0a\x00\x00\x00")
    return cfb(stream[:eof] + records + stream[eof:])


def xls_far_cells(rows: int = 2000) -> bytes:
    """One NUMBER cell at column IV (255) on each of ``rows`` rows: a few KiB that xlrd pads to rows × 256."""
    number = b"".join(struct.pack("<HHHHHd", 0x0203, 14, r, 255, 15, 1.0) for r in range(rows))
    return xls_with_records(number)


def xls_merge_bomb() -> bytes:
    """A MERGEDCELLS range to row 65,536 and column IV: xlrd pads every sheet to it when rows are not ragged."""
    return xls_with_records(struct.pack("<HHHHHHH", 0x00E5, 10, 1, 0, 65535, 0, 255))


def docx_with_body(xml: str) -> bytes:
    import docx

    document = docx.Document()
    buf = io.BytesIO()
    document.save(buf)
    with zipfile.ZipFile(buf) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["word/document.xml"] = members["word/document.xml"].replace(b"<w:sectPr", xml.encode() + b"<w:sectPr", 1)
    return pack(members)


def _tc(text: str) -> str:
    return f"<w:tc><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def docx_cell_bomb(rows: int = 3000, cols: int = 100) -> bytes:
    """A plain table of rows × cols cells (~300,000 cells; ~4 MB of XML that zips to a normal ratio)."""
    row = "<w:tr>" + "".join(_tc(f"{k}") for k in range(cols)) + "</w:tr>"
    return docx_with_body(f"<w:tbl><w:tblGrid/>{row * rows}</w:tbl>")


def docx_nested(table_rows: list[list[str]]) -> bytes:
    """A goal table nested in the one cell of an outer frame table, as forms laid out in Word often are."""
    inner = (
        "<w:tbl><w:tblGrid/>"
        + "".join("<w:tr>" + "".join(_tc(c) for c in r) + "</w:tr>" for r in table_rows)
        + "</w:tbl>"
    )
    return docx_with_body(f"<w:tbl><w:tblGrid/><w:tr><w:tc>{inner}<w:p/></w:tc></w:tr></w:tbl>")


def xlsx_dat_sheet(cells: int) -> bytes:
    """A worksheet stored as ``xl/worksheets/sheet1.dat`` (the relationship points at it), ``cells`` cells."""
    members = base_members()
    del members["xl/worksheets/sheet1.xml"]
    rows = "".join(
        "<row>" + "".join(f"<c><v>{(r * 7919 + k * 104729) % 1_000_003}</v></c>" for k in range(100)) + "</row>"
        for r in range(cells // 100)
    )  # varied numbers: a normal compression ratio, so only the cell cap can stop it
    members["xl/worksheets/sheet1.dat"] = (SHEET_HEAD + "<sheetData>" + rows + "</sheetData></worksheet>").encode()
    rels = "xl/_rels/workbook.xml.rels"
    members[rels] = members[rels].replace(b"worksheets/sheet1.xml", b"worksheets/sheet1.dat")
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b'<Override PartName="/xl/worksheets/sheet1.xml"', b'<Override PartName="/xl/worksheets/sheet1.dat"'
    )
    return pack(members)


def _varied_hanzi(length: int) -> str:
    """Hanzi in a pseudo-random order: text that deflates no better than real text (the ratio check passes)."""
    return "".join(chr(0x4E00 + (i * 2654435761 >> 7) % 20000) for i in range(length))


def sst_amplified(length: int = 1_000_000, refs: int = 1000) -> bytes:
    """One shared string of ``length`` characters referenced by ``refs`` cells."""
    body = (
        '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        f"<si><t>{_varied_hanzi(length)}</t></si></sst>"
    )
    cells = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(1, refs + 1))
    members = base_members()
    members["xl/sharedStrings.xml"] = body.encode()
    members["xl/worksheets/sheet1.xml"] = (SHEET_HEAD + "<sheetData>" + cells + "</sheetData></worksheet>").encode()
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(b"</Types>", SST_CT.encode() + b"</Types>")
    rels = "xl/_rels/workbook.xml.rels"
    members[rels] = members[rels].replace(b"</Relationships>", SST_REL.encode() + b"</Relationships>")
    return pack(members)


def utf16_entity_sheet() -> bytes:
    """A quadratic-blowup sheet encoded as UTF-16 (declared and with a BOM): a byte search for <!DOCTYPE misses it."""
    dtd = f'<!DOCTYPE x [<!ENTITY q "{"x" * 20_000}">]>'
    body = (f'<?xml version="1.0" encoding="UTF-16"?>{dtd}{SHEET_HEAD[SHEET_HEAD.index("<worksheet") :]}'
            f'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>{"&q;" * 3000}</t></is></c></row></sheetData></worksheet>')  # fmt: skip
    return with_member("xl/worksheets/sheet1.xml", b"\xff\xfe" + body.encode("utf-16-le"))


def text_newlines(n: int = 5_000_000) -> bytes:
    return b"x" + b"\n" * n


def text_tabs(n: int = 5_000_000) -> bytes:
    return b"x\t" * n  # one 10 MB line


def docx_varied_cells(rows: int = 2500, cols: int = 100) -> bytes:
    """rows × cols cells of varied numbers: a normal ratio, so only a cell cap stops it."""
    body = "".join(
        "<w:tr>" + "".join(_tc(str((r * 7919 + k * 104729) % 1_000_003)) for k in range(cols)) + "</w:tr>"
        for r in range(rows)
    )
    return docx_with_body(f"<w:tbl><w:tblGrid/>{body}</w:tbl>")

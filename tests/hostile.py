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

"""The fast xlsx reader (checker/readers/xlsx_fast.py) against openpyxl, the reference: the same cells from
every workbook in the repository, from generated ones with every value kind and format, from hand-written
XML in the shapes openpyxl has rules for, and from LibreOffice's saves; anything else falls back."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.readers import xlsx
from checker.readers.guard import preflight
from tests.conftest import ROOT
from tests.pdfs.make import convert, soffice


def _distinct(paths: list[Path]) -> list[Path]:
    """The first path of each content: a copy (the real workbook is kept under tests/ and, beside a checkout,
    in the shared corpus) reads as its original does, and reading it twice with openpyxl took ~10 s."""
    seen: dict[str, Path] = {}
    for p in paths:
        seen.setdefault(hashlib.sha256(p.read_bytes()).hexdigest(), p)
    return sorted(seen.values())


WORKBOOKS = _distinct(sorted(
    p for folder in (ROOT / "tests", ROOT / "examples", ROOT.parent / "shared" / "corpus") if folder.exists()
    for p in folder.rglob("*.xlsx")
))  # fmt: skip


def _both(data: bytes, name: str = "x.xlsx") -> tuple[object, object]:
    package = preflight(data, name)
    return xlsx._read_fast(package, name), xlsx.read_openpyxl(data, name, package)


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_every_workbook_in_the_repository_reads_the_same(path: Path) -> None:
    fast, reference = _both(path.read_bytes(), str(path))
    assert fast is not None, "the fast reader fell back on a workbook it should read"
    assert fast == reference


def test_there_are_libreoffice_saves_among_them() -> None:
    assert len(WORKBOOKS) >= 10 and any(p.stem.endswith("-lo") for p in WORKBOOKS)


def _featured(date1904: bool = False) -> bytes:
    """One workbook with every value kind and number format the sheets use, merged cells, several sheets
    (one hidden, one empty)."""
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904 if date1904 else wb.epoch
    ws = wb.active
    ws.title = "指标"
    rows = [
        ("一级指标", "二级指标", "三级指标", "指标值"),
        ("产出指标", "质量指标", "合格率", 0.98),
        ("", "", "按期完成率", 1),
        ("", "时效指标", "完成时间", dt.datetime(2024, 12, 31)),
        ("", "", "开始", dt.date(2024, 3, 1)),
        ("", "", "时点", dt.time(9, 30)),
        ("", "", "时长", dt.timedelta(hours=30)),
        ("成本指标", "经济成本指标", "单价", 37.5),
        ("", "", "总额", 1234567),
        ("", "", "是否达标", True),
        ("", "", "科学计数", 1.5e-7),
        ("效益指标", "  带空格  ", "公式", "=1+1"),
    ]
    for row in rows:
        ws.append(row)
    ws["D2"].number_format = "0%"
    ws["D3"].number_format = "0.00%"
    ws["D4"].number_format = "yyyy-mm-dd"
    ws["D5"].number_format = "yyyy年m月d日"
    ws["D7"].number_format = "[h]:mm"
    ws["D8"].number_format = "#,##0.00"
    ws["D9"].number_format = '#,##0"元"'
    ws.merge_cells("A2:A7")
    ws.merge_cells("B2:B3")
    hidden = wb.create_sheet("隐藏")
    hidden.sheet_state = "hidden"
    hidden["B3"] = "隐藏的表"
    wb.create_sheet("空表")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("date1904", [False, True], ids=["1900", "1904"])
def test_a_workbook_with_every_value_kind_reads_the_same(date1904: bool) -> None:
    fast, reference = _both(_featured(date1904))
    assert fast is not None and fast == reference
    texts = {c.text for t in reference for r in t.rows for c in r.cells}  # type: ignore[attr-defined]
    assert {"98%", "100%", "2024-12-31", "37.5", "是"} <= texts  # the features were really there


_VALUES = (
    st.integers(min_value=-(10**12), max_value=10**12)
    | st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)
    | st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
    | st.booleans()
    | st.datetimes(min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(2100, 1, 1))
)
_FORMATS = st.sampled_from(["General", "0%", "0.0%", "0.00", "yyyy-mm-dd", "h:mm", "[h]:mm:ss", "@", '0"人"'])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(1, 30), st.integers(1, 8), _VALUES, _FORMATS), min_size=1, max_size=25))
def test_generated_cells_read_the_same(cells: list[tuple[int, int, object, str]]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row, column, value, fmt in cells:
        cell = ws.cell(row=row, column=column, value=value)
        cell.number_format = fmt
    out = io.BytesIO()
    wb.save(out)
    fast, reference = _both(out.getvalue())
    assert fast is not None and fast == reference


_CT = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""
_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _package(sheet_data: str, strings: str = "", date1904: bool = False) -> bytes:
    """A workbook written by hand: the XML shapes Excel, WPS and LibreOffice write that openpyxl has
    particular rules for."""
    pr = '<workbookPr date1904="1"/>' if date1904 else ""
    parts = {
        "[Content_Types].xml": _CT,
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook {_MAIN} {_R}>{pr}<sheets><sheet name="表" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": f'<?xml version="1.0"?><styleSheet {_MAIN}><numFmts count="2"><numFmt numFmtId="164" formatCode="0.0%"/>'
        '<numFmt numFmtId="165" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/></numFmts>'
        '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="14"/></cellXfs></styleSheet>',
        "xl/sharedStrings.xml": f'<?xml version="1.0"?><sst {_MAIN}>{strings}</sst>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet {_MAIN}><sheetData>{sheet_data}</sheetData>'
        '<mergeCells count="1"><mergeCell ref="A1:A2"/></mergeCells></worksheet>',
    }  # fmt: skip
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    return out.getvalue()


_STRINGS = (
    "<si><t>产出指标</t></si>"
    '<si><r><rPr><b/></rPr><t xml:space="preserve">富 </t></r><r><t>文本</t></r><rPh sb="0" eb="1"><t>フ</t></rPh></si>'
    "<si><t>a_x005F_x000D_b</t></si>"
    "<si><t/></si>"
)
_SHAPES = {
    "kinds": '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
    '<c r="D1" t="s"><v>3</v></c><c r="E1" s="1"><v>0.95</v></c><c r="F1" s="2"><v>0.125</v></c></row>'
    '<row r="2"><c r="B2" t="inlineStr"><is><t>内联</t></is></c><c r="C2" t="inlineStr"><is><r><t>多</t></r><r><t>段</t></r></is></c>'
    '<c r="D2" t="e"><v>#N/A</v></c><c r="E2" t="str"><v>公式文本</v></c><c r="F2" t="b"><v>0</v></c>'
    '<c r="G2" t="d"><v>2024-05-01T00:00:00</v></c><c r="H2" s="3"><v>45292</v></c><c r="I2" s="4"><v>45292.5</v></c>'
    '<c r="J2"><v>1E3</v></c><c r="K2"><f>SUM(A1)</f><v>7</v></c><c r="L2"><v></v></c></row>',
    "rows out of order and repeated": '<row r="3"><c r="A3"><v>3</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>'
    '<row r="3"><c r="B3"><v>33</v></c></row><row r="5"><c r="A5"><v>5</v></c></row>',
    "cells out of order and repeated": '<row r="1"><c r="C1"><v>3</v></c><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c>'
    '<c r="B1"><v>22</v></c></row>',
    "rows without a number": '<row><c r="A1"><v>1</v></c></row><row><c r="A2"><v>2</v></c></row><row r="4"><c r="A4"><v>4</v></c></row>',
    "a cell on another row than its row element": '<row r="1"><c r="A7"><v>7</v></c></row>',
    "a date out of range": '<row r="1"><c r="A1" s="4"><v>99999999</v></c></row>',
}  # fmt: skip


@pytest.mark.parametrize("date1904", [False, True], ids=["1900", "1904"])
@pytest.mark.parametrize("shape", sorted(_SHAPES))
def test_hand_written_shapes_read_the_same(shape: str, date1904: bool) -> None:
    fast, reference = _both(_package(_SHAPES[shape], _STRINGS, date1904))
    assert fast is not None, "this shape is meant to be read by the fast reader"
    assert fast == reference


@pytest.mark.parametrize(
    "sheet_data",
    [
        '<row r="1"><c t="s"><v>0</v></c></row>',  # a cell without a reference: openpyxl counts columns
        '<row r="1"><c r="$A$1"><v>1</v></c></row>',
        '<row r="1"><c r="A1" t="x"><v>1</v></c></row>',  # a type openpyxl keeps as text
        '<row r="1"><c r="A1" s="9"><v>1</v></c></row>',  # a style that does not exist
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>x</v></c></row>',  # not a number
    ],
)
def test_shapes_it_does_not_vouch_for_fall_back_to_openpyxl(sheet_data: str) -> None:
    data = _package(sheet_data, _STRINGS)
    package = preflight(data, "x.xlsx")
    assert xlsx._read_fast(package, "x.xlsx") is None
    try:
        expected: object = xlsx.read_openpyxl(data, "x.xlsx", package)
    except Exception as exc:  # the fallback decides, rejection included
        expected = type(exc)
    try:
        got: object = xlsx.read_xlsx(data, "x.xlsx").tables
    except Exception as exc:
        got = type(exc)
    assert got == expected


@pytest.mark.slow
def test_libreoffice_saves_read_the_same(tmp_path: Path) -> None:
    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    source = tmp_path / "src" / "featured.xlsx"
    source.parent.mkdir()
    source.write_bytes(_featured())
    (saved,) = convert([source], "xlsx", tmp_path)
    fast, reference = _both(saved.read_bytes())
    assert fast is not None and fast == reference

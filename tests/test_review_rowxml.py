"""xlsx_rowxml writes a row's XML as xlsxwriter would for the same cells (the review's rows go through it)."""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.report.xlsx_rowxml import RowWriter, inline_text

FORMATS = [None, {"bold": True}, {"text_wrap": True, "valign": "top"}, {"quote_prefix": True}, {"num_format": "#,##0"}]
value = st.one_of(
    st.none(),
    st.text(max_size=30),  # any code point: controls, _x0041_-like runs, & < >, edge spaces
    st.sampled_from(["_x0041_", " lead", "trail\t", "a\r\nb", "<&>", "\ufffe\uffff", "=1+1"]),
    st.integers(-(10**17), 10**17),
    st.floats(allow_nan=False, allow_infinity=False),
)
row = st.tuples(
    st.integers(0, 3),  # rows skipped before this one
    st.dictionaries(st.integers(0, 30), st.tuples(value, st.integers(0, len(FORMATS) - 1)), max_size=6),
    st.one_of(st.none(), st.floats(5, 409).map(lambda h: round(h, 1))),  # row height in points
).map(lambda r: r if any(v not in (None, "") or f for v, f in r[1].values()) else (r[0], r[1], None))
# (a height on a row without a cell: xlsxwriter in constant_memory drops it, RowWriter keeps it)


def _sheet_data(rows: list[tuple[int, dict[int, tuple[Any, int]], float | None]]) -> tuple[str, str]:
    """The row files of two constant_memory worksheets of one workbook after writing ``rows`` through
    RowWriter and through xlsxwriter's cell methods (the text xlsxwriter copies into <sheetData>)."""
    with tempfile.TemporaryDirectory() as tmp:
        wb = xlsxwriter.Workbook(str(Path(tmp) / "x.xlsx"), {"constant_memory": True, "tmpdir": tmp})
        ours, theirs = wb.add_worksheet(), wb.add_worksheet()
        formats = [wb.add_format(f) if f else None for f in FORMATS]
        for ws in (ours, theirs):
            ws.set_column(2, 4, 12, formats[1])  # a column's format for unstyled cells
        writer = RowWriter(ours)
        at = -1
        for skip, cells, height in rows:
            at += 1 + skip
            writer.row(at, [(col, cells[col][0], formats[cells[col][1]]) for col in sorted(cells)], height)
            if height is not None:
                theirs.set_row(at, height)
            for col in sorted(cells):
                val, fmt = cells[col][0], formats[cells[col][1]]
                if val is None or val == "":
                    theirs.write_blank(at, col, None, fmt)
                elif isinstance(val, str):
                    theirs.write_string(at, col, val, fmt)
                else:
                    theirs.write_number(at, col, val, fmt)
        writer.close()
        texts = []
        for ws in (ours, theirs):
            ws._write_single_row()  # as the packager does before copying the row file
            ws.row_data_fh.seek(0)
            texts.append(ws.row_data_fh.read())
            ws.row_data_fh.close()
        return texts[0], texts[1]


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(row, max_size=6))
def test_rows_are_the_xml_xlsxwriter_writes(rows: list[tuple[int, dict[int, tuple[Any, int]], float | None]]) -> None:
    ours, theirs = _sheet_data(rows)
    assert ours == theirs


@given(text=st.text())
def test_inline_text_leaves_no_markup_and_no_control_character(text: str) -> None:
    out = inline_text(text)
    assert "<" not in out and ">" not in out
    assert not any(ord(c) < 32 and c not in "\t\n" for c in out)
    if re.search("[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x", text) is None:  # only & < > change
        assert out.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == text


def test_a_note_and_a_link_on_the_row_just_written_are_kept_and_no_row_is_written_twice(tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True, "tmpdir": str(tmp_path)})
    ws = wb.add_worksheet("s")
    writer = RowWriter(ws)
    for at in range(3):
        writer.row(at, [(0, f"row {at}", None), (1, at, None)], 30.0 if at == 2 else None)
        assert ws.write_comment(at, 0, f"note {at}") == 0
        ws.ignore_write_string = True
        assert ws.write_url(at, 1, f"internal:'s'!A{at + 1}", None, str(at)) == 0
        ws.ignore_write_string = False
    writer.close()
    wb.close()
    with zipfile.ZipFile(out) as zf:
        assert zf.read("xl/worksheets/sheet1.xml").count(b"<row ") == 3
    sheet = openpyxl.load_workbook(out)["s"]
    assert [[c.value for c in r] for r in sheet.iter_rows()] == [["row 0", 0], ["row 1", 1], ["row 2", 2]]
    assert [sheet.cell(at + 1, 1).comment.text for at in range(3)] == ["note 0", "note 1", "note 2"]
    assert [sheet.cell(at + 1, 2).hyperlink.location for at in range(3)] == ["'s'!A1", "'s'!A2", "'s'!A3"]
    assert sheet.row_dimensions[3].height == 30.0


def _note_below_tall_rows(tmp_path: Path, ours: bool, keep_sizes: bool = True) -> tuple[bytes, Any]:
    """A sheet of tall rows with a note and a chart below them, written by RowWriter or by set_row."""
    out = tmp_path / f"n{ours}{keep_sizes}.xlsx"
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True, "tmpdir": str(tmp_path)})
    ws = wb.add_worksheet("s")
    writer = RowWriter(ws, keep_sizes=keep_sizes)
    for at in range(12):
        height = 15.0 + 11.3 * at if at % 3 else None
        if ours:
            writer.row(at, [(0, f"row {at}", None)], height)
        else:
            if height is not None:
                ws.set_row(at, height)
            ws.write_string(at, 0, f"row {at}")
    ws.write_comment(11, 0, "note", {"author": "jixiao"})
    writer.close()
    wb.close()
    with zipfile.ZipFile(out) as zf:
        return zf.read("xl/drawings/vmlDrawing1.vml"), ws


def test_notes_are_placed_by_the_row_heights_as_xlsxwriter_places_them(tmp_path: Path) -> None:
    ours, ws = _note_below_tall_rows(tmp_path, ours=True)
    theirs, _ = _note_below_tall_rows(tmp_path, ours=False)
    anchor = re.compile(rb"<x:Anchor>[^<]*</x:Anchor>")
    assert anchor.findall(ours) == anchor.findall(theirs) != []
    assert ws.row_info == {} and len(ws.row_sizes) == 8  # the one record the note's place needs


def test_a_sheet_without_notes_or_charts_keeps_no_record_of_its_rows(tmp_path: Path) -> None:
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"), {"constant_memory": True, "tmpdir": str(tmp_path)})
    ws = wb.add_worksheet("s")
    writer = RowWriter(ws, keep_sizes=False)
    for at in range(50):
        writer.row(at, [(0, "x" * at, None)], 30.0)
    writer.close()
    assert ws.row_info == {} and ws.row_sizes == {}
    wb.close()

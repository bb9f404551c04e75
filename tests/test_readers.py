"""Readers on the example files: the same indicators as the seed text, exact locations, kept meanings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker.api import check_path, parse_path
from checker.model import GoalSheet
from tests.conftest import ROOT, SEED
from tests.pdfs.make import convert, soffice_or_skip

FORM = ROOT / "examples" / "项目支出绩效目标申报表.xlsx"
FLAT = ROOT / "examples" / "绩效目标批量导出.xlsx"
WORD = ROOT / "examples" / "项目支出绩效目标表.docx"


def _shape(sheets: tuple[GoalSheet, ...]) -> list[list[tuple[object, ...]]]:
    return [
        [(i.level1, i.level2, i.name, str(i.value.kind), i.value.comparator, i.value.number, i.value.unit)
         for i in s.indicators]
        for s in sheets
    ]  # fmt: skip


@pytest.fixture(scope="module")
def seed_shape() -> list[list[tuple[object, ...]]]:
    return _shape(parse_path(SEED).sheets)


@pytest.mark.parametrize("path", [FORM, FLAT, WORD], ids=["form-xlsx", "flat-xlsx", "docx"])
def test_examples_parse_like_the_seed(path: Path, seed_shape) -> None:  # type: ignore[no-untyped-def]
    parsed = parse_path(path).sheets
    assert _shape(parsed) == seed_shape
    seed = parse_path(SEED).sheets
    assert [s.project for s in parsed] == [s.project for s in seed]
    assert [s.funding.total_yuan for s in parsed] == [s.funding.total_yuan for s in seed]
    assert [s.goals for s in parsed] == [s.goals for s in seed]


def test_form_locations_and_funding() -> None:
    sheets = parse_path(FORM).sheets
    first = sheets[0].indicators[0]
    assert (first.location.sheet, first.location.cell) == ("项目1", "E18")
    assert first.name_location is not None and first.name_location.cell == "D18"
    assert sheets[0].funding.unit == "元" and dict(sheets[0].funding.sources)["省级财政资金"] == 114000
    assert sheets[0].funding.location.cell == "C5"
    # 100% was written as the number 1 in a percent format: the cell's meaning is kept.
    assert sheets[0].indicators[2].value.raw == "100%"
    # the template's empty groups (经济效益指标 …) are groups, not indicators
    assert ("效益指标", "经济效益指标") in sheets[0].groups


def test_flat_export_columns() -> None:
    sheets = parse_path(FLAT).sheets
    assert [s.funding.unit for s in sheets] == ["万元"] * 4  # from 金额单位：万元 above the table
    ind = sheets[0].indicators[0]
    assert (ind.value.raw, ind.weight, ind.direction.value) == ("≥98%", 8, "正向")  # type: ignore[union-attr]
    assert ind.location.cell == "I3"
    cost = next(i for i in sheets[0].indicators if i.level2 == "成本指标")
    assert cost.direction.value == "反向"  # type: ignore[union-attr]


def test_word_locations() -> None:
    sheets = parse_path(WORD).sheets
    assert sheets[0].indicators[0].location.sheet == "表1"
    assert sheets[1].indicators[0].location.sheet == "表2"


def test_checking_a_workbook_matches_the_text() -> None:
    def codes(path: Path) -> list[list[str]]:
        # DISC: the text is a whole budget disclosure around the sheets; the workbook holds the sheets alone.
        return [sorted(f.code for f in r.findings if not f.code.startswith(("STR009", "PRS", "WT", "DISC")))
                for r in check_path(path).sheets]  # fmt: skip

    text, form = codes(SEED), codes(FORM)
    assert form == text


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
@pytest.mark.parametrize("source", [FORM, FLAT], ids=["form", "flat"])
def test_libreoffice_resaved_workbooks_parse_identically(tmp_path: Path, source: Path, fmt: str, seed_shape) -> None:  # type: ignore[no-untyped-def]
    soffice_or_skip()
    src = tmp_path / f"in{source.suffix}"
    shutil.copy(source, src)
    (converted,) = convert([src], fmt, tmp_path / "out")
    assert _shape(parse_path(converted).sheets) == seed_shape


def test_merged_ranges_reach_every_covered_cell(tmp_path: Path) -> None:
    # The example forms would parse without merges (labels fill down anyway), so this pins the reader.
    import openpyxl

    from checker.readers import read

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["B1"] = "项目名称", "示例项目"
    ws.merge_cells("B1:D1")
    ws["A2"], ws["B2"], ws["D2"] = "产出指标", "数量指标", "≥98%"
    ws.merge_cells("A2:A4")
    ws["B4"] = "质量指标"
    wb.save(tmp_path / "m.xlsx")
    rows = {c.location.cell: c for row in read(tmp_path / "m.xlsx").tables[0].rows for c in row.cells}
    assert rows["B1"].origin is None and rows["A2"].origin is None
    assert [(rows[k].text, rows[k].origin.cell) for k in ("C1", "D1", "A3", "A4")] == [  # type: ignore[union-attr]
        ("示例项目", "B1"), ("示例项目", "B1"), ("产出指标", "A2"), ("产出指标", "A2")]  # fmt: skip
    assert "B3" not in rows  # empty cells outside any range stay empty


def test_a_lying_dimension_does_not_pad_rows(tmp_path: Path) -> None:
    # openpyxl pads every row to the declared <dimension>; A1:XFD1048576 must not mean 16,384 cells a row.
    import time

    from checker.readers import read
    from tests import hostile

    members = hostile.base_members()
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace('<dimension ref="A1:B1"/>', '<dimension ref="A1:XFD1048576"/>')
    far = '<row r="5000"><c r="A5000" t="inlineStr"><is><t>尾</t></is></c></row></sheetData>'
    members["xl/worksheets/sheet1.xml"] = sheet.replace("</sheetData>", far).encode()
    assert b"XFD1048576" in members["xl/worksheets/sheet1.xml"]
    path = hostile.write(tmp_path, "dim.xlsx", hostile.pack(members))
    start = time.perf_counter()
    cells = [c.text for row in read(path).tables[0].rows for c in row.cells]
    assert cells == ["项目名称", "示例", "尾"] and time.perf_counter() - start < 1

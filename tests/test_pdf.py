"""PDF reading: printed copies of the examples read as their sources do; geometry; hostile PDFs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from checker.readers import pdfgrid
from checker.readers.pdfgrid import Char, Line, Segment, Table
from tests import hostile_docs
from tests.pdfs.make import EXAMPLES, printed, soffice

pytest.importorskip("pypdfium2")
_VOLATILE = {"location", "budget_year", "source", "source_kind", "year"}


def _strip(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip(v) for k, v in obj.items() if k not in _VOLATILE}
    if isinstance(obj, list):
        return [_strip(x) for x in obj]
    return obj


def _parse(path: Path) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, "-m", "checker", "parse", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    return printed(tmp_path_factory.mktemp("printed"))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "source"),
    [("项目支出绩效目标申报表.xlsx", "项目支出绩效目标申报表.xlsx"),
     ("项目支出绩效目标表.docx", "项目支出绩效目标表.docx"),
     ("绩效目标批量导出.xlsx", "绩效目标批量导出.xlsx"),
     # No ruling at all: the columns come from the header line, wrapped cells are joined into their row.
     ("绩效目标批量导出-无网格线.xlsx", "绩效目标批量导出.xlsx")],
)  # fmt: skip
def test_printed_pdf_reads_as_its_source(pdfs: dict[str, Path], name: str, source: str) -> None:
    printed_sheets = _strip(_parse(pdfs[name])["sheets"])
    source_sheets = _strip(_parse(EXAMPLES / source)["sheets"])
    if source == "绩效目标批量导出.xlsx":
        # Its 金额单位：万元 stands in the hidden column A, which is not printed: the PDF cannot say 万元.
        for sheet in source_sheets:
            sheet["funding"]["unit"] = None
    assert len(printed_sheets) == len(source_sheets) == 4
    assert printed_sheets == source_sheets


@pytest.mark.slow
def test_pdf_locations_name_page_and_cell_and_a_table_runs_over_a_page_break(pdfs: dict[str, Path]) -> None:
    doc = _parse(pdfs["项目支出绩效目标申报表.xlsx"])
    pages_of = [{i["location"]["page"] for i in s["indicators"]} for s in doc["sheets"]]
    assert any(len(p) == 2 for p in pages_of), pages_of  # one sheet's indicator table is on two pages
    first = doc["sheets"][0]["indicators"][0]["location"]
    assert set(first) >= {"page", "cell", "line"} and first["cell"][0] == "E"
    assert doc["sheets"][0]["budget_year"]["year"] == 2024  # the title printed above the table


# --- geometry ----------------------------------------------------------------------------------------


def _grid(xs: list[float], ys: list[float], merged: set[tuple[int, int]] = frozenset()) -> list[Segment]:  # type: ignore[assignment]
    """Ruling lines of a grid; ``merged`` holds (row, col) slots whose bottom border is not drawn."""
    segs = [Segment(xs[0], y, xs[-1], y) for y in (ys[0], ys[-1])]
    segs += [Segment(x, ys[0], x, ys[-1]) for x in xs]
    for r, y in enumerate(ys[1:-1]):
        for c in range(len(xs) - 1):
            if (r, c) not in merged:
                segs.append(Segment(xs[c], y, xs[c + 1], y))
    return segs


def _chars(text: str, x: float, top: float, size: float = 10) -> list[Char]:
    return [Char(ch, x + i * size, top, x + (i + 1) * size, top + size) for i, ch in enumerate(text)]


@settings(max_examples=60, deadline=None)
@given(
    widths=st.lists(st.integers(20, 120), min_size=2, max_size=6),
    heights=st.lists(st.integers(14, 40), min_size=2, max_size=8),
    data=st.data(),
)
def test_any_ruled_grid_is_recovered_with_its_merges(widths: list[int], heights: list[int], data: Any) -> None:
    xs = [50.0]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [80.0]
    for h in heights:
        ys.append(ys[-1] + h)
    merged = data.draw(st.sets(st.tuples(st.integers(0, len(heights) - 2), st.integers(0, len(widths) - 1))))
    # A row border drawn nowhere is no row border: keep some part of each.
    assume(all(any((r, c) not in merged for c in range(len(widths))) for r in range(len(heights) - 1)))
    chars = [c for r in range(len(heights)) for ch in _chars(f"{r}", xs[0] + 3, ys[r] + 2, 8) for c in [ch]]
    (table,) = [b for b in pdfgrid.page_blocks(_grid(xs, ys, merged), chars) if isinstance(b, Table)]
    assert table.n_cols == len(widths) and table.n_rows == len(heights)
    covered = sorted((r, c) for cell in table.cells for r in range(cell.row, cell.row_end + 1)
                     for c in range(cell.col, cell.col_end + 1))  # fmt: skip
    assert covered == sorted((r, c) for r in range(len(heights)) for c in range(len(widths)))  # each slot once
    for cell in table.cells:  # a slot whose bottom is not drawn is merged with the one below
        for r in range(cell.row, cell.row_end):
            assert (r, cell.col) in merged
    first_col = sorted((c for c in table.cells if c.col == 0), key=lambda c: c.row)
    assert "".join(c.text for c in first_col) == "".join(
        str(r) for r in range(len(heights)) if r == 0 or (r - 1, 0) not in merged
    ) or all(c.text for c in first_col)


def test_text_outside_tables_keeps_its_columns_apart_and_cells_join_wrapped_lines() -> None:
    xs, ys = [50.0, 150.0, 250.0], [100.0, 130.0, 160.0]
    chars = _chars("项目名称", 52, 102) + _chars("办公楼维修", 152, 102) + _chars("经费", 152, 114)
    chars += _chars("单位", 50, 40) + _chars("万元", 130, 40)
    blocks = pdfgrid.page_blocks(_grid(xs, ys), chars)
    line, table = blocks
    assert isinstance(line, Line) and line.text.startswith("单位") and "  " in line.text
    assert isinstance(table, Table)
    texts = {(c.row, c.col): c.text for c in table.cells}
    assert texts[(0, 0)] == "项目名称" and texts[(0, 1)] == "办公楼维修经费"


def _row(texts: list[tuple[float, str]], top: float) -> list[Char]:
    return [c for x, text in texts for c in _chars(text, x, top)]


def test_a_table_without_ruling_lines_is_split_at_its_header_columns_and_wrapped_cells_joined() -> None:
    heads = {"三级指标", "指标值", "权重", "一级指标"}
    columns = pdfgrid.HeaderColumns(lambda t: t in heads)
    header = _row([(50, "一级指标"), (150, "三级指标"), (300, "指标值"), (400, "权重")], 100)
    wrapped = _row([(150, "办公设备维修")], 114)  # the name wraps: its first line above the row
    row = _row([(50, "产出指标"), (150, "完成率"), (300, "≥98%"), (400, "10")], 128)
    row2 = _row([(50, "产出指标"), (150, "合格率"), (300, "100%"), (400, "10")], 142)
    blocks = pdfgrid.page_blocks([], header + wrapped + row + row2, columns)
    assert [b.text for b in blocks if isinstance(b, Line)] == [
        "一级指标\t三级指标\t指标值\t权重",
        "产出指标\t办公设备维修完成率\t≥98%\t10",
        "产出指标\t合格率\t100%\t10",
    ]
    assert columns.borders  # no line ended the table: it runs on to the next page
    more = pdfgrid.page_blocks([], _row([(50, "效益指标"), (150, "满意度"), (300, "≥90%"), (400, "5")], 60), columns)
    assert [b.text for b in more if isinstance(b, Line)] == ["效益指标\t满意度\t≥90%\t5"]


def test_text_at_tab_stops_under_a_header_is_not_taken_for_its_columns() -> None:
    columns = pdfgrid.HeaderColumns(lambda t: t in {"一级指标", "三级指标", "指标值"})
    header = _row([(50, "一级指标"), (150, "三级指标"), (250, "指标值")], 100)
    # Each row's pieces a character or more apart inside one column: not this header's table.
    rows = [
        c for n in range(4) for c in _row([(50, "产出"), (90, "数量"), (150, "完成率"), (250, "98%")], 114 + 14 * n)
    ]
    blocks = pdfgrid.page_blocks([], header + rows, columns)
    assert not any("\t" in b.text for b in blocks if isinstance(b, Line))


def test_running_heads_and_page_numbers_are_dropped_but_a_title_on_each_form_is_kept() -> None:
    from checker.readers.pdf import _drop_running_lines, _Page

    table = Table((50.0, 100.0), (200.0, 220.0), (pdfgrid.GridCell(0, 0, 0, 0, "x"),))
    pages = [_Page(n, 842.0, [Line("某某局2024年部门预算", 20, 30), Line("2024年度项目支出绩效目标表", 120, 135),
                             table, Line(f"第 {n} 页", 810, 820)]) for n in (1, 2, 3)]  # fmt: skip
    _drop_running_lines(pages)
    for page in pages:
        assert [b.text for b in page.blocks if isinstance(b, Line)] == ["2024年度项目支出绩效目标表"]


def test_a_continued_table_repeating_its_header_is_one_table() -> None:
    from checker.readers.pdf import assemble

    def table(rows: list[list[str]]) -> Table:
        cells = tuple(pdfgrid.GridCell(r, c, r, c, t) for r, row in enumerate(rows) for c, t in enumerate(row))
        return Table((50.0, 150.0, 250.0), tuple(100.0 + 20 * i for i in range(len(rows) + 1)), cells)

    head = ["三级指标", "指标值"]
    out = assemble([(1, [table([head, ["完成率", "≥98%"]])]), (2, [table([head, ["合格率", "100%"]])])], "f.pdf")
    (only,) = out
    assert [[c.text for c in row.cells] for row in only.rows] == [head, ["完成率", "≥98%"], ["合格率", "100%"]]
    assert only.rows[2].cells[0].location.page == 2 and only.rows[2].cells[0].location.cell == "A1"
    # The same form again on the next page is a new table, not a continuation.
    again = assemble([(1, [table([["项目名称", "甲"]])]), (2, [table([["项目名称", "乙"]])])], "f.pdf")
    assert len(again) == 2


# --- hostile PDFs --------------------------------------------------------------------------------------

_HOSTILE = {
    "stream-bomb": hostile_docs.stream_bomb,
    "10000-pages": hostile_docs.many_pages,
    "cyclic-pages": hostile_docs.cyclic_pages,
    "deep-nesting": hostile_docs.deep_nesting,
    "huge-path": hostile_docs.huge_path,
    "scanned": hostile_docs.scanned,
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(_HOSTILE))
def test_hostile_pdf_exits_2_quickly_and_small(tmp_path: Path, name: str) -> None:
    from tests.test_hostile import _run

    path = tmp_path / f"{name}.pdf"
    path.write_bytes(_HOSTILE[name]())
    code, out, err, elapsed, rss = _run(path, dict(os.environ))
    if name in ("deep-nesting", "huge-path"):  # read, within bounds: PDFium caps nesting; the drawing is skipped
        assert code == 0 and "Traceback" not in err, (code, err)
    else:
        assert code == 2, (code, err)
        assert out == "" and "Traceback" not in err and err.count("\n") == 1, err
    assert elapsed < 5.0, f"{elapsed:.2f}s"
    assert rss < 300 * 1024, f"peak RSS {rss} KiB"
    if name == "scanned":
        assert "no text layer" in err


def test_text_clipped_to_its_cell_is_read_as_printed(tmp_path: Path) -> None:
    from checker.readers import read

    path = tmp_path / "clip.pdf"
    path.write_bytes(hostile_docs.clipped_overflow())
    (table,) = read(path).tables
    # What the page shows: the first cell cut at its border, the second cell's own text alone.
    assert [c.text for c in table.rows[0].cells] == ["ABCDEFGHIJKLM", "XY"]


def test_javascript_and_attachments_are_not_run_and_the_text_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "js.pdf"
    path.write_bytes(hostile_docs.javascript_and_attachment())
    from checker.readers import read

    doc = read(path)
    assert doc.kind == "pdf"
    assert [row.cells[0].text for t in doc.tables for row in t.rows] == ["Hello"]

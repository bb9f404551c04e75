"""The review workbook on paper (issue 13: 2): 说明, 汇总 and 问题清单 printed by LibreOffice, page 1 each —
every table fitted to the page width at 8 pt or more, the reviewer columns on the page with the findings,
and every cell's text in the printed page within its own column (wrapped, not cut)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import ROOT, SEED

sys.path.insert(0, str(ROOT / "examples"))
from render_review_page import printed

from tests.pdfs.make import soffice

pytestmark = pytest.mark.slow
CJK = re.compile(r"[\u4e00-\u9fff]")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Any, Path]]:
    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    from checker.api import run_review

    out = tmp_path_factory.mktemp("print")
    review = out / "审核表.xlsx"
    run_review([str(SEED)], review, jobs=1)
    import pypdfium2 as pdfium

    found = {}
    for sheet in ("说明", "汇总", "问题清单"):
        doc = pdfium.PdfDocument(str(printed(review, sheet, out)))
        found[sheet] = (doc[0].get_textpage(), review)
    return found


def _smallest_cjk_size(tp: Any) -> float:
    import pypdfium2.raw as pdfium_c

    sizes = [pdfium_c.FPDFText_GetFontSize(tp.raw, i) for i in range(tp.count_chars())
             if CJK.match(tp.get_text_range(i, 1))]  # fmt: skip
    assert sizes
    return float(min(sizes))


def _columns(tp: Any, headers: list[str]) -> list[str]:
    """The printed text of each column of page 1, found between its header's left edge and the next one's."""
    lefts = []
    for label in headers:
        searcher = tp.search(label)
        hits = []
        while (hit := searcher.get_next()) is not None:
            hits.append(tp.get_charbox(hit[0]))
        assert hits, f"header {label!r} is not on the page"
        # The header row is the topmost occurrence (the label's words recur in cells and the footer).
        lefts.append(max(hits, key=lambda box: box[3])[0])
    assert lefts == sorted(lefts), "columns out of order"
    edges = [*lefts, 10_000.0]
    return [tp.get_text_bounded(left=edges[i] - 1.5, bottom=0, right=edges[i + 1] - 1.5, top=10_000)
            for i in range(len(headers))]  # fmt: skip


def _table(review: Path, sheet: str, upto: str) -> tuple[list[str], list[list[str]]]:
    ws = openpyxl.load_workbook(review)[sheet]
    rows = [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
    width = rows[0].index(upto) + 1
    return rows[0][:width], [r[:width] for r in rows[1:]]


@pytest.mark.parametrize("sheet", ["说明", "汇总", "问题清单"])
def test_printed_at_8_pt_or_more(pages: dict[str, tuple[Any, Path]], sheet: str) -> None:
    assert _smallest_cjk_size(pages[sheet][0]) >= 8.0


def test_findings_page_keeps_every_cell_whole_with_the_reviewer_columns(pages: dict[str, tuple[Any, Path]]) -> None:
    tp, review = pages["问题清单"]
    headers, rows = _table(review, "问题清单", "日期")
    assert {"审核结论", "审核意见", "审核人", "日期"} <= set(headers)
    raw = _columns(tp, headers)
    numbers = re.findall(r"\d+", raw[0])  # the 序号 printed on page 1
    printed_columns = [_squash(c) for c in raw]
    on_page = [r for r in rows if r[0] in numbers]
    assert len(on_page) >= 5
    for row in on_page:
        for text, column, label in zip(row, printed_columns, headers, strict=True):
            assert _squash(text) in column, (label, text)


def test_summary_page_shows_the_project_row_whole(pages: dict[str, tuple[Any, Path]]) -> None:
    tp, review = pages["汇总"]
    headers, rows = _table(review, "汇总", "审核意见")
    printed_columns = [_squash(c) for c in _columns(tp, headers)]
    first = rows[0]
    funding = headers.index("资金总额（元）")
    assert "," in printed_columns[funding]  # thousands separators
    for i, (text, column) in enumerate(zip(first, printed_columns, strict=True)):
        if i != funding:
            assert _squash(text) in column, (headers[i], text)


def test_intro_page_is_whole(pages: dict[str, tuple[Any, Path]]) -> None:
    tp, review = pages["说明"]
    page = _squash(tp.get_text_range())
    ws = openpyxl.load_workbook(review)["说明"]
    for label, text in list(ws.iter_rows(values_only=True))[:10]:
        assert _squash(str(label)) in page and _squash(str(text)) in page, label

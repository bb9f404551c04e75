"""Printed copies of the example files, made the way people make them: a workbook set to print fit to
page width (every row high enough for its wrapped text) and a Word document, each printed to PDF by
LibreOffice, and each saved as HTML by LibreOffice. Used by tests/test_pdf.py and bench/pdf_bench.py."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def soffice_or_skip() -> str:
    """LibreOffice for a test that needs it: skipped where it is not installed, a failure in CI (.ci/run
    installs it, so a missing one there is a broken run, not a reason to pass)."""
    import os

    import pytest

    found = soffice()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is required in CI (.ci/run installs it)")
        pytest.skip("LibreOffice not installed")
    return found


def fit_to_width(source: Path, target: Path, gridlines: bool = True) -> None:
    """A copy of a workbook set up to print on A4 landscape, one page wide, rows as high as their text,
    with or without the grid lines (a flat export printed without them has no ruling at all)."""
    import openpyxl
    from openpyxl.styles import Alignment

    wb = openpyxl.load_workbook(source)
    for ws in wb.worksheets:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_options.gridLines = gridlines
        _fit_rows(ws)
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    old = cell.alignment
                    cell.alignment = Alignment(horizontal=old.horizontal, vertical=old.vertical, wrap_text=True)
    wb.save(target)


def _fit_rows(ws: object) -> None:
    """Rows as high as their wrapped text. Spreadsheets do not grow a row for a merged cell's text (Excel
    and LibreOffice alike), so the height is set from the text's length over the merged width — what a
    clerk does by hand before printing."""
    from openpyxl.utils import get_column_letter

    width_of = {}
    spans = {(r.min_row, r.min_col): (r.max_col, r.max_row) for r in ws.merged_cells.ranges}  # type: ignore[attr-defined]
    for row in ws.iter_rows():  # type: ignore[attr-defined]
        lines = 1
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value:
                continue
            last_col, last_row = spans.get((cell.row, cell.column), (cell.column, cell.row))
            if last_row != cell.row:
                continue  # a cell merged down several rows has their height already
            units = 0.0
            for col in range(cell.column, last_col + 1):
                letter = get_column_letter(col)
                if letter not in width_of:
                    width_of[letter] = ws.column_dimensions[letter].width or 8.43  # type: ignore[attr-defined]
                units += width_of[letter]
            need = sum(2 if ord(ch) > 0x2E80 else 1 for ch in cell.value)
            lines = max(lines, -(-need // max(int(units) - 1, 1)))
        ws.row_dimensions[row[0].row].height = 15 * lines + 3  # type: ignore[attr-defined]


def convert(sources: list[Path], fmt: str, out: Path) -> list[Path]:
    """Convert files with LibreOffice into ``out`` (``fmt`` as ``--convert-to`` takes it: ``pdf``, ``html``,
    ``xlsx:Calc MS Excel 2007 XML``); the converted paths, in order."""
    office = soffice()
    if office is None:
        raise RuntimeError("LibreOffice is not installed")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [office, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
             "--outdir", str(out), *map(str, sources)],
            check=True, capture_output=True, timeout=240,
        )  # fmt: skip
    suffix = fmt.split(":", 1)[0]  # an export filter may follow the extension
    made = [out / f"{s.stem}.{suffix}" for s in sources]
    missing = [p.name for p in made if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice made no {missing}")
    return made


def printed(out: Path) -> dict[str, Path]:
    """The example workbooks (fit to width; the flat export also without grid lines) and the Word example,
    printed to PDF: {staged file name: pdf}."""
    staged = []
    for source in sorted(EXAMPLES.glob("*.xlsx")):
        target = out / source.name
        fit_to_width(source, target)
        staged.append(target)
    flat = EXAMPLES / "绩效目标批量导出.xlsx"
    unruled = out / f"{flat.stem}-无网格线.xlsx"
    fit_to_width(flat, unruled, gridlines=False)
    staged.append(unruled)
    for source in sorted(EXAMPLES.glob("*.docx")):
        shutil.copy(source, out / source.name)
        staged.append(out / source.name)
    pdfs = convert(staged, "pdf", out / "pdf")
    return {s.name: p for s, p in zip(staged, pdfs, strict=True)}


def saved_html(out: Path) -> dict[str, Path]:
    """The example workbooks and the Word example saved as web pages by LibreOffice: {source name: html}."""
    staged = []
    for source in [*sorted(EXAMPLES.glob("*.xlsx")), *sorted(EXAMPLES.glob("*.docx"))]:
        shutil.copy(source, out / source.name)
        staged.append(out / source.name)
    pages = convert(staged, "html", out / "html")
    return {s.name: p for s, p in zip(staged, pages, strict=True)}

"""Render one page each of 说明, 汇总 and 问题清单 of the seed's review workbook to docs/review-<sheet>.png
(reviewed artefacts: how the workbook prints).

python examples/render_review_page.py      # needs LibreOffice (soffice), poppler (pdftoppm), a CJK font
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
SHEETS = ("说明", "汇总", "问题清单")


def printed(review: Path, sheet: str, out: Path) -> Path:
    """``sheet`` of the workbook alone, printed to PDF by LibreOffice in ``out``."""
    import openpyxl

    wb = openpyxl.load_workbook(review)
    for name in wb.sheetnames:
        if name not in (sheet, "_lists", "图表数据"):
            del wb[name]
    only = out / f"{sheet}.xlsx"
    wb.save(only)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{out}/profile", "--convert-to", "pdf",
                    "--outdir", str(out), str(only)], check=True, capture_output=True, timeout=240)  # fmt: skip
    return out / f"{sheet}.pdf"


def main() -> None:
    from checker.api import run_review

    with tempfile.TemporaryDirectory() as tmp:
        review = Path(tmp) / "review.xlsx"
        run_review([str(HERE / "山西省信访局2024年单位预算.txt")], review, jobs=1)
        for sheet in SHEETS:
            pdf = printed(review, sheet, Path(tmp))
            out = ROOT / "docs" / f"review-{sheet}"
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(out)],
                           check=True, timeout=60)  # fmt: skip
            print(f"wrote {out}.png")


if __name__ == "__main__":
    main()

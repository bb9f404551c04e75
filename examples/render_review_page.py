"""Render page 1 of 问题清单 of the seed's review workbook to docs/review-问题清单.png (a reviewed artefact).

python examples/render_review_page.py      # needs LibreOffice (soffice) and poppler (pdftoppm)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    import openpyxl

    from checker.api import run_review

    with tempfile.TemporaryDirectory() as tmp:
        review = Path(tmp) / "review.xlsx"
        run_review([str(HERE / "山西省信访局2024年单位预算.txt")], review, jobs=1)
        wb = openpyxl.load_workbook(review)
        for name in wb.sheetnames:
            if name not in ("问题清单", "_lists"):
                del wb[name]
        only = Path(tmp) / "findings.xlsx"
        wb.save(only)
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "pdf",
                        "--outdir", tmp, str(only)], check=True, capture_output=True, timeout=180)  # fmt: skip
        out = ROOT / "docs" / "review-问题清单"
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile",
                        str(Path(tmp) / "findings.pdf"), str(out)], check=True, timeout=60)  # fmt: skip
    print(f"wrote {out}.png")


if __name__ == "__main__":
    main()

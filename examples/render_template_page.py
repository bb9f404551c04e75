"""Render page 1 of the fill-in template (`jixiao template`, 2015 framework) to docs/template-申报表.png.

python examples/render_template_page.py      # needs LibreOffice (soffice) and poppler (pdftoppm)
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
    from checker.template.api import write_template

    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "申报表.xlsx"
        write_template(template, framework="fw2015", year=2025)
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile", "--convert-to", "pdf",
                        "--outdir", tmp, str(template)], check=True, capture_output=True, timeout=180)  # fmt: skip
        out = ROOT / "docs" / "template-申报表"
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile",
                        str(Path(tmp) / "申报表.pdf"), str(out)], check=True, timeout=60)  # fmt: skip
    print(f"wrote {out}.png")


if __name__ == "__main__":
    main()

"""PDF reading speed against the floors (not a test).

    python bench/pdf_bench.py [--rounds 10] [--out DIR]

The PDFs are the example workbooks (fit to page width) and the Word example printed by LibreOffice
(tests/pdfs/make.py); they are made once into ``--out``. Per file, best of the rounds, same process:

- "floor"  = what any reader on PDFium must do: open the bytes, and per page load the text page, every
  character's code and box, and every path object's segments (checker/readers/pdf.py's own loops);
- "reader" = jixiao's PDF reader: the floor plus Flate pre-flight, tables from ruling lines, page joins;
- "parse"  = reader + the whole parse (goal sheets with values and units);
- "pdfplumber" = pdfplumber's own table extraction (``page.find_tables()`` + ``extract()``) on the same
  files, for the choice between the libraries (skipped when pdfplumber is not installed).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402
from pypdfium2 import raw  # noqa: E402

from bench import best  # noqa: E402
from checker.api import parse_path  # noqa: E402
from checker.readers.pdf import page_chars, page_segments, read_pdf  # noqa: E402
from tests.pdfs.make import printed  # noqa: E402


def floor(data: bytes) -> int:
    pdf = pdfium.PdfDocument(data)
    n = 0
    for page in pdf:
        width, height = page.get_size()
        textpage = page.get_textpage()
        n += sum(1 for _ in page_chars(textpage, width, height, raw)) + sum(1 for _ in page_segments(page, height, raw))
        textpage.close()
        page.close()
    pdf.close()
    return n


def plumber(path: Path) -> int:
    import pdfplumber

    rows = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                rows += len(table.extract())
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="jixiao-pdf-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    pdfs = printed(out)
    try:
        import pdfplumber  # noqa: F401

        have_plumber = True
    except ImportError:
        have_plumber = False
    print(f"{'file':<28} {'pages':>5} {'floor ms':>9} {'reader ms':>9} {'×floor':>7} {'parse ms':>9} {'pages/s':>8}"
          + (f" {'pdfplumber ms':>13}" if have_plumber else ""))  # fmt: skip
    for name, path in pdfs.items():
        data = path.read_bytes()
        pages = len(pdfium.PdfDocument(data))
        t_floor = best(lambda d=data: floor(d), args.rounds)
        t_reader = best(lambda d=data, p=str(path): read_pdf(d, p), args.rounds)
        t_parse = best(lambda p=path: parse_path(p), args.rounds)
        line = (f"{name:<28} {pages:>5} {t_floor * 1000:>9.1f} {t_reader * 1000:>9.1f} {t_reader / t_floor:>7.2f} "
                f"{t_parse * 1000:>9.1f} {pages / t_parse:>8.0f}")  # fmt: skip
        if have_plumber:
            line += f" {best(lambda p=path: plumber(p), max(1, args.rounds // 3)) * 1000:>13.1f}"
        print(line)


if __name__ == "__main__":
    main()

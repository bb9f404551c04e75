"""Web page reading speed against a bare lxml parse (not a test).

    python bench/html_bench.py [--rounds 20] [--out DIR]

Pages: the examples saved as HTML by LibreOffice (tests/pdfs/make.py) and a generated flat export of
2,000 indicator rows (a 预算管理一体化 "Excel" download, which is HTML). Per page, best of the rounds:
"bare" = ``lxml.html.document_fromstring`` of the decoded text plus one pass over every element (the least
any lxml reader does); "reader" = jixiao's HTML reader (sniffing, decoding, caps, grid with spans, flow
lines); "parse" = reader + the whole parse.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lxml import html  # noqa: E402

from bench import best  # noqa: E402
from checker.api import parse_path  # noqa: E402
from checker.readers.html import read_html  # noqa: E402
from tests.pdfs.make import saved_html  # noqa: E402


def export_page(rows: int) -> bytes:
    labels = ("项目名称", "年度资金总额", "一级指标", "二级指标", "三级指标", "指标值")
    head = "<tr>" + "".join(f"<th>{label}</th>" for label in labels) + "</tr>"
    body = "".join(
        f"<tr><td>项目{i // 10}</td><td>{100 + i // 10}</td><td>产出指标</td><td>数量指标</td>"
        f"<td>完成数量{i}</td><td>≥{i}个</td></tr>"
        for i in range(rows)
    )
    page = f'<html><head><meta charset="gbk"></head><body><table border="1">{head}{body}</table></body></html>'
    return page.encode("gbk")


def bare(data: bytes) -> int:
    text = data.decode("gb18030" if b'charset="gbk"' in data[:200] else "utf-8")
    root = html.document_fromstring(text)
    return sum(1 for _ in root.iter())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="jixiao-html-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    pages = dict(saved_html(out))
    big = out / "flat-export-2000.xls"
    big.write_bytes(export_page(2000))
    pages["flat-export-2000.xls"] = big
    print(f"{'page':<28} {'KB':>6} {'bare ms':>8} {'reader ms':>9} {'×bare':>6} {'parse ms':>9}")
    for name, path in pages.items():
        data = path.read_bytes()
        t_bare = best(lambda d=data: bare(d), args.rounds)
        t_reader = best(lambda d=data, p=str(path): read_html(d, p), args.rounds)
        t_parse = best(lambda p=path: parse_path(p), max(1, args.rounds // 4))
        print(f"{name:<28} {len(data) // 1024:>6} {t_bare * 1000:>8.2f} {t_reader * 1000:>9.2f} "
              f"{t_reader / t_bare:>6.2f} {t_parse * 1000:>9.1f}")  # fmt: skip


if __name__ == "__main__":
    main()

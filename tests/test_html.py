"""Web pages: LibreOffice's saved pages read as their sources; pages under an .xls name; encodings, spans
and nested tables; hostile pages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker.readers import read
from tests import hostile_docs
from tests.pdfs.make import EXAMPLES, saved_html, soffice
from tests.test_pdf import _parse, _strip

pytest.importorskip("lxml")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    return saved_html(tmp_path_factory.mktemp("saved"))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["项目支出绩效目标申报表.xlsx", "项目支出绩效目标表.docx", "绩效目标批量导出.xlsx"])
def test_saved_web_page_reads_as_its_source(pages: dict[str, Path], name: str, tmp_path: Path) -> None:
    source_sheets = _strip(_parse(EXAMPLES / name)["sheets"])
    if name == "绩效目标批量导出.xlsx":
        # Its 金额单位：万元 stands in the hidden column A, which LibreOffice does not write to the page.
        for sheet in source_sheets:
            sheet["funding"]["unit"] = None
    assert _strip(_parse(pages[name])["sheets"]) == source_sheets
    # The same page under the .xls name an "export to Excel" button gives it.
    as_xls = tmp_path / "导出.xls"
    as_xls.write_bytes(pages[name].read_bytes())
    assert _strip(_parse(as_xls)["sheets"]) == source_sheets


_PAGE = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>2024年度项目支出绩效目标表</title><script>alert("不读")</script></head>
<body><h1>2024年度项目支出绩效目标表</h1><p>单位：元</p>
<table border="1"><tr><td>
  <table border="1">
  <tr><td>项目名称</td><td colspan="3">社区养老服务补助</td></tr>
  <tr><td>年度资金总额</td><td colspan="3">500000</td></tr>
  <tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th></tr>
  <tr><td rowspan="2">产出指标</td><td>数量指标</td><td>服务老人数</td><td>&ge;1200<br>人次</td></tr>
  <tr><td>质量指标</td><td>服务合格率</td><td>≥95%</td></tr>
  <tr><td>满意度指标</td><td>服务对象满意度指标</td><td>老人满意度</td><td>≥90%</td></tr>
  </table>
</td></tr></table>
<p>备注：以上指标以年度考核为准。</p></body></html>"""


def test_gbk_page_named_xls_with_spans_and_a_frame_table(tmp_path: Path) -> None:
    path = tmp_path / "绩效目标.xls"
    path.write_bytes(_PAGE.encode("gbk"))
    doc = read(path)
    assert doc.kind == "html"
    inner = next(t for t in doc.tables if t.positional and any("项目名称" in c.text for r in t.rows for c in r.cells))
    outer = next(t for t in doc.tables if t.positional and t is not inner)
    assert not any("项目名称" in c.text for r in outer.rows for c in r.cells)  # the frame does not repeat it
    copy = inner.rows[4].at(1)
    assert copy is not None and copy.text == "产出指标" and copy.origin is not None  # rowspan → a merged copy
    (sheet,) = _parse(path)["sheets"]
    assert sheet["project"] == "社区养老服务补助" and sheet["budget_year"]["year"] == 2024
    values = [(i["level1"], i["name"], i["value"]["raw"]) for i in sheet["indicators"]]
    assert values == [("产出指标", "服务老人数", "≥1200\n人次"), ("产出指标", "服务合格率", "≥95%"),
                      ("满意度指标", "老人满意度", "≥90%")]  # fmt: skip
    assert sheet["indicators"][0]["location"]["sheet"].startswith("表")


def test_a_text_file_is_not_taken_for_a_web_page(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("项目名称\t示例\n一级指标\t二级指标\t三级指标\t指标值\n", encoding="utf-8")
    assert read(path).kind == "text"


_HOSTILE = {
    "deep-nesting": hostile_docs.deep_html,
    "100MB-page": hostile_docs.huge_html,
    "million-cells": hostile_docs.million_cells,
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(_HOSTILE))
def test_hostile_page_exits_2_quickly_and_small(tmp_path: Path, name: str) -> None:
    from tests.test_hostile import _run

    path = tmp_path / f"{name}.html"
    path.write_bytes(_HOSTILE[name]())
    code, out, err, elapsed, rss = _run(path, dict(os.environ))
    assert code == 2, (code, err)
    assert out == "" and "Traceback" not in err and err.count("\n") == 1, err
    assert elapsed < 5.0, f"{elapsed:.2f}s"
    assert rss < 300 * 1024, f"peak RSS {rss} KiB"

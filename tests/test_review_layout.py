"""The review workbook's content and print set-up (issue 13: 2–3), read back from the file: 汇总 counts by
framework, amounts formatted, Chinese chart categories, projects told apart by file, readable rule
examples, wrapped rows tall enough for their text, page numbers and the CJK font."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from checker.cli import app
from checker.report.xlsx_rows import lines_needed, row_height, text_width
from tests.conftest import ROOT

runner = CliRunner()
EXAMPLES = [str(ROOT / "examples" / n) for n in ("山西省信访局2024年单位预算.txt", "项目支出绩效目标申报表.xlsx",
                                                 "绩效目标批量导出.xlsx", "项目支出绩效目标表.docx")]  # fmt: skip


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    out = tmp_path_factory.mktemp("layout") / "审核表.xlsx"
    assert runner.invoke(app, ["review", *EXAMPLES, "-o", str(out), "--jobs", "1"]).exit_code == 0
    return openpyxl.load_workbook(out)


def _rows(ws: object) -> list[dict[str, object]]:
    rows = list(ws.iter_rows(values_only=True))  # type: ignore[attr-defined]
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_summary_counts_by_framework(workbook: openpyxl.Workbook) -> None:
    parsed = [json.loads(line) for line in runner.invoke(app, ["parse", *EXAMPLES]).stdout.splitlines()]
    expected = []
    for doc in parsed:
        for sheet in doc["sheets"]:
            rows = [i for i in sheet["indicators"] if i["value"]["kind"] != "not_applicable"]
            cost = sum(1 for i in rows if i["level1"] == "成本指标" or (i["level2"] or "").startswith("成本"))
            output = sum(1 for i in rows if i["level1"] == "产出指标") - sum(
                1 for i in rows if i["level1"] == "产出指标" and (i["level2"] or "").startswith("成本")
            )
            expected.append((Path(doc["source"]).name, sheet["project"], output, cost))
    summary = [r for r in _rows(workbook["汇总"]) if r["文件"] != "合计"]
    got = [(r["文件"], r["项目"], r["产出指标"], r["成本指标"]) for r in summary]
    assert got == expected
    assert all(r["成本指标"] for r in summary)  # every example project has cost indicators (成本 二级 in 2015)
    assert {r["指标体系"] for r in summary} == {"2015 版"}


def test_amounts_have_thousands_separators(workbook: openpyxl.Workbook) -> None:
    ws = workbook["汇总"]
    header = [c.value for c in ws[1]]
    col = header.index("资金总额（元）")
    formats = {row[col].number_format for row in ws.iter_rows(min_row=2) if isinstance(row[col].value, int | float)}
    assert formats == {"#,##0.00"}


def test_charts_name_categories_in_chinese_and_projects_with_their_file(workbook: openpyxl.Workbook) -> None:
    data = list(workbook["图表数据"].iter_rows(values_only=True))
    blank = next(i for i, r in enumerate(data) if not any(r))  # the empty row between the two tables
    categories = [r[0] for r in data[1:blank]]
    assert categories and all(re.search(r"[\u4e00-\u9fff]", str(c)) for c in categories)
    assert not any(re.fullmatch(r"[A-Z]+", str(c)) for c in categories)
    projects = [str(r[0]) for r in data[blank + 2 :] if r[0]]
    assert projects and all(re.search(r"（.+\.(txt|xlsx|docx)）$", p) for p in projects)
    assert len(set(projects)) == len(projects)  # the same project in four files: four bars told apart


def test_rule_examples_read_as_sentences(workbook: openpyxl.Workbook) -> None:
    rows = _rows(workbook["规则"])
    examples = [str(r[k]) for r in rows for k in ("不通过的例子", "通过的例子") if r[k]]
    assert len(examples) > 80
    # No data notation ({"name": …}, ['a', 'b'], True/None); brackets inside a quoted sheet text are the
    # sheet's own (COST012's 测算依据 writes [368人+（1人*12月）]*452元).
    notation = re.compile(r"[{\[]\s*['\"{]|['\"]\s*:\s|\b(?:True|False|None)\b")
    assert not [text for text in examples if notation.search(text)]
    assert not any("示例表 +" in text for text in examples)


def test_print_setup_and_font(workbook: openpyxl.Workbook) -> None:
    for name in ("说明", "汇总", "问题清单", "规则", "指标明细"):
        ws = workbook[name]
        assert int(ws.page_setup.paperSize) == 9 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    findings = workbook["问题清单"]
    assert str(findings.print_area).endswith(f"$A$1:$N${findings.max_row}")  # up to 日期
    cell = findings["G2"]
    assert cell.font.name == "等线" and cell.font.charset == 134


def test_wrapped_rows_are_tall_enough(workbook: openpyxl.Workbook) -> None:
    ws = workbook["问题清单"]
    header = [c.value for c in ws[1]]
    width = ws.column_dimensions["G"].width
    message = header.index("问题说明")
    long_rows = [r for r in ws.iter_rows(min_row=2) if lines_needed(str(r[message].value), width) >= 3]
    assert long_rows
    for row in long_rows:
        height = ws.row_dimensions[row[0].row].height
        assert height is not None and height >= 3 * 10 * 1.2


def test_row_height_grows_with_text() -> None:
    assert row_height(["短"], [10.0], 10) is None
    one, two = row_height(["字" * 12], [10.0], 10), row_height(["字" * 24], [10.0], 10)
    assert one is not None and two is not None and two > one
    assert row_height(["字" * 10_000], [10.0], 10) == 409.0  # Excel's limit
    assert row_height(["a\nb\nc"], [None], 10) is None  # a hidden column does not count
    assert text_width("ab") == 2 and text_width("字") > 1.5

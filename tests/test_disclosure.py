"""A budget disclosure checked against its own tables (DISC rules): the seed, variants of it, and the same
disclosure as a workbook and as a printed PDF."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from checker.api import check_path
from checker.readers import read
from tests.pdfs.make import EXAMPLES, convert, fit_to_width, soffice

SEED = EXAMPLES / "山西省信访局2024年单位预算.txt"
FORM = EXAMPLES / "项目支出绩效目标申报表.xlsx"


def _findings(path: Path) -> list[Any]:
    return [f for sheet in check_path(path).sheets for f in sheet.findings if f.code.startswith("DISC")]


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = SEED.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "variant.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_the_seed_lists_its_unsheeted_projects_and_is_quiet_on_amounts() -> None:
    found = {f.code: f for f in _findings(SEED)}
    assert sorted(found) == ["DISC002", "DISC004"]  # four sheets agree with the table; the text with both
    current = found["DISC002"].message
    for name, amount in (("驻京信访处专项经费", "128.25"), ("信访与社会治理研究宣传工作经费", "54.50"),
                         ("太原市信访服务中心补助经费", "100.00")):  # fmt: skip
        assert f"{name}（{amount}万元）" in current
    assert "3 个项目（合计 282.75 万元）" in current and "结转" not in current
    carried = found["DISC004"].message
    assert "省信访局2023政务信息系统运维项目（11.11万元）" in carried and "省级人才专项资金（0.18万元）" in carried
    assert found["DISC002"].location.line == 379  # the first of them, in the table


def test_a_changed_table_amount_gives_one_amount_finding_for_that_project(tmp_path: Path) -> None:
    path = _variant(tmp_path, "办公楼及信访接待大厅维修维护费\t11.40", "办公楼及信访接待大厅维修维护费\t12.40")
    found = _findings(path)
    amounts = [f for f in found if f.code == "DISC001"]
    assert len(amounts) == 1 and amounts[0].project == "办公楼及信访接待大厅维修维护费"
    message = amounts[0].message
    assert "114000 元" in message and "12.40万元" in message and "L382" in message
    assert amounts[0].location.line != 382  # placed at the sheet's funding, naming the table's row
    # The table no longer adds up to the totals its text states (627.05 this year, 638.34 with the carried
    # over): said once, at the first sentence.
    (stated,) = [f for f in found if f.code == "DISC005"]
    assert "627.05" in stated.message and "628.05" in stated.message and "638.34" in stated.message


def test_a_narrative_total_that_the_tables_do_not_bear_out(tmp_path: Path) -> None:
    path = _variant(tmp_path, "项目支出638.34万元", "项目支出683.34万元")
    (stated,) = [f for f in _findings(path) if f.code == "DISC005"]
    assert "683.34" in stated.message and "638.34" in stated.message and stated.location.line == 416


def test_a_sheet_whose_project_the_table_lacks(tmp_path: Path) -> None:
    path = _variant(tmp_path, "信访专项业务费\t110.90", "信访专项工作经费\t110.90")
    found = _findings(path)
    (lacking,) = [f for f in found if f.code == "DISC003"]
    assert lacking.project == "信访专项业务费"
    (unsheeted,) = [f for f in found if f.code == "DISC002"]
    assert "信访专项工作经费（110.90万元）" in unsheeted.message and "4 个项目" in unsheeted.message


def test_no_disclosure_table_no_disc_findings() -> None:
    assert _findings(FORM) == []


def _disclosure_workbook(target: Path) -> Path:
    """The example goal-sheet workbook with a 项目支出预算表 sheet in front, as a unit would publish it:
    one amount off (信访专项业务费 110.00 against 110.90) and one project without a sheet."""
    import openpyxl

    wb = openpyxl.load_workbook(FORM)
    ws = wb.create_sheet("项目支出预算表", 0)
    rows = [["2024年项目支出预算表"], ["单位：万元"], ["项目名称", "合计", "一般公共预算"],
            ["山西省信访局", "454.30", "454.30"], ["办公楼及信访接待大厅维修维护费", "11.40", "11.40"],
            ["办公楼及信访接待大厅运转经费", "102.00", "102.00"],
            ["律师、心理疏导、人民调解及网络电话投诉受理人员工作经费", "120.00", "120.00"],
            ["信访专项业务费", "110.00", "110.00"], ["驻京信访处专项经费", "110.90", "110.90"]]  # fmt: skip
    for row in rows:
        ws.append(row)
    ws.column_dimensions["A"].width = 50
    wb.save(target)
    return target


def _codes(found: list[Any]) -> list[tuple[str, str]]:
    return sorted((f.code, f.project) for f in found)


def test_a_disclosure_workbook_is_checked_against_its_budget_sheet(tmp_path: Path) -> None:
    found = _findings(_disclosure_workbook(tmp_path / "公开.xlsx"))
    assert _codes(found) == [("DISC001", "信访专项业务费"), ("DISC002", "办公楼及信访接待大厅维修维护费")]
    assert "驻京信访处专项经费（110.90万元）" in next(f.message for f in found if f.code == "DISC002")


@pytest.mark.slow
def test_the_same_disclosure_printed_to_pdf(tmp_path: Path) -> None:
    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    book = tmp_path / "公开.xlsx"
    fit_to_width(_disclosure_workbook(tmp_path / "raw.xlsx"), book)
    (pdf,) = convert([book], "pdf", tmp_path / "pdf")
    assert read(pdf).kind == "pdf"
    assert _codes(_findings(pdf)) == _codes(_findings(book))
    proc = subprocess.run([sys.executable, "-m", "checker", "check", str(pdf), "--format", "json"],
                          capture_output=True, text=True)  # fmt: skip
    report = json.loads(proc.stdout)
    located = [f["location"] for file in report["files"] for sheet in file["sheets"] for f in sheet["findings"]
               if f["code"] == "DISC001"]  # fmt: skip
    assert located and all("page" in loc for loc in located)

"""Findings a reviewer called wrong (issue 12, part 5) that live below the rules: reading an amount and
knowing which fields a form has. The rule-level ones are examples in their rules (rules/*.yaml)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from checker.api import check_path
from checker.parse.values import parse_amount
from tests.conftest import SEED


def _first_project() -> list[str]:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("(1)"))
    end = next(i for i, line in enumerate(lines) if line.startswith("（2）"))
    return lines[start:end]


def _check(tmp_path: Path, lines: list[str]) -> tuple[set[str], object]:
    path = tmp_path / "sheet.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = check_path(path)
    (result,) = report.sheets
    return {f.code for f in result.findings}, result.sheet


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("854万(含上年结转资金)", Decimal(8540000)),
        ("854万（含上年结转）", Decimal(8540000)),
        ("114,000", Decimal(114000)),
    ],
)
def test_an_amount_with_a_note_is_read(text: str, amount: Decimal) -> None:
    assert parse_amount(text) == amount


def test_a_duplicated_amount_stays_unreadable() -> None:
    assert parse_amount("854万854万") is None  # FUND-003: a duplicated cell is the sheet's fault


def test_funding_written_with_wan_and_a_note_in_a_wan_yuan_block(tmp_path: Path) -> None:
    lines = [
        "项目资金 （万元）\t年度资金总额：\t11.4万(含上年结转)\t\t" if "年度资金总额" in line
        else line.replace("114,000", "11.4")
        for line in _first_project()
    ]  # fmt: skip
    codes, sheet = _check(tmp_path, lines)
    assert sheet.funding.unit == "万元" and sheet.funding.total == Decimal("11.4")  # type: ignore[attr-defined]
    assert not codes & {"FUND001", "FUND002", "COST004"}


def test_feasibility_asks_only_for_fields_the_form_has(tmp_path: Path) -> None:
    lines = _first_project()
    without = [line for line in lines if not line.startswith(("保证项目实施的制度、措施", "项目实施计划"))]
    assert "FEAS001" not in _check(tmp_path, without)[0]
    blank = ["项目实施计划\t\t\t" if line.startswith("项目实施计划") else line for line in lines]
    assert "FEAS001" in _check(tmp_path, blank)[0]
    # The form is known by its text block: a field of it left out is asked for as much as a blank one.
    left_out = [line for line in lines if not line.startswith("项目实施计划")]
    codes, sheet = _check(tmp_path, left_out)
    assert "FEAS001" in codes and "项目实施计划" not in dict(sheet.texts)  # type: ignore[attr-defined]
    assert "FEAS001" not in _check(tmp_path, lines)[0]


# --- the narrative fields (issue 12, part 4) ------------------------------------------------------------


def _with_line(label: str, text: str) -> list[str]:
    """The first seed project with one text field set (replaced, or added after 项目实施计划)."""
    out = []
    for line in _first_project():
        if line.startswith(label):
            continue
        out.append(line)
        if line.startswith("项目实施计划"):
            out.append(f"{label}\t\t{text}\t\t")
    return out


def test_the_policy_basis_must_name_a_document(tmp_path: Path) -> None:
    assert "STR013" not in _check(tmp_path, _first_project())[0]  # 山西省信访局管理手册 is a document
    assert "STR013" in _check(tmp_path, _with_line("立项依据", "根据工作需要"))[0]
    assert "STR013" not in _check(tmp_path, _with_line("政策依据", "《信访工作条例》"))[0]


def test_the_estimate_is_held_against_the_funding(tmp_path: Path) -> None:
    codes, sheet = _check(tmp_path, _with_line("测算依据", "设备维修2次×5000元；零星维修104次×1000元"))
    assert sheet.text_field("测算依据")  # type: ignore[attr-defined]
    assert "COST012" not in codes  # 10,000 + 104,000 = 114,000 元, the funding
    assert "COST012" in _check(tmp_path, _with_line("测算依据", "零星维修50次×1000元"))[0]

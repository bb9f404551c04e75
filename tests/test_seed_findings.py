"""The seed's expected findings (docs/catalogue.md §6), reviewed and kept as a golden file.

Regenerate after a reviewed change: JIXIAO_UPDATE_GOLDEN=1 pytest tests/test_seed_findings.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker.api import check_path
from checker.config import Config
from checker.findings import Report
from tests.conftest import SEED

GOLDEN = Path(__file__).parent / "golden" / "seed_findings.txt"


@pytest.fixture(scope="module")
def report() -> Report:
    return check_path(SEED)


def _lines(report: Report) -> str:
    out = []
    for i, result in enumerate(report.sheets, 1):
        out.append(f"[{i}] {result.sheet.project} ({result.framework})")
        out += [f"  {f.location.short():<6} {f.code:<8} {f.severity.value:<8} {f.message}" for f in result.findings]
    return "\n".join(out) + "\n"


def test_golden_file(report: Report) -> None:
    text = _lines(report)
    if os.environ.get("JIXIAO_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def _codes_at(report: Report, sheet: int) -> set[tuple[str, int | None]]:
    return {(f.code, f.location.line) for f in report.sheets[sheet].findings}


def test_catalogue_expectations(report: Report) -> None:
    s1, s2, s3, s4 = (_codes_at(report, i) for i in range(4))
    assert ("SAT002", 585) in s3  # 网上信访事项群众参评满意率 ≥83%
    assert ("COST005", 492) in s1  # 维修总成本 ≤114000元 equals the budget
    assert ("VAL001", 522) in s2 and ("VAL001", 561) in s3  # 1649.86 平方米; 17人
    assert {("QUAL001", 523), ("QUAL001", 530), ("QUAL001", 531)} <= s2  # 保障, 保障, 提升
    assert ("QUAL001", 495) in s1  # 改善
    assert {("TIME002", 612), ("TIME002", 613), ("TIME002", 614)} <= s4 and ("TIME002", 568) in s3
    assert ("APPR001", 607) in s4  # 档案整理完成率 ≥80%
    assert ("IND007", 468) in s1  # 数量 only 完成率
    assert ("COST011", 589) in s4  # the only cost indicator is a unit price
    assert ("SAT007", 468) in s1 and ("SAT007", 503) in s2 and ("SAT007", 589) in s4


def test_nothing_a_reviewer_would_call_wrong(report: Report) -> None:
    codes = {f.code for f in report.findings}
    # FUND-001 holds on all four sheets; 可持续影响 is placed by name, so no structure finding.
    assert not codes & {"FUND001", "FUND002", "STR001", "STR003", "STR010", "STR011", "COST004", "SAT003"}
    assert not [f for f in report.findings if f.severity.value == "error"]
    assert ("SAT002", 621) not in _codes_at(report, 3)  # 信访群众满意度 ≥90% is at the floor, not below


def test_fingerprints_are_unique_and_stable(report: Report) -> None:
    prints = [f.fingerprint for f in report.findings]
    assert len(prints) == len(set(prints))
    assert prints == [f.fingerprint for f in check_path(SEED).findings]


def test_fw2021_reading_of_the_seed() -> None:
    """Forced into the 2021 tree, the seed's 成本 under 产出 becomes a placement error (COST001)."""
    under_2021 = check_path(SEED, Config(framework="fw2021"))
    assert {r.framework for r in under_2021.sheets} == {"fw2021"}
    assert all("COST001" in {f.code for f in r.findings} for r in under_2021.sheets)
    assert not any(f.code == "COST001" for f in check_path(SEED).findings)

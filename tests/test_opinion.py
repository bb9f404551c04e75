"""审核意见 per project (issue 12, part 7): grouped by review dimension, numbered, each a 问题 and a 建议,
with the tier from the severity; wording from templates/opinion.yaml."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from checker import opinion as opinion_module
from checker.api import check_path, list_rules
from checker.cli import app
from checker.findings import Report
from checker.opinion import opinion, opinions, template
from tests.conftest import ROOT, SEED

TEXTS = sorted((ROOT / "tests" / "data" / "corpus" / "texts").glob("*.txt"))
TIERS = {"error": "禁止提交", "warning": "需人工复核", "note": "优化建议"}


@pytest.fixture(scope="module")
def reports() -> list[Report]:
    return [check_path(p) for p in [SEED, *TEXTS]]


def test_every_shipped_rule_names_its_dimension() -> None:
    raw = [r for path in sorted((ROOT / "rules").glob("*.yaml"))
           for r in (yaml.safe_load(path.read_text(encoding="utf-8")).get("rules") or [])]  # fmt: skip
    assert raw and all(r.get("dimension") in template()["dimensions"] for r in raw), [
        r["code"] for r in raw if "dimension" not in r
    ]
    assert {r.dimension for r in list_rules()} == set(template()["dimensions"])


def test_each_finding_is_in_one_numbered_item_under_its_dimension(reports: list[Report]) -> None:
    left_out = set(template()["leave_out"])
    order = list(template()["dimensions"])
    for report in reports:
        for result in report.sheets:
            if result.sheet.unread:
                continue
            op = opinion(result)
            assert [i.number for i in op.items] == list(range(1, len(op.items) + 1))
            shown = [f for f in result.findings if f.code not in left_out]
            assert sorted({f.code for f in shown}) == sorted(i.code for i in op.items)
            for item in op.items:
                members = [f for f in shown if f.code == item.code]
                assert all(f.message.rstrip("。") in item.problem for f in members)
                assert item.tier == TIERS[members[0].severity.value] and item.dimension == members[0].dimension
            dims = [order.index(i.dimension) for i in op.items]
            assert dims == sorted(dims)
            top = next(
                (TIERS[s] for s in ("error", "warning", "note") if any(f.severity.value == s for f in shown)), "无"
            )
            assert op.tier == top
            assert op.text.splitlines()[0].startswith("关于") and op.text.splitlines()[-1].startswith("结论")


def test_superseded_and_suppressed_findings_are_not_in_the_opinion(reports: list[Report]) -> None:
    result = next(r for report in reports for r in report.sheets if r.superseded)
    codes = {i.code for i in opinion(result).items}
    assert not {f.code for f in result.superseded} - {f.code for f in result.findings} & codes
    quiet = replace(result, findings=tuple(replace(f, suppressed="accepted") for f in result.findings))
    assert opinion(quiet).items == () and opinion(quiet).tier == "无"


def test_the_wording_is_the_template(monkeypatch: pytest.MonkeyPatch, reports: list[Report]) -> None:
    custom = {**template(), "phrases": {**template()["phrases"], "heading": {"zh": "《{project}》初审意见", "en": "x"}}}
    monkeypatch.setattr(opinion_module, "template", lambda: custom)
    result = reports[0].sheets[0]
    assert opinion(result).text.startswith(f"《{result.sheet.project}》初审意见")


def test_both_languages_at_once_are_each_language_alone(reports: list[Report]) -> None:
    # The JSON report groups the findings once and renders both texts from that grouping.
    results = [r for report in reports for r in report.sheets if not r.sheet.unread]
    assert sum(len(opinion(r).items) for r in results) > 20
    for result in results:
        assert opinions(result) == (opinion(result, "zh"), opinion(result, "en").text)


def test_english_opinion_has_no_chinese_scaffolding(reports: list[Report]) -> None:
    text = opinion(reports[0].sheets[0], "en").text
    assert text.startswith("Review opinion on") and "问题：" not in text and "Conclusion:" in text


def test_check_prints_the_opinion_on_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    plain = runner.invoke(app, ["check", str(SEED.relative_to(ROOT)), "--exit-zero", "--jobs", "1"]).stdout
    with_opinion = runner.invoke(
        app, ["check", str(SEED.relative_to(ROOT)), "--exit-zero", "--jobs", "1", "--opinion"]
    ).stdout
    assert "审核意见" not in plain
    assert with_opinion.count("绩效目标的审核意见") == 4 and with_opinion.count("结论：") == 4


def test_the_json_report_carries_the_opinion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    monkeypatch.chdir(ROOT)
    out = CliRunner().invoke(
        app, ["check", str(SEED.relative_to(ROOT)), "--format", "json", "--exit-zero", "--jobs", "1"]
    )
    sheets = json.loads(out.stdout)["files"][0]["sheets"]
    assert all(s["opinion"]["text"].startswith("关于") and s["opinion"]["text_en"] for s in sheets)
    assert [i["number"] for i in sheets[0]["opinion"]["items"]] == list(
        range(1, len(sheets[0]["opinion"]["items"]) + 1)
    )

"""Every output format on the seed and the example files: snapshots, and the contracts they promise."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from jsonschema import Draft7Validator, Draft202012Validator
from typer.testing import CliRunner

from checker.cli import app
from tests.conftest import ROOT

runner = CliRunner()
GOLDEN = Path(__file__).parent / "golden"
# The OASIS SARIF 2.1.0 schema, unchanged (a copy kept with the tests, so they stand on their own).
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
INPUTS = ["examples/山西省信访局2024年单位预算.txt", "examples/项目支出绩效目标申报表.xlsx",
          "examples/绩效目标批量导出.xlsx", "examples/项目支出绩效目标表.docx"]  # fmt: skip


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # relative paths in the outputs, as a user in the repository sees them


def _run(fmt: str, *extra: str) -> str:
    result = runner.invoke(app, ["check", *INPUTS, "--format", fmt, "--jobs", "1", *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_snapshot(fmt: str) -> None:
    out = _run(fmt)
    golden = GOLDEN / f"check.{fmt}"
    if os.environ.get("JIXIAO_UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def test_json_validates_and_counts() -> None:
    doc = json.loads(_run("json"))
    schema = json.loads((ROOT / "checker" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    errors = list(Draft202012Validator(schema).iter_errors(doc))
    assert not errors, errors[0]
    total = sum(len(s["findings"]) for f in doc["files"] for s in f["sheets"])
    assert total == sum(doc["summary"][k] for k in ("error", "warning", "note"))
    # The sheet's own findings, in reading order; run-level ones (STR014: the example projects recur in
    # the other example files) follow them.
    finding = [f for f in doc["files"][0]["sheets"][2]["findings"] if f["code"] != "STR014"][-1]
    assert finding["code"] == "SAT002" and finding["indicator"]["raw_value"] == "≥83%"
    assert finding["location"] == {"file": INPUTS[0], "line": 585, "column": 5}
    xlsx_finding = [f for f in doc["files"][1]["sheets"][0]["findings"] if f["code"] != "STR014"][-1]
    assert xlsx_finding["location"]["sheet"] == "项目1" and xlsx_finding["location"]["cell"].startswith("E")


def test_sarif_validates_against_the_oasis_schema() -> None:
    doc = json.loads(_run("sarif"))
    errors = list(Draft7Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).iter_errors(doc))
    assert not errors, errors[0].message
    run = doc["runs"][0]
    ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert {r["ruleId"] for r in run["results"]} <= ids and len(ids) >= 45
    first = run["results"][0]
    assert first["partialFingerprints"]["jixiao/v1"]
    xlsx = next(
        r for r in run["results"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(".xlsx")
    )
    assert "!" in xlsx["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]


def test_sarif_carries_suppressions_with_justification(tmp_path: Path) -> None:
    sup = tmp_path / "s.toml"
    sup.write_text('[[suppress]]\ncode = "SAT002"\nreason = "已与财政厅确认"\n', encoding="utf-8")
    doc = json.loads(_run("sarif", "--suppressions", str(sup)))
    suppressed = [r for r in doc["runs"][0]["results"] if "suppressions" in r]
    assert suppressed and all(r["suppressions"][0]["justification"] == "已与财政厅确认" for r in suppressed)
    errors = list(Draft7Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).iter_errors(doc))
    assert not errors


def test_github_annotations_are_capped() -> None:
    lines = _run("github").strip().split("\n")
    assert sum(line.startswith("::warning") for line in lines) == 10
    assert sum(line.startswith("::error") for line in lines) == 0
    assert lines[-1].startswith("::notice title=jixiao::") and "more not annotated" in lines[-1]


def test_junit_is_well_formed() -> None:
    root = ET.fromstring(_run("junit", "--fail-on", "note", "--exit-zero").split("\n", 1)[1])
    assert root.tag == "testsuites" and int(root.get("tests", "0")) == 16
    assert int(root.get("failures", "0")) == 16


def test_only_the_format_goes_to_stdout() -> None:
    result = runner.invoke(app, ["check", INPUTS[0], "--format", "json"])
    assert result.exit_code == 0, result.output  # the seed has warnings and notes, no error
    json.loads(result.stdout)  # nothing else mixed in

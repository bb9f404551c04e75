"""`jixiao check`, `jixiao rules`, `jixiao explain` through CliRunner and a subprocess: outputs and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli import app
from tests.conftest import SEED

runner = CliRunner()


def test_check_text_output_and_exit_codes() -> None:
    result = runner.invoke(app, ["check", str(SEED)])
    assert result.exit_code == 0  # warnings and notes only; --fail-on defaults to error
    assert "SAT002" in result.stdout and "「网上信访事项群众参评满意率」目标「≥83%」低于常用下限 90%" in result.stdout
    assert result.stdout.strip().endswith("错误 0，警告 19，提示 18")
    assert runner.invoke(app, ["check", str(SEED), "--fail-on", "warning"]).exit_code == 1
    assert runner.invoke(app, ["check", str(SEED), "--fail-on", "warning", "--exit-zero"]).exit_code == 0
    english = runner.invoke(app, ["check", str(SEED), "--lang", "en"])
    assert "below the usual floor of 90%" in english.stdout and "19 warning(s)" in english.stdout


def test_check_with_pack_and_framework() -> None:
    shanxi = runner.invoke(app, ["check", str(SEED), "--pack", "shanxi", "--fail-on", "warning"])
    # the 山西 overlay relaxes the satisfaction floor to 85%: ≥83% is still below it
    assert "「≥83%」低于常用下限 85%" in shanxi.stdout
    fw21 = runner.invoke(app, ["check", str(SEED), "--framework", "fw2021"])
    assert fw21.exit_code == 1 and "COST001" in fw21.stdout
    assert runner.invoke(app, ["check", str(SEED), "--framework", "fw1999"]).exit_code == 2
    assert runner.invoke(app, ["check", str(SEED), "--pack", "nope"]).exit_code == 2


def test_check_subprocess_exit_codes(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "checker", *args], capture_output=True, text=True, timeout=120)

    assert run("check", str(SEED)).returncode == 0
    assert run("check", str(SEED), "--fail-on", "note").returncode == 1
    missing = run("check", str(tmp_path / "none.txt"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: bad\ntitle: oops\n", encoding="utf-8")
    broken = run("check", str(SEED), "--pack-file", str(bad))
    assert broken.returncode == 2 and "bad.yaml" in broken.stderr and "$.title" in broken.stderr
    assert broken.stderr.count("\n") == 1


def test_rules_and_explain() -> None:
    listed = runner.invoke(app, ["rules", "--format", "json"])
    rules = json.loads(listed.stdout)
    assert len(rules) >= 45 and {"SAT002", "COST005", "SX001", "COST006"} <= {r["code"] for r in rules}
    assert "## SAT002" in runner.invoke(app, ["rules", "--format", "markdown"]).stdout
    shanxi = json.loads(runner.invoke(app, ["rules", "--format", "json", "--pack", "shanxi"]).stdout)
    assert next(r for r in shanxi if r["code"] == "SAT002")["options"] == {"min_percent": 85}
    explained = runner.invoke(app, ["explain", "SAT002"])
    assert explained.exit_code == 0 and "≥83%" in explained.stdout and "审核实践" in explained.stdout
    assert runner.invoke(app, ["explain", "satisfaction.threshold-low", "--lang", "en"]).exit_code == 0
    assert runner.invoke(app, ["explain", "XYZ999"]).exit_code == 2


@pytest.mark.parametrize("typed", ["2021", "FW2021", " fw2015 ", "AUTO"])
def test_framework_is_read_as_people_type_it(typed: str) -> None:
    result = runner.invoke(app, ["check", str(SEED), "--framework", typed, "--exit-zero"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("args", "said"), [
    (["--framework", "fw2022"], "did you mean 'fw2021'"),
    (["--framework", "vocabulary"], "unknown framework"),
    (["--jobs", "-1"], "-1"),
])  # fmt: skip
def test_a_wrong_option_value_is_one_line_and_exit_2(args: list[str], said: str) -> None:
    result = runner.invoke(app, ["check", str(SEED), *args])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert said in result.output


def test_explain_takes_a_code_as_the_catalogue_writes_it() -> None:
    assert "SAT002" in runner.invoke(app, ["explain", "SAT-002"]).stdout
    result = runner.invoke(app, ["explain", "SAT02"])
    assert result.exit_code == 2 and "did you mean 'SAT002'" in result.output


def test_review_to_a_name_that_is_not_a_workbook_is_refused_before_any_work(tmp_path: Path) -> None:
    target = tmp_path / "r.csv"
    result = runner.invoke(app, ["review", str(SEED), "-o", str(target)])
    assert result.exit_code == 3 and ".xlsx" in result.output and not target.exists()

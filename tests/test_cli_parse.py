"""`jixiao parse` as a user runs it: output contracts and one-line errors with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from checker.cli import app
from tests.conftest import ROOT, SEED

SCHEMA = json.loads((ROOT / "checker" / "schemas" / "parse-output.schema.json").read_text(encoding="utf-8"))
runner = CliRunner()


def test_json_output_validates_and_matches_the_seed() -> None:
    result = runner.invoke(app, ["parse", str(SEED), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    Draft202012Validator.check_schema(SCHEMA)
    errors = list(Draft202012Validator(SCHEMA).iter_errors(doc))
    assert not errors, errors[0].message
    assert [len(s["indicators"]) for s in doc["sheets"]] == [12, 13, 25, 14]
    assert [s["funding"]["total"] for s in doc["sheets"]] == [114000, 1020000, 1200000, 1109000]
    first = doc["sheets"][0]["indicators"][0]
    assert first["value"] == {"raw": "≥98%", "kind": "quantitative", "comparator": "≥", "number": 98, "unit": "%"}
    assert first["location"] == {"file": str(SEED), "line": 484, "column": 5}
    cost = doc["sheets"][0]["indicators"][7]
    assert (cost["name"], cost["value"]["number"], cost["value"]["unit"]) == ("维修总成本", 114000, "元")


def test_schema_rejects_a_broken_document() -> None:
    bad = {
        "schema_version": "1.1",
        "source": "x",
        "sheets": [{"project": "p", "funding": {}, "goals": [], "indicators": []}],
    }
    assert list(Draft202012Validator(SCHEMA).iter_errors(bad))


def test_several_files_one_document_per_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(SEED), str(SEED)])
    lines = result.stdout.strip().split("\n")
    assert len(lines) == 2 and all(json.loads(line)["source"] == str(SEED) for line in lines)


@pytest.mark.parametrize("lang,word", [("zh", "项目 3: 律师"), ("en", "Project 3: 律师")])
def test_text_output(lang: str, word: str) -> None:
    result = runner.invoke(app, ["parse", str(SEED), "--format", "text", "--lang", lang])
    assert result.exit_code == 0
    assert word in result.stdout
    assert "公共服务能力提升度" in result.stdout
    assert "信访矛盾多元化解水平" in result.stdout and "满意度指标" in result.stdout


def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)))
    invalid = tmp_path / "invalid.txt"
    invalid.write_bytes(b"\xff\xfe\xfd\xfc" * 10)
    return {"missing": tmp_path / "missing.txt", "empty": empty, "binary": binary, "invalid": invalid,
            "folder": tmp_path}  # fmt: skip


@pytest.mark.parametrize("case", ["missing", "empty", "binary", "invalid", "folder"])
def test_bad_input_one_line_exit_2_subprocess(tmp_path: Path, case: str) -> None:
    path = _bad_inputs(tmp_path)[case]
    proc = subprocess.run(
        [sys.executable, "-m", "checker", "parse", str(path)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().split("\n")
    assert len(lines) == 1 and str(path) in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr


def test_good_and_bad_files_together(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(SEED), str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["source"] == str(SEED)
    assert "file not found" in result.stderr


def test_internal_error_is_exit_4_with_a_crash_report(monkeypatch: pytest.MonkeyPatch) -> None:
    import checker.api

    def boom(path: object, **_: object) -> None:
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(checker.api, "parse_path", boom)
    result = runner.invoke(app, ["parse", str(SEED)])
    assert result.exit_code == 4
    report = Path(result.stderr.strip().split()[-1])
    assert report.is_file() and "ZeroDivisionError" in report.read_text(encoding="utf-8")
    report.unlink()


def test_version_and_usage_error() -> None:
    assert runner.invoke(app, ["--version"]).stdout.startswith("jixiao ")
    assert runner.invoke(app, ["parse", str(SEED), "--format", "xml"]).exit_code == 2


def test_version_verbose_reports_the_protection_state() -> None:
    # docs/reliability.md D1: an IT team can see (and grep) whether defusedxml is in force.
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENPYXL_")}
    default = subprocess.run([sys.executable, "-m", "checker", "--version", "--verbose"], capture_output=True,
                             text=True, env=env, timeout=60)  # fmt: skip
    lines = dict(line.split(": ", 1) for line in default.stdout.splitlines())
    assert default.returncode == 0 and lines["defusedxml"] == "active"
    assert {"jixiao", "openpyxl", "expat", "zipfile overlap check (CVE-2024-0450)"} <= lines.keys()
    off = subprocess.run([sys.executable, "-m", "checker", "--version", "--verbose"], capture_output=True,
                         text=True, env={**env, "OPENPYXL_DEFUSEDXML": "False"}, timeout=60)  # fmt: skip
    assert "defusedxml: NOT active" in off.stdout


@pytest.mark.parametrize(("version", "fixed"), [((3, 11, 7), False), ((3, 11, 8), True), ((3, 12, 0), False),
                                                ((3, 12, 2), True), ((3, 13, 0), True)])  # fmt: skip
def test_zipfile_overlap_fix_by_python_version(version: tuple[int, int, int], fixed: bool) -> None:
    from checker.selfcheck import zipfile_checks_overlap

    assert zipfile_checks_overlap(version) is fixed


@pytest.mark.parametrize("command", ["parse", "check", "review", "import-review", "rules", "explain"])
def test_the_one_command_app_is_the_same_command(command: str) -> None:
    # main() builds only the command being run (a start-up saving); its help and options must not differ.
    from checker.cli import app_for

    one = app_for([command, "x"])
    assert one is not app and [c.callback for c in one.registered_commands] == [
        c.callback for c in app.registered_commands if (c.name or c.callback.__name__) == command  # type: ignore[union-attr]
    ]  # fmt: skip
    assert runner.invoke(one, [command, "--help"]).stdout == runner.invoke(app, [command, "--help"]).stdout
    assert app_for(["--version"]) is app and app_for([]) is app and app_for(["chek"]) is app

"""Run-level rules (target ``run``, issue 12 part 3): facts over every sheet of a run, evaluated once all
files are checked — a project submitted twice, boilerplate effects across a unit's projects."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from checker.cli import app
from tests.conftest import ROOT, SEED


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_submitted_twice_is_reported_on_every_project(tmp_path: Path, jobs: str) -> None:
    copy = tmp_path / "副本.txt"
    # Re-saved (not byte-identical: an identical copy is checked once, see test_an_identical_copy_is_checked_once)
    copy.write_text(SEED.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["check", str(SEED), str(copy), "--format", "json", "--exit-zero", "--jobs", jobs])
    doc = json.loads(out.stdout)
    per_file = [[f for s in file["sheets"] for f in s["findings"] if f["code"] == "STR014"] for file in doc["files"]]
    assert [len(found) for found in per_file] == [4, 4]  # the seed's four projects, in both files
    assert "副本.txt" in per_file[0][0]["message"]
    total = sum(len(s["findings"]) for f in doc["files"] for s in f["sheets"])
    assert total == sum(doc["summary"][k] for k in ("error", "warning", "note"))


def test_an_identical_copy_is_checked_once(tmp_path: Path) -> None:
    copy = tmp_path / "副本.txt"
    shutil.copy(SEED, copy)
    out = CliRunner().invoke(app, ["check", str(SEED), str(copy), "--format", "json", "--exit-zero", "--jobs", "1"])
    doc = json.loads(out.stdout)
    assert [f["source"] for f in doc["files"]] == [str(SEED)]  # its findings once, under the first name
    assert f"{copy} 与 {SEED} 内容相同" in out.stderr
    # and the report itself says so, for a machine reading only the JSON
    assert doc["duplicates"] == [{"source": str(copy), "same_as": str(SEED)}]
    jsonschema.validate(doc, json.loads((ROOT / "checker" / "schemas" / "report.schema.json").read_text("utf-8")))


def test_one_file_alone_raises_no_run_finding() -> None:
    out = CliRunner().invoke(app, ["check", str(SEED), "--format", "json", "--exit-zero", "--jobs", "1"])
    codes = {f["code"] for file in json.loads(out.stdout)["files"] for s in file["sheets"] for f in s["findings"]}
    assert not codes & {"STR014", "IND011"}


def test_run_findings_obey_per_path_ignores(tmp_path: Path) -> None:
    copy = tmp_path / "副本.txt"
    shutil.copy(SEED, copy)
    (tmp_path / "jixiao.toml").write_text('[per-path-ignores]\n"*副本.txt" = ["STR014"]\n', encoding="utf-8")
    out = CliRunner().invoke(app, ["check", str(SEED), str(copy), "--format", "json", "--exit-zero", "--jobs", "1",
                                   "--config", str(tmp_path / "jixiao.toml")])  # fmt: skip
    doc = json.loads(out.stdout)
    counts = [sum(f["code"] == "STR014" for s in file["sheets"] for f in s["findings"]) for file in doc["files"]]
    assert counts == [4, 0]

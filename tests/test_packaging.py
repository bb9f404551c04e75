"""The wheel carries rules/ and templates/, and an installed copy finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_wheel_ships_rules_and_templates(tmp_path: Path) -> None:
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-2000:]
    (wheel,) = tmp_path.glob("jixiao-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "checker/_data/rules/frameworks/fw2015.yaml" in names
    assert "checker/_data/templates/README.md" in names
    assert "checker/unit_table.json" in names and "checker/units.txt" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "import checker.resources as r, checker.frameworks as f;"
        "print(r.data_dir('rules')); print(r.data_dir('templates')); print(f.framework('fw2021').level1[0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}, timeout=60,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    rules_dir, templates_dir, first = out.stdout.strip().split("\n")
    assert Path(rules_dir).is_relative_to(site) and Path(templates_dir).is_relative_to(site)
    assert first == "成本指标"

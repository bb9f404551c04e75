"""The second hardening round (issue 17): data is never lost, machine output is clean, config and caches
are not taken from untrusted places. Hang and exhaustion cases with measured time and memory are in
test_hostile.py."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli import app
from tests.conftest import ROOT, SEED

runner = CliRunner()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checker", *args], capture_output=True, text=True, timeout=120, cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )  # fmt: skip


# 1. Every path a run reads is an input -------------------------------------------------------------


@pytest.mark.parametrize("which", ["write-baseline-over-input", "o-over-suppressions", "o-over-baseline",
                                   "baseline-over-config", "o-over-pack"])  # fmt: skip
def test_no_output_replaces_a_file_the_run_reads(tmp_path: Path, which: str) -> None:
    sheet = tmp_path / "a.txt"
    shutil.copy(SEED, sheet)
    supp = tmp_path / "s.toml"
    supp.write_text('[[suppress]]\ncode = "SAT001"\nreason = "已确认"\n', encoding="utf-8")
    base = tmp_path / "b.json"
    assert runner.invoke(app, ["check", str(sheet), "--write-baseline", str(base)]).exit_code in (0, 1)
    conf = tmp_path / "c.toml"
    conf.write_text('fail-on = "error"\n', encoding="utf-8")
    pack = tmp_path / "p.yaml"
    pack.write_text((ROOT / "rules" / "common.yaml").read_text(encoding="utf-8").replace("pack: common", "pack: mine"),
                    encoding="utf-8")  # fmt: skip
    args = {
        "write-baseline-over-input": ["--write-baseline", str(sheet)],
        "o-over-suppressions": ["--suppressions", str(supp), "-o", str(supp)],
        "o-over-baseline": ["--baseline", str(base), "-o", str(base)],
        "baseline-over-config": ["--config", str(conf), "--write-baseline", str(conf)],
        "o-over-pack": ["--pack-file", str(pack), "-o", str(pack)],
    }[which]
    before = {p: _sha(p) for p in (sheet, supp, base, conf, pack)}
    result = runner.invoke(app, ["check", str(sheet), *args])
    assert result.exit_code == 3, (result.exit_code, result.output)
    assert "输出文件就是输入文件之一" in result.stderr
    assert {p: _sha(p) for p in before} == before


def test_review_output_may_not_be_the_config(tmp_path: Path) -> None:
    conf = tmp_path / "jixiao.toml"
    conf.write_text('fail-on = "error"\n', encoding="utf-8")
    before = _sha(conf)
    result = runner.invoke(app, ["review", str(SEED), "--config", str(conf), "-o", str(conf)])
    assert result.exit_code == 3 and _sha(conf) == before, result.output


# 2. Device nodes are written to, never replaced --------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/null and /dev/full")
def test_device_targets_stay_devices(tmp_path: Path) -> None:
    # As root os.replace would turn /dev/null into a regular file; a FIFO shows the same without root.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    proc = _cli("check", str(SEED), "-f", "json", "-o", str(fifo))
    out, _ = reader.communicate(timeout=60)
    assert proc.returncode in (0, 1), proc.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode) and out.startswith(b"{")
    proc = _cli("check", str(SEED), "-o", "/dev/null")
    assert proc.returncode in (0, 1) and stat.S_ISCHR(os.stat("/dev/null").st_mode), proc.stderr
    proc = _cli("check", str(SEED), "-o", "/dev/full")
    assert proc.returncode == 3 and stat.S_ISCHR(os.stat("/dev/full").st_mode), proc.stderr
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1 and "/dev/full" in proc.stderr


# 15. Output problems are output errors (exit 3, one line) --------------------------------------------------


@pytest.mark.parametrize("target", ["dir", "empty", "baseline-dir"])
def test_unwritable_targets_exit_3(tmp_path: Path, target: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    args = {"dir": ["-o", str(folder)], "empty": ["-o", ""], "baseline-dir": ["--write-baseline", str(folder)]}[target]
    proc = _cli("check", str(SEED), *args, cwd=tmp_path)
    assert proc.returncode == 3, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr and "文件夹" in lines[0], proc.stderr
    assert list(folder.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_full_disk_is_an_output_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "r.json"
    out.write_text("old", encoding="utf-8")
    real = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        if self.name.endswith(".tmp"):
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    result = runner.invoke(app, ["check", str(SEED), "-f", "json", "-o", str(out)])
    monkeypatch.undo()
    assert result.exit_code == 3 and "No space left" in result.stderr, result.output
    assert out.read_text(encoding="utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_full_tmpdir_during_review_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl.worksheet import _writer

    def full(*_a: object, **_k: object) -> object:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_writer, "NamedTemporaryFile", full)
    result = runner.invoke(app, ["review", str(SEED), "-o", str(tmp_path / "审核表.xlsx")])
    monkeypatch.undo()
    assert result.exit_code == 3, (result.exit_code, result.output)
    assert "Traceback" not in result.output and "No space left" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_malformed_baseline_names_file_and_path(tmp_path: Path) -> None:
    base = tmp_path / "b.json"
    base.write_text('{"schema_version": "1", "tool": "jixiao", "findings": {"abc": {"count": "many"}}}', "utf-8")
    result = runner.invoke(app, ["check", str(SEED), "--baseline", str(base)])
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert str(base) in result.stderr and "$.findings.abc.count" in result.stderr
    base.write_text('{"schema_version": "1", "tool": "jixiao", "findings": []}', "utf-8")
    result = runner.invoke(app, ["check", str(SEED), "--baseline", str(base)])
    assert result.exit_code == 2 and "$.findings" in result.stderr, result.output


# 18. A long Chinese output name is accepted ----------------------------------------------------------------------


def test_long_chinese_output_name(tmp_path: Path) -> None:
    name = "山西省信访局二零二四年度项目支出绩效目标审核表" * 3 + "附件一至附件三汇总表格" + ".json"  # 80 characters
    assert 242 < len(name.encode()) <= 255  # the name fits; ".name.XXXXXXXX.tmp" would not
    result = runner.invoke(app, ["check", str(SEED), "-f", "json", "-o", str(tmp_path / name)])
    assert result.exit_code in (0, 1), result.output
    assert [p.name for p in tmp_path.iterdir()] == [name]

"""The CI/pre-commit workflow: config files, baselines, suppressions, folders, parallel jobs, exit codes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bench.gen_sheets import document
from checker.cli import app
from tests.conftest import ROOT, SEED

runner = CliRunner()


def _json(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, ["check", *args, "--format", "json", "--jobs", "1"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _codes(doc: dict) -> list[str]:  # type: ignore[type-arg]
    return [f["code"] for file in doc["files"] for s in file["sheets"] for f in s["findings"]]


def test_config_in_pyproject_found_walking_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # From the working directory up (issue 17 item 5): a budget unit linting its own repository.
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.jixiao]\nignore = ["QUAL"]\nlang = "en"\n\n'
        "[tool.jixiao.options]\nSAT002 = {min_percent = 80}\n",
        encoding="utf-8",
    )
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    shutil.copy(SEED, sub / "seed.txt")
    monkeypatch.chdir(sub)
    doc = _json(str(sub / "seed.txt"))
    codes = _codes(doc)
    assert not any(c.startswith("QUAL") for c in codes) and "SAT002" not in codes  # 83% ≥ 80 now
    text = runner.invoke(app, ["check", str(sub / "seed.txt")]).stdout
    assert "checked 1 file(s)" in text  # lang from the file
    flags = runner.invoke(app, ["check", str(sub / "seed.txt"), "--lang", "zh"]).stdout
    assert "共检查 1 个文件" in flags  # a flag overrides the file


def test_unknown_config_key_names_file_and_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "jixiao.toml"
    cfg.write_text('igonre = ["QUAL"]\n', encoding="utf-8")
    shutil.copy(SEED, tmp_path / "seed.txt")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", str(tmp_path / "seed.txt")])
    assert result.exit_code == 2
    assert str(cfg) in result.stderr and "igonre" in result.stderr


def test_explicit_config_and_per_path_ignores(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg.toml"
    cfg.write_text('[per-path-ignores]\n"legacy/*.txt" = ["TIME", "SAT"]\n', encoding="utf-8")
    (tmp_path / "legacy").mkdir()
    shutil.copy(SEED, tmp_path / "legacy" / "old.txt")
    shutil.copy(SEED, tmp_path / "new.txt")
    doc = _json(str(tmp_path / "legacy" / "old.txt"), str(tmp_path / "new.txt"), "--config", str(cfg))
    old, new = ([f["code"] for s in file["sheets"] for f in s["findings"]] for file in doc["files"])
    assert not any(c.startswith(("TIME", "SAT")) for c in old)
    assert "TIME002" in new and "SAT002" in new


def test_baseline_round_trip(tmp_path: Path) -> None:
    base = tmp_path / "jixiao-baseline.json"
    work = tmp_path / "seed.txt"
    shutil.copy(SEED, work)
    first = runner.invoke(app, ["check", str(work), "--write-baseline", str(base)])
    assert first.exit_code == 0 and base.exists()
    recorded = json.loads(base.read_text(encoding="utf-8"))
    assert sum(e["count"] for e in recorded["findings"].values()) == 37
    again = _json(str(work), "--baseline", str(base))
    assert again["summary"]["baselined"] == 37 and sum(again["summary"][k] for k in ("error", "warning", "note")) == 0
    lines = SEED.read_text(encoding="utf-8").split("\n")
    lines[606], lines[607] = lines[607], lines[606]  # re-order two rows
    lines[620] = lines[620].replace("≥90%", "≥86%")  # change one value: 信访群众满意度 drops below 90
    work.write_text("\n\n" + "\n".join(lines), encoding="utf-8")  # and insert rows above
    changed = _json(str(work), "--baseline", str(base))
    new = [f for file in changed["files"] for s in file["sheets"] for f in s["findings"] if not f["baselined"]]
    assert [(f["code"], f["indicator"]["raw_value"]) for f in new] == [("SAT002", "≥86%")]
    stale = runner.invoke(app, ["check", str(work), "--baseline", str(base)])
    assert "baseline entry no longer occurs" not in stale.stderr  # nothing vanished: only one was added


def test_stale_baseline_entries_are_reported(tmp_path: Path) -> None:
    base = tmp_path / "b.json"
    work = tmp_path / "seed.txt"
    shutil.copy(SEED, work)
    runner.invoke(app, ["check", str(work), "--write-baseline", str(base)])
    work.write_text(SEED.read_text(encoding="utf-8").replace("≥83%", "≥93%"), encoding="utf-8")
    result = runner.invoke(app, ["check", str(work), "--baseline", str(base)])
    assert "基线中的问题已不存在" in result.stderr and "SAT002" in result.stderr


def test_suppressions(tmp_path: Path) -> None:
    sup = tmp_path / "jixiao-suppressions.toml"
    fingerprint = _json(str(SEED))["files"][0]["sheets"][2]["findings"][-1]["fingerprint"]
    sup.write_text(
        f'[[suppress]]\nfingerprint = "{fingerprint}"\nreason = "满意率口径特殊，已备案"\n\n'
        '[[suppress]]\ncode = "TIME002"\nfile = "*.txt"\n'
        'indicator = "产出指标/时效指标/差旅费报销及时性"\nreason = "另有制度"\n\n'
        '[[suppress]]\ncode = "COST006"\nreason = "not used anywhere"\n',
        encoding="utf-8",
    )  # fmt: skip
    result = runner.invoke(app, ["check", str(SEED), "--suppressions", str(sup), "--format", "json"])
    doc = json.loads(result.stdout)
    assert doc["summary"]["suppressed"] == 2
    assert [u["entry"] for u in doc["unused_suppressions"]] == ["COST006 *"]
    assert "unused suppression: COST006" in result.stderr
    sup.write_text('[[suppress]]\ncode = "SAT002"\n', encoding="utf-8")
    missing_reason = runner.invoke(app, ["check", str(SEED), "--suppressions", str(sup)])
    assert missing_reason.exit_code == 2 and "reason" in missing_reason.stderr


def test_folders_globs_and_stable_order(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt", "sub/c.txt", "~$lock.xlsx", "notes.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        # Each a little different: byte-identical copies are checked once (test_duplicates_checked_once).
        text = SEED.read_text(encoding="utf-8") + f"\n{name}\n"
        (tmp_path / name).write_text(text if name.endswith(".txt") else "x", encoding="utf-8")
    doc = _json(str(tmp_path))
    assert [Path(f["source"]).relative_to(tmp_path).as_posix() for f in doc["files"]] == ["a.txt", "b.txt", "sub/c.txt"]
    doc = _json(str(tmp_path / "*.txt"))
    assert len(doc["files"]) == 2


def test_worker_encoded_findings_render_like_the_parent(tmp_path: Path) -> None:
    # Workers write each file's JSON entry; a file where the parent later suppresses or baselines a finding
    # must be written again, everything else must come out byte for byte as a parent-side render makes it.
    from checker.api import run_check
    from checker.report import render_run

    folder = tmp_path / "sheets"
    folder.mkdir()
    for i in range(6):
        (folder / f"{i}.txt").write_text(document(1, seed=i), encoding="utf-8")
    shutil.copy(SEED, folder / "seed.txt")
    base = tmp_path / "b.json"
    runner.invoke(app, ["check", str(folder / "0.txt"), "--write-baseline", str(base)])
    sup = tmp_path / "s.toml"
    sup.write_text('[[suppress]]\ncode = "TIME002"\nreason = "另有制度"\n', encoding="utf-8")
    args = {"baseline": base, "suppressions": sup, "jobs": 2}
    fast, _ = run_check([str(folder)], output_format="json", **args)  # type: ignore[arg-type]
    slow, _ = run_check([str(folder)], **args)  # type: ignore[arg-type]
    assert all(o.encoded is not None for o in fast.outcomes) and all(o.encoded is None for o in slow.outcomes)
    untouched = [all(f.active for f in o.report.findings) for o in fast.outcomes if o.report]
    assert any(untouched) and not all(untouched)  # both paths are exercised
    doc = json.loads(render_run(fast, "json"))
    assert doc["summary"]["suppressed"] > 0 and doc["summary"]["baselined"] > 0
    assert render_run(fast, "json") == render_run(slow, "json")


@pytest.mark.slow
def test_two_jobs_give_byte_identical_output(tmp_path: Path) -> None:
    folder = tmp_path / "sheets"
    folder.mkdir()
    for i in range(200):
        (folder / f"{i:03d}.txt").write_text(document(1, seed=i), encoding="utf-8")
    outputs = []
    for jobs in ("1", "2"):
        proc = subprocess.run(
            [sys.executable, "-m", "checker", "check", str(folder), "--format", "json", "--jobs", jobs, "--exit-zero"],
            capture_output=True, timeout=300,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["summary"]["sheets"] == 200


def test_exit_codes_through_a_subprocess(tmp_path: Path) -> None:
    def run(*args: str) -> int:
        return subprocess.run(
            [sys.executable, "-m", "checker", "check", *args], capture_output=True, timeout=120
        ).returncode

    assert run(str(SEED)) == 0
    assert run(str(SEED), "--fail-on", "warning") == 1
    assert run(str(SEED), "--fail-on", "warning", "--exit-zero") == 0
    assert run(str(tmp_path / "missing.txt")) == 2
    copy = tmp_path / "seed.txt"
    shutil.copy(SEED, copy)
    before = copy.read_bytes()
    assert run(str(copy), "--output", str(copy)) == 3  # the output would overwrite an input
    assert copy.read_bytes() == before
    assert run(str(SEED), "--output", str(tmp_path / "no" / "such" / "dir" / "out.json")) == 3


def test_pre_commit_hook_definition() -> None:
    import yaml

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["entry"] == "jixiao check"
    cases = (("报表/绩效目标.xlsx", True), ("a.docx", True), ("a.xls", True), ("a.pdf", True), ("a.htm", True),
             ("a.html", True), ("a.pptx", False), ("a.pdf.bak", False))  # fmt: skip
    for name, matched in cases:
        assert bool(re.search(hook["files"], name)) is matched
    assert re.search(hook["exclude"], "dir/~$绩效目标.xlsx")


@pytest.mark.parametrize(("n", "jobs"), [(0, 2), (1, 2), (5, 2), (1000, 2), (997, 3), (10_000, 8)])
def test_guided_chunks_cover_every_file_in_order(n: int, jobs: int) -> None:
    from checker.batch import guided_chunks

    paths = [f"{i:05d}.xlsx" for i in range(n)]
    chunks = guided_chunks(paths, jobs)
    assert [p for c in chunks for p in c] == paths
    assert all(1 <= len(c) <= 32 for c in chunks)
    if n >= 1000:  # large first, a single file last: no worker is left alone with a big chunk at the end
        assert len(chunks[0]) == 32 and len(chunks[-1]) == 1
        assert [len(c) for c in chunks] == sorted((len(c) for c in chunks), reverse=True)

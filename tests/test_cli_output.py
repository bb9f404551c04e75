"""What check and review print and take (issue 13): linkable locations with help lines, --statistics,
--quiet, --color and NO_COLOR, GitHub annotations across files, copies checked once, standard input,
and review with check's suppressions, baseline and --fail-on."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from checker.cli import app
from tests.conftest import ROOT, SEED

runner = CliRunner()
EXAMPLES = [str(ROOT / "examples" / n) for n in ("山西省信访局2024年单位预算.txt", "项目支出绩效目标申报表.xlsx",
                                                 "绩效目标批量导出.xlsx", "项目支出绩效目标表.docx")]  # fmt: skip
LINE = re.compile(r"^(?P<path>\S.*?)(?::(?P<line>\d+):(?P<col>\d+)|:(?P<cell>[^:\s]+!\w+))?: (?P<code>[A-Z]+\d+) \[")


def _json(*args: str) -> dict[str, object]:
    result = runner.invoke(app, ["check", *args, "--format", "json", "--jobs", "1"])
    doc: dict[str, object] = json.loads(result.stdout)
    return doc


def _findings(doc: dict[str, object]) -> list[dict[str, object]]:
    return [f for file in doc["files"] for s in file["sheets"] for f in s["findings"]]  # type: ignore[attr-defined]


def test_text_lines_link_to_the_place_and_carry_the_suggestion() -> None:
    out = runner.invoke(app, ["check", *EXAMPLES, "--jobs", "1"]).stdout.splitlines()
    findings = _findings(_json(*EXAMPLES))
    lines = [m for line in out if (m := LINE.match(line))]
    assert len(lines) == len(findings)  # every finding has its own linkable line
    for m, f in zip(lines, findings, strict=True):
        loc = f["location"]
        assert m["path"] == loc["file"] and m["code"] == f["code"]  # type: ignore[index]
        if "cell" in loc:  # type: ignore[operator]
            assert m["cell"].endswith("!" + loc["cell"])  # type: ignore[index]
        elif "line" in loc:  # type: ignore[operator]
            assert int(m["line"]) == loc["line"]  # type: ignore[index]
    helps = [line for line in out if line.startswith("  help: ")]
    assert len(helps) == sum(1 for f in findings if f.get("suggestion"))
    # grouped: a file-and-project heading before its findings
    assert any(" — 项目: " in line and "[fw2015]" in line for line in out)


def test_statistics_count_per_rule_and_quiet_prints_findings_only() -> None:
    findings = _findings(_json(*EXAMPLES))
    stats = runner.invoke(app, ["check", *EXAMPLES, "--jobs", "1", "--statistics"]).stdout
    rows = [line.split() for line in stats.splitlines() if re.match(r"^\s+\d+\s+[A-Z]+\d+ ", line)]
    counted = {r[1]: int(r[0]) for r in rows}
    expected: dict[str, int] = {}
    for f in findings:
        expected[str(f["code"])] = expected.get(str(f["code"]), 0) + 1
    assert counted == expected
    assert [int(r[0]) for r in rows] == sorted((int(r[0]) for r in rows), reverse=True)
    quiet = runner.invoke(app, ["check", *EXAMPLES, "--jobs", "1", "--quiet"])
    assert quiet.stdout and all(LINE.match(line) or line.startswith("  help: ") for line in quiet.stdout.splitlines())
    assert "共检查" not in quiet.stdout and quiet.stderr == ""


def test_colour_follows_color_and_no_color(tmp_path: Path) -> None:
    def run(*extra: str, env: dict[str, str] | None = None) -> str:
        return runner.invoke(app, ["check", str(SEED), "--jobs", "1", *extra], env=env).stdout

    assert "\033[" in run("--color", "always") and "\033[" not in run("--color", "never")
    assert "\033[" not in run()  # auto, not a terminal
    # NO_COLOR on a terminal: a pty makes stdout a TTY for the subprocess.
    script = (
        "import os, pty, sys\n"
        "pid, fd = pty.fork()\n"
        "if pid == 0:\n"
        "    os.execv(sys.executable, [sys.executable, '-m', 'checker', 'check', sys.argv[1], '-j', '1'])\n"
        "out = b''\n"
        "while True:\n"
        "    try:\n"
        "        chunk = os.read(fd, 65536)\n"
        "    except OSError:\n"
        "        break\n"
        "    if not chunk:\n"
        "        break\n"
        "    out += chunk\n"
        "os.waitpid(pid, 0)\n"
        "sys.stdout.write(str(b'\\x1b[' in out))\n"
    )
    import os

    def tty(no_color: str | None) -> str:
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        if no_color is not None:
            env["NO_COLOR"] = no_color
        proc = subprocess.run([sys.executable, "-c", script, str(SEED)], capture_output=True, text=True,
                              timeout=120, env=env, cwd=ROOT)  # fmt: skip
        return proc.stdout

    assert tty(None) == "True" and tty("1") == "False"


def test_github_annotations_spread_over_files_errors_first(tmp_path: Path) -> None:
    bad = tmp_path / "a.txt"
    bad.write_text(SEED.read_text(encoding="utf-8").replace("≥83%", ""), encoding="utf-8")
    out = runner.invoke(app, ["check", *EXAMPLES, str(bad), "--format", "github", "--jobs", "1"]).stdout
    annotations = [line for line in out.splitlines() if line.startswith(("::error", "::warning"))]
    levels = [line.split(" ", 1)[0] for line in annotations]
    assert levels == sorted(levels, key=lambda lv: lv != "::error")  # errors first
    files = {re.search(r"file=([^,]+)", line)[1] for line in annotations if "::warning" in line}  # type: ignore[index]
    assert len(files) >= 4  # before: all ten from the first file
    assert sum(line.startswith("::warning") for line in annotations) == 10


def test_copies_are_checked_once_with_a_note(tmp_path: Path) -> None:
    for i in range(5):
        shutil.copy(SEED, tmp_path / f"copy{i}.txt")
    (tmp_path / "edited.txt").write_text(SEED.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmp_path), "--format", "json", "--jobs", "1"])
    doc = json.loads(result.stdout)
    assert [Path(f["source"]).name for f in doc["files"]] == ["copy0.txt", "edited.txt"]
    notes = [line for line in result.stderr.splitlines() if "same content as" in line]
    assert len(notes) == 4 and all(str(tmp_path / "copy0.txt") in n for n in notes)


def test_standard_input_is_read_and_shown_as_dash() -> None:
    for example in (EXAMPLES[0], EXAMPLES[1]):  # text and a workbook: the format comes from the bytes
        data = Path(example).read_bytes()
        proc = subprocess.run([sys.executable, "-m", "checker", "check", "-", "-f", "json", "-j", "1"], input=data,
                              capture_output=True, timeout=120, cwd=ROOT)  # fmt: skip
        doc = json.loads(proc.stdout)
        named = _json(example)
        assert [f["code"] for f in _findings(doc)] == [f["code"] for f in _findings(named)]
        assert doc["files"][0]["source"] == "-" and b"jixiao-stdin" not in proc.stdout


def test_review_takes_suppressions_baseline_and_fail_on(tmp_path: Path) -> None:
    def review(*extra: str) -> tuple[int, dict[str, int]]:
        out = tmp_path / "r.xlsx"
        result = runner.invoke(app, ["review", str(SEED), "-o", str(out), "--jobs", "1", *extra])
        ws = openpyxl.load_workbook(out)["汇总"]
        header = [c.value for c in ws[1]]
        total = list(ws.iter_rows(values_only=True))[-1]
        return result.exit_code, {k: total[header.index(v)] for k, v in (("warning", "警告"), ("note", "提示"))}

    code, plain = review()
    assert code == 0 and plain["warning"] > 0
    sup = tmp_path / "s.toml"
    sup.write_text('[[suppress]]\ncode = "SAT002"\nreason = "已确认"\n', encoding="utf-8")
    sat = len([f for f in _findings(_json(str(SEED))) if f["code"] == "SAT002"])
    assert review("--suppressions", str(sup))[1]["warning"] == plain["warning"] - sat
    base = tmp_path / "b.json"
    runner.invoke(app, ["check", str(SEED), "--write-baseline", str(base)])
    assert review("--baseline", str(base))[1] == {"warning": 0, "note": 0}
    assert review("--fail-on", "warning")[0] == 1 and review("--fail-on", "error")[0] == 0
    assert review("--fail-on", "warning", "--exit-zero")[0] == 0


def test_invalid_decision_words_are_reported(tmp_path: Path) -> None:
    first = tmp_path / "r1.xlsx"
    assert runner.invoke(app, ["review", str(SEED), "-o", str(first), "--jobs", "1"]).exit_code == 0
    wb = openpyxl.load_workbook(first)
    ws = wb["问题清单"]
    header = [c.value for c in ws[1]]
    ws.cell(row=3, column=header.index("审核结论") + 1, value="误报了")  # typed over the dropdown
    ws.cell(row=3, column=header.index("审核意见") + 1, value="已核实")
    wb.save(first)
    imported = runner.invoke(app, ["import-review", str(first), "--suppressions", str(tmp_path / "s.toml")])
    assert imported.exit_code == 0 and "第 3 行" in imported.stderr and "误报了" in imported.stderr
    assert "新增 0 条" in imported.stderr
    second = tmp_path / "r2.xlsx"
    again = runner.invoke(app, ["review", str(SEED), "-o", str(second), "--previous", str(first), "--jobs", "1"])
    assert again.exit_code == 0 and "误报了" in again.stderr
    intro = [
        " ".join(str(c) for c in row if c) for row in openpyxl.load_workbook(second)["说明"].iter_rows(values_only=True)
    ]
    assert any(line.startswith("无效结论") for line in intro) and any("「误报了」" in line for line in intro)


def test_review_progress_only_on_a_terminal(tmp_path: Path) -> None:
    result = runner.invoke(app, ["review", str(SEED), "-o", str(tmp_path / "r.xlsx"), "--jobs", "1"])
    assert "\r" not in result.stderr and result.stderr.count("\n") == 1


def test_shell_completion_is_offered() -> None:
    assert "--install-completion" in runner.invoke(app, ["--help"]).stdout

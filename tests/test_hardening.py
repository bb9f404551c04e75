"""The second hardening round (issue 17): data is never lost, machine output is clean, config and caches
are not taken from untrusted places. Hang and exhaustion cases with measured time and memory are in
test_hostile.py."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli import app
from tests import hostile
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


def test_an_output_is_refused_under_any_name_of_an_input(tmp_path: Path) -> None:
    from checker.errors import OutputError
    from checker.output import ensure_not_input

    sheet, other = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copy(SEED, sheet)
    shutil.copy(SEED, other)
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.txt").symlink_to(sheet)
    os.link(sheet, tmp_path / "hard.txt")
    names = [sheet, tmp_path / "sub" / ".." / "a.txt", tmp_path / "link.txt", tmp_path / "hard.txt"]
    for target in names:
        for given in names:
            with pytest.raises(OutputError):
                ensure_not_input(target, [str(other), str(given)])
    missing = tmp_path / "new.json"  # an input that does not exist, spelled as the output would be made
    with pytest.raises(OutputError):
        ensure_not_input(tmp_path / "sub" / ".." / "new.json", [str(missing)])
    ensure_not_input(missing, [str(sheet), str(other), str(tmp_path / "gone.txt")])  # none of them
    ensure_not_input(other, [str(p) for p in names])


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
    import checker.output

    out = tmp_path / "r.json"
    out.write_text("old", encoding="utf-8")

    def full(_fd: int) -> None:  # the streamed output reaches the disk at the latest when it is flushed
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(checker.output.os, "fsync", full)
    result = runner.invoke(app, ["check", str(SEED), "-f", "json", "-o", str(out)])
    monkeypatch.undo()
    assert result.exit_code == 3 and "No space left" in result.stderr, result.output
    assert out.read_text(encoding="utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == ["r.json"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_full_device_written_in_place_is_an_output_error() -> None:
    # A special file is written in place, as the run streams: ENOSPC on a write is still one line, exit 3.
    proc = subprocess.run([sys.executable, "-m", "checker", "check", str(SEED), "-f", "json", "-o", "/dev/full"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 3 and "No space left" in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_full_tmpdir_during_review_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from xlsxwriter import worksheet

    def full(*_a: object, **_k: object) -> object:
        raise OSError(28, "No space left on device")

    # Each sheet's rows stream through a file xlsxwriter makes in TMPDIR (only its reference is replaced).
    monkeypatch.setattr(worksheet, "tempfile", SimpleNamespace(mkstemp=full))
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


# 14. Only regular files are read ---------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["fifo", "dev-zero"])
@pytest.mark.parametrize("role", ["input", "pack", "suppressions", "baseline"])
def test_only_regular_files_are_read(tmp_path: Path, source: str, role: str) -> None:
    if source == "fifo":
        special = tmp_path / "pipe.txt"
        os.mkfifo(special)  # nobody writes: reading it would block forever
    else:
        special = Path("/dev/zero")  # reading it would fill memory
    args = {"input": [str(special)], "pack": [str(SEED), "--pack-file", str(special)],
            "suppressions": [str(SEED), "--suppressions", str(special)],
            "baseline": [str(SEED), "--baseline", str(special)]}[role]  # fmt: skip
    proc = _cli("check", *args)  # the 120 s timeout fails the test if the read blocks
    said = proc.stdout + proc.stderr  # a rejected input is reported in the run's output, the rest on stderr
    assert proc.returncode == 2, said
    assert str(special) in said and "not a regular file" in said and "Traceback" not in said


# 16. What a file really is ---------------------------------------------------------------------------------------


def _seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-16-le-nobom", "utf-16-be-nobom"])
def test_utf16_and_utf32_text_is_read(tmp_path: Path, codec: str) -> None:
    from checker.api import parse_path

    text = _seed_text()
    data = text.encode(codec.removesuffix("-nobom"))
    if codec in ("utf-16-le", "utf-16-be"):
        data = "\ufeff".encode(codec) + data
    path = tmp_path / "seed.txt"
    path.write_bytes(data)
    expected = parse_path(SEED).to_json()["sheets"]
    got = parse_path(path).to_json()["sheets"]
    assert got and _neutral(got, path) == _neutral(expected, SEED)


def _neutral(value: object, path: Path) -> str:
    import json

    return json.dumps(value, ensure_ascii=False).replace(str(path), "X")


BIG5_SAMPLE = "項目名稱：數位轉型服務\n一級指標\t二級指標\t三級指標\t指標值\n產出指標\t數量指標\t服務人次\t>=1000人次\n"


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("locked.xlsx", lambda: hostile.cfb(b"\0" * 5000, "EncryptedPackage"), "password-protected"),
        ("old.docx", lambda: hostile.cfb(b"\0" * 5000, "WordDocument"), "legacy Word .doc"),
        ("old.xls", lambda: hostile.cfb(b"\0" * 5000, "WordDocument"), "legacy Word .doc"),
        ("export.xls", lambda: "项目名称,指标,指标值\n示例,产出数量,100\n".encode("gbk"), "CSV file named .xls"),
        ("export.xlsx", "项目名称\t指标值\n示例\t100\n".encode, "tab-separated text file named .xlsx"),
        ("big5.txt", lambda: BIG5_SAMPLE.encode("big5"), "Big5"),
    ],
)  # fmt: skip
def test_misnamed_files_say_what_they_are(tmp_path: Path, name: str, make: object, words: str) -> None:
    from checker.errors import InputError
    from checker.readers import read

    path = tmp_path / name
    path.write_bytes(make())  # type: ignore[operator]
    with pytest.raises(InputError) as info:
        read(path)
    assert words in str(info.value) and "/" in str(info.value), str(info.value)
    assert "may be damaged" not in str(info.value) and ".xls workbook" not in str(info.value)


def test_html_named_xls_is_read_as_the_web_page_it_is(tmp_path: Path) -> None:
    # The "Excel" download of many systems is a web page: read by the HTML reader, not refused by name.
    from checker.readers import read

    path = tmp_path / "export.xls"
    path.write_bytes(b"<html><body><table><tr><td>x</td></tr></table></body></html>")
    doc = read(path)
    assert doc.kind == "html" and [c.text for t in doc.tables for r in t.rows for c in r.cells] == ["x"]


# 17. Tables nested in a Word table cell ---------------------------------------------------------------------


def test_goal_table_nested_in_a_frame_table_is_read(tmp_path: Path) -> None:
    import zipfile

    from checker.api import parse_path

    docx_path = ROOT / "examples" / "项目支出绩效目标表.docx"
    with zipfile.ZipFile(docx_path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    body = members["word/document.xml"].decode()
    start, end = body.index("<w:body>") + len("<w:body>"), body.rindex("<w:sectPr")
    framed = "<w:tbl><w:tblGrid/><w:tr><w:tc>" + body[start:end] + "<w:p/></w:tc></w:tr></w:tbl><w:p/>"
    members["word/document.xml"] = (body[:start] + framed + body[end:]).encode()
    path = tmp_path / "framed.docx"
    path.write_bytes(hostile.pack(members))
    expected = parse_path(docx_path).sheets
    got = parse_path(path).sheets
    assert expected and len(got) == len(expected)
    assert [len(s.indicators) for s in got] == [len(s.indicators) for s in expected]
    assert [s.project for s in got] == [s.project for s in expected]


# 18. Form feeds and U+2028 do not shift line numbers -----------------------------------------------------------


def test_page_breaks_keep_line_numbers(tmp_path: Path) -> None:
    from checker.api import check_path

    lines = _seed_text().split("\n")
    # pdftotext starts each page with a form feed; a U+2028 can sit inside a line of a pasted text.
    marked = [("\f" + line if i % 40 == 0 else line) for i, line in enumerate(lines)]
    marked[5] = marked[5] + "\u2028"
    path = tmp_path / "seed.txt"
    path.write_text("\n".join(marked), encoding="utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text("\n".join(lines), encoding="utf-8")

    def found(p: Path) -> list[tuple[str, int | None]]:
        return sorted((f.code, f.location.line) for f in check_path(p).findings)

    assert found(path) == found(plain)
    assert max(line for _, line in found(path) if line) > 40  # the findings lie past several page breaks


# 5. The checked tree does not configure the run ------------------------------------------------------------


@pytest.mark.parametrize("name", ["jixiao.toml", "pyproject.toml"])
def test_config_inside_the_checked_folder_is_reported_not_obeyed(tmp_path: Path, name: str) -> None:
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    shutil.copy(SEED, submissions / "seed.txt")
    table = "" if name == "jixiao.toml" else "[tool.jixiao]\n"
    (submissions / name).write_text(table + 'ignore = ["STR", "SAT", "QUAL", "COST", "IND"]\n', encoding="utf-8")
    reviewer = tmp_path / "reviewer"
    reviewer.mkdir()

    def codes(proc: subprocess.CompletedProcess[str]) -> set[str]:
        assert proc.returncode in (0, 1), proc.stderr
        doc = json.loads(proc.stdout)
        return {f["code"] for file in doc["files"] for s in file["sheets"] for f in s["findings"]}

    proc = _cli("check", str(submissions), "-f", "json", cwd=reviewer)
    assert str(submissions / name) in proc.stderr and "--config" in proc.stderr
    assert any(c.startswith(("SAT", "QUAL")) for c in codes(proc))
    named = _cli("check", str(submissions), "-f", "json", "--config", str(submissions / name), cwd=reviewer)
    assert not any(c.startswith(("SAT", "QUAL")) for c in codes(named))  # named with --config, it is obeyed


# 12. Rule packs are untrusted ----------------------------------------------------------------------------------


def _pack_with(tmp_path: Path, rule_schema: str) -> Path:
    """A one-rule pack extending fw2015 whose rule checks every indicator with ``rule_schema``."""
    pack = tmp_path / "hostile.yaml"
    pack.write_text(
        "pack: hostile\ntitle: {zh: 测试, en: test}\nextends: [fw2015]\nrules:\n"
        "  - code: TST001\n    name: test.hostile\n    refs: [TST-001]\n    severity: warning\n"
        "    target: indicator\n    title: {zh: 测试, en: test}\n    message: {zh: 测试, en: test}\n"
        "    rationale: {zh: 测试, en: test}\n    source: test\n    examples:\n"
        "      pass: [{indicator: {level1: 产出指标, level2: 数量指标, name: aaa, value: '1'}}]\n"
        "      fail: [{indicator: {level1: 产出指标, level2: 数量指标, name: b, value: '1'}}]\n"
        f"    schema: {rule_schema}\n",
        encoding="utf-8",
    )
    return pack


def test_billion_laughs_pack_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    pack = tmp_path / "laughs.yaml"
    pack.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = _cli("check", str(SEED), "--pack-file", str(pack))
    assert proc.returncode == 2 and "YAML aliases expand" in proc.stderr and str(pack) in proc.stderr, proc.stderr


@pytest.mark.parametrize("through", ["predicate", "jsonschema"])
def test_backtracking_pattern_is_stopped(through: str) -> None:
    import time

    from checker.errors import ConfigError
    from checker.rules.engine import safe_validator
    from checker.rules.predicates import compile_schema

    schema = {"properties": {"name": {"pattern": "^(a|a)*$"}}}
    check = compile_schema(schema) if through == "predicate" else safe_validator(schema).is_valid
    assert check is not None
    start = time.perf_counter()
    with pytest.raises(ConfigError, match="rewrite the pattern"):
        check({"name": "a" * 31 + "!"})  # with re: 2^31 steps, minutes
    assert time.perf_counter() - start < 5


def test_remote_ref_is_never_fetched(tmp_path: Path) -> None:
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    hits: list[int] = []

    def accept() -> None:
        server.settimeout(30)
        try:
            while True:
                _conn, _ = server.accept()
                hits.append(1)  # a silent server: accept and never answer
        except OSError:
            return

    threading.Thread(target=accept, daemon=True).start()
    port = server.getsockname()[1]
    pack = _pack_with(tmp_path, f'{{"$ref": "http://127.0.0.1:{port}/schema.json"}}')
    proc = _cli("check", str(SEED), "--pack-file", str(pack))
    server.close()
    assert hits == [], "the pack's $ref was fetched"
    assert proc.returncode in (0, 1, 2) and "Traceback" not in proc.stderr, proc.stderr


# 6. The cache is verified ---------------------------------------------------------------------------------------


def _fresh_cache(tmp_path: Path) -> dict[str, str]:
    root = tmp_path / "cache"
    root.mkdir(mode=0o700)
    return {"JIXIAO_CACHE_DIR": str(root)}


def test_a_swapped_cache_entry_is_ignored_with_a_note(tmp_path: Path) -> None:
    env = _fresh_cache(tmp_path)
    first = _cli("check", str(SEED), "-f", "json", env=env)
    assert first.returncode in (0, 1)
    parsed = Path(env["JIXIAO_CACHE_DIR"]) / "parsed-sealed2"
    entries = sorted(parsed.glob("*.json"))
    assert entries
    for entry in entries:  # "swap every pack for an empty one", as someone who can write the folder might
        doc = json.loads(entry.read_text(encoding="utf-8"))
        if isinstance(doc.get("value"), dict) and "rules" in doc["value"]:
            doc["value"]["rules"] = []
        entry.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    again = _cli("check", str(SEED), "-f", "json", env=env)
    assert again.stdout == first.stdout  # the same findings: the swapped entries were not used
    assert "did not verify" in again.stderr


@pytest.mark.parametrize("content", ["{}", "[]", '{"sha256": "x", "value": 1}', "{", '"text"'])
def test_a_wrong_shape_cache_entry_never_crashes(tmp_path: Path, content: str) -> None:
    env = _fresh_cache(tmp_path)
    assert _cli("check", str(SEED), env=env).returncode in (0, 1)
    entries = list(Path(env["JIXIAO_CACHE_DIR"]).glob("parsed*/*.json"))
    assert entries
    for entry in entries:
        entry.write_text(content, encoding="utf-8")
    proc = _cli("check", str(SEED), env=env)
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr and "崩溃" not in proc.stderr, proc.stderr


def test_a_cache_folder_others_can_write_is_not_used(tmp_path: Path) -> None:
    env = _fresh_cache(tmp_path)
    os.chmod(env["JIXIAO_CACHE_DIR"], 0o777)
    proc = _cli("check", str(SEED), env=env)
    assert proc.returncode in (0, 1) and "writable by others" in proc.stderr
    assert list(Path(env["JIXIAO_CACHE_DIR"]).iterdir()) == []


# 13. A failed file is reported and the batch completes; workers die with their parent ----------------------


def test_pool_workers_end_on_sigterm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker must die on SIGTERM (the death signal it asks for when its parent dies), not inherit the CLI's
    handler that turns SIGTERM into a KeyboardInterrupt of one task and leaves the worker waiting forever."""
    import signal

    from checker import batch, pipeline
    from checker.config import Config
    from checker.errors import InputError

    files = []
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(SEED, tmp_path / name)
        files.append(str(tmp_path / name))

    def report_handler(path: object, *args: object, **kwargs: object) -> object:
        raise InputError(str(path), f"sigterm-default={signal.getsignal(signal.SIGTERM) is signal.SIG_DFL}")

    previous = signal.signal(signal.SIGTERM, lambda *_: None)  # as the CLI installs one
    try:
        monkeypatch.setattr(pipeline, "check_path", report_handler)  # inherited by the forked workers
        outcomes = list(batch.iter_outcomes(files, Config(), jobs=2))
    finally:
        signal.signal(signal.SIGTERM, previous)
    # The first file is checked by the run's own process, before the pool forks (executors/process.py).
    assert "sigterm-default=False" in (outcomes[0].error or "")
    assert all("sigterm-default=True" in (o.error or "") for o in outcomes[1:]), [o.error for o in outcomes]


def test_pool_checks_the_first_file_before_forking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a process pays once (imports, first-use patterns) is paid by the parent, which checks the first
    file itself; every other file goes to the workers, in the order of the files."""
    import os

    from checker import batch, pipeline
    from checker.config import Config
    from checker.errors import InputError

    files = []
    for i in range(5):
        shutil.copy(SEED, tmp_path / f"{i}.txt")
        files.append(str(tmp_path / f"{i}.txt"))

    def whose(path: object, *args: object, **kwargs: object) -> object:
        raise InputError(str(path), f"pid={os.getpid()}")

    monkeypatch.setattr(pipeline, "check_path", whose)
    outcomes = list(batch.iter_outcomes(files, Config(), jobs=2))
    assert [o.path for o in outcomes] == files
    pids = [(o.error or "").rsplit("pid=", 1)[1].split()[0] for o in outcomes]
    assert pids[0] == str(os.getpid())
    assert str(os.getpid()) not in pids[1:]


def test_one_workers_memory_error_fails_only_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from checker import batch, pipeline
    from checker.config import Config

    files = []
    for name in ("a.txt", "bad.txt", "c.txt", "d.txt"):
        shutil.copy(SEED, tmp_path / name)
        files.append(str(tmp_path / name))
    real = pipeline.check_path

    def exhausting(path: object, *args: object, **kwargs: object) -> object:
        if str(path).endswith("bad.txt"):
            raise MemoryError
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "check_path", exhausting)  # inherited by the forked workers
    outcomes = list(batch.iter_outcomes(files, Config(), jobs=2))
    assert [o.path for o in outcomes] == files
    assert [o.error is None for o in outcomes] == [True, False, True, True]
    assert "out of memory" in (outcomes[1].error or "")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_workers_die_with_their_parent(tmp_path: Path) -> None:
    import signal
    import time

    script = tmp_path / "parent.py"
    script.write_text(
        "import os, sys, time, multiprocessing\n"
        "from checker import batch\n"
        "from checker.config import Config\n"
        "parent = os.getpid()\n"
        "# The first file is checked in this process, before the pool forks: only the workers hang.\n"
        "batch.check_one_light = lambda *a, **k: time.sleep(120 if os.getpid() != parent else 0)\n"
        f"files = [{str(SEED)!r}] * 8\n"
        "it = batch.iter_outcomes(files, Config(), jobs=2)\n"
        "import threading; threading.Thread(target=lambda: list(it), daemon=True).start()\n"
        "time.sleep(3)\n"
        "print(' '.join(str(p.pid) for p in multiprocessing.active_children()), flush=True)\n"
        "time.sleep(120)\n",
        encoding="utf-8",
    )
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    assert parent.stdout is not None
    pids = [int(p) for p in parent.stdout.readline().split()]
    assert pids, "no workers started"
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() and
                                              "Z" not in Path(f"/proc/{p}/stat").read_text().split()[2]
                                              for p in pids):  # fmt: skip
        time.sleep(0.2)
    alive = [
        p for p in pids if Path(f"/proc/{p}").exists() and "Z" not in Path(f"/proc/{p}/stat").read_text().split()[2]
    ]
    for p in alive:
        os.kill(p, signal.SIGKILL)
    assert alive == [], "workers outlived their parent"


def test_sigterm_inside_code_made_from_text_still_exits_130(tmp_path: Path) -> None:
    # CPython remembers a KeyboardInterrupt that leaves code run from source text (exec of a string: how
    # dataclasses, namedtuple and @frozen make methods, on first use, during a run's lazy imports) and,
    # however the program then handles it, ends the process by SIGINT after exit (status -2, not 130).
    # The CLI's SIGTERM handler raises a subclass, which it does not remember. Run as ``-m``, as the CLI is.
    (tmp_path / "probe.py").write_text(
        "import os, signal\n"
        "from checker.cli import _terminate\n"
        "signal.signal(signal.SIGTERM, _terminate)\n"
        "try:\n"
        "    exec('os.kill(os.getpid(), signal.SIGTERM)\\nwhile True:\\n    pass')\n"
        "except KeyboardInterrupt:\n"
        "    raise SystemExit(130)\n",
        encoding="utf-8",
    )
    proc = subprocess.run([sys.executable, "-m", "probe"], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 130, proc.stderr


def test_sigterm_during_review_leaves_no_temp_files(tmp_path: Path) -> None:
    import signal
    import time

    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(60):
        shutil.copy(SEED, inputs / f"{i:02d}.txt")
    proc = subprocess.Popen([sys.executable, "-m", "checker", "review", str(inputs), "-o", str(tmp_path / "r.xlsx"),
                             "--jobs", "1"], env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmpdir)},
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(tmpdir.iterdir()):
        time.sleep(0.05)  # wait until the writer has its sheet files open
    assert list(tmpdir.iterdir()), "the review never opened its temp files"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert list(tmpdir.iterdir()) == [] and not (tmp_path / "r.xlsx").exists()


# 4. Machine output escapes or strips control characters -----------------------------------------------------


HOSTILE_PROJECT = "办公楼\x7f维修\x1b[31m红\x1b[0m\n::error::伪造"


def _hostile_seed(tmp_path: Path) -> Path:
    text = SEED.read_text(encoding="utf-8").replace(
        "办公楼及信访接待大厅维修维护费", HOSTILE_PROJECT.replace("\n", "\u2028")
    )
    path = tmp_path / "seed.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["text", "github", "junit", "json", "sarif"])
def test_machine_output_carries_no_raw_controls(tmp_path: Path, fmt: str) -> None:
    import xml.dom.minidom

    path = _hostile_seed(tmp_path)
    result = runner.invoke(app, ["check", str(path), "-f", fmt])
    out = result.stdout
    assert result.exit_code in (0, 1), result.output
    assert "\x1b" not in out and "\x7f" not in out and "\u2028" not in out, repr(out[out.find("\x1b") - 200 :][:300])
    if fmt == "github":
        assert all(line.startswith("::") for line in out.splitlines())
        assert not any(line.startswith("::error::伪造") for line in out.splitlines())
    if fmt == "junit":
        xml.dom.minidom.parseString(out.encode("utf-8"))  # raises on a character XML forbids
    if fmt in ("json", "sarif"):
        json.loads(out)


@pytest.mark.skipif(sys.platform != "linux", reason="a file name of any bytes: Linux file systems allow it")
# JSON's and SARIF's entries cross from the workers with --jobs 2; the other formats are written in the parent.
@pytest.mark.parametrize(("fmt", "jobs"), [("text", "1"), ("github", "1"), ("junit", "1"), ("json", "1"),
                                           ("json", "2"), ("sarif", "1"), ("sarif", "2")])  # fmt: skip
def test_a_file_name_that_is_not_utf8_is_reported_in_every_format(tmp_path: Path, fmt: str, jobs: str) -> None:
    # Python holds such a name's bytes as lone surrogates (os.fsdecode), which UTF-8 cannot encode: the JSON
    # and SARIF outputs crashed on them (exit 4) before any of the run was written.
    folder = tmp_path / "in"
    folder.mkdir()
    odd = os.fsdecode(os.fsencode(str(folder)) + b"/\xb9\xe3\xb6\xab.txt")  # 广东 in GBK
    shutil.copy(SEED, odd)
    shutil.copy(SEED, folder / "同名.txt")
    (folder / "同名.txt").write_text(SEED.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    out = tmp_path / f"report.{ {'text': 'txt', 'github': 'txt', 'junit': 'xml'}.get(fmt, fmt) }"
    for target in (None, out):
        args = ["check", str(folder), "-f", fmt, "--jobs", jobs, *(["-o", str(target)] if target else [])]
        proc = subprocess.run([sys.executable, "-m", "checker", *args], capture_output=True, cwd=ROOT)
        assert proc.returncode in (0, 1) and not proc.stderr, proc.stderr.decode("utf-8", "replace")
        data = target.read_bytes() if target else proc.stdout
        if fmt == "json":
            sources = [f["source"] for f in json.loads(data.decode("utf-8"))["files"]]
            assert odd in sources and all(os.path.exists(p) for p in sources)  # the name reads back as itself
        elif fmt == "sarif":
            uris = [a["location"]["uri"] for a in json.loads(data.decode("utf-8"))["runs"][0]["artifacts"]]
            assert any(uri.endswith("/%B9%E3%B6%AB.txt") for uri in uris), uris
        elif fmt == "junit":
            import xml.dom.minidom

            xml.dom.minidom.parseString(data)
        else:
            assert b"\xb9\xe3\xb6\xab.txt" in data  # the name's own bytes, as the terminal shows them


def test_suppressions_from_a_hostile_project_name_stay_readable(tmp_path: Path) -> None:
    import openpyxl

    path = _hostile_seed(tmp_path)
    review = tmp_path / "审核表.xlsx"
    assert runner.invoke(app, ["review", str(path), "-o", str(review)]).exit_code == 0
    wb = openpyxl.load_workbook(review)
    ws = wb["问题清单"]
    header = [c.value for c in ws[1]]
    col = header.index("审核结论") + 1
    for row in range(2, ws.max_row + 1):
        ws.cell(row, col, "误报")
        ws.cell(row, header.index("审核意见") + 1, "已核实\x7f")
        ws.cell(row, header.index("项目") + 1, '办公楼\x7f\n[[suppress]]\ncode = "SAT"')
    wb.save(review)
    supp = tmp_path / "s.toml"
    result = runner.invoke(app, ["import-review", str(review), "--suppressions", str(supp)])
    assert result.exit_code == 0, result.output
    from checker.suppress import load_suppressions

    entries = load_suppressions(supp)
    assert entries and all(e.fingerprint for e in entries)  # no entry injected through the comment line
    assert runner.invoke(app, ["check", str(path), "--suppressions", str(supp)]).exit_code in (0, 1)
    assert runner.invoke(app, ["import-review", str(review), "--suppressions", str(supp)]).exit_code == 0


# 3. Reviewer decisions are per file ---------------------------------------------------------------------------


def test_decisions_do_not_leak_between_files_with_the_same_project(tmp_path: Path) -> None:
    import openpyxl

    folder = tmp_path / "申报材料"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    # The same project submitted by two units: same fingerprints (not byte-identical files, which are
    # checked once: test_cli_output.py::test_duplicates_checked_once).
    (folder / "b.txt").write_text(SEED.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    first = tmp_path / "r1.xlsx"
    assert runner.invoke(app, ["review", str(folder), "-o", str(first), "--jobs", "1"]).exit_code == 0
    wb = openpyxl.load_workbook(first)
    ws = wb["问题清单"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) for name in ("审核结论", "审核意见", "文件", "指纹")}
    marked = 0
    for row in ws.iter_rows(min_row=2):
        if row[col["文件"]].value == "a.txt":
            row[col["审核结论"]].value, row[col["审核意见"]].value = "误报", "已核实"
            marked += 1
    assert marked
    wb.save(first)
    second = tmp_path / "r2.xlsx"
    assert runner.invoke(app, ["review", str(folder), "-o", str(second), "--previous", str(first)]).exit_code == 0
    rows = list(openpyxl.load_workbook(second)["问题清单"].iter_rows(min_row=2, values_only=True))
    by_file = {f: [r[col["审核结论"]] for r in rows if r[col["文件"]] == f] for f in ("a.txt", "b.txt")}
    assert set(by_file["a.txt"]) == {"误报"} and set(by_file["b.txt"]) == {"待定"}
    supp = tmp_path / "s.toml"
    assert runner.invoke(app, ["import-review", str(first), "--suppressions", str(supp)]).exit_code == 0
    result = runner.invoke(app, ["check", str(folder), "-f", "json", "--suppressions", str(supp), "--jobs", "1"])
    doc = json.loads(result.stdout)
    # Run-level findings (the same project in two files) are check's alone: the streamed review does not
    # list them, so no reviewer decided on them.
    from checker.api import list_rules

    run_level = {r.code for r in list_rules() if r.target == "run"}
    active = {Path(f["source"]).name: sum(1 for s in f["sheets"] for x in s["findings"]
                                          if not x["suppressed"] and x["code"] not in run_level)
              for f in doc["files"]}  # fmt: skip
    assert active["a.txt"] == 0 and active["b.txt"] > 0, active


def test_conflicting_decisions_on_one_finding_are_listed_not_settled_silently(tmp_path: Path) -> None:
    import openpyxl

    folder = tmp_path / "申报材料"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    first = tmp_path / "r1.xlsx"
    assert runner.invoke(app, ["review", str(folder), "-o", str(first), "--jobs", "1"]).exit_code == 0
    wb = openpyxl.load_workbook(first)
    ws = wb["问题清单"]
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) for name in ("审核结论", "审核意见", "文件", "指纹", "文件哈希")}
    one, two = ws[2], ws[3]
    for name in ("文件", "指纹", "文件哈希"):  # the second row now answers the same finding of the same file
        two[col[name]].value = one[col[name]].value
    one[col["审核结论"]].value, one[col["审核意见"]].value = "误报", "口径不同"
    two[col["审核结论"]].value, two[col["审核意见"]].value = "需修改", "请补充单位"
    wb.save(first)
    second = tmp_path / "r2.xlsx"
    assert runner.invoke(app, ["review", str(folder), "-o", str(second), "--previous", str(first)]).exit_code == 0
    intro = "\n".join(
        str(c.value) for row in openpyxl.load_workbook(second)["说明"].iter_rows() for c in row if c.value
    )
    assert "结论冲突" in intro and "误报：口径不同" in intro and "需修改：请补充单位" in intro
    rows = list(openpyxl.load_workbook(second)["问题清单"].iter_rows(min_row=2, values_only=True))
    assert "误报" in [r[col["审核结论"]] for r in rows]  # the first answer is carried

"""`jixiao review`: the workbook reviewers work in — structure, safety, round trips, atomic saves."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from checker.cli import app
from checker.findings import Report
from checker.report.xlsx_review import write_review
from checker.results import FileOutcome
from checker.rules.engine import Engine
from checker.rules.examples import example_sheet
from tests.conftest import ROOT, SEED
from tests.pdfs.make import convert, soffice_or_skip

runner = CliRunner()
EXAMPLES = [str(ROOT / "examples" / n) for n in ("山西省信访局2024年单位预算.txt", "项目支出绩效目标申报表.xlsx",
                                                 "绩效目标批量导出.xlsx", "项目支出绩效目标表.docx")]  # fmt: skip
SHEETS = ["说明", "汇总", "问题清单", "指标明细", "规则", "_lists", "图表数据"]
FINDINGS_HEADER = ["序号", "文件", "位置", "项目", "指标路径", "原值", "问题说明", "严重程度", "规则代码", "建议修改",
                   "审核结论", "审核意见", "审核人", "日期", "指纹", "文件哈希"]  # fmt: skip
COL = {name: i for i, name in enumerate(FINDINGS_HEADER)}
CODE, WHERE, FILE, FP = COL["规则代码"], COL["位置"], COL["文件"], COL["指纹"]
DECISION, COMMENT, REVIEWER, DATE = COL["审核结论"], COL["审核意见"], COL["审核人"], COL["日期"]


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("review") / "审核表.xlsx"
    result = runner.invoke(app, ["review", *EXAMPLES, "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return out


def _json_count() -> int:
    """check's findings, less the run-level ones: review streams sheet by sheet and does not run them."""
    from checker.api import list_rules

    run_level = {r.code for r in list_rules() if r.target == "run"}
    doc = json.loads(runner.invoke(app, ["check", *EXAMPLES, "--format", "json", "--jobs", "1"]).stdout)
    return sum(f["code"] not in run_level for file in doc["files"] for s in file["sheets"] for f in s["findings"])


def test_structure(review: Path) -> None:
    wb = openpyxl.load_workbook(review)
    assert wb.sheetnames == SHEETS
    assert wb["_lists"].sheet_state == "hidden"
    ws = wb["问题清单"]
    header = [c.value for c in ws[1]]
    assert header == FINDINGS_HEADER
    assert ws.max_row - 1 == _json_count()
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:P")
    # A <col> element may span several columns (O:P alike are one element): count the columns it covers.
    hidden = {i for d in ws.column_dimensions.values() if d.hidden for i in range(d.min, d.max + 1)}
    assert hidden == {15, 16}  # 指纹 and 文件哈希; 文件 (B) prints with the finding
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "list" and "K2" in str(dv.sqref) and dv.formula1.lstrip("=") == "_lists!$A$1:$A$5"
    assert [c.value for c in wb["_lists"]["A"]] == ["待定", "确认需修改", "误报", "接受例外", "已修改"]
    assert len(ws.conditional_formatting) >= 1
    assert ws.protection.sheet and not ws["K2"].protection.locked and ws["G2"].protection.locked
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"
    assert len(wb["汇总"]._charts) == 2
    assert [c.value for c in wb["汇总"][1]][-3:] == ["建议等级", "状态", "审核意见"]
    opinions = [row[-1].value for row in wb["汇总"].iter_rows(min_row=2, max_row=17)]
    assert all(str(text).startswith("关于「") and "结论：" in str(text) for text in opinions)
    assert wb["汇总"].max_row == 16 + 2  # header, 16 projects, totals


def test_hyperlinks_point_at_existing_rows(review: Path) -> None:
    wb = openpyxl.load_workbook(review)
    ws = wb["问题清单"]
    links = [c.hyperlink.location for row in ws.iter_rows(min_row=2) for c in row if c.hyperlink]
    assert len(links) >= 2 * (ws.max_row - 1) - 5
    for location in links:
        m = re.fullmatch(r"'(.+)'!A(\d+)", location)
        assert m and m.group(1) in wb.sheetnames and int(m.group(2)) <= wb[m.group(1)].max_row, location
    # a finding about an indicator links to that indicator's row in 指标明细
    row = next(r for r in ws.iter_rows(min_row=2) if r[CODE].value == "SAT002")
    target = wb["指标明细"][int(row[WHERE].hyperlink.location.split("!A")[1])]
    assert target[5].value == "网上信访事项群众参评满意率" and target[6].value == "≥83%"
    assert target[6].comment is not None and "SAT002" in target[6].comment.text


def test_output_gets_the_usual_file_mode(review: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    assert review.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600


def test_intro_names_inputs_with_hashes(review: Path) -> None:
    ws = openpyxl.load_workbook(review)["说明"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert hashlib.sha256(SEED.read_bytes()).hexdigest() in text
    assert "jixiao" in text and "误报" in text and "--previous" in text


def test_a_byte_identical_copy_is_named_in_the_intro(tmp_path: Path) -> None:
    # Checked once (issue 13), but never dropped silently from what a reviewer reads.
    first, copy = tmp_path / "甲.txt", tmp_path / "乙.txt"
    shutil.copy(SEED, first)
    shutil.copy(SEED, copy)
    out = tmp_path / "审核表.xlsx"
    result = CliRunner().invoke(app, ["review", str(first), str(copy), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    text = "\n".join(str(c.value) for row in openpyxl.load_workbook(out)["说明"].iter_rows() for c in row if c.value)
    assert "重复文件" in text and "乙.txt 与 甲.txt 内容相同" in text


def test_digests_are_of_the_bytes_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Hashing the file again after checking it could record a newer version, so the digest comes from
    # the reader: here the file changes after it was read, and the review still names what was checked.
    from checker import readers
    from checker.api import check_path

    checked = hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert check_path(SEED).sha256 == checked
    work = tmp_path / "seed.txt"
    work.write_bytes(SEED.read_bytes())
    real_read = readers.read

    def read_then_edit(path):  # type: ignore[no-untyped-def]
        doc = real_read(path)
        if Path(path) == work:
            work.write_bytes(SEED.read_bytes() + b"\n")
        return doc

    monkeypatch.setattr(readers, "read", read_then_edit)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    out = tmp_path / "r.xlsx"
    result = runner.invoke(app, ["review", str(work), str(broken), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    text = "\n".join(str(c.value) for row in openpyxl.load_workbook(out)["说明"].iter_rows() for c in row if c.value)
    assert checked in text and "not a valid zip package" in text


@pytest.mark.slow
def test_decisions_carry_over_after_a_libreoffice_save(review: Path, tmp_path: Path) -> None:
    # A reviewer types the decisions in LibreOffice (or WPS) and saves: the file LibreOffice writes (shared
    # strings, its own styles) is what --previous reads, not the one jixiao wrote.
    soffice_or_skip()
    filled = tmp_path / "filled.xlsx"
    wb = openpyxl.load_workbook(review)
    rows = list(wb["问题清单"].iter_rows(min_row=2))[:3]
    for row in rows:
        row[DECISION].value, row[COMMENT].value, row[REVIEWER].value = "确认需修改", f"意见{row[0].value}", "李四"
    typed = {(Path(r[FILE].value).name, r[FP].value): f"意见{r[0].value}" for r in rows}
    wb.save(filled)
    (resaved,) = convert([filled], "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    second = tmp_path / "round2.xlsx"
    result = runner.invoke(app, ["review", *EXAMPLES, "-o", str(second), "--previous", str(resaved), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    ws2 = openpyxl.load_workbook(second)["问题清单"]
    carried = {(Path(r[FILE].value).name, r[FP].value): (r[DECISION].value, r[COMMENT].value, r[REVIEWER].value)
               for r in ws2.iter_rows(min_row=2)}  # fmt: skip
    for key, comment in typed.items():
        assert carried[key] == ("确认需修改", comment, "李四")


def test_a_sheet_past_excels_row_limit_is_refused_not_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from checker.report import xlsx_review

    monkeypatch.setattr(xlsx_review, "MAX_ROWS", 20)  # 规则 (every rule a row) overflows first
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where xlsxwriter streams each sheet's rows
    out = tmp_path / "审核表.xlsx"
    result = runner.invoke(app, ["review", str(SEED), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 3 and "1,048,576" not in result.stderr and "20" in result.stderr
    assert "规则" in result.stderr and "审核表.xlsx" in result.stderr and not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["tmp"] and not list(scratch.iterdir())  # nothing left


def test_a_project_name_with_an_ampersand_stays_in_the_footer(tmp_path: Path) -> None:
    # & starts a footer code (&G asks for a picture, and xlsxwriter drops a footer whose pictures do
    # not match): the name is shown with a full-width ＆.
    sheet = _sheet_with("培训人次", "A&G 公司&&培训", "≥100人次")
    outcome = FileOutcome("x.txt", Report("x.txt", (ENGINE.check_sheet(sheet),)))
    out = tmp_path / "r.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        write_review([outcome], out, [], "auto")
    ws = openpyxl.load_workbook(out)["问题清单"]
    assert ws.oddFooter.right.text == "A＆G 公司＆＆培训（x.txt）" and "&P" in ws.oddFooter.center.text


@pytest.mark.slow
def test_libreoffice_renders_the_workbook(review: Path, tmp_path: Path) -> None:
    soffice_or_skip()
    (pdf,) = convert([review], "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


OWASP = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "@SUM(1,2)",
    "＝1+1",
    "＋1",
    "－1",
    "＠A1",
    "\t=1",
    "\r=1",
    "==1",
    '=WEBSERVICE("http://127.0.0.1:9")',
    'DDE("cmd";"/C calc";"!A0")',
]
hostile = st.one_of(
    st.sampled_from(OWASP),
    st.text(max_size=60),  # any code point: C0 controls, lone surrogates, …
    st.tuples(st.sampled_from(OWASP), st.integers(40_000, 41_000)).map(lambda t: t[0] + "x" * t[1]),  # over 32,767
)


def _sheet_with(name: str, project: str, value: str):  # type: ignore[no-untyped-def]
    sheet, _ = example_sheet({"sheet": {"project": project}, "indicator": {"level1": "产出指标", "level2": "数量指标",
                                                                            "name": name, "value": value}})  # fmt: skip
    return sheet


# Several hostile sheets share a workbook: as many texts as 300 one-sheet workbooks, for a fifth of the
# workbooks (writing and loading a workbook, not the texts, was most of this test's time).
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(st.tuples(hostile, hostile, hostile), min_size=3, max_size=7))
def test_no_formula_ever_and_saving_never_fails(tmp_path: Path, texts: list[tuple[str, str, str]]) -> None:
    results = tuple(ENGINE.check_sheet(_sheet_with(name, project, value)) for name, project, value in texts)
    outcome = FileOutcome("x.txt", Report("x.txt", results))
    out = tmp_path / "r.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # xlsxwriter warns and leaves a cell, a link or a footer out
        write_review([outcome], out, [], "auto")
    with zipfile.ZipFile(out) as zf:
        for member in zf.namelist():
            if member.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(member) and b"<f " not in zf.read(member)
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@", "＝", "＋", "－", "＠")):
                    assert cell.data_type == "s" and cell.quotePrefix, (ws.title, cell.coordinate)


ENGINE = Engine()


def test_decisions_survive_a_new_round_even_reordered(review: Path, tmp_path: Path) -> None:
    filled = tmp_path / "filled.xlsx"
    wb = openpyxl.load_workbook(review)
    ws = wb["问题清单"]
    typed = {}
    for row in list(ws.iter_rows(min_row=2))[:5]:
        row[DECISION].value, row[COMMENT].value = "误报", f"理由{row[0].value}"
        row[REVIEWER].value, row[DATE].value = "张三", "2026-11-26"
        typed[(Path(row[FILE].value).name, row[FP].value)] = f"理由{row[0].value}"
    wb.save(filled)
    # the next round: the text source with two indicator rows swapped and lines inserted above
    lines = SEED.read_text(encoding="utf-8").split("\n")
    lines[483], lines[484] = lines[484], lines[483]
    moved = tmp_path / "山西省信访局2024年单位预算.txt"
    moved.write_text("\n\n" + "\n".join(lines), encoding="utf-8")
    inputs = [str(moved), *EXAMPLES[1:]]
    second = tmp_path / "round2.xlsx"
    result = runner.invoke(app, ["review", *inputs, "-o", str(second), "--previous", str(filled), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    ws2 = openpyxl.load_workbook(second)["问题清单"]
    # Per file (issue 17): the same finding in another file keeps its own (empty) decision.
    carried = {(Path(r[FILE].value).name, r[FP].value): (r[DECISION].value, r[COMMENT].value, r[REVIEWER].value,
                                                           r[DATE].value)
               for r in ws2.iter_rows(min_row=2)}  # fmt: skip
    for key, comment in typed.items():
        assert carried[key] == ("误报", comment, "张三", "2026-11-26")


def test_dropped_decisions_are_listed(review: Path, tmp_path: Path) -> None:
    filled = tmp_path / "filled.xlsx"
    wb = openpyxl.load_workbook(review)
    ws = wb["问题清单"]
    sat = next(r for r in ws.iter_rows(min_row=2) if r[CODE].value == "SAT002")
    sat[DECISION].value, sat[COMMENT].value = "确认需修改", "请提高到90%"
    wb.save(filled)
    fixed = tmp_path / "seed.txt"
    fixed.write_text(SEED.read_text(encoding="utf-8").replace("≥83%", "≥93%"), encoding="utf-8")
    out = tmp_path / "r2.xlsx"
    result = runner.invoke(app, ["review", str(fixed), "-o", str(out), "--previous", str(filled)])
    assert result.exit_code == 0 and "已不存在" in result.stderr
    intro = "\n".join(str(c.value) for row in openpyxl.load_workbook(out)["说明"].iter_rows() for c in row if c.value)
    assert "请提高到90%" in intro


def test_import_review_makes_suppressions(review: Path, tmp_path: Path) -> None:
    filled = tmp_path / "filled.xlsx"
    wb = openpyxl.load_workbook(review)
    rows = list(wb["问题清单"].iter_rows(min_row=2))
    sat = next(r for r in rows if r[CODE].value == "SAT002" and str(r[FILE].value).startswith("山西"))
    sat[DECISION].value, sat[COMMENT].value = "接受例外", "网上参评口径，已报备"
    time = next(r for r in rows if r[CODE].value == "TIME002")
    time[DECISION].value = "误报"  # no reason: must be skipped
    wb.save(filled)
    sup = tmp_path / "jixiao-suppressions.toml"
    result = runner.invoke(app, ["import-review", str(filled), "--suppressions", str(sup)])
    assert result.exit_code == 0 and "新增 1 条" in result.stderr and "跳过" in result.stderr
    doc = json.loads(runner.invoke(app, ["check", str(SEED), "--suppressions", str(sup), "--format", "json"]).stdout)
    suppressed = [f for s in doc["files"][0]["sheets"] for f in s["findings"] if f["suppressed"]]
    assert [(f["code"], f["suppressed"]["reason"]) for f in suppressed] == [
        ("SAT002", "接受例外：网上参评口径，已报备")
    ]
    again = runner.invoke(app, ["import-review", str(filled), "--suppressions", str(sup)])
    assert "新增 0 条" in again.stderr  # idempotent


def test_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "a.xlsx"
    shutil.copy(EXAMPLES[1], src)
    before = src.read_bytes()
    link = tmp_path / "link.xlsx"
    link.symlink_to(src)
    (tmp_path / "d").mkdir()
    for out in (src, link, tmp_path / "d" / ".." / "a.xlsx"):
        proc = subprocess.run([sys.executable, "-m", "checker", "review", str(src), "-o", str(out)],
                              capture_output=True, text=True, timeout=120)  # fmt: skip
        assert proc.returncode == 3, proc.stderr
        assert src.read_bytes() == before


def _faulty_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str) -> tuple[int, str]:
    out = tmp_path / "审核表.xlsx"
    if not out.exists():
        assert runner.invoke(app, ["review", str(SEED), "-o", str(out)]).exit_code == 0
    import xlsxwriter

    if fault == "serialise":

        def boom(self):  # type: ignore[no-untyped-def]
            Path(self.filename).write_bytes(b"partial")
            raise ValueError("serialisation failed")

        monkeypatch.setattr(xlsxwriter.Workbook, "close", boom)
    else:

        def deny(a, b):  # type: ignore[no-untyped-def]
            raise PermissionError(32, "The process cannot access the file")

        monkeypatch.setattr(os, "replace", deny)
        (tmp_path / f"~${out.name}").write_text("owner")
    before = hashlib.sha256(out.read_bytes()).hexdigest()
    result = runner.invoke(app, ["review", str(SEED), "-o", str(out)])
    monkeypatch.undo()
    assert hashlib.sha256(out.read_bytes()).hexdigest() == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert not leftovers, leftovers
    return result.exit_code, result.stderr


def test_atomic_save_when_serialisation_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, err = _faulty_run(tmp_path, monkeypatch, "serialise")
    assert code == 4 and ("crash report" in err or "崩溃报告" in err)


def test_locked_output_says_close_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, err = _faulty_run(tmp_path, monkeypatch, "replace")
    assert code == 3 and "审核表.xlsx" in err and "close" in err

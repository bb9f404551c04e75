"""Never a silent pass (project issue 10): unread goal sheets, cut-off tables, runs with no input, files
without a goal sheet, the budget year and where it came from, and the coverage line of every summary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from jsonschema import Draft7Validator, Draft202012Validator
from typer.testing import CliRunner

from checker.api import parse_path
from checker.cli import app
from checker.facts import build_facts
from tests.conftest import ROOT, SEED

runner = CliRunner()
REPORT_SCHEMA = json.loads((ROOT / "checker" / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
PARSE_SCHEMA = json.loads((ROOT / "checker" / "schemas" / "parse-output.schema.json").read_text(encoding="utf-8"))
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

HEAD = (
    "项目名称\t测试项目\n项目资金（万元）\t年度资金总额\t250\n\t财政拨款\t250\n"
    "年度目标\t目标1：完成培训500人次。\n一级指标\t二级指标\t三级指标\t指标值\n"
)
TABLE = (
    "产出指标\t数量指标\t培训人次\t≥500人次\n\t质量指标\t考核合格率\t≥95%\n\t时效指标\t完成时间\t2024年11月30日前\n"
    "\t成本指标\t人均成本\t≤2000元/人\n效益指标\t社会效益指标\t业务考核通过率\t≥90%\n"
)
SATISFACTION = "满意度指标\t服务对象满意度指标\t学员满意度\t≥90%\n"
# A goal sheet whose body did not survive the extraction: the header says what it is, no row can be read.
UNREADABLE = (
    "某单位2024年项目支出绩效目标表\n项目名称：测试项目\n一级指标\t二级指标\t三级指标\t指标值\n"
    "（表格内容为图片，未能提取文字）\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _json(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = runner.invoke(app, ["check", *args, "--format", "json", "--jobs", "1"])
    doc = json.loads(result.stdout)
    errors = list(Draft202012Validator(REPORT_SCHEMA).iter_errors(doc))
    assert not errors, errors[0]
    return result.exit_code, doc


def _findings(doc: dict) -> list[dict]:  # type: ignore[type-arg]
    return [f for file in doc["files"] for s in file["sheets"] for f in s["findings"]]


# -- 1. a goal sheet that is there but cannot be read ---------------------------------------------------


def test_unreadable_body_is_an_error_at_the_marker_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "unreadable.txt", UNREADABLE)
    code, doc = _json(str(path))
    assert code == 1  # an error: a CI job fails instead of passing a sheet nobody read
    (unread,) = [s for s in doc["files"][0]["sheets"] if s.get("unread")]
    (finding,) = unread["findings"]
    assert finding["code"] == "PRS004" and finding["severity"] == "error"
    assert finding["location"]["line"] == 3  # the indicator table's header
    assert "未能读出任何指标" in finding["message"] and "no indicator could be read" in finding["message_en"]
    assert "xlsx" in finding["message"] and "已尝试的版式识别" in finding["message"]  # what was tried, what to do
    assert doc["summary"]["coverage"]["sheets_unread"] == 1
    text = runner.invoke(app, ["check", str(path), "--jobs", "1"])
    assert (
        text.exit_code == 1
        and "项目: 测试项目 （未识别）" in text.stdout
        and f"{path}:3:1: PRS004 [错误]" in text.stdout
    )
    english = runner.invoke(app, ["check", str(path), "--lang", "en", "--jobs", "1"]).stdout
    assert "project: 测试项目 (unread)" in english and "no indicator could be read" in english


@pytest.mark.parametrize("project", ["项目名称：测试项目\n", ""])
def test_an_unread_sheet_gets_only_prs_rules_and_stays_out_of_parse_sheets(tmp_path: Path, project: str) -> None:
    # With or without a 项目名称 that was read, an empty table is not judged: STR/SAT findings about it
    # would only repeat that nothing was read.
    text = "\n" * 3 + project + "一级指标\t二级指标\t三级指标\t指标值\n（表格内容为图片，未能提取文字）\n"
    path = _write(tmp_path, "unreadable.txt", text)
    _, doc = _json(str(path))
    assert [(f["code"], f["location"]["line"]) for f in _findings(doc)] == [("PRS004", 4 + bool(project))]
    assert [s["project"] for s in doc["files"][0]["sheets"]] == ["测试项目" if project else ""]
    parsed = parse_path(path).to_json()
    assert not list(Draft202012Validator(PARSE_SCHEMA).iter_errors(parsed))
    assert parsed["sheets"] == [] and [p["code"] for p in parsed["problems"]] == ["PRS004"]


@pytest.mark.parametrize(
    "text",
    [
        "本单位2024年绩效目标已按要求编制，详见附件。\n",
        "十、绩效管理情况\n本单位已公开项目绩效目标表，详见附件。\n",  # one marker word only
        "绩效目标表\n" + "正文。\n" * 40 + "产出指标方面另行说明。\n",  # two words, but far apart
    ],
)
def test_a_narrative_mentioning_goals_is_not_a_goal_sheet(tmp_path: Path, text: str) -> None:
    folder = tmp_path / "材料"
    folder.mkdir()
    _write(folder, "预算说明.txt", text)
    code, doc = _json(str(folder))  # found by walking a folder: nothing to say
    assert code == 0 and _findings(doc) == [] and doc["files"][0]["sheets"] == []
    assert doc["summary"]["coverage"]["files_without_sheet"] == 1
    code, doc = _json(str(folder / "预算说明.txt"))  # named: only the "no goal sheet here" warning
    assert code == 0 and [f["code"] for f in _findings(doc)] == ["PRS006"]


# -- 2. no input is an error; a named file without a goal sheet is a warning --------------------------


@pytest.mark.parametrize("command", ["check", "review"])
@pytest.mark.parametrize("case", ["empty folder", "glob", "missing"])
def test_no_input_exits_2_with_one_line(tmp_path: Path, command: str, case: str) -> None:
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    _write(empty, "说明.pptx", "not a supported kind")
    missing = tmp_path / "无此文件.txt"
    arg = {"empty folder": str(empty), "glob": str(tmp_path / "*.xlsx"), "missing": str(missing)}[case]
    extra = ["-o", str(tmp_path / "审核表.xlsx")] if command == "review" else []
    result = runner.invoke(app, [command, arg, *extra])
    assert result.exit_code == 2
    lines = result.stderr.strip().split("\n")
    assert len(lines) == 1 and arg in lines[0] and " / " in lines[0] and "Traceback" not in result.stderr
    assert result.stdout == "" and not (tmp_path / "审核表.xlsx").exists()


def test_no_input_subprocess_prints_one_stderr_line(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "checker", "check", str(tmp_path)], capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "no file to check in this folder" in proc.stderr
    assert "文件夹中没有可检查的文件" in proc.stderr


def test_a_named_unrelated_file_gets_a_warning(tmp_path: Path) -> None:
    path = _write(tmp_path, "会议纪要.txt", "会议纪要\n一、会议议定事项\n二、下一步工作安排\n")
    code, doc = _json(str(path))
    (finding,) = _findings(doc)
    assert code == 0 and finding["code"] == "PRS006" and finding["severity"] == "warning"
    assert "未找到绩效目标表" in finding["message"]
    assert runner.invoke(app, ["check", str(path), "--fail-on", "warning"]).exit_code == 1


# -- 3. the budget year ---------------------------------------------------------------------------------


def test_year_from_the_sheet_header_never_from_prose(tmp_path: Path) -> None:
    body = HEAD + TABLE + SATISFACTION
    path = _write(tmp_path, "sheet.txt", "依据2018年文件\n（2024年度）\n" + body)
    (sheet,) = parse_path(path).sheets
    assert sheet.year == 2024 and sheet.budget_year is not None
    assert (sheet.budget_year.origin, sheet.budget_year.location.line) == ("header", 2)
    # Prose alone says nothing about the budget year, however often it names one.
    path = _write(tmp_path, "prose.txt", "依据2018年文件精神，2018年起实施，参照2018年标准。\n" + body)
    (sheet,) = parse_path(path).sheets
    assert sheet.year is None and sheet.budget_year is not None and sheet.budget_year.origin == "none"
    # A title line among the opening rows of the document is the sheet's header too.
    path = _write(tmp_path, "titled.txt", "2023年项目支出绩效目标表\n填报说明：依据2018年文件。\n" + body)
    (sheet,) = parse_path(path).sheets
    assert (sheet.year, sheet.budget_year.origin if sheet.budget_year else None) == (2023, "header")


def test_year_from_option_and_config_and_the_rules_follow_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "sheet.txt", "（2024年度）\n" + HEAD + TABLE + SATISFACTION)
    _, doc = _json(str(path))
    (sheet,) = doc["files"][0]["sheets"]
    assert sheet["budget_year"]["year"] == 2024 and sheet["budget_year"]["from"] == "header"
    assert doc["summary"]["budget_years"] == [{"year": 2024, "from": "header", "sheets": 1}]
    assert not [f for f in _findings(doc) if f["code"] == "TIME001"]  # 2024年11月30日前 is within 2024
    # --year wins over the header, and TIME001 now judges the deadline against 2023.
    _, doc = _json(str(path), "--year", "2023")
    assert doc["files"][0]["sheets"][0]["budget_year"] == {"year": 2023, "from": "option", "detail": "--year"}
    assert [f["code"] for f in _findings(doc) if f["code"] == "TIME001"] == ["TIME001"]
    text = runner.invoke(app, ["check", str(path), "--year", "2023"]).stdout
    assert "预算年度：2023（--year）" in text
    # The config's year is used when --year is not given, and named with its file (found from the working
    # directory: issue 17).
    config = _write(tmp_path, "jixiao.toml", "year = 2022\n")
    monkeypatch.chdir(tmp_path)
    _, doc = _json(str(path))
    assert doc["files"][0]["sheets"][0]["budget_year"] == {"year": 2022, "from": "config", "detail": str(config)}
    _, doc = _json(str(path), "--year", "2025")
    assert doc["files"][0]["sheets"][0]["budget_year"]["year"] == 2025
    assert runner.invoke(app, ["check", str(path), "--year", "1999"]).exit_code == 2
    parsed = json.loads(runner.invoke(app, ["parse", str(path), "--year", "2021"]).stdout)
    assert parsed["sheets"][0]["budget_year"] == {"year": 2021, "from": "option", "detail": "--year"}


# -- 1b. a table the text cuts off --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tail", "line"),
    [
        ("满意度指标\t服务对象满意度指标\n", 11),  # a group begun, nothing under it, then the end
        ("满意度指标\t服务对象满意度指标\t学员满意度\t\n", 11),  # the end right after a name, no value
    ],
)
def test_a_cut_off_table_is_incomplete_input(tmp_path: Path, tail: str, line: int) -> None:
    path = _write(tmp_path, "cut.txt", HEAD + TABLE + tail)
    (sheet,) = parse_path(path).sheets
    (problem,) = [p for p in sheet.problems if p.code == "PRS005"]
    assert problem.location.line == line and "输入不完整" in problem.message_zh
    _, doc = _json(str(path))
    (finding,) = [f for f in _findings(doc) if f["code"] == "PRS005"]
    assert finding["severity"] == "warning" and finding["location"]["line"] == line
    assert "incomplete input" in finding["message_en"]


def test_a_text_that_stops_before_the_satisfaction_group_is_cut_off(tmp_path: Path) -> None:
    # The corpus pages keep their first 2,000 characters: a table that ends in 效益 with nothing after it
    # was cut, and the satisfaction group it never reached is unknown, not missing (PRS005 supersedes SAT001).
    path = _write(tmp_path, "cut.txt", HEAD + TABLE)
    (sheet,) = parse_path(path).sheets
    (problem,) = [p for p in sheet.problems if p.code == "PRS005"]
    assert problem.location.line == 10 and "满意度" in problem.message_zh
    _, doc = _json(str(path))
    assert "SAT001" not in {f["code"] for f in _findings(doc)}
    # Text after the table: the sheet ended there, and its missing satisfaction group is its own fault.
    path = _write(tmp_path, "ended.txt", HEAD + TABLE + "\n二、其他说明\n本表由财务科填报。\n")
    assert not [p for p in parse_path(path).sheets[0].problems if p.code == "PRS005"]
    _, doc = _json(str(path))
    assert "SAT001" in {f["code"] for f in _findings(doc)}


@pytest.mark.parametrize("tail", ["", "\n\n", "\n二、其他说明\n本表由财务科填报。\n"])
def test_a_complete_table_is_not_cut_off(tmp_path: Path, tail: str) -> None:
    path = _write(tmp_path, "whole.txt", HEAD + TABLE + SATISFACTION + tail)
    (sheet,) = parse_path(path).sheets
    assert not [p for p in sheet.problems if p.code == "PRS005"]


# -- 4. the coverage line -------------------------------------------------------------------------------


def test_coverage_on_the_seed_matches_the_parsed_sheets() -> None:
    sheets = parse_path(SEED).sheets
    rows = sum(len(s.indicators) for s in sheets)
    not_applicable = sum(len(build_facts(s).not_applicable) for s in sheets)
    _, doc = _json(str(SEED))
    assert doc["summary"]["coverage"] == {
        "files": 1, "files_read": 1, "files_unreadable": 0, "files_without_sheet": 0, "sheets_read": len(sheets),
        "sheets_unread": 0, "indicator_rows": rows, "rows_not_applicable": not_applicable,
        "rows_checked": rows - not_applicable,
    }  # fmt: skip
    assert [s["indicator_rows"] for s in doc["files"][0]["sheets"]] == [len(s.indicators) for s in sheets]
    years = {(s.year, s.budget_year.origin if s.budget_year else "none") for s in sheets}
    assert [(y["year"], y["from"]) for y in doc["summary"]["budget_years"]] == sorted(years)
    text = runner.invoke(app, ["check", str(SEED)]).stdout.splitlines()
    assert text[-3].startswith(f"读取：1 个文件，{len(sheets)} 个项目，{rows} 行指标")
    assert text[-2].startswith("预算年度：") and text[-1].startswith("共检查 1 个文件")


def test_coverage_counts_what_was_not_read(tmp_path: Path) -> None:
    good = _write(tmp_path, "good.txt", HEAD + TABLE + SATISFACTION)
    unread = _write(tmp_path, "unreadable.txt", UNREADABLE)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    other = _write(tmp_path, "other.txt", "会议纪要\n")
    _, doc = _json(str(good), str(unread), str(broken), str(other))
    cov = doc["summary"]["coverage"]
    assert (cov["files"], cov["files_read"], cov["files_unreadable"], cov["files_without_sheet"]) == (4, 3, 1, 1)
    assert (cov["sheets_unread"], cov["indicator_rows"]) == (1, len(parse_path(good).sheets[0].indicators))
    assert cov["sheets_read"] == doc["summary"]["sheets"]  # an unread placeholder is not a sheet read
    result = runner.invoke(app, ["check", str(good), str(unread), str(broken), str(other), "--jobs", "1"])
    assert "未读出：1 个文件无法读取，1 张表未能读出指标，1 个文件中没有绩效目标表" in result.stdout
    sarif = json.loads(runner.invoke(app, ["check", str(good), str(unread), "--format", "sarif"]).stdout)
    assert not list(Draft7Validator(SARIF_SCHEMA).iter_errors(sarif))
    props = sarif["runs"][0]["properties"]
    assert props["coverage"]["sheets_unread"] == 1 and props["budgetYears"][0]["from"] == "none"
    unread_result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "PRS004")
    assert unread_result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "测试项目"
    nameless = _write(tmp_path, "nameless.txt", UNREADABLE.replace("项目名称：测试项目\n", ""))
    sarif = json.loads(runner.invoke(app, ["check", str(nameless), "--format", "sarif"]).stdout)
    (result,) = sarif["runs"][0]["results"]
    assert result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "nameless.txt"


def test_review_intro_says_what_was_read_and_the_year(tmp_path: Path) -> None:
    unread = _write(tmp_path, "unreadable.txt", UNREADABLE)
    out = tmp_path / "审核表.xlsx"
    result = runner.invoke(app, ["review", str(SEED), str(unread), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    intro = {row[0].value: row[1].value for row in wb["说明"].iter_rows() if row[0].value and len(row) > 1}
    sheets = parse_path(SEED).sheets
    rows = sum(len(s.indicators) for s in sheets)
    assert intro["读取情况"].startswith(f"2 个文件，{len(sheets)} 个项目，{rows} 行指标")
    assert "1 张表未能读出指标" in intro["读取情况"] and intro["预算年度"].startswith("2024（表头")
    projects = [row[1].value for row in wb["汇总"].iter_rows(min_row=2)]
    assert "测试项目（未识别）" in projects

"""`jixiao template`: the workbook's structure, and the round trip — a template filled in by openpyxl (and
the same re-saved by LibreOffice) reads, through the ordinary reader and parser, as exactly what was
filled in, under the right framework, with no structural finding the template itself causes."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from checker.cli import app
from checker.config import Config
from checker.template.spec import TemplateSpec, build_spec
from checker.template.workbook import LISTS, render
from tests.pdfs.make import convert, soffice

runner = CliRunner()
STRUCTURAL = ("STR", "PRS", "FUND002", "FUND003")  # what a form's layout, not its content, would cause

HEADER = {
    "项目名称": "社区养老服务培训项目",
    "主管部门": "某市民政局",
    "项目属性": "延续项目",
    "项目概况": "为全市养老护理员开展技能培训。",
    "立项依据": "《某市养老服务条例》（某政发〔2020〕1号）",
    "项目设立必要性": "护理员持证率低。",
    "保证项目实施的制度、措施": "制定培训管理办法，专人负责。",
    "项目实施计划": "1-3月招标，4-11月培训，12月验收。",
    "年度目标": "目标1：培训养老护理员500人次，验收合格率95%以上。目标2：学员满意度达到90%以上。",
}
PAIRED = {"主管部门": "某市养老服务中心", "项目属性": "2025年1月-2025年12月"}  # 实施单位, 实施期


Row = tuple[str, str, str, str, str, str]  # 一级, 二级, 三级, 指标性质, 指标值, 度量单位


def _labels(ws: Any) -> dict[str, int]:
    return {str(ws.cell(r, 1).value): r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}


def fill(template: bytes, rows: dict[int, Row], sheet: str = "申报表", funding: float = 100) -> bytes:
    """The template filled in the way a clerk would, through openpyxl: ``rows`` by table row offset."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb[sheet]
    at = _labels(ws)
    for label, text in HEADER.items():
        ws.cell(at[label], 2).value = text
    for label, text in PAIRED.items():
        ws.cell(at[label], 5).value = text
    money = next(r for label, r in at.items() if label.startswith("项目资金"))
    ws.cell(money, 3).value, ws.cell(money + 1, 3).value, ws.cell(money + 2, 3).value = funding, funding, 0
    head = at["绩效指标"]
    for offset, row in rows.items():
        for col, value in enumerate(row, 2):
            ws.cell(head + 1 + offset, col).value = value or None
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _written(row: Row) -> str:
    comparator = "" if row[3] == "定性" else row[3]
    return f"{comparator}{row[4]}{row[5]}"


def _read(path: Path) -> Any:
    from checker.api import check_path

    return check_path(path, Config(), named=True)


def _example_rows(spec: TemplateSpec) -> dict[int, Row]:
    per = int(spec.data["rows_per_level2"])
    return {
        n * per: (l2.level1, l2.name, l2.example.name, l2.example.comparator, l2.example.value, l2.example.unit)
        for n, l2 in enumerate(spec.level2)
    }


def _assert_reads_as_filled(path: Path, spec: TemplateSpec, rows: dict[int, Row]) -> Any:
    report = _read(path)
    assert len(report.sheets) == 1, [s.sheet.project for s in report.sheets]
    result = report.sheets[0]
    got = [(i.level1, i.level2, i.name, i.value.raw) for i in result.sheet.indicators]
    assert got == [(r[0], r[1], r[2], _written(r)) for _, r in sorted(rows.items())]
    assert result.framework == spec.framework
    assert result.sheet.project == HEADER["项目名称"]
    assert result.sheet.funding is not None and result.sheet.funding.unit == "万元"
    structural = [f"{f.code} {f.message}" for f in result.findings if f.code.startswith(STRUCTURAL)]
    assert not structural
    return result


@pytest.mark.parametrize(("framework", "pack"), [("fw2015", None), ("fw2021", None), (None, "shanxi")])
def test_every_example_reads_back_and_passes_the_pack(framework: str | None, pack: str | None, tmp_path: Path) -> None:
    spec = build_spec(framework, pack)
    rows = _example_rows(spec)
    path = tmp_path / "filled.xlsx"
    path.write_bytes(fill(render(spec), rows))
    result = _assert_reads_as_filled(path, spec, rows)
    # The examples are what the input messages and 填写说明 hold up as good: no rule of the pack objects to one.
    rows_at = {i.location for i in result.sheet.indicators}
    assert not [f"{f.code} {f.message}" for f in result.findings if f.location in rows_at]


def _row(spec: TemplateSpec) -> st.SearchStrategy[Row]:
    level2 = st.sampled_from(spec.level2)
    name = st.text(alphabet="培训人次验收合格率完成时限服务对象数量", min_size=2, max_size=8)
    value = st.one_of(
        st.tuples(
            st.sampled_from(["≥", "≤", "=", ">", "<"]),
            st.integers(1, 9999).map(str),
            st.sampled_from(["%", "人次", "元/人", "个"]),
        ),
        st.tuples(st.just("定性"), st.sampled_from(["12月31日前完成", "达到一级标准", "按期完成"]), st.just("")),
    )
    return st.builds(lambda l2, n, v: (l2.level1, l2.name, n, *v), level2, name, value)


@pytest.mark.parametrize("framework", ["fw2015", "fw2021"])
def test_any_filled_rows_read_back_exactly(framework: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    spec = build_spec(framework)
    template = render(spec)
    size = int(spec.data["rows_per_level2"]) * len(spec.level2)
    folder = tmp_path_factory.mktemp(framework)

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.dictionaries(st.integers(0, size - 1), _row(spec), min_size=1, max_size=size))
    def check(rows: dict[int, Row]) -> None:
        path = folder / "filled.xlsx"
        path.write_bytes(fill(template, rows))
        report = _read(path)
        result = report.sheets[0]
        got = [(i.level1, i.level2, i.name, i.value.raw) for i in result.sheet.indicators]
        assert got == [(r[0], r[1], r[2], _written(r)) for _, r in sorted(rows.items())]
        assert len(report.sheets) == 1
        assert not [f.code for f in result.findings if f.code.startswith(("PRS", "STR001", "STR010", "STR011"))]

    check()


def _structure(data: bytes) -> dict[str, Any]:
    """What must survive a re-save: validations, names, protection, print set-up, the hidden lists."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["申报表"]
    lists = wb[LISTS]
    names = {}
    for name, defined in wb.defined_names.items():
        (sheet, ref), *_ = defined.destinations
        names[name] = [c.value for row in lists[ref.replace("$", "")] for c in row]
        assert sheet == LISTS
    validations = {
        str(dv.sqref): (dv.type, (dv.formula1 or "").lstrip("="), dv.promptTitle)
        for dv in ws.data_validations.dataValidation
        if dv.type is not None
    }
    at = _labels(ws)
    head = at["绩效指标"]
    return {
        "names": names,
        "validations": validations,
        "prompts": sorted(dv.promptTitle for dv in ws.data_validations.dataValidation if dv.showInputMessage),
        "protected": (ws.protection.sheet, ws["A2"].protection.locked, ws["B2"].protection.locked,
                      ws.cell(head, 2).protection.locked, ws.cell(head + 1, 4).protection.locked),
        "lists_hidden": lists.sheet_state,
        "print": (ws.page_setup.paperSize, ws.page_setup.fitToWidth, bool(ws.sheet_properties.pageSetUpPr.fitToPage),
                  ws.print_title_rows),
        "head": head,
    }  # fmt: skip


def test_dropdowns_protection_and_print_setup() -> None:
    spec = build_spec("fw2021")
    got = _structure(render(spec))
    head, last = got["head"], got["head"] + 2 * len(spec.level2)
    assert got["names"]["一级指标"] == list(spec.level1)
    for level1 in spec.level1:  # the dependent list: each 一级 names the range of its 二级
        assert got["names"][level1] == list(spec.children(level1))
    assert "%" in got["names"]["度量单位"]
    v = got["validations"]
    assert v[f"B{head + 1}:B{last}"][:2] == ("list", "一级指标")
    assert v[f"C{head + 1}:C{last}"][:2] == ("list", f"INDIRECT($B{head + 1})")
    assert v[f"E{head + 1}:E{last}"][:2] == ("list", '"≥,≤,=,>,<,定性"')
    assert v[f"G{head + 1}:G{last}"][:2] == ("list", "度量单位")
    for l2 in spec.level2:  # each block of rows says what its 二级 wants
        assert any(p.startswith(l2.name) for p in got["prompts"])
    assert got["protected"] == (True, True, False, True, False)
    assert got["lists_hidden"] == "hidden"
    assert got["print"] == (9, 1, True, f"${head}:${head}")  # A4, one page wide, the table head repeated


def test_units_accept_free_entry_and_lists_refuse_it() -> None:
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(render(build_spec())))["申报表"]
    by_title = {dv.promptTitle: dv for dv in ws.data_validations.dataValidation}
    assert by_title["度量单位"].showErrorMessage is False
    assert by_title["一级指标"].showErrorMessage and by_title["二级指标"].showErrorMessage


def test_instructions_sheet_has_an_example_for_every_level2() -> None:
    import openpyxl

    spec = build_spec("fw2015", "shanxi")
    ws = openpyxl.load_workbook(io.BytesIO(render(spec)))["填写说明"]
    rows = {(r[1], r[3], r[4]) for r in ws.iter_rows(values_only=True) if r[1]}
    for l2 in spec.level2:
        assert (l2.name, l2.example.name, l2.example.written) in rows
    text = " ".join(str(c) for r in ws.iter_rows(values_only=True) for c in r if c)
    assert "不低于 85%" in text  # the 山西 pack's own floor (SAT002 min_percent), not the common 90


def test_blank_template_says_it_holds_an_unread_form(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    path.write_bytes(render(build_spec()))
    assert [f.code for f in _read(path).findings] == ["PRS004"]


def test_several_projects_one_sheet_each(tmp_path: Path) -> None:
    spec = build_spec("fw2015", projects=3)
    data = render(spec)
    rows = _example_rows(spec)
    for n in (1, 2, 3):
        data = fill(data, rows, sheet=f"项目{n}", funding=100 * n)
    path = tmp_path / "three.xlsx"
    path.write_bytes(data)
    report = _read(path)
    assert [s.sheet.location.sheet for s in report.sheets] == ["项目1", "项目2", "项目3"]
    assert all(len(s.sheet.indicators) == len(spec.level2) for s in report.sheets)


def test_cli_writes_atomically_and_refuses_bad_options(tmp_path: Path) -> None:
    out = tmp_path / "申报表.xlsx"
    ok = runner.invoke(app, ["template", "-o", str(out), "--framework", "2021"])
    assert ok.exit_code == 0 and out.exists()
    for args, code in ((["--framework", "fw1999"], 2), (["--pack", "nope"], 2), (["--projects", "0"], 2),
                       (["--pack", "shanxi", "--framework", "fw2021"], 2)):  # fmt: skip
        assert runner.invoke(app, ["template", "-o", str(tmp_path / "x.xlsx"), *args]).exit_code == code
    assert runner.invoke(app, ["template", "-o", str(tmp_path / "x.xls")]).exit_code == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["申报表.xlsx"]


@pytest.mark.slow
def test_libreoffice_resave_keeps_dropdowns_protection_and_the_reading(tmp_path: Path) -> None:
    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    spec = build_spec("fw2021")
    template = render(spec)
    rows = _example_rows(spec)
    src = tmp_path / "src"
    src.mkdir()
    (src / "template.xlsx").write_bytes(template)
    (src / "filled.xlsx").write_bytes(fill(template, rows))
    resaved = tmp_path / "resaved"
    resaved.mkdir()
    convert([src / "template.xlsx", src / "filled.xlsx"], "xlsx", resaved)
    before, after = _structure(template), _structure((resaved / "template.xlsx").read_bytes())
    assert after == before
    _assert_reads_as_filled(resaved / "filled.xlsx", spec, rows)
    # and a clerk filling the re-saved template (LibreOffice's own file) reads back the same
    (src / "refilled.xlsx").write_bytes(fill((resaved / "template.xlsx").read_bytes(), rows))
    _assert_reads_as_filled(src / "refilled.xlsx", spec, rows)
    shutil.rmtree(src)

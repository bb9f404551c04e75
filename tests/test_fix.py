"""`jixiao fix` / `check --fix`: what is fixed, that nothing else changes, and that re-checking agrees.

A fix must (1) answer an active finding of its rule, (2) keep the value's meaning, (3) change only the
fixed cells, (4) never introduce a formula, and (5) leave a file whose re-check shows those findings gone
and no finding that was not there before (a finding that was hidden behind the fixed one as a follow-on,
``superseded``, may show once its root cause is fixed).
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from checker.cli import app
from checker.config import Config
from checker.findings import Report
from checker.fix.plan import FORMULA_START
from checker.fix.run import FixResult, fix_file
from checker.model import Location, ValueKind
from checker.parse.spelling import percent_word, respell, serial_date
from checker.parse.values import parse_value
from tests.conftest import ROOT, SEED

runner = CliRunner()
FORM = ROOT / "examples" / "项目支出绩效目标申报表.xlsx"
CORPUS = ROOT / "tests" / "data" / "corpus"

# ---------------------------------------------------------------- the rewrite itself


def _meaning(raw: str) -> tuple[object, ...]:
    v = parse_value(raw)
    return (v.kind, v.comparator, v.number, v.high, v.unit, v.deadline)


_WIDE_DIGIT = {str(i): chr(0xFF10 + i) for i in range(10)}


@st.composite
def messy_values(draw: st.DrawFn) -> tuple[str, str]:
    """(a value as a clerk might type it, the same value written the standard way)."""
    comparator = draw(st.sampled_from(["≥", "≤", ">", "<", "", ">=", "<=", "≧", "≦", "＞", "＜"]))
    standard = {">=": "≥", "<=": "≤", "≧": "≥", "≦": "≤", "＞": ">", "＜": "<"}.get(comparator, comparator)
    number = draw(st.from_regex(r"[1-9][0-9]{0,4}(\.[0-9]{1,2})?", fullmatch=True))
    unit = draw(st.sampled_from(["%", "人次", "元/人", "个工作日", "平方米", "万元"]))
    wide = draw(st.booleans())
    typed_number = "".join(_WIDE_DIGIT.get(c, "．" if c == "." else c) for c in number) if wide else number
    typed_unit = "％" if wide and unit == "%" else unit
    gap = draw(st.sampled_from(["", "\t", "  ", "\u3000", "\n"]))
    edge = draw(st.sampled_from(["", " ", "\t", "\n", "\u3000"]))
    return f"{edge}{comparator}{typed_number}{gap}{typed_unit}{edge}", f"{standard}{number}{unit}"


@settings(max_examples=300, deadline=None)
@given(messy_values())
def test_respell_keeps_the_meaning_and_writes_the_standard_form(pair: tuple[str, str]) -> None:
    typed, standard = pair
    fixed = respell(typed)
    if typed == standard:
        assert fixed is None
        return
    assert fixed is not None, typed
    assert fixed.text == standard
    assert _meaning(fixed.text) == _meaning(typed)
    assert respell(fixed.text) is None  # idempotent: the standard form needs nothing


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="≥≤<>=％%０１９0-9 .．\t\n\u3000人次元/不适用无好较提升", max_size=14))
def test_respell_never_changes_what_a_value_means(raw: str) -> None:
    fixed = respell(raw)
    if fixed is not None:
        if parse_value(raw).kind is ValueKind.NOT_APPLICABLE:
            assert parse_value(fixed.text).kind is ValueKind.NOT_APPLICABLE
        else:
            assert _meaning(fixed.text) == _meaning(raw)
        assert respell(fixed.text) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("≥９５％", "≥95%"), (">=95%", "≥95%"), ("≦3个工作日", "≤3个工作日"), ("≥95\t%", "≥95%"), (" ≥95%\n", "≥95%"),
     ("不适应", "不适用"), ("／", "不适用"), ("不 适用", "不适用"), ("提升\t明显", "提升 明显")],
)  # fmt: skip
def test_respell_cases(raw: str, expected: str) -> None:
    fixed = respell(raw)
    assert fixed is not None and fixed.text == expected


@pytest.mark.parametrize("raw", ["≥95%", "≤10000 元", "无", "不适用", "好 较好 一般", "1-12月", "不适用(无此支出)"])
def test_respell_leaves_standard_writing_alone(raw: str) -> None:
    assert respell(raw) is None


def test_percent_word_and_serial_dates() -> None:
    assert percent_word("≥85百分比") == "≥85%"
    assert percent_word("≥85%") is None and percent_word("百分比") is None
    assert serial_date("44561") == "2021年12月31日" and serial_date("44,561") == "2021年12月31日"
    assert serial_date("45657") == "2024年12月31日"
    assert serial_date("95") is None and serial_date("200000") is None and serial_date("44561人") is None


# ---------------------------------------------------------------- workbooks


def _with_cached_value(data: bytes, sheet_part: str, ref: str, value: str) -> bytes:
    """openpyxl writes formulas without their results; Excel stores both. Put the result in, as Excel would."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == sheet_part:
                body = re.sub(
                    rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?'.encode(),
                    rb"\1\2<v>" + value.encode() + b"</v>",
                    body,
                )
            dst.writestr(info, body)
        # A part openpyxl does not know (a picture pasted into the form, here only its bytes).
        dst.writestr("xl/media/image1.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    return out.getvalue()


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example form with the slips the corpus shows typed into it, plus parts a fix must not lose."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.load_workbook(FORM)
    ws = wb["项目1"]
    ws["E18"] = "≥９８％"
    ws["E19"] = ">=98%"
    ws["D22"], ws["E22"] = "完成时间", 44561
    ws["E22"].number_format = "General"
    ws["E24"] = "≤4000\t元"
    ws["D29"], ws["E29"] = "生态效益", "不适应"
    ws["E31"] = "≥95百分比"
    ws["E32"] = "95"
    ws["E32"].number_format = "0%"
    ws["D30"], ws["E30"] = "设施使用年限", "＝１０年"  # the standard form would start like a formula
    ws["C10"] = "=C6+C7"  # 其他资金 as a formula; its cached result must survive the fix
    dv = DataValidation(type="list", formula1='"是,否"')
    ws.add_data_validation(dv)
    dv.add("F18")
    ws["E28"].comment = Comment("请核对", "审核人")
    buf = io.BytesIO()
    wb.save(buf)
    path = tmp_path_factory.mktemp("fix") / "messy.xlsx"
    path.write_bytes(_with_cached_value(buf.getvalue(), "xl/worksheets/sheet1.xml", "C10", "114000"))
    return path


def _check(path: Path) -> Report:
    from checker.api import check_path

    return check_path(path, Config(), named=True)


def _at(loc: Location) -> tuple[object, ...]:
    return (loc.sheet, loc.cell, loc.line, loc.page)  # the place, whichever file name it has


def _everything(report: Report) -> set[tuple[object, ...]]:
    """Every finding, shown or superseded (a follow-on may show once its root cause is fixed)."""
    return {(f.code, *_at(f.location)) for s in report.sheets for f in (*s.findings, *s.superseded)}


def _assert_fixed(before: Report, after: Report, result: FixResult) -> None:
    active_after = {(f.code, *_at(f.location)) for f in after.findings if f.active}
    for fix in result.applied:
        for code in fix.codes:
            if code == "VAL020":  # reported once per sheet
                assert not any(c[0] == "VAL020" and c[1] == fix.location.sheet for c in active_after), fix
            else:
                assert (code, *_at(fix.location)) not in active_after, fix
    new = active_after - _everything(before)
    assert not new, f"new findings after fixing {before.source}: {sorted(new, key=str)}"


def test_fix_workbook_changes_only_the_fixed_cells(messy: Path, tmp_path: Path) -> None:
    out = tmp_path / "fixed.xlsx"
    result = fix_file(messy, out)
    changed = {f.location.cell: (f.before, f.after, f.codes) for f in result.applied}
    assert changed == {
        "E18": ("≥９８％", "≥98%", ("VAL019",)),
        "E19": (">=98%", "≥98%", ("VAL019",)),
        "E22": ("44561", "2021年12月31日", ("TIME004",)),
        "E24": ("≤4000\t元", "≤4000元", ("VAL019",)),
        "E29": ("不适应", "不适用", ("VAL020",)),
        "E31": ("≥95百分比", "≥95%", ("VAL015",)),
        "E32": ("95", "95%", ("VAL011",)),
    }
    # ＝１０年 is reported, but its standard form would start like a formula: listed as left alone.
    assert [(f.location.cell, why) for f, why in result.skipped] == [
        ("E30", "改后会以公式符号开头 / the new value would start like a formula")
    ]
    before, after = zipfile.ZipFile(messy), zipfile.ZipFile(out)
    assert [i.filename for i in before.infolist()] == [i.filename for i in after.infolist()]
    differ = [n for n in before.namelist() if before.read(n) != after.read(n)]
    assert differ == ["xl/worksheets/sheet1.xml"]
    old, new = before.read(differ[0]).decode(), after.read(differ[0]).decode()
    cell = re.compile(r'<c r="([A-Z]+[0-9]+)".*?(?:/>|</c>)', re.S)
    old_cells, new_cells = (
        dict(cell.findall(old) and ((m.group(1), m.group(0)) for m in cell.finditer(old))),
        {m.group(1): m.group(0) for m in cell.finditer(new)},
    )
    assert {r for r in old_cells if old_cells[r] != new_cells.get(r)} == set(changed)
    assert cell.sub("", old) == cell.sub("", new)  # merges, validations, comments' anchors: all as they were
    for ref in changed:  # the style index (borders, fonts, number format) is kept on every fixed cell
        assert re.search(r'\ss="\d+"', old_cells[ref]).group(0) in new_cells[ref]  # type: ignore[union-attr]
        assert "<f>" not in new_cells[ref]


def test_fixed_workbook_rechecks_clean_and_keeps_formulas_validations_and_notes(messy: Path, tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "fixed.xlsx"
    result = fix_file(messy, out)
    _assert_fixed(_check(messy), _check(out), result)
    wb = openpyxl.load_workbook(out)
    ws = wb["项目1"]
    assert ws["C10"].value == "=C6+C7"
    assert openpyxl.load_workbook(out, data_only=True)["项目1"]["C10"].value == 114000
    assert [str(dv.sqref) for dv in ws.data_validations.dataValidation] == ["F18"]
    assert ws["E28"].comment.text == "请核对"
    assert ws["E18"].border.left.style == "thin" and ws["E18"].value == "≥98%"
    assert {str(r) for r in wb["项目1"].merged_cells.ranges} == {
        str(r) for r in openpyxl.load_workbook(messy)["项目1"].merged_cells.ranges
    }
    assert "xl/media/image1.png" in zipfile.ZipFile(out).namelist()


def test_openpyxl_round_trip_loses_parts(messy: Path, tmp_path: Path) -> None:
    """Why fixes edit the cell XML instead of saving through openpyxl: a load and save loses what the
    clerk's file held (here a picture's part and a formula's stored result, which every reader that does
    not recalculate — jixiao's own included — then sees as empty)."""
    import openpyxl

    wb = openpyxl.load_workbook(messy)
    wb.save(tmp_path / "resaved.xlsx")
    assert "xl/media/image1.png" not in zipfile.ZipFile(tmp_path / "resaved.xlsx").namelist()
    assert openpyxl.load_workbook(tmp_path / "resaved.xlsx", data_only=True)["项目1"]["C10"].value is None


def test_in_place_keeps_a_backup_and_is_atomic(messy: Path, tmp_path: Path) -> None:
    target = tmp_path / "申报表.xlsx"
    shutil.copy(messy, target)
    original = target.read_bytes()
    result = runner.invoke(app, ["fix", str(target), "--in-place"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "申报表.xlsx.bak").read_bytes() == original
    assert target.read_bytes() != original and "「≥９８％」 → 「≥98%」" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["申报表.xlsx", "申报表.xlsx.bak"]  # no temp file left


def test_fix_refuses_what_it_cannot_do_safely(messy: Path, tmp_path: Path) -> None:
    same = runner.invoke(app, ["fix", str(messy), "-o", str(messy)])
    assert same.exit_code == 3 and "输出文件就是输入文件" in same.output
    assert runner.invoke(app, ["fix", str(messy)]).exit_code == 3  # neither -o nor --in-place
    assert runner.invoke(app, ["fix", str(messy), "-o", str(tmp_path / "x.csv")]).exit_code == 3
    both = runner.invoke(app, ["fix", str(messy), "-o", str(tmp_path / "y.xlsx"), "--in-place"])
    assert both.exit_code == 3
    assert runner.invoke(app, ["fix", str(tmp_path / "missing.xlsx"), "-o", str(tmp_path / "z.xlsx")]).exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing written by any refusal


def test_fix_respects_select_and_ignore(messy: Path, tmp_path: Path) -> None:
    out = tmp_path / "fixed.xlsx"
    result = runner.invoke(app, ["fix", str(messy), "-o", str(out), "--ignore", "VAL019"])
    assert result.exit_code == 0
    assert "VAL019" not in result.stdout and "TIME004" in result.stdout


def test_a_format_jixiao_cannot_write_is_listed_and_refused(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=4, cols=4)
    rows = [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "培训人次", ">=500人次"],
        ["产出指标", "质量指标", "合格率", "≥95%"],
        ["满意度指标", "服务对象满意度指标", "满意度", "≥90%"],
    ]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    source = tmp_path / "表.docx"
    document.save(source)
    result = runner.invoke(app, ["fix", str(source), "-o", str(tmp_path / "out.docx")])
    assert result.exit_code == 2
    assert "「>=500人次」 → 「≥500人次」" in result.stdout and "不能写回 .docx" in result.output
    assert not (tmp_path / "out.docx").exists()


# ---------------------------------------------------------------- text files


def test_fix_text_keeps_encoding_and_line_ends(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    messy = text.replace("≥95%", "≥９５％", 1).replace("≥98%", ">=98%", 1)
    source = tmp_path / "公开.txt"
    source.write_bytes(messy.replace("\n", "\r\n").encode("gb18030"))
    out = tmp_path / "公开-修正.txt"
    result = fix_file(source, out)
    assert {(f.before, f.after) for f in result.applied} >= {("≥９５％", "≥95%"), (">=98%", "≥98%")}
    fixed = out.read_bytes()
    assert fixed.decode("gb18030") == text.replace("\n", "\r\n")  # only the two values changed back
    _assert_fixed(_check(source), _check(out), result)


def test_check_fix_writes_copies_beside_the_files(messy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "申报材料"
    folder.mkdir()
    shutil.copy(messy, folder / "a.xlsx")
    shutil.copy(SEED, folder / "b.txt")  # nothing to fix: no copy
    result = runner.invoke(app, ["check", str(folder), "--fix", "--ignore", "VAL015"])
    assert result.exit_code in (0, 1)
    assert sorted(p.name for p in folder.iterdir()) == ["a.fixed.xlsx", "a.xlsx", "b.txt"]
    fixed = {f.location.cell for f in fix_file(folder / "a.xlsx", tmp_path / "again.xlsx").applied}
    assert "E31" in fixed  # fix itself would; check --fix honoured --ignore VAL015
    first = _check(folder / "a.fixed.xlsx").sheets[0].sheet
    assert {i.location.cell: i.value.raw for i in first.indicators}["E31"] == "≥95百分比"


# ---------------------------------------------------------------- every real file


def _real_files() -> list[Path]:
    files = sorted((ROOT / "examples").glob("*.xlsx")) + sorted((ROOT / "examples").glob("*.txt"))
    files += sorted((CORPUS / "texts").glob("*.txt")) + sorted((CORPUS / "files").glob("*.xlsx"))
    return files


@pytest.mark.slow
@pytest.mark.parametrize("path", _real_files(), ids=lambda p: p.name)
def test_fixing_real_files_removes_the_findings_and_adds_none(path: Path, tmp_path: Path) -> None:
    out = tmp_path / f"fixed{path.suffix}"
    result = fix_file(path, out)
    if not result.applied:
        assert not out.exists()
        return
    assert all(not f.after.startswith(FORMULA_START) for f in result.applied)
    _assert_fixed(_check(path), _check(out), result)

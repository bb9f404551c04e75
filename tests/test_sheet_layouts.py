"""Sheet parser on small hand-made text layouts: labels and names decide, not positions."""

from __future__ import annotations

from pathlib import Path

from checker.api import parse_path


def _parse(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "sheet.txt"
    path.write_text(text, encoding="utf-8")
    return parse_path(path).sheets


HEAD = (
    "项目名称\t测试项目\n项目资金（万元）\t年度资金总额\t250\n\t财政拨款\t200\n\t其他资金\t50\n"
    "年度目标\t目标1：完成培训500人次。目标2：满意度提升。\n"
)


def test_split_comparator_and_unit_columns(tmp_path: Path) -> None:
    text = HEAD + "一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t权重\n"
    text += "产出指标\t数量指标\t培训人次\t≥\t500\t人次\t20\n\t\t培训天数\t=\t3\t天\t10\n"
    text += "效益指标\t社会效益指标\t群众认可度\t定性\t提升\t\t10\n"
    (sheet,) = _parse(tmp_path, text)
    assert sheet.funding.unit == "万元" and sheet.funding.total_yuan == 2500000
    assert dict(sheet.funding.sources) == {"财政拨款": 200, "其他资金": 50}
    assert sheet.goals == ("完成培训500人次", "满意度提升")
    a, b, c = sheet.indicators
    assert (a.value.comparator, a.value.number, a.value.unit, a.weight) == ("≥", 500, "人次", 20)
    assert (b.level1, b.level2, b.value.raw) == ("产出指标", "数量指标", "=3天")
    assert (c.level1, c.value.raw, str(c.value.kind)) == ("效益指标", "提升", "qualitative")


def test_level2_name_in_level1_column_and_aliases(tmp_path: Path) -> None:
    text = HEAD + "一级指标\t二级指标\t三级指标\t指标值\n"
    text += "产出\t数量\t完成数\t≥5个\n社会公众或服务对象满意度指标\t\t受益群众满意度\t≥90%\n"
    (sheet,) = _parse(tmp_path, text)
    a, b = sheet.indicators
    assert (a.level1, a.level2) == ("产出指标", "数量指标")
    assert (b.level1, b.level2) == ("满意度指标", "服务对象满意度指标")


def test_fw2021_cost_as_level1(tmp_path: Path) -> None:
    text = HEAD + "一级指标\t二级指标\t三级指标\t指标值\n成本指标\t经济成本指标\t人均培训成本\t≤500元/人\n"
    text += "产出指标\t数量指标\t培训人次\t≥500人次\n"
    (sheet,) = _parse(tmp_path, text)
    assert [(i.level1, i.level2) for i in sheet.indicators] == [("成本指标", "经济成本指标"), ("产出指标", "数量指标")]


def test_empty_value_and_value_without_name_are_kept(tmp_path: Path) -> None:
    text = HEAD + "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t培训人次\t\n\t\t\t≥5次\n"
    (sheet,) = _parse(tmp_path, text)
    # A value on the next line with no name fills the empty value above it (a wrapped cell).
    assert len(sheet.indicators) == 1 and sheet.indicators[0].value.raw == "≥5次"
    text = HEAD + "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t培训人次\t\n\t质量指标\t\t≥5次\n"
    (sheet,) = _parse(tmp_path, text)
    assert [(i.name, i.value.raw) for i in sheet.indicators] == [("培训人次", ""), ("", "≥5次")]


def test_several_sheets_and_no_sheet(tmp_path: Path) -> None:
    table = "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t完成数\t≥5个\n"
    sheets = _parse(tmp_path, HEAD + table + "\n十一、其他\n" + HEAD.replace("测试项目", "第二个") + table)
    assert [s.project for s in sheets] == ["测试项目", "第二个"]
    assert _parse(tmp_path, "项目名称\t合计\t一般公共预算\n山西省信访局\t627.05\n") == ()


def test_gbk_file(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes((HEAD + "一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t完成数\t≥5个\n").encode("gbk"))
    (sheet,) = parse_path(path).sheets
    assert sheet.project == "测试项目" and sheet.indicators[0].value.number == 5


def _workbook_with_gap(tmp_path: Path, empty_rows: int) -> tuple[Path, int]:
    """A generated sheet, ``empty_rows`` empty rows, a second sheet; returns the file and where it starts."""
    import openpyxl

    from bench.gen_sheets import document

    wb = openpyxl.Workbook()
    ws = wb.active
    for line in document(1, seed=1).strip().split("\n"):
        ws.append(line.split("\t"))
    far = ws.max_row + empty_rows + 1
    for offset, line in enumerate(document(1, seed=2).strip().split("\n")):  # a second project far below
        for col, text in enumerate(line.split("\t"), 1):
            ws.cell(far + offset, col, text)
    path = tmp_path / f"gap{empty_rows}.xlsx"
    wb.save(path)
    return path, far


def test_reading_stops_after_1001_empty_rows_and_says_so(tmp_path: Path) -> None:
    # docs/reliability.md S4: 1,001 consecutive empty rows then data → stop + warning (PRS003 on the sheet above).
    from checker.api import check_path

    path, far = _workbook_with_gap(tmp_path, 1000)
    kept = parse_path(path).sheets
    assert len(kept) == 2 and int((kept[1].location.cell or "A0")[1:]) > far
    assert not any(s.problems for s in kept)
    path, far = _workbook_with_gap(tmp_path, 1001)
    (only,) = parse_path(path).sheets
    assert only.location.cell == "A4"
    (problem,) = only.problems
    assert problem.code == "PRS003" and problem.location.line == far and f"{far - 1002} 行之后" in problem.message_zh
    finding = next(f for f in check_path(path).findings if f.code == "PRS003")
    assert finding.severity.value == "warning" and f"第 {problem.location.line} 行起" in finding.message

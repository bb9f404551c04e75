"""Layout families on small invented sheets (tests/layouts), and a round-trip property for the layout stage.

Each ``tests/layouts/<family>_<what>.txt`` is a made-up goal sheet in the shape of one layout family as
published pages have it (dropped merged cells, labels split a character a line, a header row that is not
the first row, prose around the table …). The ``.json`` beside it was written by hand from what the sheet
means, not from the parser's output: a failure here is the parser's to fix unless the fixture is
ambiguous. Level names are the frameworks' canonical names (项目完成指标 is read as 产出指标).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.api import parse_path
from checker.frameworks import names
from checker.layout import choose, families, recover, text_lines
from checker.model import GoalSheet
from checker.parse.document import parse_document
from checker.readers import read
from checker.readers.text import read_text

LAYOUTS = Path(__file__).parent / "layouts"
FIXTURES = sorted(LAYOUTS.glob("*.txt"))

Expected = dict[str, Any]


def _expected(fixture: Path) -> Expected:
    # Decimal, so 318.4 compares exactly with the parser's Decimal total rather than through a float.
    data: Expected = json.loads(
        fixture.with_suffix(".json").read_text(encoding="utf-8"), parse_float=Decimal, parse_int=Decimal
    )
    return data


def _as_expected(sheets: Sequence[GoalSheet]) -> list[Expected]:
    """Parsed sheets in the expectation's shape, on its fields only."""
    out: list[Expected] = []
    for sheet in sheets:
        if sheet.unread:
            continue  # a placeholder saying nothing could be read is not a sheet (ParsedFile.to_json)
        funding = sheet.funding
        out.append(
            {
                "project": sheet.project,
                "funding_total": None if funding is None else funding.total,
                "funding_unit": None if funding is None else funding.unit,
                "indicators": [
                    {"level1": i.level1, "level2": i.level2, "name": i.name, "raw": i.value.raw}
                    for i in sheet.indicators
                ],
            }
        )
    return out


def _differences(expected: list[Expected], parsed: list[Expected]) -> list[str]:
    """What differs, one line each, so a failure reads as a list of findings rather than a dict dump."""
    out: list[str] = []
    if len(expected) != len(parsed):
        out.append(f"sheets: expected {len(expected)}, parsed {len(parsed)}")
    for n, (want, got) in enumerate(zip(expected, parsed, strict=False)):
        for key in ("project", "funding_total", "funding_unit"):
            if want[key] != got[key]:
                out.append(f"sheet {n} {key}: expected {want[key]!r}, parsed {got[key]!r}")
        wanted, found = want["indicators"], got["indicators"]
        for k in range(max(len(wanted), len(found))):
            a = wanted[k] if k < len(wanted) else None
            b = found[k] if k < len(found) else None
            if a != b:
                out.append(f"sheet {n} indicator {k}: expected {_show(a)}, parsed {_show(b)}")
    return out


def _show(ind: Expected | None) -> str:
    if ind is None:
        return "(none)"
    return f"{ind['level1']}/{ind['level2']}/{ind['name']} = {ind['raw']!r}"


# --- the fixtures -------------------------------------------------------------------------------------


def test_every_fixture_has_its_expectation_and_every_family_is_covered() -> None:
    assert FIXTURES, "tests/layouts holds no fixture"
    missing = [f.name for f in FIXTURES if not f.with_suffix(".json").is_file()]
    orphans = [f.name for f in LAYOUTS.glob("*.json") if not f.with_suffix(".txt").is_file()]
    assert not missing and not orphans, (missing, orphans)
    covered = {_expected(f)["family"] for f in FIXTURES}
    # The families this suite is about; families registered later (column-major, project lists) have
    # fixtures of their own shape elsewhere.
    assert covered == {"tabs", "pipes", "spaced", "lines", "runon", "prose"}
    assert covered <= {family.name for family in families()}


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_expectation_is_written_in_the_fixture_and_in_canonical_names(fixture: Path) -> None:
    """Guards the hand-written expectations against typos: every project, name and raw value occurs in the
    text (white space and ``|`` ignored, since a cell may be split over lines or padded), and every level
    is a canonical name of the frameworks."""
    body = re.sub(r"[\s|]", "", fixture.read_text(encoding="utf-8"))
    fw = names()
    absent: list[str] = []
    for sheet in _expected(fixture)["sheets"]:
        for ind in sheet["indicators"]:
            for text in (ind["name"], ind["raw"]):
                if re.sub(r"\s", "", text) not in body:
                    absent.append(text)
            assert ind["level1"] is None or fw.canon_level1(ind["level1"]) == ind["level1"], ind
            assert ind["level2"] is None or fw.canon_level2(ind["level2"]) == ind["level2"], ind
        if sheet["project"] not in body:
            absent.append(sheet["project"])
    assert not absent, absent


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_layout_family_is_chosen(fixture: Path) -> None:
    want = _expected(fixture)["family"]
    doc = read(fixture)
    lines = text_lines(doc)
    family, score = choose(lines)
    # Every family's score in the message: a wrong choice is usually a near tie.
    assert (family.name, score > 0) == (want, True), {f.name: f.detect(lines) for f in families()}
    (table,) = recover(doc).tables
    assert table.layout == want


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_fixture_parses_to_its_expectation(fixture: Path) -> None:
    expected = _expected(fixture)["sheets"]
    parsed = _as_expected(parse_path(fixture).sheets)
    assert parsed == expected, "\n".join(_differences(expected, parsed))


# --- the round trip ------------------------------------------------------------------------------------

# Names and values free of spaces and separators, and none of them a form word, so that every family's
# rendering of a sheet has one reading only.
NAMES = (
    "培训人次",
    "覆盖行政村数",
    "验收合格率",
    "资金到位率",
    "完成时限",
    "政策知晓率",
    "设备完好率",
    "受益人数",
    "宣传活动场次",
    "巡查频次",
    "单位面积造价",
    "受益群众满意度",
)
VALUES = ("≥95%", "100%", "12个", "≥300人次", "≤5万元", "2025年12月", "明显提升", "不适用", "长期", "≤0.53元/度")
PROJECTS = ("农村环境整治", "社区图书室建设", "基层医疗设备购置")

# 2015: 成本 is a 二级 under 产出; 2021: 成本指标 is a 一级 of its own. A sheet uses one tree.
TREES: dict[str, tuple[tuple[str, str], ...]] = {
    "fw2015": (
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("产出指标", "时效指标"),
        ("产出指标", "成本指标"),
        ("效益指标", "经济效益指标"),
        ("效益指标", "社会效益指标"),
        ("效益指标", "生态效益指标"),
        ("效益指标", "可持续影响指标"),
        ("满意度指标", "服务对象满意度指标"),
    ),
    "fw2021": (
        ("成本指标", "经济成本指标"),
        ("成本指标", "社会成本指标"),
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("产出指标", "时效指标"),
        ("效益指标", "社会效益指标"),
        ("效益指标", "可持续影响指标"),
        ("满意度指标", "服务对象满意度指标"),
    ),
}

# (level1, level2, name, raw)
Row = tuple[str, str, str, str]


@st.composite
def goal_sheets(draw: st.DrawFn) -> tuple[str, list[Row]]:
    tree = TREES[draw(st.sampled_from(sorted(TREES)))]
    groups = draw(st.lists(st.sampled_from(tree), min_size=1, max_size=4, unique=True))
    rows: list[Row] = []
    for level1, level2 in groups:
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            rows.append((level1, level2, draw(st.sampled_from(NAMES)), draw(st.sampled_from(VALUES))))
    return draw(st.sampled_from(PROJECTS)), rows


HEADER = ("一级指标", "二级指标", "三级指标", "指标值")


def _grid(project: str, rows: list[Row]) -> list[list[str]]:
    """The sheet as the printed grid: merged 一级/二级 cells empty below their first row."""
    grid = [["项目名称", project, "", ""], list(HEADER)]
    last: tuple[str, str] = ("", "")
    for level1, level2, name, raw in rows:
        shown1 = level1 if level1 != last[0] else ""
        shown2 = level2 if (level1, level2) != last else ""
        grid.append([shown1, shown2, name, raw])
        last = (level1, level2)
    return grid


def _render_tabs(grid: list[list[str]]) -> str:
    # pdftotext of a ruled table keeps the empty merged cells, so columns stay in place.
    return "".join("\t".join(row) + "\n" for row in grid)


def _render_pipes(grid: list[list[str]]) -> str:
    # An HTML table dumped one row a line: merged cells are missing, not empty.
    return "".join(" | ".join(c for c in row if c) + " |\n" for row in grid)


def _render_pipe_cells(grid: list[list[str]]) -> str:
    # The same dump one cell a line, each cell closed by a pipe and a row by a bare run of pipes.
    return "".join("".join(c + " |\n" for c in row if c) + "|||\n" for row in grid)


def _render_lines(grid: list[list[str]]) -> str:
    return "".join(c + "\n" for row in grid for c in row if c)


def _render_spaced(grid: list[list[str]]) -> str:
    return "".join("   ".join(c for c in row if c) + "\n" for row in grid)


# shape → (the family expected to read it, the renderer)
RENDERERS: dict[str, tuple[str, Callable[[list[list[str]]], str]]] = {
    "tabs": ("tabs", _render_tabs),
    "pipe-rows": ("pipes", _render_pipes),
    "pipe-cells": ("pipes", _render_pipe_cells),
    "lines": ("lines", _render_lines),
    "spaced": ("spaced", _render_spaced),
}


@pytest.mark.parametrize("shape", sorted(RENDERERS))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheet=goal_sheets())
def test_rendered_sheet_reads_back(shape: str, sheet: tuple[str, list[Row]]) -> None:
    project, rows = sheet
    family, render = RENDERERS[shape]
    text = render(_grid(project, rows))
    doc = read_text(text.encode("utf-8"), "generated.txt")
    chosen, _ = choose(text_lines(doc))
    assert chosen.name == family, text
    parsed = [s for s in parse_document(doc) if not s.unread]
    assert len(parsed) == 1, text
    assert parsed[0].project == project, text
    read_back = [(i.level1, i.level2, i.name, i.value.raw) for i in parsed[0].indicators]
    assert read_back == rows, text

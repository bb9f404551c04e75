"""The sequence reader and the layout registry on small texts: each test pins one decision the reader makes
when column positions cannot be trusted (checker/parse/sequence.py, docs/layouts.md)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from checker.api import parse_path
from checker.layout import choose, sample
from checker.model import GoalSheet
from checker.parse.sequence import title_project

SCHEMA = Path(__file__).resolve().parent.parent / "checker" / "schemas" / "parse-output.schema.json"


def _sheets(tmp_path: Path, text: str) -> tuple[GoalSheet, ...]:
    path = tmp_path / "sheet.txt"
    path.write_text(text, encoding="utf-8")
    return tuple(s for s in parse_path(path).sheets if not s.unread)


def _rows(sheet: GoalSheet) -> list[tuple[str | None, str | None, str, str]]:
    return [(i.level1, i.level2, i.name, i.value.raw) for i in sheet.indicators]


PIPE_HEAD = (
    "项目名称 |\n测试项目 |\n项目资金（万元） |\n年度资金总额 |\n12.5 |\n一级指标 |\n二级指标 |\n三级指标 |\n指标值 |\n"
)


def test_labels_split_a_character_a_line_are_joined(tmp_path: Path) -> None:
    text = (
        PIPE_HEAD
        + "产\n出\n指\n标 |\n数量指标 |\n培训人次 |\n≥500人次 |\n服务对象\n满意度\n指标 |\n学员满意度 |\n≥90% |\n"
    )
    (sheet,) = _sheets(tmp_path, text)
    assert _rows(sheet) == [
        ("产出指标", "数量指标", "培训人次", "≥500人次"),
        ("满意度指标", "服务对象满意度指标", "学员满意度", "≥90%"),
    ]
    assert (sheet.project, sheet.funding and sheet.funding.total, sheet.funding and sheet.funding.unit) == (
        "测试项目",
        12.5,
        "万元",
    )


def test_labels_garbled_with_question_marks_are_read(tmp_path: Path) -> None:
    # Spaces lost in a transcoding print as ? (or U+FFFD): 绩??效??目??标 is still the 绩效目标 label.
    text = (
        "项目名称 | 测试项目 |\n绩?????? 效????? 目???? 标 | 1.完成道路保洁。 2.垃圾日产日清。 |\n"
        "绩\ufffd\ufffd效\ufffd指\ufffd标 | 一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
        "| 产出指标 | 数量指标 | 保洁面积 | ≥100平方米 |\n"
    )
    (sheet,) = _sheets(tmp_path, text)
    assert sheet.goals == ("完成道路保洁", "垃圾日产日清")
    assert _rows(sheet) == [("产出指标", "数量指标", "保洁面积", "≥100平方米")]


def test_rows_missing_their_merged_cells_keep_name_and_value_apart(tmp_path: Path) -> None:
    text = (
        "项目名称 | 测试项目 |\n一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
        "产出指标 | 数量指标 | 培训人次 | ≥500人次 | ||\n培训天数 | 3天 | |||\n质量指标 | 合格率 | 100% ||\n"
        # the merged 一级 label printed again in a middle row of its block is not a new group
        "产出指标 | 考试通过率 | ≥95% ||\n"
    )
    (sheet,) = _sheets(tmp_path, text)
    assert _rows(sheet) == [
        ("产出指标", "数量指标", "培训人次", "≥500人次"),
        ("产出指标", "数量指标", "培训天数", "3天"),
        ("产出指标", "质量指标", "合格率", "100%"),
        ("产出指标", "质量指标", "考试通过率", "≥95%"),
    ]
    assert {i.method for i in sheet.indicators} == {"pipes"}


def test_unknown_level1_before_a_known_level2_is_kept_as_written(tmp_path: Path) -> None:
    text = "项目名称 | 测试项目 |\n一级指标 | 二级指标 | 三级指标 | 指标值 |\n项目决策 | 数量指标 | 宣传次数 | 2次 |\n"
    (sheet,) = _sheets(tmp_path, text)
    (ind,) = sheet.indicators
    assert (ind.level1, ind.level2, ind.written_level1, ind.name) == ("产出指标", "数量指标", "项目决策", "宣传次数")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # 2015: 成本指标 inside 产出 is a 二级; its own short name after it is the 三级 name
        (
            "产出指标 | 数量指标 | 人次 | 5人 |\n成本指标 | 成本 | 10万元 |\n",
            ("产出指标", "成本指标", "成本", "10万元"),
        ),
        # 2021: followed by one of its own 二级 it is a 一级
        ("成本指标 | 经济成本指标 | 人均成本 | ≤500元 |\n", ("成本指标", "经济成本指标", "人均成本", "≤500元")),
    ],
)
def test_cost_is_placed_by_what_surrounds_it(tmp_path: Path, rows: str, expected: tuple[str, str, str, str]) -> None:
    text = "项目名称 | 测试项目 |\n一级指标 | 二级指标 | 三级指标 | 指标值 |\n" + rows
    (sheet,) = _sheets(tmp_path, text)
    assert _rows(sheet)[-1] == expected


def test_outline_without_header_starts_at_the_first_level_and_names_its_project(tmp_path: Path) -> None:
    text = (
        "某市疾控中心2020年项目绩效目标批复表\n单位:元\n项目\n指标值\n  某某疫苗采购\n3000000\n"
        "   产出指标\n    数量指标(必填硬性指标)\n     疫苗使用率\n100%\n   满意度指标\n    服务对象满意度指标(必填)\n"
        "     服务对象满意度\n100%\n以上绩效目标经市财政局审核批复，请严格按照批复目标组织实施。\n"
    )
    (sheet,) = _sheets(tmp_path, text)
    assert (sheet.project, sheet.funding and sheet.funding.total, sheet.funding and sheet.funding.unit) == (
        "某某疫苗采购",
        3000000,
        "元",
    )
    # the 二级's short name right after it is the 三级 name; the closing sentence is not an indicator
    assert _rows(sheet) == [
        ("产出指标", "数量指标", "疫苗使用率", "100%"),
        ("满意度指标", "服务对象满意度指标", "服务对象满意度", "100%"),
    ]


def test_rows_before_any_level_are_inferred_and_marked(tmp_path: Path) -> None:
    text = (
        "项目名称 | 测试项目 |\n一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
        "新增养殖场数量 | ≥1个 |\n验收合格率 | 100% |\n时效指标 | 竣工时限 | 2021年9月 |\n"
    )
    (sheet,) = _sheets(tmp_path, text)
    assert [(i.level1, i.level2, i.method) for i in sheet.indicators] == [
        ("产出指标", "数量指标", "inferred"),
        ("产出指标", "质量指标", "inferred"),
        ("产出指标", "时效指标", "pipes"),
    ]


def test_column_major_dump_pairs_names_with_values_and_keeps_long_term(tmp_path: Path) -> None:
    text = (
        "绩效目标表\n三级指标 新建校区数 工程质量达标率(%)\n开工率(%)\n年度目标值\n3 100% 95%\n"
        "实施周期目标值\n5 100% 100% 持续\n"
    )
    path = tmp_path / "cols.txt"
    path.write_text(text, encoding="utf-8")
    parsed = parse_path(path)
    (sheet,) = parsed.sheets
    assert [(i.name, i.value.raw, i.long_term and i.long_term.raw, i.method) for i in sheet.indicators] == [
        ("新建校区数", "3", "5", "columns"),
        ("工程质量达标率(%)", "100%", "100%", "columns"),
        ("开工率(%)", "95%", "100%", "columns"),
    ]
    document = parsed.to_json()
    jsonschema.validate(document, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert document["sheets"][0]["indicators"][0]["long_term"]["raw"] == "5"


def test_tab_rows_read_by_position_carry_no_method(tmp_path: Path) -> None:
    text = "项目名称\t测试项目\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t培训人次\t≥500人次\n"
    path = tmp_path / "tabs.txt"
    path.write_text(text, encoding="utf-8")
    document = parse_path(path).to_json()
    assert "method" not in document["sheets"][0]["indicators"][0]


@pytest.mark.parametrize(
    ("title", "project"),
    [
        ("2019年度宁晋县高中助学金项目绩效评价指标表", "2019年度宁晋县高中助学金项目"),
        ("项目支出绩效目标表", ""),
        ("2022年第二批普惠金融发展专项资金绩效目标表", "2022年第二批普惠金融发展专项资金"),
    ],
)
def test_a_title_names_its_project_without_the_form_name(title: str, project: str) -> None:
    assert title_project(title) == project


def test_detection_reads_a_bounded_sample_of_a_long_text() -> None:
    narrative = ["本单位主要职责是……"] * 50_000
    table = ["一级指标\t二级指标\t三级指标\t指标值", "产出指标\t数量指标\t培训人次\t≥500人次"] * 10
    lines = narrative[:20_000] + table + narrative
    picked = sample(lines)
    assert len(picked) <= 2_000 and "产出指标\t数量指标\t培训人次\t≥500人次" in picked
    assert choose(lines)[0].name == "tabs"


def test_tab_lines_elsewhere_do_not_hide_a_pipe_table() -> None:
    # A disclosure whose budget tables are tab rows but whose goal sheet is a | table: the tabs shortcut
    # only applies when the goal-sheet lines themselves are tab rows.
    budget = ["科目编码\t科目名称\t金额", "2010301\t行政运行\t627.05"] * 30
    sheet = ["一级指标 | 二级指标 | 三级指标 | 指标值 |", "产出指标 | 数量指标 | 培训人次 | ≥500人次 |"] * 3
    assert choose(budget + sheet)[0].name == "pipes"
    assert choose(budget + [line.replace(" | ", "\t") for line in sheet])[0].name == "tabs"


def test_review_findings_read_right(tmp_path: Path) -> None:
    # a | row a line whose last cell has no closing pipe: each line is a row of its own
    text = "项目名称 | 测试项目\n一级指标 | 二级指标 | 三级指标 | 指标值\n产出指标 | 数量指标 | 养护里程 | 50公里\n"
    text += "满意度指标 | 服务对象满意度指标 | 群众满意度 | ≥90%\n"
    (sheet,) = _sheets(tmp_path, text)
    assert [(i.name, i.value.raw) for i in sheet.indicators] == [("养护里程", "50公里"), ("群众满意度", "≥90%")]
    # both levels in one cell with a separator, outside a tab grid
    text = "项目名称 | 测试项目 |\n一级指标 | 三级指标 | 指标值 |\n效益指标-社会效益指标 | 出行条件 | 明显改善 |\n"
    (sheet,) = _sheets(tmp_path, text)
    assert _rows(sheet) == [("效益指标", "社会效益指标", "出行条件", "明显改善")]
    # page furniture after the table is not read as indicators
    text += "发布机构 | 交通运输局 |\n成文日期 | 2021-07-28 |\n"
    (sheet,) = _sheets(tmp_path, text)
    assert len(sheet.indicators) == 1


def test_column_major_dump_cut_inside_a_value_column_is_not_paired(tmp_path: Path) -> None:
    # the annual column has one value for three names (the page was cut): no crash, nothing mis-paired
    text = "三级指标 培训人数 覆盖率 满意度\n实施周期目标值\n100人 90% 95%\n年度目标值\n50人\n"
    path = tmp_path / "cut.txt"
    path.write_text(text, encoding="utf-8")
    assert all(not s.indicators for s in parse_path(path).sheets)


def test_long_runs_of_header_words_are_read_in_linear_time(tmp_path: Path) -> None:
    # 20,000 header cells in a row took minutes when every cell re-scanned the run after it
    import time

    path = tmp_path / "headers.txt"
    path.write_text("三级指标|" * 20_000, encoding="utf-8")
    start = time.perf_counter()
    parse_path(path)
    assert time.perf_counter() - start < 30

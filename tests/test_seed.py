"""The seed document (山西省信访局 2024, section 十): the first golden test."""

from __future__ import annotations

from decimal import Decimal

from checker.model import ValueKind


def test_four_sheets_with_their_indicator_counts(seed_sheets) -> None:  # type: ignore[no-untyped-def]
    assert [len(s.indicators) for s in seed_sheets] == [12, 13, 25, 14]
    assert [s.project for s in seed_sheets] == [
        "办公楼及信访接待大厅维修维护费",
        "办公楼及信访接待大厅运转经费",
        "律师、心理疏导、人民调解及网络电话投诉受理人员工作经费",
        "信访专项业务费",
    ]


def test_funding(seed_sheets) -> None:  # type: ignore[no-untyped-def]
    totals = [s.funding.total for s in seed_sheets]
    assert totals == [Decimal(114000), Decimal(1020000), Decimal(1200000), Decimal(1109000)]
    assert {s.funding.unit for s in seed_sheets} == {"元"}
    third = seed_sheets[2].funding
    assert third.total_raw == "1, 200, 000"
    assert dict(third.sources) == {
        "中央财政资金": 0, "省级财政资金": 1200000, "市县（区）财政资金": 0, "单位自筹": 0,
    }  # fmt: skip
    # The published total 344.30万元 is the sum of the four sheets (FUND-002 in the catalogue).
    assert sum(s.funding.total_yuan for s in seed_sheets) == Decimal("3443000")


def test_levels_by_name_not_position(seed_sheets) -> None:  # type: ignore[no-untyped-def]
    by_name = {i.name: i for i in seed_sheets[2].indicators}
    moved = by_name["信访矛盾多元化解水平"]
    assert (moved.level1, moved.level2, moved.written_level1) == ("效益指标", "可持续影响指标", "满意度指标")
    sat = by_name["网上信访事项群众参评满意率"]
    assert (sat.level1, sat.level2, sat.written_level1) == ("满意度指标", "服务对象满意度指标", None)
    for sheet in seed_sheets:
        for ind in sheet.indicators:
            assert ind.level1 in {"产出指标", "效益指标", "满意度指标"}
            assert ind.level2 is not None
            if "满意" in ind.name:
                assert ind.level1 == "满意度指标", ind.name
            if "成本" in ind.name or "单价" in ind.name:
                assert ind.level2 == "成本指标", ind.name


def test_page_break_split_is_joined(seed_sheets) -> None:  # type: ignore[no-untyped-def]
    names = [i.name for i in seed_sheets[1].indicators]
    assert "公共服务能力提升度" in names
    assert "度" not in names and "公共服务能力提升" not in names
    joined = next(i for i in seed_sheets[1].indicators if i.name == "公共服务能力提升度")
    assert joined.value.raw == "提升" and joined.location.line == 531
    assert [p.code for p in seed_sheets[1].problems] == ["PRS002"]


def test_empty_template_rows_are_groups_not_indicators(seed_sheets) -> None:  # type: ignore[no-untyped-def]
    first = seed_sheets[0]
    assert ("效益指标", "经济效益指标") in first.groups
    assert ("效益指标", "可持续影响指标") in first.groups
    assert all(i.name for s in seed_sheets for i in s.indicators)


def test_locations_point_at_the_value(seed_sheets) -> None:  # type: ignore[no-untyped-def]
    first = seed_sheets[0].indicators[0]
    assert (first.location.line, first.location.column) == (484, 5)
    assert first.name_location is not None and first.name_location.column == 4


def test_goals_and_texts(seed_sheets) -> None:  # type: ignore[no-untyped-def]
    assert [len(s.goals) for s in seed_sheets] == [3, 4, 4, 3]
    assert seed_sheets[0].goals[0] == "保障机关维修、日常零星修缮工作及时、保质完成"
    for sheet in seed_sheets:
        for field in ("项目概况", "立项依据", "项目设立必要性", "保证项目实施的制度、措施", "项目实施计划"):
            assert sheet.text_field(field), (sheet.project, field)
        assert sheet.header_field("项目属性") == "经常性项目（长期开展）"


def test_value_kinds_of_the_seed(seed_sheets) -> None:  # type: ignore[no-untyped-def]
    kinds = [str(i.value.kind) for s in seed_sheets for i in s.indicators]
    assert kinds.count("qualitative") == 16  # 1 + 3 + 6 + 6, counted by hand
    assert ValueKind.UNPARSED not in kinds and ValueKind.EMPTY not in kinds
    units = {i.value.unit for s in seed_sheets for i in s.indicators if i.value.unit}
    assert units == {"%", "元", "人·天", "平方米", "个月", "元/平方米", "元/吨", "元/度", "个工作日", "人",
                     "元/人·年", "元/人·天", "元/箱"}  # fmt: skip

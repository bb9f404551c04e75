"""A document that quotes a goal sheet instead of printing it is known by its shape (issue 12, STRUCT-006):
news copy that tells of the indicators in sentences is a 转述, a list with one project a row a 项目清单.
Their indicators are checked as written and what they leave out is not reported missing; STR012 says what
the document is, so it never passes silently. Texts here are made up in the families' shapes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from checker.api import check_path, parse_path
from checker.facts import build_facts
from checker.layout.prose import in_sentence
from checker.text import indicator_name

NEWS = """某省财政厅下达2025年农村供水保障资金
为支持农村供水工程建设,省财政厅日前下达农村供水保障资金5200万元。
根据农村供水保障资金整体绩效目标表,在产出指标方面,要求新建供水工程数量≥40处,改造管网长度≥120公里,水质达标率≥95%。
省财政厅要求各地做好绩效运行监控。
"""

OUTLINE = """某县2025年农村供水保障项目
一、项目名称:农村供水保障项目
二、资金来源及规模:财政资金5200万元。
三、绩效目标
(一)产出指标
1、数量指标:新建供水工程40处。
2、质量指标:水质达标率95%。
四、实施单位:某县水利局
五、实施期限:2025年1月至12月
"""

PROJECT_LIST = """某镇2024年衔接资金项目实施情况表
序号 | 项目名称 | 实施期限(月) | 资金规模(万元) | 产出指标 | 效益指标 | 满意度指标 |
1 | 甲村道路硬化项目 | 6 | 80 | 硬化道路长度≥2公里 | 受益户数≥150户 | 群众满意度≥90% |
2 | 乙村灌溉渠项目 | 8 | 45 | 新建灌溉渠≥1.5公里 | 受益户数≥90户 | 群众满意度≥90% |
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_news_copy_is_a_paraphrase_checked_as_written(tmp_path: Path) -> None:
    path = _write(tmp_path, "news.txt", NEWS)
    (sheet,) = parse_path(path).sheets
    assert sheet.document_type == "转述"
    assert [i.name for i in sheet.indicators] == ["新建供水工程数量", "改造管网长度", "水质达标率"]
    doc = build_facts(sheet).doc
    assert doc["form"] == "paraphrase" and doc["excerpt"] is True and doc["missing_parts"] == []
    codes = {f.code for f in check_path(path).findings}
    # Told of in one sentence, the sheet's other groups are not missing: they were not quoted.
    assert codes.isdisjoint({"STR001", "COST002", "SAT001", "COUNT001", "COUNT002"}), codes
    (note,) = [f for f in check_path(path).findings if f.code == "STR012"]
    assert "转述" in note.message


def test_an_outline_prints_its_sheet_and_is_held_to_it(tmp_path: Path) -> None:
    path = _write(tmp_path, "outline.txt", OUTLINE)
    (sheet,) = parse_path(path).sheets
    assert sheet.document_type is None  # read as a 申报表
    # The labelled lines after the indicators are the sheet's fields, not more indicators.
    assert [i.name for i in sheet.indicators] == ["新建供水工程", "水质达标率"]
    assert sheet.header_field("实施单位") == "某县水利局"
    assert build_facts(sheet).doc["excerpt"] is False
    codes = {f.code for f in check_path(path).findings}
    assert {"SAT001", "COUNT001"} <= codes  # an outline that stops after 产出 lacks the rest
    assert "STR012" not in codes


def test_a_project_list_is_one_list_not_applications(tmp_path: Path) -> None:
    path = _write(tmp_path, "list.txt", PROJECT_LIST)
    sheets = parse_path(path).sheets
    assert [s.project for s in sheets] == ["甲村道路硬化项目", "乙村灌溉渠项目"]
    assert {s.document_type for s in sheets} == {"项目清单"}
    findings = check_path(path).findings
    assert [f.code for f in findings if f.code == "STR012"] == ["STR012", "STR012"]
    # A list row has no 年度目标 and no cost column: neither is asked for.
    assert {f.code for f in findings}.isdisjoint({"STR001", "COST002", "COUNT002"})


def test_a_title_naming_a_kind_outranks_the_shape_but_the_default_does_not(tmp_path: Path) -> None:
    approved = _write(tmp_path, "approved.txt", "2025年项目支出绩效目标批复表\n" + NEWS)
    assert parse_path(approved).sheets[0].document_type == "批复表"
    titled = _write(tmp_path, "titled.txt", "2025年项目绩效目标情况\n" + NEWS)
    assert parse_path(titled).sheets[0].document_type == "转述"


_LEVEL = st.sampled_from(["产出指标", "数量指标", "质量指标", "效益指标", "满意度指标", "社会效益指标"])
_NUMBERING = st.sampled_from(["", "1、", "2.", "(一)", "（二）", "三、", "  "])
_CLAUSE = st.text(alphabet="新建改造工程数量率达标供水", min_size=2, max_size=12)


@given(_NUMBERING, _LEVEL, st.sampled_from([":", "：", ""]), _CLAUSE)
def test_a_level_name_that_labels_its_paragraph_is_printed_not_told(
    num: str, level: str, colon: str, name: str
) -> None:
    assert not in_sentence(f"{num}{level}{colon}{name}≥40处。")


@given(st.text(alphabet="为支持地方工程建设根据省财政厅要求", min_size=4, max_size=40), _LEVEL, _CLAUSE)
def test_a_level_name_inside_a_sentence_is_told(lead: str, level: str, name: str) -> None:
    assert in_sentence(f"{lead},在{level}方面,要求{name}≥40处。")


HEADLINE = """某省财政厅下达2023年大气污染防治专项资金3.2亿元
发布时间:2023-06-15 来源:某省财政厅
为持续改善环境空气质量,近日省财政厅下达2023年大气污染防治专项资金3.2亿元,同步下达了资金整体绩效目标表。在产出指标方面,要求完成燃煤锅炉淘汰改造数量≥120台,新增空气质量自动监测站点≥15个。在满意度指标方面,要求公众满意度≥85%。
"""

ANNOUNCEMENT = """某市文广局关于2024年市级文物保护专项资金绩效目标的公告
一、资金基本情况
2024年市级文物保护专项资金安排680万元，主要用于文物本体修缮。
二、绩效目标
总体目标：完成一批重点文物保护单位修缮，改善文物安全状况。
1.产出指标
（1）【数量指标】完成市级以上文物保护单位修缮4处。
（2）【质量指标】修缮工程竣工验收合格率100%。
2.效益指标
（1）【社会效益指标】文物开放利用率较上年提高5个百分点。
3.满意度指标
【服务对象满意度指标】参观群众满意度≥90%。
"""


def test_a_headline_names_the_fund_and_its_money(tmp_path: Path) -> None:
    (sheet,) = parse_path(_write(tmp_path, "headline.txt", HEADLINE)).sheets
    assert sheet.project == "2023年大气污染防治专项资金"
    assert sheet.funding is not None and sheet.funding.total_yuan == 320_000_000  # 亿元 folded in
    assert sheet.document_type == "转述"


def test_an_announcement_is_read_with_its_goal_and_funding(tmp_path: Path) -> None:
    path = _write(tmp_path, "announcement.txt", ANNOUNCEMENT)
    (sheet,) = parse_path(path).sheets
    assert sheet.project == "2024年市级文物保护专项资金"
    assert sheet.funding is not None and sheet.funding.total_yuan == 6_800_000
    # 二、绩效目标 is a heading over its own labelled line, not the label of 总体目标：….
    assert sheet.goals and sheet.goals[0].startswith("完成一批重点文物保护单位修缮")
    codes = {f.code for f in check_path(path).findings}
    assert "STR001" not in codes and "VAL005" not in codes  # a rate's change is in 百分点


FURNITURE = """项目名称 | 社区科普服务 |
资金总额（万元） | 30 |
年度目标 | 开展科普活动，提升公民科学素质 |
一级指标 | 二级指标 | 三级指标 | 指标值 |
产出指标 | 数量指标 | 开展科普活动场次 | ≥20场 |
效益指标 | 社会效益指标 | 受益群众人次 | ≥1.5万人次 |
满意度指标 | 服务对象满意度指标 | 参与群众满意度 | ≥90% |
（此件主动公开）
抄送：省科学技术协会，各区人民政府。
【打印】【关闭】
相关链接：中国科协 | 省科协 | 市人民政府
主办：市科学技术协会　琼ICP备05001234号-2
"""


def test_page_furniture_after_a_table_is_not_read_as_its_cells(tmp_path: Path) -> None:
    (sheet,) = parse_path(_write(tmp_path, "furniture.txt", FURNITURE)).sheets
    assert [i.name for i in sheet.indicators] == ["开展科普活动场次", "受益群众人次", "参与群众满意度"]
    assert sheet.indicators[-1].value.raw == "≥90%"


def test_a_paragraph_above_the_sheet_is_no_title(tmp_path: Path) -> None:
    paragraph = (
        "年度结束后，各区应于2024年1月底前报送绩效自评报告，自评结果将作为下年资金分配的重要依据，请认真落实。\n"
    )
    (sheet,) = parse_path(_write(tmp_path, "notice.txt", paragraph + FURNITURE)).sheets
    assert sheet.document_type is None  # read as a 申报表, not a 自评表


_NAME = st.text(alphabet="安置小区物业费清算完成率数量", min_size=1, max_size=20)


@given(st.integers(min_value=1, max_value=99), st.sampled_from([":", "：", "、", "."]), _NAME)
def test_the_forms_slot_number_is_not_part_of_the_name(n: int, mark: str, name: str) -> None:
    assert indicator_name(f"指标{n}{mark}{name}") == name


@given(_NAME)
def test_a_name_without_a_slot_number_is_kept(name: str) -> None:
    assert indicator_name(name) == name
    assert indicator_name("指标解释" + name) == "指标解释" + name


UNITS = """单位：元
项目名称 | 普惠金融发展专项资金 |
资金情况（万元） | 年度金额 | 112 |
年度目标 | 发放创业担保贷款，扶持创业 |
一级指标 | 二级指标 | 三级指标 | 指标值 |
产出指标 | 数量指标 | 创业担保贷款发放额 | ≥4000万元 |
效益指标 | 社会效益指标 | 带动就业人数 | ≥300人 |
满意度指标 | 服务对象满意度指标 | 创业者满意度 | ≥90% |
"""


def test_a_unit_printed_over_the_sheet_that_the_block_contradicts_is_said(tmp_path: Path) -> None:
    path = _write(tmp_path, "units.txt", UNITS)
    (sheet,) = parse_path(path).sheets
    assert sheet.funding is not None and (sheet.funding.unit, sheet.funding.page_unit) == ("万元", "元")
    assert sheet.funding.total_yuan == 1_120_000  # the block's unit stands
    assert "FUND005" in {f.code for f in check_path(path).findings}


def test_a_unit_printed_over_an_earlier_table_is_not_the_sheets(tmp_path: Path) -> None:
    # A disclosure's 单位：元 heads its budget tables, pages before the goal sheet.
    path = _write(tmp_path, "far.txt", UNITS.replace("单位：元\n", "单位：元\n" + "说明文字。\n" * 20))
    (sheet,) = parse_path(path).sheets
    assert sheet.funding is not None and sheet.funding.page_unit is None
    assert "FUND005" not in {f.code for f in check_path(path).findings}

"""The value grammar, case by case: raw string → kind, comparator, number, unit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from checker.model import ValueKind
from checker.parse.values import parse_amount, parse_value

Q, L, R, E, U, N = "quantitative", "qualitative", "range", "empty", "unparsed", "not_applicable"

# (raw, kind, comparator, number, unit)
CASES: list[tuple[str, str, str | None, str | None, str | None]] = [
    # --- every value in the seed's four sheets ---
    ("≥98%", Q, "≥", "98", "%"),
    ("100%", Q, None, "100", "%"),
    ("≤10000 元", Q, "≤", "10000", "元"),
    ("≤4000 元", Q, "≤", "4000", "元"),
    ("≤114000 元", Q, "≤", "114000", "元"),
    ("≤100000 元", Q, "≤", "100000", "元"),
    ("改善", L, None, None, None),
    ("≥95%", Q, "≥", "95", "%"),
    ("≥8280 人、天", Q, "≥", "8280", "人·天"),
    ("≥2520 人、天", Q, "≥", "2520", "人·天"),
    ("1649.86 平方米", Q, None, "1649.86", "平方米"),
    ("保障", L, None, None, None),
    ("≥5 个月", Q, "≥", "5", "个月"),
    ("≥12 个月", Q, "≥", "12", "个月"),
    ("≤37.5 元/平方米", Q, "≤", "37.5", "元/平方米"),
    ("<3.9 元/吨", Q, "<", "3.9", "元/吨"),
    ("≤0.53 元/度", Q, "≤", "0.53", "元/度"),
    ("提升", L, None, None, None),
    ("≥93%", Q, "≥", "93", "%"),
    ("≥90个工作日", Q, "≥", "90", "个工作日"),
    ("≥250个工作日", Q, "≥", "250", "个工作日"),
    ("17人", Q, None, "17", "人"),
    ("≥99%", Q, "≥", "99", "%"),
    ("≥8个工作日", Q, "≥", "8", "个工作日"),
    ("≥22个工作日", Q, "≥", "22", "个工作日"),
    ("≥99.5%", Q, "≥", "99.5", "%"),
    ("及时", L, None, None, None),
    ("≤50000元/人、年", Q, "≤", "50000", "元/人·年"),
    ("≤55000元/人、年", Q, "≤", "55000", "元/人·年"),
    ("≤150元/人、天", Q, "≤", "150", "元/人·天"),
    ("≤500元/人、天", Q, "≤", "500", "元/人·天"),
    ("规范", L, None, None, None),
    ("提高", L, None, None, None),
    ("≥83%", Q, "≥", "83", "%"),
    ("≥80%", Q, "≥", "80", "%"),
    ("有效保障", L, None, None, None),
    ("≤220元/箱", Q, "≤", "220", "元/箱"),
    ("≥90%", Q, "≥", "90", "%"),
    # --- comparators: ASCII, full-width, words ---
    (">=95%", Q, "≥", "95", "%"),
    ("=>95%", Q, "≥", "95", "%"),
    ("<=3天", Q, "≤", "3", "天"),
    ("=<3天", Q, "≤", "3", "天"),
    ("＞＝９０％", Q, "≥", "90", "%"),
    ("＜＝５个工作日", Q, "≤", "5", "个工作日"),
    ("＝100％", Q, "=", "100", "%"),
    ("＞90%", Q, ">", "90", "%"),
    ("＜1%", Q, "<", "1", "%"),
    ("≧95%", Q, "≥", "95", "%"),
    ("≦2%", Q, "≤", "2", "%"),
    ("==100%", Q, "=", "100", "%"),
    ("=100%", Q, "=", "100", "%"),
    ("不低于95%", Q, "≥", "95", "%"),
    ("不少于200人次", Q, "≥", "200", "人次"),
    ("不小于30平方米", Q, "≥", "30", "平方米"),
    ("至少3次", Q, "≥", "3", "次"),
    ("达到95%", Q, "≥", "95", "%"),
    ("力争98%", Q, "≥", "98", "%"),
    ("大于等于90%", Q, "≥", "90", "%"),
    ("大于或等于90%", Q, "≥", "90", "%"),
    ("不高于5%", Q, "≤", "5", "%"),
    ("不超过120万元", Q, "≤", "120", "万元"),
    ("不多于2次", Q, "≤", "2", "次"),
    ("小于等于3天", Q, "≤", "3", "天"),
    ("控制在50万元以内", Q, "≤", "50", "万元"),
    ("控制在5个工作日以内", Q, "≤", "5", "个工作日"),
    ("控制在预算内", L, None, None, None),
    ("大于80%", Q, ">", "80", "%"),
    ("高于85%", Q, ">", "85", "%"),
    ("超过1000人", Q, ">", "1000", "人"),
    ("小于1%", Q, "<", "1", "%"),
    ("低于0.5%", Q, "<", "0.5", "%"),
    ("少于3起", Q, "<", "3", "起"),
    ("等于100%", Q, "=", "100", "%"),
    ("约500人", Q, "=", "500", "人"),
    ("95%以上", Q, "≥", "95", "%"),
    ("95%及以上", Q, "≥", "95", "%"),
    ("3次或以上", Q, "≥", "3", "次"),
    ("5%以下", Q, "≤", "5", "%"),
    ("5%及以下", Q, "≤", "5", "%"),
    ("30天以内", Q, "≤", "30", "天"),
    ("30天之内", Q, "≤", "30", "天"),
    ("5个工作日内", Q, "≤", "5", "个工作日"),
    ("5个工作日内完成", Q, "≤", "5", "个工作日"),
    ("100人左右", Q, "=", "100", "人"),
    ("≥ 98 %", Q, "≥", "98", "%"),
    ("≥98％", Q, "≥", "98", "%"),
    ("≥95%（含）", Q, "≥", "95", "%"),
    ("≥95%(较上年提高)", Q, "≥", "95", "%"),
    # --- numbers: separators, 万/亿, Chinese numerals ---
    ("1, 200, 000", Q, None, "1200000", None),
    ("1,200,000元", Q, None, "1200000", "元"),
    ("2,773.65万元", Q, None, "2773.65", "万元"),
    ("2773.65万元", Q, None, "2773.65", "万元"),
    ("1 200 000 元", Q, None, "1200000", "元"),
    ("≥1，000人次", Q, "≥", "1000", "人次"),
    ("15万平方米", Q, None, "15", "万平方米"),
    ("不低于15万平方米", Q, "≥", "15", "万平方米"),
    ("250万", Q, None, "250", "万"),
    ("3亿元", Q, None, "3", "亿元"),
    ("0.5亿元", Q, None, "0.5", "亿元"),
    ("10千元", Q, None, "10", "千元"),
    ("十二个月", Q, None, "12", "个月"),
    ("三次", Q, None, "3", "次"),
    ("两年", Q, None, "2", "年"),
    ("二十个", Q, None, "20", "个"),
    ("百分之九十八", Q, None, "98", "%"),
    ("百分之98", Q, None, "98", "%"),
    ("0", Q, None, "0", None),
    ("100", Q, None, "100", None),
    ("0.53", Q, None, "0.53", None),
    ("1\u200b00%", Q, None, "100", "%"),
    ("\u00a0≥\u300095%\ufeff", Q, "≥", "95", "%"),
    # --- units ---
    ("≥500人次", Q, "≥", "500", "人次"),
    ("≥12个", Q, "≥", "12", "个"),
    ("≥30件", Q, "≥", "30", "件"),
    ("≥5台", Q, "≥", "5", "台"),
    ("≥2套", Q, "≥", "2", "套"),
    ("≥100户", Q, "≥", "100", "户"),
    ("≥10篇", Q, "≥", "10", "篇"),
    ("≥500份", Q, "≥", "500", "份"),
    ("≥3辆", Q, "≥", "3", "辆"),
    ("≥17600株", Q, "≥", "17600", "株"),
    ("≥2座", Q, "≥", "2", "座"),
    ("≥4所", Q, "≥", "4", "所"),
    ("≥20箱", Q, "≥", "20", "箱"),
    ("≤24小时", Q, "≤", "24", "小时"),
    ("≤2周", Q, "≤", "2", "周"),
    ("≥3年", Q, "≥", "3", "年"),
    ("≥1个季度", Q, "≥", "1", "个季度"),
    ("≥1649.86㎡", Q, "≥", "1649.86", "平方米"),
    ("≥200平米", Q, "≥", "200", "平方米"),
    ("≥500m2", Q, "≥", "500", "平方米"),
    ("≥1000亩", Q, "≥", "1000", "亩"),
    ("≥5公顷", Q, "≥", "5", "公顷"),
    ("≥12公里", Q, "≥", "12", "公里"),
    ("≥300米", Q, "≥", "300", "米"),
    ("≥50吨", Q, "≥", "50", "吨"),
    ("≤2000公斤", Q, "≤", "2000", "千克"),
    ("≥100立方米", Q, "≥", "100", "立方米"),
    ("≤1万千瓦时", Q, "≤", "1", "万度"),
    ("≤0.6元/千瓦时", Q, "≤", "0.6", "元/度"),
    ("≤28.40元/株", Q, "≤", "28.40", "元/株"),
    ("≤475元/人·天", Q, "≤", "475", "元/人·天"),
    ("≤475元/人天", Q, "≤", "475", "元/人·天"),
    ("≤475元/人・天", Q, "≤", "475", "元/人·天"),
    ("≤3000元/人/年", Q, "≤", "3000", "元/人·年"),
    ("≥8280人*天", Q, "≥", "8280", "人·天"),
    ("≤120元/平方米", Q, "≤", "120", "元/平方米"),
    ("≥90分", Q, "≥", "90", "分"),
    ("≤30分钟", Q, "≤", "30", "分钟"),
    ("≤0.5‰", Q, "≤", "0.5", "‰"),
    ("≥85 百分比", Q, "≥", "85", "百分比"),
    ("≤28.40/株", Q, "≤", "28.40", "/株"),
    ("≥5头牛", Q, "≥", "5", "头牛"),
    # --- ranges ---
    ("90%-95%", R, None, "90", "%"),
    ("90-95%", R, None, "90", "%"),
    ("90%~95%", R, None, "90", "%"),
    ("90%—95%", R, None, "90", "%"),
    ("90%至95%", R, None, "90", "%"),
    ("±3%以内", R, None, "-3", "%"),
    ("±5%", R, None, "-5", "%"),
    ("80-100分", R, None, "80", "分"),
    ("2023.07-2024.01", R, None, None, None),
    ("2023年4月-2024年2月", R, None, None, None),
    # periods between dates are not quantities (corpus 01, 02, 09): no number, no unit, a deadline
    ("2020年1月--2020年11月", R, None, None, None),
    ("2021年1月-12月", R, None, None, None),
    ("2019.01.01--2019.12.31", R, None, None, None),
    ("1-12月", R, None, None, None),
    ("3-6个月", R, None, "3", "个月"),
    ("1-3", R, None, "1", None),
    # a trailing 达标 says the target is met, it is not part of the unit (corpus 03, also traditional)
    ("100%达标", Q, None, "100", "%"),
    ("100%達標", Q, None, "100", "%"),
    # one target inside a sentence that opens with a comparator word (corpus 09)
    ("至少全年完成2次宣传", Q, "≥", "2", "次"),
    # a label, then its comparator and target (the real 291-project workbook, issue 12)
    ("2023-11-30", L, None, None, None),
    ("2023/11/30", L, None, None, None),
    ("2023-13-30", U, None, None, None),
    ("当年12月之前", L, None, None, None),
    ("每年10月前", L, None, None, None),
    ("总成本不超过35万", Q, "≤", "35", "万"),
    ("成本不超过13.7584万元", Q, "≤", "13.7584", "万元"),
    ("整理档案数量不少1500件/年", Q, "≥", "1500", "件/年"),
    ("项目审查不少于1次", Q, "≥", "1", "次"),
    ("总成本不超过33.24万元一年", U, None, None, None),
    ("2023年支付成本不超过300万元", U, None, "2023", None),
    ("2021年全年", L, None, None, None),
    ("95%-90%", U, None, None, None),
    ("90%-95人", U, None, None, None),
    # --- qualitative (graded and bare) and deadlines ---
    ("达到预期", L, None, None, None),
    ("应保尽保", L, None, None, None),
    ("显著提升", L, None, None, None),
    ("持续改善", L, None, None, None),
    ("好/较好/一般/较差/差", L, None, None, None),
    ("达到/部分达到/未达到", L, None, None, None),
    ("按月安排", L, None, None, None),
    ("合规", L, None, None, None),
    ("长远", L, None, None, None),
    ("12月31日前完成", L, None, None, None),
    ("2024年12月31日前", L, None, None, None),
    ("2024年底前", L, None, None, None),
    ("年底前完成", L, None, None, None),
    ("6月底前", L, None, None, None),
    ("nan", L, None, None, None),
    ("inf", L, None, None, None),
    # --- empty and template residue ---
    ("", E, None, None, None),
    ("   ", E, None, None, None),
    ("\u3000", E, None, None, None),
    ("≥**", U, None, None, None),
    ("*", U, None, None, None),
    ("(≥**%)", U, None, None, None),
    ("≥**%", U, None, None, None),
    ("_", U, None, None, None),
    ("……", U, None, None, None),
    ("★★★", U, None, None, None),
    ("1_000", U, None, None, None),
    ("--/--", U, None, None, None),
    # --- not applicable: the whole cell says the slot does not apply (rules/frameworks/lexicon.yaml) ---
    ("不适用", N, None, None, None),
    ("不适用\t\n", N, None, None, None),  # the real 291-project workbook: 165 of these
    ("不适用\n", N, None, None, None),
    ("不适用\t", N, None, None, None),
    ("\t 不适用 \r\n", N, None, None, None),
    ("不适用\t\n不适用", N, None, None, None),  # a cell typed twice
    ("不 适 用", N, None, None, None),  # letter-spaced by a PDF extraction
    ("（不适用）", N, None, None, None),
    ("不适用。", N, None, None, None),
    ("不适用(本项目无此类支出)", N, None, None, None),
    ("不适应", N, None, None, None),  # the workbook's typo for 不适用
    ("本项目不适用", N, None, None, None),
    ("本项目不适用此指标", N, None, None, None),
    ("不涉及", N, None, None, None),
    ("本项目不涉及", N, None, None, None),
    ("无", N, None, None, None),
    ("无\n", N, None, None, None),
    ("\u3000无\u3000", N, None, None, None),
    ("无。", N, None, None, None),
    ("无此项", N, None, None, None),
    ("N/A", N, None, None, None),
    ("n/a", N, None, None, None),
    ("/", N, None, None, None),
    ("／", N, None, None, None),
    ("-", N, None, None, None),
    ("－", N, None, None, None),
    ("—", N, None, None, None),
    ("——", N, None, None, None),
    ("--", N, None, None, None),
    (" / ", N, None, None, None),
    # --- ... and what only looks like it: targets, not declarations ---
    ("无事故", L, None, None, None),
    ("无投诉", L, None, None, None),
    ("无重大安全事故", L, None, None, None),
    ("无违规", L, None, None, None),
    ("否", L, None, None, None),
    ("不适用%", L, None, None, None),
    ("无 事故", L, None, None, None),
    ("0起", Q, None, "0", "起"),
    ("0%", Q, None, "0", "%"),
    ("=0", Q, "=", "0", None),
    # --- broken values ---
    ("≥", U, None, None, None),
    ("≥良好", U, "≥", None, None),
    ("≥100%以下", U, None, None, None),
    ("١٢", U, None, None, None),
    ("≥95%且≤98%", U, "≥", "95", None),
    ("17人参加培训班学习", U, None, "17", None),
    ("1" * 40, U, None, None, None),
]


def test_table_has_no_duplicate_raw_strings() -> None:
    # A repeated raw string would run twice under one test id, and its second expectation could silently
    # contradict the first; this guards the table, not the parser.
    assert len({c[0] for c in CASES}) == len(CASES), "duplicate raw strings in the table"


@pytest.mark.parametrize(("raw", "kind", "comparator", "number", "unit"), CASES, ids=[repr(c[0])[:30] for c in CASES])
def test_value(raw: str, kind: str, comparator: str | None, number: str | None, unit: str | None) -> None:
    value = parse_value(raw)
    assert value.raw == raw
    assert str(value.kind) == kind, value.reason
    assert value.comparator == comparator
    assert value.number == (Decimal(number) if number is not None else None)
    if kind in (Q, R):
        assert value.unit == unit


def test_unparsed_always_has_a_reason() -> None:
    for raw, kind, *_ in CASES:
        if kind == U:
            assert parse_value(raw).reason, raw


def test_magnitudes_in_base_units() -> None:
    assert parse_value("≥98%").magnitude == Decimal("0.98")
    assert parse_value("2,773.65万元").magnitude == Decimal("27736500")
    assert parse_value("≥5 个月").magnitude == Decimal("152.1875")
    assert parse_value("15万平方米").magnitude == Decimal("150000")
    assert parse_value("≥1000亩").magnitude.quantize(Decimal("0.01")) == Decimal("666666.67")  # type: ignore[union-attr]
    v = parse_value("≤0.53 元/度")
    assert (v.dimension, v.base_unit, v.magnitude) == ("[currency] / [energy]", "元/度", Decimal("0.53"))
    v = parse_value("≥8280 人、天")
    assert (v.dimension, v.base_unit) == ("[person] * [time]", "人·天")


def test_unknown_unit_is_kept_and_flagged() -> None:
    v = parse_value("≥5头牛")
    assert v.kind is ValueKind.QUANTITATIVE
    assert (v.unit, v.unit_known, v.reason, v.magnitude) == ("头牛", False, "unknown unit", None)


def test_ranges_keep_both_ends() -> None:
    v = parse_value("90%-95%")
    assert (v.number, v.high) == (Decimal(90), Decimal(95))
    v = parse_value("±3%以内")
    assert (v.number, v.high) == (Decimal(-3), Decimal(3))


def test_deadlines() -> None:
    assert parse_value("12月31日前完成").deadline == "--12-31"
    assert parse_value("2024年12月31日前").deadline == "2024-12-31"
    assert parse_value("2024年底前").deadline == "2024-12-31"
    assert parse_value("6月底前").deadline == "--06"
    assert parse_value("2023.07-2024.01").deadline == "2024-01"
    assert parse_value("及时").deadline is None


@pytest.mark.parametrize(
    ("text", "amount"),
    [("114,000", "114000"), ("1, 200, 000", "1200000"), ("0", "0"), ("854万", "8540000"), ("2,773.65", "2773.65"),
     ("", None), ("无", None), ("12元", "12"), ("3万元", "30000"), ("14.6亿元", "1460000000"), ("3.2亿", "320000000"),
     ("250千元", "250000"), ("5亿万元", None)],
)  # fmt: skip
def test_amounts(text: str, amount: str | None) -> None:
    assert parse_amount(text) == (Decimal(amount) if amount is not None else None)

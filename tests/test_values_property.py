"""Hypothesis: the value parser is total, its numbers finite, and NFKC does not change its reading."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.model import Value
from checker.parse.values import parse_value

# Pieces real values are made of, so that the search spends time near the grammar, not only in noise.
PIECES = [
    "≥", "≤", ">=", "<=", "＞＝", "＜", "=", "＝", "不低于", "不超过", "控制在", "以内", "以上", "以下", "达到",
    "98", "1, 200, 000", "2,773.65", "0.53", "15", "万", "亿", "%", "％", "元", "元/度", "人、天", "人·天", "个工作日",
    "平方米", "㎡", "个月", "-", "~", "至", "±", "*", "**", "(", ")", "（含）", " ", "\u3000", "\u200b", "\xa0",
    "保障", "及时", "提升", "12月31日前", "年底前", "百分之", "九十八", "十二", "١٢", "nan", "1_000",
]  # fmt: skip
plausible = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
anything = st.text(max_size=40)
values = st.one_of(plausible, anything, st.tuples(plausible, anything).map("".join))


def _without_raw(v: Value) -> Value:
    return replace(v, raw="")


@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values)
def test_parser_is_total_finite_and_nfkc_stable(text: str) -> None:
    value = parse_value(text)
    assert value.raw == text
    for number in (value.number, value.high, value.magnitude):
        assert number is None or number.is_finite()
    if str(value.kind) == "unparsed":
        assert value.reason
    assert _without_raw(parse_value(unicodedata.normalize("NFKC", text))) == _without_raw(value)

"""Hypothesis: the value parser is total, its numbers finite, and NFKC does not change its reading."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from checker.model import Value, ValueKind
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


# --- not applicable -------------------------------------------------------------------------------------

_NA_WORDS = ["不适用", "无", "/", "-", "—", "不涉及", "无此项", "本项目不适用此指标", "N/A"]
# None of these joins one of the words above into another listed word (无 + 此项 would).
_MORE = ["事故", "投诉", "0", "否", "%", "≥", "98", "人", "提升", "达到", "重大"]
_SPACE = ["", " ", "\t", "\n", "\u3000", "\t\n", "\r\n"]
# A cell of only these (a dash or slash in brackets, with punctuation) may be a declaration; anything
# else in the cell makes it something else.
# Dashes in every look-alike the normaliser folds into "-" (‐ ‑ ‒ – ― −): a lone one is a dash, read as
# not applicable like "-".
# Invisible characters the normaliser drops (text.tidy: zero-width ones, the soft hyphen) leave the marks alone.
_MARKS = set("-/\\—－／()（）[]【】。.;；,，!！ \t\n\r\u3000\xa0\u2010\u2011\u2012\u2013\u2015\u2212") | set(
    "\u200b\u200c\u200d\u2060\xad\ufeff"
)
_WORDS = re.compile(r"不适|无|不涉及|n/a|(?<![a-z])na(?![a-z])")


@settings(max_examples=5_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values)
@example("-（含）（含）")  # found by this test: the second marker was read as a note and left a lone -
def test_no_value_of_the_grammar_generators_becomes_not_applicable(text: str) -> None:
    # The generators build quantities, ranges, dates, words and noise; apart from a lone - they hold no
    # not-applicable word, so nothing they make may read as not applicable.
    # White space as Python (and so the parser) sees it: \x1c–\x1f are white space too.
    assume(not set("".join(text.split())) <= _MARKS)
    assume(not _WORDS.search(unicodedata.normalize("NFKC", text).casefold()))
    assert parse_value(text).kind is not ValueKind.NOT_APPLICABLE, text


@settings(max_examples=3_000, deadline=None)
@given(
    st.sampled_from(_SPACE),
    st.sampled_from(_NA_WORDS),
    st.sampled_from(_SPACE),
    st.lists(st.sampled_from(_MORE), min_size=1, max_size=3).map("".join),
    st.booleans(),
)
def test_a_word_with_more_in_the_cell_is_a_target_not_a_declaration(
    before: str, word: str, after: str, more: str, more_first: bool
) -> None:
    assert parse_value(before + word + after).kind is ValueKind.NOT_APPLICABLE, before + word + after
    text = more + word + after if more_first else before + word + more
    assert parse_value(text).kind is not ValueKind.NOT_APPLICABLE, text


# A label, then a comparator, then the one target (the real workbook's 总成本不超过35万): read as that target.
_LABEL_CHARS = "总成本项目审查数量档案支出经费人员覆盖率宣传活动场次"
_LABELLED = [("不超过", "≤"), ("不超", "≤"), ("不少于", "≥"), ("不少", "≥"), ("大于或等于", "≥"), ("≤", "≤"),
             ("不低于", "≥")]  # fmt: skip


@settings(max_examples=2_000, deadline=None)
@given(
    label=st.text(alphabet=_LABEL_CHARS, min_size=1, max_size=16),
    comparator=st.sampled_from(_LABELLED),
    number=st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False),
    unit=st.sampled_from(["万元", "元", "次", "个", "%", "人", "件/年"]),
)
def test_a_labelled_target_is_read_as_its_target(label: str, comparator: tuple[str, str], number: object,
                                                 unit: str) -> None:  # fmt: skip
    spelling, symbol = comparator
    value = parse_value(f"{label}{spelling}{number}{unit}")
    assert str(value.kind) == "quantitative", value
    assert value.comparator == symbol and value.number == number and value.unit == unit


@given(label=st.text(alphabet=_LABEL_CHARS + "0123456789", min_size=1, max_size=30))
def test_a_label_with_a_number_in_it_is_no_labelled_target(label: str) -> None:
    # 2023年支付成本不超过300万元: two numbers, no guess which is the target.
    assume(any(ch.isdigit() for ch in label))
    value = parse_value(f"{label}不超过300万元")
    assert value.reason != "number read from a sentence", value


@given(st.text(alphabet="*人天aZ9 ≥%一龥\u9fa6\u4dff/", max_size=12))
def test_a_star_residue_is_what_the_pattern_said(text: str) -> None:
    from checker.parse.values import _star_residue

    pattern = re.compile(r"(?<![\u4e00-\u9fffA-Za-z])\*|\*(?![\u4e00-\u9fffA-Za-z])")
    assert _star_residue(text) == (pattern.search(text) is not None)

"""The 指标值 grammar: one string in, one ``Value`` out; never raises.

Grammar (docs/catalogue.md §4), applied to text cleaned by ``text.clean``:

    value := [comparator] number [unit] [suffix]      quantitative  (≥98%, 不低于15万平方米, 5个工作日内)
           | [±] number [unit] (-|~|至|到) number [unit] range   (90%-95%, ±3%以内)
           | date [前|之前|以前] [verb]                 a deadline   (2024年12月31日前完成)
           | words without digits                       qualitative  (保障, 达到预期)
           | a not-applicable word, the whole cell      not_applicable (不适用, 无, /, 本项目不涉及)

Comparators come as symbols (≥ >= ＞＝ ≧), as prefix words (不低于, 不超过, 控制在) or as suffix words
(以上, 以下, 以内). Numbers keep their exact digits as ``Decimal``; grouping by ``,`` ``，`` or spaces
(``1, 200, 000``) is accepted only in groups of three digits. The not-applicable words are data
(``not_applicable_values`` in rules/frameworks/lexicon.yaml).
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from functools import cache, lru_cache

from checker.lazyre import lazy
from checker.model import Direction, Value, ValueKind
from checker.resources import shipped_yaml
from checker.text import clean
from checker.units import resolve

_D = "[0-9]"
NUMBER = rf"(?:{_D}{{1,3}}(?:(?:, ?| ){_D}{{3}})+|{_D}+)(?:\.{_D}+)?"
_NUMBER_RE = lazy(NUMBER)
_MAX_DIGITS = 30

# Longest spellings first, so that 大于等于 wins over 大于 and >= over >.
_SYMBOLS: tuple[tuple[str, str], ...] = (
    (">=", "≥"), ("=>", "≥"), ("≥", "≥"), ("<=", "≤"), ("=<", "≤"), ("≤", "≤"),
    ("==", "="), ("=", "="), (">", ">"), ("<", "<"),
)  # fmt: skip
_PREFIX_WORDS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        {
            "大于或等于": "≥", "大于等于": "≥", "高于或等于": "≥", "不低于": "≥", "不少于": "≥", "不小于": "≥",
            "至少": "≥", "达到": "≥", "力争": "≥", "力争达到": "≥", "确保": "≥", "保持在": "≥",
            "小于或等于": "≤", "小于等于": "≤", "不高于": "≤", "不超过": "≤", "不多于": "≤", "不大于": "≤",
            "最多": "≤", "控制在": "≤", "控制": "≤", "低于或等于": "≤",
            "大于": ">", "高于": ">", "超过": ">", "多于": ">",
            "小于": "<", "低于": "<", "少于": "<",
            "等于": "=", "为": "=", "约": "=", "约为": "=",
            # a rise over last year at least this large (较上年提高5个百分点)
            "较上年提高": "≥", "比上年提高": "≥", "同比提高": "≥", "较上年增长": "≥", "比上年增长": "≥",
            "同比增长": "≥", "较上年增加": "≥", "比上年增加": "≥",
        }.items(),
        key=lambda kv: -len(kv[0]),
    )
)  # fmt: skip
_SUFFIX_WORDS: tuple[tuple[str, str], ...] = (
    ("及以上", "≥"), ("或以上", "≥"), ("以上", "≥"),
    ("及以下", "≤"), ("或以下", "≤"), ("以下", "≤"),
    ("以内", "≤"), ("之内", "≤"), ("内", "≤"), ("左右", "="),
)  # fmt: skip
_TRAILING_VERBS = (
    "完成", "办结", "到位", "结束", "完工", "发放", "拨付", "支付", "上报", "报送", "答复", "反馈", "达标", "達標",
)  # fmt: skip
_INCLUSIVE = lazy(r"(?:\((?:含|包含|含本数)\))+$")  # ≥98%(含)(含): a doubled marker is one
_NOTE = lazy(r"\s*\(([^()]*)\)$")
_PLACEHOLDER_ONLY = lazy(r"^[\s\-_/\\*.·~]+$")


def _star_residue(text: str) -> bool:
    r"""A * between two unit words (人*天) multiplies; anywhere else it is a template blank (≥**, *). As the
    pattern ``(?<![\u4e00-\u9fffA-Za-z])\*|\*(?![\u4e00-\u9fffA-Za-z])`` would say, without compiling its
    two CJK ranges (~3 ms of a cold check: the regex compiler walks every code point of a range)."""
    at = text.find("*")
    while at != -1:
        if not (_unit_letter(text, at - 1) and _unit_letter(text, at + 1)):
            return True
        at = text.find("*", at + 1)
    return False


def _unit_letter(text: str, at: int) -> bool:
    if not 0 <= at < len(text):
        return False
    ch = text[at]
    return "\u4e00" <= ch <= "\u9fff" or "A" <= ch <= "Z" or "a" <= ch <= "z"


_RANGE_SEP = lazy(r"\s*(?:-|~|至|到)\s*")
_DATE = lazy(
    rf"^(?:当年|本年度?|每年)?(?:(?P<y>{_D}{{4}})年)?(?:(?P<m>{_D}{{1,2}})月(?:(?P<d>{_D}{{1,2}})[日号]|(?P<end>底|末))?|(?P<yend>年底|年末|底|末|全年|年内))"
    r"(?:前|之前|以前|内|止)?$"
)
# 2023-11-30, 2023/11/30, 2023.11.30 (the same separator twice): a day, as the real workbook writes deadlines.
_ISO_DATE = lazy(rf"^(?P<y>{_D}{{4}})([-/.])(?P<m>{_D}{{1,2}})\2(?P<d>{_D}{{1,2}})(?:前|之前|以前|止)?$")
# A period between two dates: 2020年1月--2020年11月, 2021年1月-12月, 2019.01.01--2019.12.31, 1-12月 (a
# span of months of the year is a period, not a quantity of months: that is written 个月).
_DAY = rf"(?:[.年/-]{_D}{{1,2}}[日号]?)?"
_PERIOD = lazy(
    rf"^(?:({_D}{{4}})[.年/-])?({_D}{{1,2}})月?{_DAY}\s*(?:-+|—+|~|至|到)\s*(?:({_D}{{4}})[.年/-])?({_D}{{1,2}})月?{_DAY}$"
)
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER = lazy("^[零〇一二两三四五六七八九十百千]+")
_LONG_UNKNOWN_UNIT = 6
# Brackets around a whole cell and punctuation after it: （不适用） and 无。 say the same as 不适用 and 无.
_NA_WRAPPING = lazy(r"^[(\[【]+|[)\]】。.;；,，!！]+$")


@cache
def _not_applicable_words() -> frozenset[str]:
    words = shipped_yaml("frameworks/lexicon.yaml")["not_applicable_values"]
    return frozenset(_na_key(clean(str(w))) for w in words)


def _na_key(text: str) -> str:
    return (_NA_WRAPPING.sub("", text) if _wrapped(text) else text).replace(" ", "").casefold()


# What the patterns below need before they can match, tested first: most values hold none of it, and a
# pattern never searched is never compiled (each costs the regex compiler 0.1-1 ms of a cold check; their
# character classes beyond Latin-1 most). tests/test_cold_start.py holds each test to its pattern.
_NA_OPEN, _NA_CLOSE = frozenset("([【"), frozenset(")]】。.;；,，!！")
_PERIOD_SEPS = frozenset("-—~至到")
_RANGE_SEPS = frozenset("-~至到")


def _wrapped(text: str) -> bool:
    """Whether ``_NA_WRAPPING`` can match: a bracket first, or closing punctuation last (``$`` also matches
    before a final newline)."""
    last = text[-2:-1] if text.endswith("\n") else text[-1:]
    return text[:1] in _NA_OPEN or last in _NA_CLOSE


def _says_not_applicable(text: str) -> bool:
    """``text`` (already cleaned) is only a not-applicable word: 不适用, （无）, 不 适 用, or 不适用 不适用 where a
    cell was typed twice. A word with anything else in the cell (无事故, 不适用%) is not."""
    words = _not_applicable_words()
    return _na_key(text) in words or all(_na_key(part) in words for part in text.split(" "))


def is_not_applicable_name(name: str) -> bool:
    """A 三级 name that only says the slot does not apply (本项目不适用此指标, 不适用, 无)."""
    text = clean(name)
    return bool(text) and _says_not_applicable(text)


def is_not_applicable(name: str, value: Value) -> bool:
    """An indicator slot declared not applicable: by its value, or by its name when the value says nothing
    else (本项目不适用此指标 with an empty value). Such a row is not an indicator to judge."""
    if value.kind is ValueKind.NOT_APPLICABLE:
        return True
    return value.kind is ValueKind.EMPTY and is_not_applicable_name(name)


def mark_not_applicable(name: str, value: Value) -> Value:
    """``value`` as the sheet builder should store it: ``not_applicable`` when the row declares it by its name."""
    if value.kind is ValueKind.EMPTY and is_not_applicable_name(name):
        return Value(value.raw, ValueKind.NOT_APPLICABLE)
    return value


@lru_cache(maxsize=16384)
def parse_value(raw: str) -> Value:
    """Parse one 指标值. Total: every string gives a Value; oddities go to ``reason``.

    Cached: a batch repeats the same few hundred values, and a Value is immutable.
    """
    text = clean(raw)
    if not text:
        return Value(raw, ValueKind.EMPTY)
    # Before the placeholder test: a lone / or - is how many forms say "not applicable", not a blank.
    if _says_not_applicable(text):
        return Value(raw, ValueKind.NOT_APPLICABLE)
    if (
        _star_residue(text)
        or "_" in text
        or "..." in text
        or "★" in text
        or "☆" in text
        or _PLACEHOLDER_ONLY.match(text)
    ):
        return Value(raw, ValueKind.UNPARSED, reason="template placeholder")
    note = None
    text = (_INCLUSIVE.sub("", text) if ")" in text else text).strip()
    m = _NOTE.search(text) if ")" in text else None
    if m and m.start() > 0:
        note, text = m.group(1), text[: m.start()].strip()
        if _says_not_applicable(text):  # 不适用(本项目无此类支出)
            return Value(raw, ValueKind.NOT_APPLICABLE, note=note)
    return _parse_core(raw, text, note)


def _parse_core(raw: str, text: str, note: str | None) -> Value:
    period = _PERIOD.match(text) if not _PERIOD_SEPS.isdisjoint(text) else None
    if period and _is_period(text, period):
        y1, _, y2, m2 = period.groups()
        year = y2 or y1 or "-"  # ISO 8601 leaves the year out as --MM
        return Value(raw, ValueKind.RANGE, deadline=f"{year}-{int(m2):02d}", note=note or "period")
    comparator, rest = _take_prefix(text)
    rest = _strip_verbs(rest)
    suffix, rest = _take_suffix(rest)
    if comparator and suffix and suffix not in (comparator, "="):
        return Value(raw, ValueKind.UNPARSED, reason="conflicting comparators")
    comparator = comparator or suffix
    if not rest:
        reason = "comparator without a number" if comparator else "no value"
        return Value(raw, ValueKind.UNPARSED, reason=reason)

    date = _DATE.match(rest)
    if date:
        return Value(raw, ValueKind.QUALITATIVE, deadline=_deadline(date), note=note)
    iso = _ISO_DATE.match(rest)
    if iso and 1 <= int(iso.group("m")) <= 12 and 1 <= int(iso.group("d")) <= 31:
        day = f"{iso.group('y')}-{int(iso.group('m')):02d}-{int(iso.group('d')):02d}"
        return Value(raw, ValueKind.QUALITATIVE, deadline=day, note=note)
    if rest.startswith("±"):
        return _tolerance(raw, rest[1:].strip(), note)
    ranged = _range(raw, rest, note)
    if ranged is not None:
        return ranged
    number, unit_text = _split_number(rest)
    if number is None:
        if any(ch.isdigit() for ch in rest):
            sentence = _sentence_target(raw, text, note)
            if sentence is not None:
                return sentence
            return Value(raw, ValueKind.UNPARSED, comparator=comparator, reason="digits but no readable number")
        if comparator and text[:1] in "≥≤=><":
            return Value(raw, ValueKind.UNPARSED, comparator=comparator, reason="comparator without a number")
        return Value(raw, ValueKind.QUALITATIVE, note=note)
    if isinstance(number, str):
        return Value(raw, ValueKind.UNPARSED, reason=number)
    if rest[4:5] == "年" and _YEAR_PHRASE.match(rest):
        # 2023年汛前, 2024年春季: a time of a year, not 2023 of a unit 年汛前.
        return Value(raw, ValueKind.QUALITATIVE, deadline=rest[:4], note=note)
    return _quantity(raw, comparator, number, unit_text, note)


def _is_period(text: str, m: re.Match[str]) -> bool:
    """Dates on both sides (a year on either, or months of the year with 月): not 1-3 or 5-10人."""
    y1, m1, y2, m2 = m.groups()
    months_ok = 1 <= int(m1) <= 12 and 1 <= int(m2) <= 12
    return months_ok and (bool(y1 or y2) or text.endswith("月"))


# A sentence holding one target: 至少全年完成2次宣传, 不少于每月开展1次巡查. Read as comparator, number and
# unit when the sentence opens with a comparator word and has exactly one number followed by a unit.
_SENTENCE_NUMBER = lazy(rf"{_D}+(?:\.{_D}+)?")
_SEASONS = r"(?:汛前|汛期|汛后|春季|夏季|秋季|冬季|上半年|下半年|第[一二三四]季度|[一二三四]季度)"
_YEAR_PHRASE = lazy(rf"^(?:19|20){_D}{{2}}年{_SEASONS}(?:前|末|内)?$")


def _sentence_target(raw: str, text: str, note: str | None) -> Value | None:
    """至少全年完成2次宣传 → ≥2次; 申请审核通过后30个工作日内 → ≤30个工作日: one number with its unit, and a
    comparator word opening the sentence or closing it right after the unit."""
    numbers = list(_SENTENCE_NUMBER.finditer(text))
    if len(numbers) != 1:
        return None
    number = numbers[0]
    tail = text[number.end() :]
    unit = next((tail[:k] for k in range(min(4, len(tail)), 0, -1) if resolve(tail[:k]) is not None), None)
    if unit is None:
        return None
    comparator = next((comp for spelling, comp in _PREFIX_WORDS if text.startswith(spelling)), None)
    after = tail[len(unit) :]
    comparator = comparator or next((comp for spelling, comp in _SUFFIX_WORDS if after == spelling), None)
    if comparator is None and not after:
        comparator = _labelled_comparator(text[: number.start()])
    if comparator is None:
        return None
    value = _quantity(raw, comparator, Decimal(number.group(0)), unit, note)
    return replace(value, reason="number read from a sentence")


# The words a label may end in before its comparator (总成本不超过35万, 项目审查不少于1次): the prefix words and
# their clipped forms the real workbook uses (不超, 不少), and the comparator symbols.
_CLIPPED = (("不超", "≤"), ("不少", "≥"))
_LABEL_MAX = 16


def _labelled_comparator(before: str) -> str | None:
    """总成本不超过 → ≤: a short label without digits, then a comparator right before the number."""
    for spelling, comp in (*_PREFIX_WORDS, *_CLIPPED, *_SYMBOLS):
        label = before[: -len(spelling)].strip() if before.endswith(spelling) else None
        if label and len(label) <= _LABEL_MAX and not any(ch.isdigit() for ch in label):
            return comp
    return None


def unit_from_name(name: str, value: Value) -> Value:
    """A number with no unit under a name that carries it (开展修复工程(个) | ≥1): the unit is the name's."""
    if value.kind is not ValueKind.QUANTITATIVE or value.unit is not None or value.number is None:
        return value
    m = _NAME_UNIT.search(clean(name))
    if m is None or resolve(m.group(1)) is None:
        return value
    return replace(_quantity(value.raw, value.comparator, value.number, m.group(1), value.note), raw=value.raw)


_NAME_UNIT = lazy(r"\(([^()]{1,6})\)$")


def joined_value(value: str, comparator: str = "", unit: str = "") -> str:
    """指标性质 + 指标值 + 度量单位 split over columns → one value string, as the grammar reads it. A 定性/定量
    type in the 指标性质 column is not a comparator, and 不适用 under a unit column is not 不适用%."""
    value, comparator, unit = value.strip(), comparator.strip(), unit.strip()
    if declared_type(comparator) is not None:
        comparator = ""
    if not value or parse_value(value).kind is ValueKind.NOT_APPLICABLE:
        return value
    if unit and not value.endswith(unit):
        value += unit
    if comparator and not value.startswith(comparator):
        value = comparator + value
    return value


def declared_type(comparator: str) -> str | None:
    """定量 / 定性 when a 指标性质 column says so (VAL-007, QUAL-005 compare it with the value)."""
    key = clean(comparator).replace(" ", "")
    return next((word for word in ("定量", "定性") if key.startswith(word)), None)


def direction_of(text: str) -> Direction | None:
    """正向 (more is better) or 反向 (less is better) from a 指标方向 cell."""
    if "反向" in text:
        return Direction.NEGATIVE
    if "正向" in text:
        return Direction.POSITIVE
    return None


def comparator_words() -> tuple[str, ...]:
    """The words the grammar reads as a comparator before a number (不低于, 至少, 较上年提高 …), longest first."""
    return tuple(word for word, _ in _PREFIX_WORDS)


def indicator_value(name: str, text: str) -> Value:
    """The value of a row as every reader stores it: not applicable when the name or value says so, and
    the unit taken from the name when only the name carries it."""
    return unit_from_name(name, mark_not_applicable(name, parse_value(text)))


def _take_prefix(text: str) -> tuple[str | None, str]:
    for spelling, comp in _SYMBOLS:
        if text.startswith(spelling):
            return comp, text[len(spelling) :].strip()
    for spelling, comp in _PREFIX_WORDS:
        if text.startswith(spelling):
            rest = text[len(spelling) :].strip()
            # A word is a comparator only in front of a number: 达到预期 stays qualitative.
            if (rest[:1].isascii() and rest[:1].isdigit()) or rest.startswith(("±", "百分之")):
                return comp, rest
    return None, text


def _take_suffix(text: str) -> tuple[str | None, str]:
    for spelling, comp in _SUFFIX_WORDS:
        if text.endswith(spelling) and len(text) > len(spelling):
            return comp, text[: -len(spelling)].strip()
    return None, text


def _strip_verbs(text: str) -> str:
    for verb in _TRAILING_VERBS:
        head = text[: -len(verb)].strip()
        if text.endswith(verb) and head and (re.search(_D, head) or _DATE.match(head)):
            return head
    return text


def _deadline(m: re.Match[str]) -> str:
    year = m.group("y") or "-"  # ISO 8601 leaves the year out as --MM-DD
    if m.group("yend"):
        return f"{year}-12-31"
    month = int(m.group("m"))
    if m.group("d"):
        return f"{year}-{month:02d}-{int(m.group('d')):02d}"
    return f"{year}-{month:02d}"


def _digits(matched: str) -> Decimal | str:
    """A matched NUMBER as Decimal (grouping removed), or the reason it is refused."""
    digits = re.sub(r"[, ]", "", matched)
    if len(digits.replace(".", "")) > _MAX_DIGITS:
        return "number too long"
    return Decimal(digits)


def _split_number(text: str) -> tuple[Decimal | str | None, str]:
    """Leading number (Arabic, 百分之…, or small Chinese numerals) and the unit text after it."""
    if text.startswith("百分之"):
        tail = text[3:]
        m = _NUMBER_RE.fullmatch(tail)
        if m:
            return _digits(m.group(0)), "%"
        value = _cn_number(tail) if _CN_NUMBER.fullmatch(tail) else None
        return (Decimal(value), "%") if value is not None else (None, text)
    m = _NUMBER_RE.match(text)
    if m:
        return _digits(m.group(0)), text[m.end() :].strip()
    cn = _CN_NUMBER.match(text)
    if cn:
        value = _cn_number(cn.group(0))
        unit = text[cn.end() :].strip()
        # Only when a real unit follows: 一般 or 三好 are words, 十二个月 is a number.
        if value is not None and unit and resolve(unit) is not None:
            return Decimal(value), unit
    return None, text


def _cn_number(text: str) -> int | None:
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None:
                return None
            digit = _CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
    return total + (digit or 0)


def _quantity(raw: str, comparator: str | None, number: Decimal, unit_text: str, note: str | None) -> Value:
    if not unit_text:
        return Value(raw, ValueKind.QUANTITATIVE, comparator=comparator, number=number, note=note)
    info = resolve(unit_text)
    if info is None:
        if len(unit_text) > _LONG_UNKNOWN_UNIT or re.search(rf"{_D}|[≥≤<>=]", unit_text):
            return Value(raw, ValueKind.UNPARSED, comparator=comparator, number=number,
                         reason="text after the number is not a unit")  # fmt: skip
        return Value(raw, ValueKind.QUANTITATIVE, comparator=comparator, number=number, unit=unit_text,
                     unit_known=False, reason="unknown unit", note=note)  # fmt: skip
    return Value(
        raw,
        ValueKind.QUANTITATIVE,
        comparator=comparator,
        number=number,
        unit=info.text,
        dimension=info.dimension,
        magnitude=number * info.factor,
        base_unit=info.base_unit,
        note=note,
    )


def _tolerance(raw: str, text: str, note: str | None) -> Value:
    number, unit_text = _split_number(text)
    if not isinstance(number, Decimal):
        return Value(raw, ValueKind.UNPARSED, reason="± without a number")
    unit = resolve(unit_text) if unit_text else None
    if unit_text and unit is None:
        return Value(raw, ValueKind.UNPARSED, reason="unknown unit")
    return Value(raw, ValueKind.RANGE, number=-number, high=number, unit=unit.text if unit else None,
                 dimension=unit.dimension if unit else None, note=note)  # fmt: skip


def _range(raw: str, text: str, note: str | None) -> Value | None:
    low, rest = _split_number(text)
    if not isinstance(low, Decimal):
        return None
    sep = _RANGE_SEP.search(rest) if not _RANGE_SEPS.isdisjoint(rest) else None
    if sep is None:
        return None
    unit1, tail = rest[: sep.start()].strip(), rest[sep.end() :]
    high, unit2 = _split_number(tail)
    if not isinstance(high, Decimal):
        return None
    if unit1 and unit2 and resolve(unit1) != resolve(unit2):
        return Value(raw, ValueKind.UNPARSED, reason="range ends have different units")
    unit_text = unit2 or unit1
    unit = resolve(unit_text) if unit_text else None
    if unit_text and unit is None:
        return Value(raw, ValueKind.UNPARSED, reason="unknown unit")
    if high < low:
        return Value(raw, ValueKind.UNPARSED, reason="range upper bound below lower bound")
    return Value(raw, ValueKind.RANGE, number=low, high=high, unit=unit.text if unit else None,
                 dimension=unit.dimension if unit else None, note=note)  # fmt: skip


_AMOUNT_NOTE = lazy(r"\s*[（(][^()（）]*[)）]\s*$")


_AMOUNT_UNITS = {"": Decimal(1), "元": Decimal(1), "千元": Decimal(1000), "万": Decimal(10000), "万元": Decimal(10000),
                 "亿": Decimal(100000000), "亿元": Decimal(100000000)}  # fmt: skip


def parse_amount(text: str) -> Decimal | None:
    """A funding amount such as ``114,000``, ``1, 200, 000``, ``854万`` or ``14.6亿元`` (the multiplier folded
    in, so the amount is in 元); None if blank."""
    cleaned = clean(text)
    if not cleaned:
        return None
    number, rest = _split_number(cleaned)
    if not isinstance(number, Decimal):
        return None
    # 854万(含上年结转资金) — a note after the amount says where the money comes from, not how much.
    rest = (_AMOUNT_NOTE.sub("", rest) if ")" in rest or "）" in rest else rest).strip()
    factor = _AMOUNT_UNITS.get(rest)
    return number * factor if factor is not None else None

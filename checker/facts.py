"""GoalSheet → plain JSON fact documents for the rules: one per sheet, one per indicator.

All arithmetic and keyword matching happens here, so that rules can stay declarative JSON Schemas.
Keyword lists live in rules/frameworks/lexicon.yaml.

A row declared not applicable (不适用, 无, / as its value, or 本项目不适用此指标 as its name with no value) is
not an indicator: it gets no fact document, no rule judges it and no count includes it. The sheet document
says which 一级/二级 groups were declared not applicable, so that a required group declared so is reported
missing with that said.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

from checker.facts_disclosure import disclosure_facts
from checker.forms import FUNDING, GOALS, INDICATORS, sheet_form
from checker.frameworks import Framework, detect_framework, framework, names
from checker.frozen import frozen
from checker.lazyre import lazy
from checker.model import GoalSheet, Indicator, ValueKind, json_number
from checker.parse.spelling import respell, serial_date
from checker.parse.values import is_not_applicable
from checker.text import label_key
from checker.vocabulary import APPLICATION, lexicon

OUTPUT, EFFECT, SATISFACTION, COST = "产出指标", "效益指标", "满意度指标", "成本指标"
TIMELINESS, QUANTITY = "时效指标", "数量指标"
SOCIAL_ECO_COST = ("社会成本指标", "生态环境成本指标")
_PERIOD = lazy(r"(20[0-9]{2})\s*[.年/-]\s*([0-9]{1,2})?.*?[-~至到]\s*(20[0-9]{2})")
_GRADE_SEPARATORS = lazy(r"[/、|,，；;]")
_VALUE_IN_NAME = lazy(r"[0-9]+(\.[0-9]+)?\s*(%|人|个|万|元|次|件|天|户|平方米|平米|米|亩|吨|公里)|[≥≤><]")


@frozen
class SheetFacts:
    """The fact documents of one sheet, evaluated under one framework.

    ``sheet`` is the sheet as judged: its not-applicable rows are left out (they are in ``not_applicable``),
    so that ``indicators[i]`` is the fact document of ``sheet.indicators[i]`` — the engine locates a
    finding by that index.
    """

    sheet: GoalSheet
    framework: Framework
    doc: dict[str, Any]
    indicators: tuple[dict[str, Any], ...]
    not_applicable: tuple[Indicator, ...] = ()


def build_facts(sheet: GoalSheet, fw_id: str | None = None) -> SheetFacts:
    # The framework is read from every row: a 2021 form keeps 成本指标 as its 一级 even when it is declared
    # not applicable.
    fw = framework(fw_id or detect_framework(sheet))
    judged: list[Indicator] = []
    set_aside: list[Indicator] = []
    for ind in sheet.indicators:
        (set_aside if is_not_applicable(ind.name, ind.value) else judged).append(ind)
    if set_aside:
        sheet = replace(sheet, indicators=tuple(judged))
    indicator_docs = tuple(indicator_facts(sheet, ind, i, fw) for i, ind in enumerate(sheet.indicators))
    doc = sheet_facts(sheet, fw, indicator_docs, tuple(set_aside))
    return SheetFacts(sheet, fw, doc, indicator_docs, tuple(set_aside))


def _graded(text: str) -> bool:
    """A 定性 value that names its grades (好/较好/一般 …, 达到/部分达到/未达到) can be checked."""
    parts = [p for p in _GRADE_SEPARATORS.split(text) if p.strip()]
    grades = lexicon().grades
    return len(parts) >= 2 and sum(p.strip() in grades for p in parts) >= 2


# A 三级 name written as a sentence: clauses joined by a comma or a full stop (、 joins a list, and a stop
# at the end alone is a slip), the last of which is not a measure (截至2026年12月底,项目开展率(%) names a
# rate; …党群服务中心数量； a count).
_CLAUSE_BREAK = lazy(r"[，,。；;！!]")
_TRAILING_NOTE = lazy(r"\s*[(（][^()（）]*[)）]\s*$")
_SENTENCE_MIN = 16  # characters: a short name with a comma is a slip, a task of several clauses is a sentence


def _is_sentence(name: str) -> bool:
    text = name.strip().rstrip("。；;！!.， ")
    clauses = [c for c in _CLAUSE_BREAK.split(text) if c.strip()]
    if len(text) < _SENTENCE_MIN or len(clauses) < 2:
        return False
    lex = lexicon()
    last = _TRAILING_NOTE.sub("", clauses[-1].strip())
    return not last.endswith((*lex.words["rate_suffixes"], *lex.words["count_suffixes"], "度", "量"))


@lru_cache(maxsize=8192)
def _name_words(name: str) -> tuple[bool, ...]:
    """What the lexicon says of a 三级 name alone: a batch from one exporting system repeats its names file
    after file, and these ~20 searches were a third of an indicator's facts. The lexicon is fixed for the
    process (``lexicon`` is cached), so the answers are too."""
    lex = lexicon()
    has = lex.has
    return (
        has("cost_words", name),
        has("satisfaction", name),
        (has("handling_words", name) and name.endswith(lex.words["count_suffixes"])) or has("remedy_words", name),
        has("negative_words", name),
        name.endswith(lex.words["rate_suffixes"]),
        has("positive_rate_words", name),
        has("total_cost_words", name),
        has("unit_cost_words", name),
        has("timeliness_words", name),
        has("completion_rate_words", name),
        has("output_words_in_effect", name),
        has("input_measures", name),
        has("growth_words", name),
        has("question_words", name),
        bool(name) and (set(name) <= set("-_*—/ ") or "**" in name or "★" in name or "…" in name),
        _VALUE_IN_NAME.search(name) is not None,
        _is_sentence(name),
        has("benefit_words", name),
    )


def indicator_facts(sheet: GoalSheet, ind: Indicator, index: int, fw: Framework) -> dict[str, Any]:
    lex, v = lexicon(), ind.value
    name = ind.name
    known = names()
    (cost_word, satisfaction, handled, negative_word, rate_suffix, positive_rate, total_cost_word, unit_cost_word,
     timeliness, completion, output_word, input_measure, growth, question, name_placeholder, value_in_name,
     sentence, benefit_name) = _name_words(name)  # fmt: skip
    in_cost_group = ind.level2 in fw.cost_level2 or (ind.level1 == COST and fw.id == "fw2021")
    is_cost = in_cost_group or cost_word
    dimension, base_unit = v.dimension, v.base_unit
    if is_cost and v.unit is not None and (v.unit == "万" or v.unit.startswith("万/")) and dimension:
        # 250万 or 620万/月 on a cost row is money with 元 left out (the sheet's block is in 万元); the
        # magnitude is already in 元 (万 = 10,000), only the dimension lacks the currency.
        per = dimension.partition("/")[2].strip()
        dimension = f"[currency] / {per}" if per else "[currency]"
        base_unit = f"元/{(base_unit or '').removeprefix('1/')}" if per else "元"
    currency = dimension is not None and dimension.startswith("[currency]")
    per_unit = currency and "/" in (dimension or "")
    funding_total = sheet.funding.total_yuan if sheet.funding else None
    declared = ind.direction.value if ind.direction else None
    negative = negative_word and not satisfaction and not handled
    rate = v.unit in ("%", "‰") or rate_suffix
    respelled = respell(v.raw)
    deadline_year = int(v.deadline[:4]) if v.deadline and v.deadline[:4].isdigit() else None
    return {
        "project": sheet.project,
        "framework": fw.id,
        "source_kind": sheet.source_kind,
        "index": index,
        "level1": ind.level1,
        "level2": ind.level2,
        "written_level1": ind.written_level1,
        "name": name,
        "path": ind.path,
        "raw": v.raw,
        "kind": str(v.kind),
        "comparator": v.comparator,
        "number": json_number(v.number),
        "high": json_number(v.high),
        "unit": v.unit,
        "unit_known": v.unit_known,
        "dimension": dimension,
        "magnitude": json_number(v.magnitude),
        "base_unit": base_unit,
        "deadline": v.deadline,
        "reason": v.reason,
        "value_type": ind.value_type,
        "weight": json_number(ind.weight),
        # A bare number equal to the row's weight: the score was written where the target belongs.
        "value_is_score": v.unit is None and v.number is not None and ind.weight is not None and v.number == ind.weight,
        "explanation": ind.explanation or "",
        "direction": declared or ("反向" if negative or is_cost else "正向"),
        "direction_declared": declared,
        # Whether the direction is known rather than assumed: declared, named by a word (negative, a remedy,
        # a rate that says more is better), or a count or amount, where more is the output. A rate named
        # otherwise (负担率, 失业率 before the lexicon knew them) is not assumed 正向.
        "direction_known": declared is not None or negative or handled or is_cost or not rate or positive_rate,
        "is_percent": v.unit == "%",
        # 百分比 written out is still a percentage (VAL015 reports the spelling, not SAT004 the form).
        "is_percent_like": v.unit in ("%", "百分比", "百分点", "个百分点"),
        # A duration (≤3个工作日, ≥5个月): either way can be right, a deadline met sooner or a service kept longer.
        "is_duration": dimension == "[time]" and not v.deadline,
        # 28.8万元% and the like: money and a percentage in one unit, so neither can be read.
        "unit_mixes_percent": v.unit is not None and "%" in v.unit and "元" in v.unit,
        "unit_name_conflict": _unit_name_conflict(name, v.unit, v.kind == "quantitative"),
        "is_rate": rate_suffix or satisfaction,
        "is_satisfaction": satisfaction,
        "is_cost": is_cost,
        "is_total_cost": is_cost and currency and not per_unit and total_cost_word,
        # 620万/月 is a running cost per month, not the price of a unit of output.
        "is_unit_cost": is_cost and ((per_unit and not (dimension or "").endswith("/ [time]")) or unit_cost_word),
        "is_currency": currency,
        "is_timeliness": timeliness,
        "states_time_limit": lex.has("time_limit_phrases", v.raw),
        "is_completion_rate": completion,
        "is_output_measure": output_word,
        "is_input_measure": input_measure,
        "is_growth": growth,
        # A yes/no question answered 是 or 否 (是否发生安全事故: 否) is checkable as it stands.
        "graded": _graded(v.raw) or _graded(ind.explanation or "") or (question and v.raw.strip() in ("是", "否")),
        "placeholder": v.reason == "template placeholder",
        "name_placeholder": name_placeholder,
        "name_has_value": value_in_name,
        "name_is_sentence": sentence,
        "name_length": len(name),
        "level1_in_framework": ind.level1 in fw.level1,
        "level2_in_framework": ind.level2 is not None and known.canon_level2(ind.level2) is not None,
        "level2_allowed": ind.level2 in fw.children_of(ind.level1 or ""),
        # A 二级 name in the 一级 column — but 满意度指标 is a 一级 too (and short for 服务对象满意度 as a 二级).
        "level2_as_level1": ind.written_level1 is not None
        and known.canon_level2(ind.written_level1) is not None
        and known.canon_level1(ind.written_level1) is None,
        "in_cost_group": in_cost_group,
        "in_output": ind.level1 == OUTPUT,
        "in_effect": ind.level1 == EFFECT,
        "in_satisfaction": ind.level1 == SATISFACTION,
        "in_timeliness": ind.level2 == TIMELINESS,
        "in_social_eco_cost": ind.level2 in SOCIAL_ECO_COST,
        "benefit_wording": lex.has("benefit_words", v.raw) or benefit_name,
        "name_repeats_level2": bool(ind.level2) and label_key(name) == label_key(ind.level2 or ""),
        "equals_funding_total": currency
        and not per_unit
        and funding_total is not None
        and v.magnitude is not None
        and v.magnitude == funding_total,
        "funding_total_yuan": json_number(funding_total),
        "unmeasurable_cost": lex.has("unmeasurable_cost_phrases", v.raw + name),
        "year": sheet.year,
        "deadline_year": deadline_year,
        "deadline_after_year": deadline_year is not None and sheet.year is not None and deadline_year > sheet.year,
        # How the value should have been written (full-width digits, >=, stray white space, 不 适用):
        # what VAL019 reports and `jixiao fix` writes; the parse already reads through it.
        "respelled": respelled.text if respelled else None,
        "respelling": list(respelled.kinds) if respelled else [],
        # 44561 on a deadline row is a date Excel lost its format for (TIME004).
        "serial_date": serial_date(v.raw) if ind.level2 == TIMELINESS or timeliness else None,
    }


def _unit_name_conflict(name: str, unit: str | None, quantitative: bool) -> str | None:
    """How the unit contradicts the name (VAL-005), as a case the rule's phrases word; None when it fits."""
    if not quantitative or unit is None:
        return None
    lex = lexicon()
    # 救助覆盖率（是否应救尽救）is a rate whose standard is a question: only a name with no rate in it.
    # …是否满意 90% reads as the share who say yes, a satisfaction rate: only other questions.
    if lex.has("question_words", name) and unit == "%" and "率" not in name and not lex.has("satisfaction", name):
        return "question_as_percent"  # 是否发生安全事故 ≥95%
    if lex.has("amount_words", name) and unit == "%" and not name.endswith(lex.words["rate_suffixes"]):
        return "amount_as_percent"  # 发放金额 28.8%
    if (
        lex.has("people_count_words", name)
        and unit not in lex.words["people_units"]
        and unit in ("个", "件", "台", "套", "项")
    ):
        return "people_as_things"  # 培训人数 30个
    return None


_CITATION = lazy(r"《[^》]{2,}》|[〔\[［(（]\s*(19|20)[0-9]{2}\s*[〕\]］)）]\s*[0-9]+\s*号")
_CITES = frozenset("《〔[［(（")  # what a citation starts with: a basis without any is not searched
# One factor of a 测算依据 product: a number and its unit (70个, 704元/村, 2.5万元); factors joined by ×.
_STOP = "\\s0-9×xX*＊,，;；。、()（）=＝+＋"  # what ends a factor: space, digits, operators, punctuation
_FACTOR = rf"(?:[^{_STOP}]{{1,3}})?[0-9]+(?:\.[0-9]+)?\s*(?:万元|元(?:/[^{_STOP}]{{1,4}})?|[^{_STOP}元]{{0,4}})"
_PRODUCT = lazy(rf"{_FACTOR}(?:\s*[×xX*＊]\s*{_FACTOR})+")
# A product has at least one of these between its factors: a text without any has none, and is not searched
# (the pattern's classes cost the regex compiler ~1.5-2.5 ms, and most sheets leave 测算依据 empty).
_TIMES = frozenset("×xX*＊")
_NUMBER_UNIT = lazy(r"([0-9]+(?:\.[0-9]+)?)\s*(.*)")
# A product's stated result (= 90万元) belongs to it; any other sum of money left in the text is a lump sum or
# a rate the products do not price (每人每月226元, 日常维保需6.85万元), so the products are not the whole estimate.
_RESULT = lazy(r"\s*[=＝≈]\s*[0-9]+(?:\.[0-9]+)?\s*万?元?")
_MONEY = lazy(r"[0-9]+(?:\.[0-9]+)?\s*万?元")


def _estimate_yuan(text: str) -> tuple[Decimal | None, int]:
    """The sum of the 数量 × 单价 products written in a 测算依据 (in 元), and how many there are; a product
    counts when one of its factors is money (元, 万元, 元/单位)."""
    total, count = Decimal(0), 0
    if _MONEY.search(_without_products(text)):
        return None, 0  # the products are not the whole estimate: no sum to hold against the funding
    for match in _PRODUCT.finditer(text) if not _TIMES.isdisjoint(text) else ():
        product, money = Decimal(1), False
        for factor in re.split(r"\s*[×xX*＊]\s*", match.group()):
            number_unit = _NUMBER_UNIT.search(factor.strip())
            if number_unit is None:
                break
            product *= Decimal(number_unit.group(1))
            unit = number_unit.group(2)
            if unit.startswith("万元"):
                product, money = product * 10000, True
            elif unit.startswith("元"):
                money = True
        else:
            if money:
                total, count = total + product, count + 1
    return (total if count else None), count


def _without_products(text: str) -> str:
    """The 测算依据 with its products and their stated results taken out."""
    if _TIMES.isdisjoint(text):
        return text  # no product in it
    rest, end = [], 0
    for match in _PRODUCT.finditer(text):
        rest.append(text[end : match.start()])
        result = _RESULT.match(text, match.end())
        end = result.end() if result else match.end()
    rest.append(text[end:])
    return " ".join(rest)


def _basis_facts(sheet: GoalSheet) -> dict[str, Any]:
    lex = lexicon()
    # A relational export keeps 政策依据/测算依据 as columns of its record (the header), a form as text rows.
    basis = sheet.text_field("立项依据") or sheet.header_field("立项依据")
    estimate_text = sheet.text_field("测算依据") or sheet.header_field("测算依据")
    estimate, products = _estimate_yuan(estimate_text or "")
    funding = sheet.funding.total_yuan if sheet.funding else None
    gap = 100 * abs(estimate - funding) / funding if estimate is not None and funding else None
    return {
        "basis": basis,
        "basis_cites_document": None
        if not basis
        else bool(not _CITES.isdisjoint(basis) and _CITATION.search(basis)) or lex.has("document_title_words", basis),
        "estimate_products": products,
        "estimate_sum_yuan": json_number(estimate),
        "estimate_gap_pct": None if gap is None else round(float(gap), 2),
    }


def _column_facts(sheet: GoalSheet) -> dict[str, Any]:
    """What the long-term and 指标解释 columns add: a long-term value copied from the annual one or left
    blank adds nothing (GOAL-002); an explanation that only repeats the name explains nothing. Counted
    over the judged indicators; whether the form has the column at all is ``form_fields``."""
    inds = sheet.indicators
    filled = [i for i in inds if i.long_term is not None and i.long_term.raw.strip()]
    copied = [i for i in filled if "".join(i.long_term.raw.split()) == "".join(i.value.raw.split())]  # type: ignore[union-attr]
    # A row with no value at all is STR002's finding (often a page cut mid-row): its explanation is not counted.
    blank = [i for i in inds if not (i.explanation or "").strip() and i.value.kind is not ValueKind.EMPTY]
    repeats = [i.name for i in inds if i.explanation and i.name and label_key(i.explanation) == label_key(i.name)]
    return {
        "long_term_filled_count": len(filled),
        "long_term_copied_count": len(copied),
        "long_term_empty_count": len(inds) - len(filled),
        "long_term_adds_nothing": bool(inds) and len(copied) == len(filled),
        "explanation_blank_count": len(blank),
        "explanation_copied_count": len(repeats),
        "explanation_copied_names": repeats[:3],
    }


def _doubled(text: str) -> bool:
    """854万854万: one amount written twice into the cell (a merged cell copied, FUND-003)."""
    text = "".join(text.split())
    half = len(text) // 2
    return len(text) >= 2 and len(text) % 2 == 0 and text[:half] == text[half:] and any(c.isdigit() for c in text)


def _funding_facts(sheet: GoalSheet) -> dict[str, Any]:
    f = sheet.funding
    if f is None:
        return {"has_funding": False, "funding_total": None, "funding_total_yuan": None, "funding_unit": None,
                "funding_sources_count": 0, "funding_gap": None, "funding_total_raw": None,
                "funding_sources_sum": None, "funding_source_names": [], "funding_total_doubled": False,
                "funding_page_unit": None}  # fmt: skip
    total = f.total
    sources_sum = sum((amount for _, amount in f.sources), Decimal(0))
    gap = abs(total - sources_sum) if total is not None and f.sources else None
    return {
        "has_funding": True,
        "funding_total": json_number(total),
        "funding_total_yuan": json_number(f.total_yuan),
        "funding_unit": f.unit,
        "funding_sources_count": len(f.sources),
        "funding_sources_sum": json_number(sources_sum),
        "funding_gap": json_number(gap),
        "funding_total_raw": f.total_raw,
        "funding_source_names": [name for name, _ in f.sources],
        "funding_total_doubled": _doubled(f.total_raw or ""),
        "funding_page_unit": f.page_unit,
    }


def _cost_facts(sheet: GoalSheet, docs: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    def yuan(doc: dict[str, Any]) -> Decimal:
        return Decimal(str(doc["magnitude"]))

    caps = [d for d in docs if d["in_cost_group"] and d["is_currency"] and d["magnitude"] is not None
            and "/" not in (d["dimension"] or "") and d["comparator"] in (None, "≤", "<", "=")]  # fmt: skip
    totals = [d for d in caps if d["is_total_cost"]]
    components = [d for d in caps if not d["is_total_cost"]]
    # Cost rows wherever the sheet put them: misplacement is COST001's finding, not a missing cost.
    cost_docs = [d for d in docs if d["in_cost_group"] or d["level2"] == COST or d["level1"] == COST]
    # A 总成本 row is the total; without one, the money caps of the cost rows add up to it.
    total_cap = max(yuan(d) for d in totals) if totals else sum((yuan(d) for d in caps), Decimal(0))
    component_sum = sum((yuan(d) for d in components), Decimal(0))
    funding = sheet.funding.total_yuan if sheet.funding else None
    return {
        "cost_indicator_count": len(cost_docs),
        "cost_total_cap_yuan": json_number(total_cap) if caps else None,
        "cost_over_funding_yuan": json_number(total_cap - funding) if caps and funding is not None else None,
        # 不超过39.92万 over 399,195 元: a cap rounded to the unit it is written in is over by a hair.
        "cost_over_funding_pct": round(float(100 * (total_cap - funding) / funding), 3) if caps and funding else None,
        "has_total_cost_indicator": bool(totals),
        "cost_component_sum_yuan": json_number(component_sum),
        "cost_components_over_total_yuan": json_number(component_sum - total_cap) if totals else None,
        "single_unit_cost_only": len(cost_docs) == 1 and cost_docs[0]["is_unit_cost"],
    }


def _placement_facts(fw: Framework, levels: set[tuple[str | None, str | None]]) -> dict[str, Any]:
    as_level1 = any(l1 == COST for l1, _ in levels)
    under_output = any(l1 == OUTPUT and l2 == COST for l1, l2 in levels)
    # The wording of what the tree wants is COST001's (its phrases), keyed by the framework.
    ok = not under_output if fw.id == "fw2021" else not as_level1
    return {"cost_as_level1": as_level1, "cost_under_output": under_output, "cost_placement_ok": ok}


@frozen
class _Missing:
    """What the sheet lacks, as the COUNT, SAT and COST rules see it."""

    level1: list[str]
    output_level2: list[str]
    satisfaction: bool
    cost: bool


def _declared_state(declared: list[str], missing: list[str] | None = None) -> str:
    """How much of what is missing was declared not applicable: none, all, or some (the message then
    names them, so that the reviewer asks for a real indicator, not for a row that is already there)."""
    if not declared:
        return "none"
    return "all" if missing is None or set(declared) >= set(missing) else "some"


# A tab or line break in a cell is invisible in a message; the not-applicable spellings show them.
_VISIBLE = str.maketrans({"\t": "⇥", "\n": "⏎", "\r": "", "\u3000": "□"})


def _not_applicable_facts(
    fw: Framework,
    set_aside: tuple[Indicator, ...],
    level1_counts: dict[str, int],
    level2_counts: dict[str, int],
    missing: _Missing,
) -> dict[str, Any]:
    # A group counts as declared not applicable only when none of its rows is a real indicator; a 不适用
    # row beside a real one is just left out.
    level1 = list(dict.fromkeys(i.level1 for i in set_aside if i.level1 and not level1_counts.get(i.level1)))
    groups = [
        (l1, l2)
        for l1, l2 in dict.fromkeys((i.level1, i.level2) for i in set_aside if i.level2)
        if not level2_counts.get(f"{l1}/{l2}")
    ]
    output = [l2 for l1, l2 in groups if l1 == OUTPUT and l2 in missing.output_level2]
    # Only when no row under 满意度指标 is real: a real row whose name does not say 满意度 is SAT001's
    # point, and a declared 其他满意度指标 beside it is no excuse.
    satisfaction = [SATISFACTION] if missing.satisfaction and SATISFACTION in level1 else []
    cost = [l2 for l1, l2 in groups if l2 in fw.cost_level2 or COST in (l1, l2)] if missing.cost else []
    declared = {
        "missing_level1": ([l1 for l1 in missing.level1 if l1 in level1], missing.level1),
        "missing_output_level2": (output, missing.output_level2),
        "satisfaction": (satisfaction, None),
        "cost": (cost, None),
    }
    out: dict[str, Any] = {
        "not_applicable_count": len(set_aside),
        "not_applicable_level1": level1,
        "not_applicable_level2": [f"{l1}/{l2}" for l1, l2 in groups],
        # 不适应, ／, 不 适用: read as not applicable, written otherwise (VAL020; `jixiao fix` writes 不适用).
        "not_applicable_respelled": list(
            dict.fromkeys(i.value.raw.strip(" ").translate(_VISIBLE) for i in set_aside if respell(i.value.raw))
        ),
    }
    for key, (names_declared, missing_names) in declared.items():
        out[f"{key}_declared"] = names_declared
        out[f"{key}_declared_state"] = _declared_state(names_declared, missing_names)
    return out


def sheet_facts(
    sheet: GoalSheet, fw: Framework, docs: tuple[dict[str, Any], ...], not_applicable: tuple[Indicator, ...] = ()
) -> dict[str, Any]:
    """The sheet's facts; ``sheet`` holds only the judged indicators, ``not_applicable`` the rows set aside."""
    lex = lexicon()
    level1_counts: dict[str, int] = {}
    level2_counts: dict[str, int] = {}
    for ind in sheet.indicators:
        level1_counts[ind.level1 or ""] = level1_counts.get(ind.level1 or "", 0) + 1
        key = f"{ind.level1}/{ind.level2}"
        level2_counts[key] = level2_counts.get(key, 0) + 1
    named = [d["name"] for d in docs if d["name"]]
    duplicates = sorted({n for n in named if named.count(n) > 1})
    qualitative = [d for d in docs if d["kind"] == "qualitative" and not d["deadline"]]
    effect = [d for d in docs if d["in_effect"]]
    quantity = [d for d in docs if d["level2"] == QUANTITY]
    satisfaction = [d for d in docs if d["in_satisfaction"] and d["is_satisfaction"]]
    # A satisfaction indicator filed elsewhere still exists (SAT005 says where it belongs).
    satisfaction_anywhere = [d for d in docs if d["is_satisfaction"]]
    internal = [d for d in satisfaction if lex.has("internal_respondents", d["name"])]
    weights = [Decimal(str(d["weight"])) for d in docs if d["weight"] is not None]
    required_l2 = dict(fw.required_level2).get(OUTPUT, ())
    span = sheet.header_field("实施期") or ""
    period = _PERIOD.search(span) if "20" in span else None  # its years start 20: no search, no compiling
    goals = list(sheet.goals)
    # Placement is the form's layout: rows declared not applicable show it as much as the filled ones.
    levels = {(ind.level1, ind.level2) for ind in (*sheet.indicators, *not_applicable)} | set(sheet.groups)
    missing_level1 = [l1 for l1 in fw.required_level1 if not level1_counts.get(l1)]
    missing_output = [l2 for l2 in required_l2 if l2 not in fw.cost_level2 and not level2_counts.get(f"{OUTPUT}/{l2}")]
    cost = _cost_facts(sheet, docs)
    missing = _Missing(missing_level1, missing_output, not satisfaction_anywhere, not cost["cost_indicator_count"])
    feasibility = lex.words["feasibility_fields"]
    document_type = sheet.document_type or lex.document_type(sheet.project) or APPLICATION
    form = sheet_form(sheet, document_type)
    return {
        "project": sheet.project,
        "framework": fw.id,
        "source_kind": sheet.source_kind,
        "year": sheet.year,
        **_funding_facts(sheet),
        **disclosure_facts(sheet),
        **_basis_facts(sheet),
        **_column_facts(sheet),
        "document_type": document_type,
        "document_type_stated": bool(sheet.document_type or lex.document_type(sheet.project)),
        "form": form.form.id if form.form else None,
        "form_fields": sorted(form.fields),
        "excerpt": bool(form.form and form.form.excerpt),
        # A published text that holds the indicator table and nothing above it (a page that starts
        # mid-sheet): its project, funding and goals are not in the text, which says nothing of the form.
        "only_indicator_table": sheet.source_kind == "text"
        and bool(sheet.indicators)
        and not sheet.project.strip()
        and not sheet.header
        and sheet.funding is None
        and not goals,
        "goal_count": len(goals),
        # A part is missing only where the sheet's form has it: an evaluation table has no 年度目标.
        "missing_parts": [
            part
            for part, field_name, absent in (
                ("funding", FUNDING, sheet.funding is None),
                ("goals", GOALS, not goals),
                ("indicators", INDICATORS, not docs),
            )
            if absent and form.has(field_name)
        ],
        "goals": goals,
        "all_goals_vague": bool(goals) and all(any(p.search(g) for p in lex.vague_goals) for g in goals),
        "has_unit_fields": any(sheet.header_field(k) for k in ("主管部门", "实施单位", "预算单位")),
        "form_text_fields": [name for name, _ in sheet.texts],
        "empty_feasibility_fields": [f for f in feasibility if form.has(f) and not sheet.text_field(f)],
        "indicator_count": len(docs),
        "level1_counts": level1_counts,
        "level2_counts": level2_counts,
        "missing_level1": missing_level1,
        "missing_output_level2": missing_output,
        "qualitative_count": len(qualitative),
        "qualitative_share": round(len(qualitative) / len(docs), 4) if docs else 0,
        "qualitative_share_pct": round(100 * len(qualitative) / len(docs)) if docs else 0,
        "effect_all_qualitative": bool(effect) and all(d in qualitative for d in effect),
        "duplicate_names": duplicates,
        # The same goal text twice: the 总体/长期 goal copied word for word as the annual one (GOAL-002).
        "duplicate_goals": sorted({g for g in goals if goals.count(g) > 1}),
        "quantity_only_rates": bool(quantity) and all(d["is_completion_rate"] for d in quantity),
        **_placement_facts(fw, levels),
        **cost,
        "satisfaction_count": len(satisfaction),
        "satisfaction_anywhere_count": len(satisfaction_anywhere),
        "satisfaction_internal_count": len(internal),
        "satisfaction_external_count": len(satisfaction) - len(internal),
        "weights_present": bool(weights),
        "weights_sum": json_number(sum(weights, Decimal(0))) if weights else None,
        "period": sheet.header_field("实施期"),
        "period_crosses_year": bool(period) and period.group(1) != period.group(3),  # type: ignore[union-attr]
        "problem_codes": [p.code for p in sheet.problems],
        **_not_applicable_facts(fw, not_applicable, level1_counts, level2_counts, missing),
    }

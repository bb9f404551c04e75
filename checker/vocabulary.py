"""The form's own words, as data (rules/frameworks/vocabulary.yaml and lexicon.yaml), for every stage.

Readers, layout families, the sheet parser and the facts all ask the same questions of a piece of text —
is it a column head, a header label, a marker of a goal sheet, a sheet's title, a kind of document — and
must answer them alike. The answers live here, below every stage, so no stage imports a later one to ask.
"""

from __future__ import annotations

import re
from dataclasses import field
from functools import cache

from checker.frozen import frozen
from checker.lazyre import LazyPattern, lazy
from checker.resources import shipped_yaml
from checker.text import clean, label_key

# Column-group words (vocabulary column_groups) are matched without the years and the 目标/指标/值 tail:
# 2024年度目标 → 年度, 2024年目标 → 年, 预期2022年实现值 → 预期实现, 2024-2026年目标 → 实施期.
_YEAR_SPAN = lazy(r"^[0-9]{4}[-~至][0-9]{2,4}年")
_YEAR_LEAD = lazy(r"^[0-9]{4}(?=年)")
_YEAR_INNER = lazy(r"[0-9]{4}年")
_GROUP_TAIL = lazy(r"(?:绩效)?(?:目标|指标)?值?$")


@frozen
class Vocabulary:
    """The form's words (vocabulary.yaml): column heads, header labels and value words."""

    header: dict[str, str]
    funding_block: frozenset[str]
    funding_total: frozenset[str]
    sources: dict[str, str]
    texts: dict[str, str]
    goals: frozenset[str]
    indicator_block: frozenset[str]
    columns: dict[str, str]
    flat_columns: dict[str, str]
    value_subheaders: tuple[LazyPattern[str], ...] = ()
    table_end: tuple[LazyPattern[str], ...] = ()
    total_tails: dict[str, str] = field(default_factory=dict)  # every total label key → its unit tail
    column_groups: dict[str, str] = field(default_factory=dict)  # 年度 → annual, 中期 → long_term
    value_like: tuple[LazyPattern[str], ...] = ()

    def total_unit(self, key: str) -> str | None:
        """年度资金总额 → ''; 项目预算金额（万元） → 万元; not a total label → None."""
        return self.total_tails.get(key)

    def is_subheader(self, text: str) -> bool:
        text = clean(text)
        return any(p.search(text) for p in self.value_subheaders)

    def ends_table(self, text: str) -> bool:
        text = clean(text)
        return any(p.search(text) for p in self.table_end)

    def group_of(self, text: str) -> str | None:
        """年度目标 → annual, 中期指标值 / 2024-2026年目标 → long_term, anything else → None."""
        return self.column_groups.get(_group_key(text))

    def is_value_like(self, key: str) -> bool:
        return any(p.search(key) for p in self.value_like)

    def is_label(self, key: str) -> bool:
        return (
            key in self.header
            or self.total_unit(key) is not None
            or key in self.sources
            or key in self.texts
            or key in self.goals
            or self.funding_unit(key) is not None
        )

    def funding_unit(self, key: str) -> str | None:
        """项目资金（万元） → 万元; 项目资金 → '' (a block with no declared unit); else None."""
        for block in self.funding_block:
            if key.startswith(block):
                tail = key[len(block) :]
                if tail in ("", "元", "万元"):
                    return tail
        return None


@cache
def vocabulary() -> Vocabulary:
    data = shipped_yaml("frameworks/vocabulary.yaml")

    def inverse(mapping: dict[str, list[str]]) -> dict[str, str]:
        return {label_key(alias): canon for canon, aliases in mapping.items() for alias in [canon, *aliases]}

    return Vocabulary(
        header=inverse(data["header_fields"]),
        funding_block=frozenset(label_key(x) for x in data["funding_block"] if not x.endswith("元")),
        funding_total=frozenset(label_key(x) for x in data["funding_total"]),
        total_tails={label_key(x) + tail: tail for x in data["funding_total"] for tail in ("", "万元", "元")},
        sources=inverse(data["funding_sources"]),
        texts=inverse(data["text_fields"]),
        goals=frozenset(label_key(x) for x in data["goal_labels"]),
        indicator_block=frozenset(label_key(x) for x in data["indicator_block"]),
        columns=inverse(data["columns"]),
        flat_columns=inverse(data["flat_columns"]),
        value_subheaders=tuple(lazy(p) for p in data.get("value_subheaders", [])),
        table_end=tuple(lazy(p) for p in data.get("table_end", [])),
        column_groups={label_key(w): group for group, words in data.get("column_groups", {}).items() for w in words},
        value_like=tuple(lazy(p) for p in data.get("value_like", [])),
    )


def _group_key(text: str) -> str:
    key = label_key(text)
    if len(key) > 16:
        return ""  # a group word is a short heading, never a sentence
    key = _YEAR_INNER.sub("", _YEAR_LEAD.sub("", _YEAR_SPAN.sub("实施期", key)))
    return _GROUP_TAIL.sub("", key) or key


@frozen
class MarkerWords:
    """The words that mark a goal sheet, whether or not it could be read."""

    table_header: frozenset[str]
    words: tuple[str, ...]
    window: int


@cache
def marker_words() -> MarkerWords:
    data = shipped_yaml("frameworks/vocabulary.yaml")["markers"]
    header = frozenset(label_key(w) for w in data["table_header"])
    words = tuple(dict.fromkeys(label_key(w) for w in [*data["table_header"], *data["words"]]))
    return MarkerWords(header, words, int(data["window"]))


@cache
def title_pattern() -> re.Pattern[str]:
    return re.compile(shipped_yaml("frameworks/vocabulary.yaml")["sheet_title"])


def is_title(text: str) -> bool:
    """A goal sheet's title line (short, naming the form)."""
    return len(text) <= 60 and bool(title_pattern().search(text))


@frozen
class Lexicon:
    """The facts' word lists (lexicon.yaml), each alternation compiled once its list is asked often."""

    words: dict[str, tuple[str, ...]]
    vague_goals: tuple[re.Pattern[str], ...]
    # One alternation of the escaped words per list: "does the text contain any of them" in one C-level
    # search instead of a Python loop of ``in`` tests (that loop was a third of building the facts in a batch).
    # Filled by ``has`` once a list has been asked often: the value stays frozen, only this memo grows.
    _any: dict[str, re.Pattern[str]]
    grades: frozenset[str]
    document_types: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # How often each list not compiled yet was asked (see ``has``).
    _asked: dict[str, int] = field(default_factory=dict)

    def document_type(self, text: str) -> str | None:
        """The first document kind whose words appear in ``text`` (a title), or None."""
        return next((kind for kind, ws in self.document_types if any(w in text for w in ws)), None)

    def has(self, key: str, text: str) -> bool:
        """Whether ``text`` contains any word of the list ``key``."""
        pattern = self._any.get(key)
        if pattern is not None:
            return pattern.search(text) is not None
        # A list's alternation costs the regex compiler 0.2-0.6 ms and then saves ~1 µs a question against
        # the loop of ``in`` tests: a one-file check asks each list ~60 times (its ~20 lists ~5.5 ms to compile,
        # ~1.4 ms to loop), a batch thousands of times. So the loop answers until a list has been asked
        # _COMPILE_AFTER times, the alternation after. Both say the same: an alternation of the escaped words
        # matches where one of them is a substring (an empty list's empty pattern matches any text).
        asked = self._asked[key] = self._asked.get(key, 0) + 1
        if asked >= _COMPILE_AFTER:
            self._any[key] = re.compile("|".join(re.escape(w) for w in self.words[key]))
        words = self.words[key]
        return any(w in text for w in words) if words else True


_COMPILE_AFTER = 256


# Document types a reading family knows from the text's shape (RawTable.document_type): a list with one
# project a row, and indicators quoted in news sentences. Both quote a sheet rather than being one.
PROJECT_LIST, PARAPHRASE = "项目清单", "转述"
APPLICATION = "申报表"  # what a sheet is read as when nothing says otherwise


@cache
def lexicon() -> Lexicon:
    data = shipped_yaml("frameworks/lexicon.yaml")
    patterns = tuple(re.compile(p) for p in data.pop("vague_goal_patterns"))
    kinds = data.pop("document_types")
    words = {key: tuple(values) for key, values in data.items()}
    doc_kinds = tuple((kind, tuple(ws)) for kind, ws in kinds.items())
    return Lexicon(words, patterns, {}, frozenset(words["grade_words"]), doc_kinds)

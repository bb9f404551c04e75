"""The hand-laid JSON writer: the same text as json.dumps(indent=1), or one line per listed item."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.report.jsontext import dumps, encode

_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=20,
)


@given(_values)
def test_without_one_line_lists_it_is_json_dumps_indent_1(value: Any) -> None:
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=1)


@given(st.dictionaries(st.sampled_from(["findings", "other", "x"]), _values, max_size=3))
def test_one_line_items_parse_back_to_the_same_value(value: Any) -> None:
    text = dumps(value, frozenset({"findings"}))
    back = json.loads(text)
    assert json.dumps(back, sort_keys=True) == json.dumps(value, sort_keys=True)  # NaN-safe comparison


def test_each_listed_item_is_one_line() -> None:
    doc = {"files": [{"source": "a.xlsx", "findings": [{"code": "SAT002", "n": [1, 2]}, {"code": "TIME002"}]}]}
    lines = dumps(doc, frozenset({"findings"})).split("\n")
    assert '    {"code": "SAT002", "n": [1, 2]},' in lines and '    {"code": "TIME002"}' in lines
    assert json.loads("\n".join(lines)) == doc


def test_non_string_keys_are_refused() -> None:
    with pytest.raises(TypeError, match="must be str"):
        dumps({1: "a"})


_MARK = "\x00streamed\x00"


@given(
    st.lists(_values, max_size=5),
    st.integers(min_value=0, max_value=3),
    st.sampled_from([frozenset(), frozenset({"items"})]),
)
def test_a_list_written_item_by_item_equals_dumps(items: list[Any], depth: int, one_line: frozenset[str]) -> None:
    """ListWriter streams a list (a run's files, SARIF results) into a document written around it: the
    document must be byte for byte what dumps makes of the whole value, at any depth, either layout."""
    from checker.report.jsontext import ListWriter, Raw

    def nest(inner: Any) -> Any:
        doc = {"before": [1, {"a": None}], "items": inner, "after": "x"}
        for _ in range(depth):
            doc = {"outer": doc, "more": [2]}
        return doc

    head, after = dumps(nest(Raw(_MARK)), one_line).split(_MARK)
    out: list[str] = []
    writer = ListWriter(out.append, depth, one_line="items" in one_line, one_line_items_of=one_line)
    for item in items:
        writer.add(item)
    writer.close()
    assert head + "".join(out) + after == dumps(nest(items), one_line)


@given(_values)
def test_the_encoder_made_once_writes_what_json_dumps_writes(value: Any) -> None:
    # One line items and scalars go through it, made once for the process (not once a value).
    assert encode(value) == json.dumps(value, ensure_ascii=False)
    assert encode(value) == encode(value)  # nothing of one call is left for the next


# Text around the characters JSON output escapes beyond the encoder's own: DEL, the C1 controls, U+2028/9,
# lone surrogates, and their UTF-8 neighbours (U+00A0–00BF share C2 with the C1 controls, U+2026 and U+202F
# share E2 80 with U+2028/9).
_NEAR = st.sampled_from(["\x7e", "\x7f", "\x80", "\x9f", "\xa0", "\xb7", "\u2026", "\u2028", "\u2029", "\u202f",
                         "\ud800", "\udcb9", "\udfff", "\ue000", "年", "≥", "\n", "a"])  # fmt: skip


@given(st.lists(st.one_of(_NEAR, st.characters(exclude_categories=())), max_size=40).map("".join))
def test_json_escaped_escapes_exactly_what_its_pattern_names(text: str) -> None:
    # The byte pre-check only decides whether the pattern runs: the result is always the pattern's.
    import re

    from checker.report.controls import json_escaped

    expected = re.sub("[\x7f-\x9f\u2028\u2029\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)
    assert json_escaped(text) == expected

"""Compiled schema predicates answer exactly what jsonschema answers.

The engine evaluates shipped rules through checker/rules/predicates.py, so these tests are what keeps
"the rules are JSON Schemas" true: every shipped schema over real and generated fact documents, and
generated schemas over generated instances, against ``Draft202012Validator.is_valid``.
"""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from checker.api import parse_path
from checker.facts import build_facts
from checker.rules.engine import Engine
from checker.rules.examples import example_sheet, example_sheets
from checker.rules.loader import substitute_options
from checker.rules.predicates import Predicate, compile_schema, equal
from checker.rules.pysource import compile_failing, compile_source
from tests.conftest import ROOT, SEED
from tests.test_rule_catalogue import ALL_RULES

SCHEMA_RULES = [r for r in ALL_RULES if r.schema]


def _through_failing(schema: Any) -> Predicate | None:
    """compile_failing asked about one document at a time: valid when its index is not among the failing."""
    failing = compile_failing(schema)
    return None if failing is None else lambda x: not failing([x])


# Every way a schema is evaluated: the closures, and the same test written out as source (the engine
# switches to it during a batch), alone and inside the comprehension over a sheet's indicators.
COMPILERS = {"closures": compile_schema, "source": compile_source, "failing": _through_failing}
compilers = pytest.mark.parametrize("compile_", COMPILERS.values(), ids=list(COMPILERS))


def _schema(rule: Any) -> dict[str, Any]:
    return substitute_options(rule.schema, rule.options)


@compilers
def test_every_shipped_schema_compiles_to_a_predicate(compile_: Any) -> None:
    # A shipped rule that fell back to jsonschema would still be right, but slow on every lint.
    assert SCHEMA_RULES
    fallback = [r.code for r in SCHEMA_RULES if compile_(_schema(r)) is None]
    assert fallback == []


def _documents() -> dict[str, list[dict[str, Any]]]:
    """Fact documents from the seed, the example workbooks and every rule example."""
    sheets = [*parse_path(SEED).sheets]
    for name in ("绩效目标批量导出.xlsx", "项目支出绩效目标申报表.xlsx", "项目支出绩效目标表.docx"):
        sheets += parse_path(ROOT / "examples" / name).sheets
    for rule in ALL_RULES:
        for example in [*rule.examples.get("pass", []), *rule.examples.get("fail", [])]:
            sheets += example_sheets(example)
    docs: dict[str, list[dict[str, Any]]] = {"sheet": [], "indicator": []}
    for fw in ("fw2015", "fw2021"):
        for sheet in sheets:
            facts = build_facts(sheet, fw)
            docs["sheet"].append(facts.doc)
            docs["indicator"] += facts.indicators
    return docs


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    from bench.gen_sheets import document

    docs = _documents()
    generated = Path(tmp_path_factory.mktemp("gen")) / "gen.txt"
    generated.write_text(document(150, seed=7), encoding="utf-8")
    for sheet in parse_path(generated).sheets:
        facts = build_facts(sheet, "fw2015")
        docs["sheet"].append(facts.doc)
        docs["indicator"] += facts.indicators
    return docs


@compilers
@pytest.mark.parametrize("rule", SCHEMA_RULES, ids=lambda r: r.code)
def test_shipped_predicates_agree_with_jsonschema(
    rule: Any, compile_: Any, documents: dict[str, list[dict[str, Any]]]
) -> None:
    schema = _schema(rule)
    predicate, validator = compile_(schema), Draft202012Validator(schema)
    assert predicate is not None
    pool = documents["indicator" if rule.target == "indicator" else "sheet"]
    outcomes = [(predicate(doc), validator.is_valid(doc)) for doc in pool]
    assert all(a == b for a, b in outcomes), next(d for d, (a, b) in zip(pool, outcomes, strict=True) if a != b)
    assert any(b for _, b in outcomes), f"{rule.code}: no document passes; the comparison proves little"


def test_both_answers_occur_across_the_shipped_rules(documents: dict[str, list[dict[str, Any]]]) -> None:
    # Guard against a document pool on which every rule trivially passes.
    failing = {
        r.code
        for r in SCHEMA_RULES
        if not all(Draft202012Validator(_schema(r)).is_valid(d)
                   for d in documents["indicator" if r.target == "indicator" else "sheet"])
    }  # fmt: skip
    assert len(failing) >= len(SCHEMA_RULES) * 0.8, sorted({r.code for r in SCHEMA_RULES} - failing)


def test_the_engine_gives_the_same_findings_through_jsonschema() -> None:
    sheets = [example_sheet({"sheet": {}})[0], *parse_path(SEED).sheets]
    fast, slow = Engine(), Engine()
    for pack in ("fw2015", "fw2021"):
        for compiled in slow.rules_for(pack)[0]:
            if compiled.predicate is not None:
                compiled.use_jsonschema()
    for memoised in (True, False):
        if not memoised:
            for pack in ("fw2015", "fw2021"):
                for compiled in slow.rules_for(pack)[0]:
                    compiled.keys = None
        assert [slow.check_sheet(s).findings for s in sheets] == [fast.check_sheet(s).findings for s in sheets]


@compilers
def test_keywords_outside_the_subset_fall_back_to_jsonschema(compile_: Any) -> None:
    for schema in ({"$ref": "#/$defs/x", "$defs": {"x": {}}}, {"patternProperties": {"^a": {}}},
                   {"format": "date"}, {"properties": {"a": {"minContains": 2}}}, {"type": "decimal"},
                   {"prefixItems": [{}]}, {"dependentRequired": {"a": ["b"]}}):  # fmt: skip
        assert compile_(schema) is None, schema
    assert compile_({"title": "x", "description": "y", "$comment": "z"}) is not None


def test_a_batch_switches_to_written_out_rules_with_the_same_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    from checker.rules import engine as engine_module

    monkeypatch.setattr(engine_module, "_COMPILED", {})  # rule sets of this test's own, never asked before
    sheets = [*parse_path(SEED).sheets, *parse_path(ROOT / "examples" / "项目支出绩效目标申报表.xlsx").sheets]
    # The first round entirely through the closures, the next ones through the written-out source.
    monkeypatch.setattr(engine_module, "_WRITE_OUT_AFTER", len(sheets) + 1)
    engine = Engine()
    rounds = [[engine.check_sheet(s).findings for s in sheets] for _ in range(3)]
    compiled = [c for pack in ("fw2015", "fw2021") for c in engine.rules_for(pack)[0] if c.schema is not None]
    written = [c for c in compiled if c.rule.target == "indicator" and c.failing is not None]
    asked = [c for c in compiled if c.rule.target == "indicator" and c.asked > len(sheets)]
    assert written and len(written) == len(asked)
    assert sum(len(f) for f in rounds[0]) > 20  # findings enough to tell a wrong switch
    assert rounds[0] == rounds[1] == rounds[2]


def test_a_written_out_rule_that_fails_is_reported_not_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    # check_sheet tests a written-out rule itself before calling evaluate_placed; a test that raises there
    # must still become INT001 (as a closure's would), not a silent pass.
    from checker.rules import engine as engine_module

    monkeypatch.setattr(engine_module, "_COMPILED", {})
    sheet = parse_path(SEED).sheets[0]
    engine = Engine()
    pack = engine.framework_for(sheet)[1]
    victim = next(c for c in engine.rules_for(pack)[0] if c.rule.target == "indicator" and c.schema is not None)

    def broken(_docs: Any) -> list[int]:
        raise ValueError("broken")

    victim.failing = broken
    internal = [f for f in engine.check_sheet(sheet).findings if f.code == "INT001"]
    assert len(internal) == 1 and victim.rule.code in internal[0].message


@compilers
def test_a_pattern_that_is_not_valid_is_a_config_error_either_way(compile_: Any) -> None:
    from checker.errors import ConfigError

    with pytest.raises(ConfigError):
        compile_({"pattern": "("})


def test_a_schema_too_deep_to_write_out_keeps_its_closures() -> None:
    deep: Any = {"const": 1}
    for _ in range(100):
        deep = {"not": deep}
    assert compile_source(deep) is None and compile_failing(deep) is None
    assert compile_schema(deep) is not None and compile_schema(deep)(1) is True  # an even number of nots


# ------------------------------------------------------------------ generated schemas and instances

_KEYS = ("a", "b", "kind")
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([0, 1, -1, 2, 100, 0.0, 1.0, 1.5, -0.5, 98.0]),
    st.integers(-5, 200),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1000, max_value=1000),
    st.sampled_from(["", "a", "保障", "≥98%", "1", "成本指标", "abc"]),
)
_instances = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.sampled_from(_KEYS), inner, max_size=3),
    ),
    max_leaves=8,
)
_json_scalars = st.one_of(
    st.none(), st.booleans(), st.sampled_from([0, 1, -1, 2, 100, 0.0, 1.0, 1.5, 98.0]),
    st.sampled_from(["", "a", "保障", "≥98%", "1", "成本指标"]),
)  # fmt: skip
_numbers = st.one_of(st.integers(-5, 200), st.sampled_from([0.5, 1.0, 95.0, 98.5]))


def _leaf_schemas() -> st.SearchStrategy[Any]:
    types = st.sampled_from(["array", "boolean", "integer", "null", "number", "object", "string"])
    return st.one_of(
        st.booleans(),
        st.builds(lambda t: {"type": t}, st.one_of(types, st.lists(types, min_size=1, max_size=3, unique=True))),
        st.builds(lambda v: {"const": v}, st.one_of(_json_scalars, st.lists(_json_scalars, max_size=2))),
        st.builds(lambda v: {"enum": v}, st.lists(_json_scalars, min_size=1, max_size=4)),
        st.builds(lambda k, n: {k: n}, st.sampled_from(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]),
                  _numbers),
        st.builds(lambda k, n: {k: n}, st.sampled_from(["minLength", "maxLength", "minItems", "maxItems"]),
                  st.integers(0, 3)),
        st.builds(lambda p: {"pattern": p}, st.sampled_from(["^a", "%$", "保障|提升", "[0-9]", ""])),
        st.builds(lambda r: {"required": r}, st.lists(st.sampled_from(_KEYS), unique=True, max_size=3)),
    )  # fmt: skip


def _extend(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.builds(lambda p: {"properties": p}, st.dictionaries(st.sampled_from(_KEYS), inner, max_size=3)),
        st.builds(lambda s: {"items": s}, inner),
        st.builds(lambda s: {"contains": s}, inner),
        st.builds(lambda s: {"not": s}, inner),
        st.builds(lambda k, s: {k: s}, st.sampled_from(["allOf", "anyOf", "oneOf"]),
                  st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda i, t, e: {"if": i, **({"then": t} if t is not None else {}),
                                   **({"else": e} if e is not None else {})},
                  inner, st.none() | inner, st.none() | inner),
        st.builds(lambda a, b: {**a, **b} if isinstance(a, dict) and isinstance(b, dict) else a, inner, inner),
    )  # fmt: skip


_schemas = st.recursive(_leaf_schemas(), _extend, max_leaves=6)


@settings(max_examples=3000, deadline=None)
@given(schema=_schemas, instance=_instances)
def test_generated_schemas_agree_with_jsonschema(schema: Any, instance: Any) -> None:
    # Every compiler on the same example: jsonschema's answer (most of the cost) is asked once.
    try:
        expected: Any = Draft202012Validator(schema).is_valid(instance)
    except Exception as exc:  # e.g. ordering a Decimal against a float NaN: both sides must refuse alike
        expected = type(exc)
    for name, compile_ in COMPILERS.items():
        predicate = compile_(schema)
        assert predicate is not None, name
        try:
            got: Any = predicate(instance)
        except Exception as exc:
            got = type(exc)
        assert got == expected, name


@given(one=_instances, two=_instances)
def test_equality_matches_jsonschema(one: Any, two: Any) -> None:
    from jsonschema._utils import equal as reference  # the private helper is the very definition we mirror

    assert equal(one, two) == reference(one, two)


def test_equality_corner_cases() -> None:
    nan = math.nan
    assert equal(nan, nan)  # the same object, as jsonschema says
    assert not equal(True, 1) and not equal(0, False) and equal(1, 1.0) and equal(Decimal("98"), 98)
    assert equal([1, "a"], (1.0, "a")) and not equal([True], [1]) and not equal({"a": 1}, {"a": 1, "b": 2})
    assert compile_schema({"const": nan}) is not None and compile_schema({"const": nan})(nan)  # type: ignore[misc]


_POOL: list[Any] = [None, True, False, 0, 1, -1, 2, 0.0, 1.0, 1.5, -0.5, math.nan, math.inf, -math.inf,
                    Decimal("1"), Decimal("1.5"), Decimal("-2"), "", "1", "a", "保障", "≥98%", [], [1], [True],
                    [1, "a"], (1,), (), {}, {"a": 1}, {"a": True, "b": None}, {"kind": "a"}]  # fmt: skip
_LEAVES: list[Any] = [
    True, False, {},
    *({"type": t} for t in ("array", "boolean", "integer", "null", "number", "object", "string")),
    {"type": ["integer", "string"]}, {"type": ["null", "boolean"]},
    *({"const": v} for v in _POOL if not isinstance(v, tuple | Decimal)),  # what YAML can hold
    {"enum": [1, "a", None]}, {"enum": ["a", "1", ""]}, {"enum": [True]}, {"enum": [0.0, [1]]}, {"enum": [{"a": 1}]},
    *({k: n} for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum") for n in (0, 1, 1.5, -1)),
    *({k: n} for k in ("minLength", "maxLength", "minItems", "maxItems") for n in (0, 1, 2)),
    {"pattern": "^a"}, {"pattern": "%$"}, {"pattern": ""},
    {"required": ["a"]}, {"required": []}, {"items": {"type": "integer"}}, {"items": False},
    {"contains": {"const": 1}}, {"contains": False}, {"contains": {}},
]  # fmt: skip


@compilers
@pytest.mark.parametrize("schema", _LEAVES, ids=repr)
def test_every_leaf_keyword_on_every_kind_of_value(schema: Any, compile_: Any) -> None:
    # Exhaustive where hypothesis is thin: each keyword against bools, ints, floats, NaN, Decimals,
    # strings, lists, tuples and dicts — the places where JSON Schema and Python disagree.
    predicate, validator = compile_(schema), Draft202012Validator(schema)
    assert predicate is not None
    wrong = [v for v in _POOL if predicate(v) != validator.is_valid(v)]
    assert wrong == []

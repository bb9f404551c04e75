"""JSON Schemas of the keyword subset rule packs use, compiled to plain Python predicates.

A rule's schema is evaluated once per sheet or indicator, thousands of times in a batch, and on a one-file
lint the first evaluations through jsonschema cost more than reading the workbook. The rules only ask
"valid or not", so a schema built from the keywords below becomes a closure that answers that directly.

jsonschema stays the authority: packs are checked against the meta-schema with it, a schema holding any
keyword outside this subset (``$ref``, ``format``, ``patternProperties`` …) is evaluated by it, and the
tests hold every predicate equal to ``Draft202012Validator.is_valid`` — on every shipped rule over real
and generated fact documents, and on generated schemas. Each keyword below mirrors jsonschema's own
implementation (``jsonschema/_keywords.py``), including its type checks (a bool is not a number; only a
list is an array, only a dict an object) and its equality (``True`` is not ``1``; ``1`` is ``1.0``).
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Predicate = Callable[[Any], bool]

# Keywords that never change whether an instance is valid.
_ANNOTATIONS = frozenset(
    {"title", "description", "$comment", "default", "examples", "deprecated", "readOnly", "writeOnly"}
)


class Unsupported(Exception):
    """The schema uses a keyword this compiler does not implement; use jsonschema for it."""


def compile_schema(schema: Any) -> Predicate | None:
    """A predicate equivalent to ``Draft202012Validator(schema).is_valid``, or None for other schemas."""
    try:
        return _compile(schema)
    except (Unsupported, re.error, TypeError):
        return None


def _always(_: Any) -> bool:
    return True


def _never(_: Any) -> bool:
    return False


def _is_number(x: Any) -> bool:
    return isinstance(x, numbers.Number) and not isinstance(x, bool)


def _is_integer(x: Any) -> bool:
    if isinstance(x, bool):
        return False
    return isinstance(x, int) or (isinstance(x, float) and x.is_integer())


_TYPES: dict[str, Predicate] = {
    "array": lambda x: isinstance(x, list),
    "boolean": lambda x: isinstance(x, bool),
    "integer": _is_integer,
    "null": lambda x: x is None,
    "number": _is_number,
    "object": lambda x: isinstance(x, dict),
    "string": lambda x: isinstance(x, str),
}


def equal(one: Any, two: Any) -> bool:
    """jsonschema's equality: sequences and mappings compared item by item, bools never equal numbers."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(k in two and equal(v, two[k]) for k, v in one.items())
    if isinstance(one, bool) or isinstance(two, bool):
        return False  # not the same object, and at least one is a bool: True vs 1, or True vs False
    return bool(one == two)


def _compile(schema: Any) -> Predicate:
    if schema is True:
        return _always
    if schema is False:
        return _never
    if not isinstance(schema, dict):
        raise Unsupported(type(schema).__name__)
    checks: list[Predicate] = []
    for key, arg in schema.items():
        if key in _ANNOTATIONS or key in ("then", "else"):  # then/else count only beside an if
            continue
        build = _KEYWORDS.get(key)
        if build is None:
            raise Unsupported(key)
        checks.append(build(arg, schema))
    return _conjunction(checks)


def _conjunction(checks: list[Predicate]) -> Predicate:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    every = tuple(checks)

    def each(x: Any) -> bool:
        # A loop, not all(genexpr): 2.5x faster measured, and this runs ~100,000 times a second in a batch.
        for check in every:  # noqa: SIM110
            if not check(x):
                return False
        return True

    return each


def _type(arg: Any, _: dict[str, Any]) -> Predicate:
    names = [arg] if isinstance(arg, str) else list(arg)
    tests = tuple(_TYPES[n] if n in _TYPES else _raise(n) for n in names)
    return lambda x: any(t(x) for t in tests)


def _raise(what: str) -> Predicate:
    raise Unsupported(what)


def _const(arg: Any, _: dict[str, Any]) -> Predicate:
    # The common scalar cases of equal(), spelled out (most rules compare a fact with one constant).
    if arg is True or arg is False or arg is None:
        return lambda x: x is arg
    if isinstance(arg, str):
        return lambda x: bool(x == arg)
    if isinstance(arg, int | float):
        return lambda x: x is arg or (not isinstance(x, bool) and bool(x == arg))  # `is`: NaN is NaN
    return lambda x: equal(x, arg)


def _enum(arg: Any, _: dict[str, Any]) -> Predicate:
    options = tuple(arg)
    return lambda x: any(equal(each, x) for each in options)


# Each bound is the negation of jsonschema's failure test, so NaN behaves exactly as there.
def _minimum(m: Any, _: dict[str, Any]) -> Predicate:
    return lambda x: not _is_number(x) or not x < m


def _maximum(m: Any, _: dict[str, Any]) -> Predicate:
    return lambda x: not _is_number(x) or not x > m


def _exclusive_minimum(m: Any, _: dict[str, Any]) -> Predicate:
    return lambda x: not _is_number(x) or not x <= m


def _exclusive_maximum(m: Any, _: dict[str, Any]) -> Predicate:
    return lambda x: not _is_number(x) or not x >= m


def _min_length(n: int, _: dict[str, Any]) -> Predicate:
    return lambda x: not isinstance(x, str) or len(x) >= n


def _max_length(n: int, _: dict[str, Any]) -> Predicate:
    return lambda x: not isinstance(x, str) or len(x) <= n


# A pack is untrusted: ``^(a+)+$`` backtracked for 52 s on 31 characters with ``re``. The ``regex`` module
# takes a timeout (measured: ``(a|a)*$`` stops at the budget; google-re2 is linear but refuses ``\uXXXX``
# escapes and lookaround that JSON-Schema patterns use, logs to stderr, and was 10× slower per short search).
PATTERN_SECONDS = 0.25


def safe_search(pattern: str) -> Callable[[str], bool]:
    """A search for ``pattern`` that raises ConfigError instead of running past PATTERN_SECONDS."""
    import regex

    from checker.errors import ConfigError

    try:
        compiled = regex.compile(pattern)
    except regex.error as exc:
        raise ConfigError("rule pack", f"pattern {pattern!r}", f"not a valid pattern: {exc}") from None

    def search(text: str) -> bool:
        try:
            return compiled.search(text, timeout=PATTERN_SECONDS) is not None
        except TimeoutError:
            raise ConfigError(
                "rule pack", f"pattern {pattern!r}",
                f"took over {PATTERN_SECONDS} s on a {len(text)}-character value (catastrophic backtracking); "
                "请改写此正则 / rewrite the pattern",
            ) from None  # fmt: skip

    return search


def _pattern(arg: str, _: dict[str, Any]) -> Predicate:
    search = safe_search(arg)
    return lambda x: not isinstance(x, str) or search(x)


def _properties(arg: dict[str, Any], _: dict[str, Any]) -> Predicate:
    subs = tuple((name, _compile(sub)) for name, sub in arg.items())
    if len(subs) == 1:
        ((name, p),) = subs
        return lambda x: not isinstance(x, dict) or name not in x or p(x[name])

    def each(x: Any) -> bool:
        if not isinstance(x, dict):
            return True
        for name, p in subs:  # noqa: SIM110 (see _conjunction)
            if name in x and not p(x[name]):
                return False
        return True

    return each


def _required(arg: list[str], _: dict[str, Any]) -> Predicate:
    names = tuple(arg)
    return lambda x: not isinstance(x, dict) or all(name in x for name in names)


def _items(arg: Any, _: dict[str, Any]) -> Predicate:
    # prefixItems is not in the subset, so items applies to every element.
    each = _compile(arg)
    return lambda x: not isinstance(x, list) or all(each(item) for item in x)


def _contains(arg: Any, _: dict[str, Any]) -> Predicate:
    # minContains/maxContains are not in the subset, so one matching element is enough.
    some = _compile(arg)
    return lambda x: not isinstance(x, list) or any(some(item) for item in x)


def _min_items(n: int, _: dict[str, Any]) -> Predicate:
    return lambda x: not isinstance(x, list) or len(x) >= n


def _max_items(n: int, _: dict[str, Any]) -> Predicate:
    return lambda x: not isinstance(x, list) or len(x) <= n


def _not(arg: Any, _: dict[str, Any]) -> Predicate:
    inner = _compile(arg)
    return lambda x: not inner(x)


def _all_of(arg: list[Any], _: dict[str, Any]) -> Predicate:
    subs = tuple(_compile(s) for s in arg)
    return lambda x: all(p(x) for p in subs)


def _any_of(arg: list[Any], _: dict[str, Any]) -> Predicate:
    subs = tuple(_compile(s) for s in arg)
    return lambda x: any(p(x) for p in subs)


def _one_of(arg: list[Any], _: dict[str, Any]) -> Predicate:
    subs = tuple(_compile(s) for s in arg)
    return lambda x: sum(1 for p in subs if p(x)) == 1


def _if(arg: Any, schema: dict[str, Any]) -> Predicate:
    test = _compile(arg)
    then = _compile(schema["then"]) if "then" in schema else _always
    other = _compile(schema["else"]) if "else" in schema else _always
    return lambda x: then(x) if test(x) else other(x)


_KEYWORDS: dict[str, Callable[[Any, dict[str, Any]], Predicate]] = {
    "type": _type,
    "const": _const,
    "enum": _enum,
    "minimum": _minimum,
    "maximum": _maximum,
    "exclusiveMinimum": _exclusive_minimum,
    "exclusiveMaximum": _exclusive_maximum,
    "minLength": _min_length,
    "maxLength": _max_length,
    "pattern": _pattern,
    "properties": _properties,
    "required": _required,
    "items": _items,
    "contains": _contains,
    "minItems": _min_items,
    "maxItems": _max_items,
    "not": _not,
    "allOf": _all_of,
    "anyOf": _any_of,
    "oneOf": _one_of,
    "if": _if,
}

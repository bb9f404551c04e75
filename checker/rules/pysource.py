"""Rule schemas written out as Python source, for the hot path of a batch.

``predicates.py`` turns a schema into nested closures: a shipped indicator rule is four to eight calls deep,
and an xlsx batch asks ~600 of them a sheet (0.5 ms of a sheet's ~6.8 ms, issue 16). Here the same keyword
subset becomes one expression per rule — the type tests, bounds, property look-ups and branches inline — and an
indicator rule's test runs inside one comprehension over the sheet's indicators, so a sheet pays one call a
rule instead of several a document.

Each keyword mirrors the closure ``predicates.py`` builds for it, which mirrors jsonschema; the rarely hot ones
(``enum`` of non-strings, ``items``, ``contains``, ``oneOf``, a non-scalar ``const``) call that very closure.
``tests/test_predicates.py`` holds both compilers to ``Draft202012Validator.is_valid`` on the same schemas and
instances. A schema outside the subset gives None, as ``compile_schema`` does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from checker.rules import predicates as p

Failing = Callable[[Sequence[Any]], list[int]]

# Deeper schemas are left to the closures: CPython's parser refuses very deep nesting (the limit is ~200).
_MAX_DEPTH = 40


class _Source:
    """One function's text being written: the constants it refers to, and fresh local names."""

    def __init__(self) -> None:
        self.env: dict[str, Any] = {
            "_is_number": p._is_number,
            "_is_integer": p._is_integer,
            "_missing": _MISSING,
        }
        self._names = 0

    def const(self, value: Any) -> str:
        name = f"_k{len(self.env)}"
        self.env[name] = value
        return name

    def local(self) -> str:
        self._names += 1
        return f"_v{self._names}"


class _Missing:
    __slots__ = ()


_MISSING = _Missing()

_TYPE_TESTS = {
    "array": "isinstance({v}, list)",
    "boolean": "isinstance({v}, bool)",
    "integer": "_is_integer({v})",
    "null": "{v} is None",
    "number": "(type({v}) is int or type({v}) is float or _is_number({v}))",
    "object": "isinstance({v}, dict)",
    "string": "isinstance({v}, str)",
}
_NOT_NUMBER = "(type({v}) is not int and type({v}) is not float and not _is_number({v}))"
_BOUNDS = {"minimum": "<", "maximum": ">", "exclusiveMinimum": "<=", "exclusiveMaximum": ">="}


def _expr(schema: Any, v: str, src: _Source, depth: int) -> str:
    """A Python expression, true when the value named ``v`` is valid against ``schema``."""
    if depth > _MAX_DEPTH:
        raise p.Unsupported("depth")
    if schema is True:
        return "True"
    if schema is False:
        return "False"
    if not isinstance(schema, dict):
        raise p.Unsupported(type(schema).__name__)
    parts: list[str] = []
    for key, arg in schema.items():
        if key in p._ANNOTATIONS or key in ("then", "else"):
            continue
        if key not in p._KEYWORDS:
            raise p.Unsupported(key)
        parts.append(_keyword((key, arg), schema, v, src, depth))
    if not parts:
        return "True"
    return parts[0] if len(parts) == 1 else "(" + " and ".join(parts) + ")"


def _keyword(item: tuple[str, Any], schema: dict[str, Any], v: str, src: _Source, depth: int) -> str:
    key, arg = item
    if key == "type":
        names = [arg] if isinstance(arg, str) else list(arg)
        if any(n not in _TYPE_TESTS for n in names):
            raise p.Unsupported(str(names))
        tests = [_TYPE_TESTS[n].format(v=v) for n in names]
        return tests[0] if len(tests) == 1 else "(" + " or ".join(tests) + ")"
    if key == "const" and (arg is True or arg is False or arg is None):
        return f"{v} is {arg}"
    if key == "const" and isinstance(arg, str):
        return f"{v} == {src.const(arg)}"
    if key == "const" and isinstance(arg, int | float):
        k = src.const(arg)  # `is` first: NaN is NaN, as in the closure
        return f"({v} is {k} or (not isinstance({v}, bool) and {v} == {k}))"
    if key == "enum" and isinstance(arg, list) and arg and all(isinstance(a, str) for a in arg):
        # equal() between a string and anything is ==, and a non-string never equals a string option
        return f"(isinstance({v}, str) and {v} in {src.const(frozenset(arg))})"
    if key in _BOUNDS:
        k = src.const(arg)
        return f"({_NOT_NUMBER.format(v=v)} or not {v} {_BOUNDS[key]} {k})"
    if key in ("minLength", "maxLength"):
        k = src.const(arg)
        return f"(not isinstance({v}, str) or len({v}) {'>=' if key == 'minLength' else '<='} {k})"
    if key in ("minItems", "maxItems"):
        k = src.const(arg)
        return f"(not isinstance({v}, list) or len({v}) {'>=' if key == 'minItems' else '<='} {k})"
    if key == "pattern":
        return f"(not isinstance({v}, str) or {src.const(p.safe_search(arg))}({v}))"
    if key == "required":
        present = " and ".join(f"{src.const(n)} in {v}" for n in arg) or "True"
        return f"(not isinstance({v}, dict) or ({present}))"
    if key == "properties":
        tests = []
        for name, sub in arg.items():
            inner = src.local()
            tests.append(f"(({inner} := {v}.get({src.const(name)}, _missing)) is _missing"
                         f" or {_expr(sub, inner, src, depth + 1)})")  # fmt: skip
        return f"(not isinstance({v}, dict) or ({' and '.join(tests) or 'True'}))"
    if key == "not":
        return f"(not {_expr(arg, v, src, depth + 1)})"
    if key == "allOf":
        return "(" + " and ".join(_expr(s, v, src, depth + 1) for s in arg) + ")" if arg else "True"
    if key == "anyOf":
        return "(" + " or ".join(_expr(s, v, src, depth + 1) for s in arg) + ")" if arg else "False"
    if key == "if":
        test = _expr(arg, v, src, depth + 1)
        then = _expr(schema["then"], v, src, depth + 1) if "then" in schema else "True"
        other = _expr(schema["else"], v, src, depth + 1) if "else" in schema else "True"
        return f"({then} if {test} else {other})"
    # The rest (enum of other values, const of a list or object, items, contains, oneOf): the closure.
    return f"{src.const(p._KEYWORDS[key](arg, schema))}({v})"


# What compile_schema answers None for, and what the generated text may meet in compile(); a pattern that is not
# valid still raises ConfigError, as it does there.
_REFUSED = (p.Unsupported, re.error, TypeError, RecursionError, SyntaxError, MemoryError)


def _made(text: str, src: _Source, name: str) -> Any:
    scope: dict[str, Any] = {}
    exec(compile(text, f"<rule schema {name}>", "exec"), src.env, scope)  # our own text, from the schema
    return scope[name]


def compile_source(schema: Any) -> p.Predicate | None:
    """A predicate equal to ``predicates.compile_schema(schema)``, written as one function; None when the
    schema is outside the subset."""
    made: p.Predicate | None = _function(schema, "valid", lambda body: f"def valid(x):\n    return bool({body})\n")
    return made


def compile_failing(schema: Any) -> Failing | None:
    """``failing(documents)``: the indices of the documents not valid against ``schema``, in order — the
    rule's test inside one comprehension. None when the schema is outside the subset."""
    made: Failing | None = _function(
        schema,
        "failing",
        lambda body: f"def failing(docs):\n    return [i for i, x in enumerate(docs) if not ({body})]\n",
    )
    return made


def _function(schema: Any, name: str, around: Callable[[str], str]) -> Any:
    """The function ``around`` writes around the schema's expression (of ``x``), or None outside the subset."""
    src = _Source()
    try:
        return _made(around(_expr(schema, "x", src, 0)), src, name)
    except _REFUSED:
        return None

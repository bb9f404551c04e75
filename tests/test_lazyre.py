"""checker/lazyre.py: a pattern compiled on first use answers as re.compile's would, and stays uncompiled until
then; every module-level pattern in checker/ is written that way (a cold lint pays for what it imports)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.lazyre import LazyPattern, lazy

PATTERNS = [r"[0-9]+(?:\.[0-9]+)?%?", r"(?P<y>\d{4})年", r"[\u4e00-\u9fff]+", r"\s+", r"(a)|(b)"]


@settings(max_examples=60)
@given(st.sampled_from(PATTERNS), st.text(alphabet="0123456789.%年ab 项目资金\t", max_size=30))
def test_every_method_answers_as_the_compiled_pattern(pattern: str, text: str) -> None:
    eager, deferred = re.compile(pattern), lazy(pattern)
    assert _same(deferred.search(text), eager.search(text))
    assert _same(deferred.match(text), eager.match(text))
    assert _same(deferred.fullmatch(text), eager.fullmatch(text))
    assert deferred.sub("-", text) == eager.sub("-", text)
    assert deferred.subn("-", text) == eager.subn("-", text)
    assert deferred.split(text) == eager.split(text)
    assert deferred.findall(text) == eager.findall(text)
    assert [m.span() for m in deferred.finditer(text)] == [m.span() for m in eager.finditer(text)]


def _same(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
    return (a is None and b is None) or (
        a is not None and b is not None and a.span() == b.span() and a.groups() == b.groups()
    )


def test_compiled_only_when_first_used_then_bound_to_the_pattern() -> None:
    pattern = lazy(r"x(\d)", re.IGNORECASE)
    assert pattern._compiled is None  # nothing compiled by defining it
    assert pattern.search("aX5").group(1) == "5"  # type: ignore[union-attr]
    compiled = pattern.compiled
    assert compiled.flags & re.IGNORECASE and pattern.search.__self__ is compiled  # type: ignore[attr-defined]
    assert pattern.pattern == r"x(\d)"
    assert lazy(rb"\x00+").sub(b"", b"a\x00\x00b") == b"ab"
    with pytest.raises(AttributeError, match="nope"):
        pattern.nope  # noqa: B018


# The review writer's cell cleaning is imported by `jixiao review` alone, never by a lint, and uses every
# pattern on every cell it writes.
WRITER_ONLY = {"xlsx_safe.py"}
# A statement at the start of a line (module level) that assigns re.compile(...), annotated or not.
MODULE_LEVEL_COMPILE = re.compile(r"^[A-Za-z_]\w*(?:\s*:[^=\n]*)?\s*=\s*re\.compile\(", re.MULTILINE)


def test_no_module_compiles_a_pattern_at_import() -> None:
    eager = []
    for path in sorted((Path(__file__).resolve().parent.parent / "checker").rglob("*.py")):
        if path.name not in WRITER_ONLY:
            text = path.read_text(encoding="utf-8")
            eager += [f"{path.name}: {m.group()}" for m in MODULE_LEVEL_COMPILE.finditer(text)]
    assert not eager, f"module-level re.compile (write lazy(...) from checker.lazyre): {eager}"


def test_a_lazy_pattern_is_not_an_re_pattern() -> None:
    # re.sub(pattern, ...) needs the compiled one: mypy refuses a LazyPattern there, and so does re.
    with pytest.raises(TypeError):
        re.sub(lazy("a"), "", "a")  # type: ignore[call-overload]
    assert isinstance(lazy("a").compiled, re.Pattern) and not isinstance(lazy("a"), re.Pattern)
    assert isinstance(lazy("a"), LazyPattern)

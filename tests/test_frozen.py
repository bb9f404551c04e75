"""``checker.frozen.frozen`` behaves as ``@dataclass(frozen=True, slots=True)`` of the same fields."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.frozen import frozen

ROOT = Path(__file__).resolve().parent.parent

# One field: (how it gets its value, compare, hash, repr). How: "plain", "default", "factory", "outside"
# (init=False with a default).
FIELD = st.tuples(
    st.sampled_from(["plain", "default", "factory", "outside"]),
    st.booleans(),
    st.sampled_from([None, True, False]),
    st.booleans(),
)
POST_INIT: list[type] = []  # the classes whose __post_init__ ran, one entry a call
VALUES = st.one_of(st.integers(-3, 3), st.text(max_size=3), st.none(), st.tuples(st.integers(0, 2)))


def _pair(spec: list[tuple[str, bool, bool | None, bool]], post_init: bool) -> tuple[type, type]:
    """The same class body made by dataclasses and by frozen, named alike so that their reprs compare."""
    specs = sorted(spec, key=lambda s: s[0] != "plain")  # fields without a default come first

    def body() -> dict[str, Any]:
        ns: dict[str, Any] = {"__annotations__": {}, "__module__": __name__, "__qualname__": "Value"}
        for i, (how, compare, hashed, shown) in enumerate(specs):
            name = f"f{i}"
            ns["__annotations__"][name] = "Any"
            kw: dict[str, Any] = {"compare": compare, "hash": hashed, "repr": shown}
            if how == "default":
                kw["default"] = i
            elif how == "factory":
                kw["default_factory"] = list
            elif how == "outside":
                kw.update(init=False, default=-i)
            ns[name] = dataclasses.field(**kw)
        if post_init:
            ns["__post_init__"] = lambda self: POST_INIT.append(type(self))
        return ns

    reference = dataclasses.dataclass(frozen=True, slots=True)(type("Value", (), body()))
    ours = frozen(type("Value", (), body()))
    return reference, ours


def _args(cls: type, values: list[Any]) -> dict[str, Any]:
    return {f.name: v for f, v in zip(dataclasses.fields(cls), values, strict=False) if f.init}


@settings(max_examples=150, deadline=None)
@given(st.lists(FIELD, max_size=5), st.lists(VALUES, min_size=5, max_size=5), st.lists(VALUES, min_size=5,
       max_size=5), st.booleans())  # fmt: skip
def test_frozen_behaves_as_a_frozen_slotted_dataclass(
    spec: list[tuple[str, bool, bool | None, bool]], one: list[Any], two: list[Any], post_init: bool
) -> None:
    reference, ours = _pair(spec, post_init)
    assert [f.name for f in dataclasses.fields(ours)] == [f.name for f in dataclasses.fields(reference)]
    assert ours.__match_args__ == reference.__match_args__  # type: ignore[attr-defined]
    assert ours.__slots__ == reference.__slots__  # type: ignore[attr-defined]
    assert dataclasses.is_dataclass(ours)
    POST_INIT.clear()
    r1, r2 = reference(**_args(reference, one)), reference(**_args(reference, two))
    o1, o2 = ours(**_args(ours, one)), ours(**_args(ours, two))
    expected = [reference] * 2 + [ours] * 2 if post_init else []
    assert expected == POST_INIT
    assert repr(o1) == repr(r1) and repr(o2) == repr(r2)
    assert (o1 == o2) == (r1 == r2) and (o1 != o2) == (r1 != r2)
    assert o1 == ours(**_args(ours, one)) and o1 != r1  # another class is never equal
    if all(isinstance(v, int | str | tuple | type(None)) for v in one):
        assert hash(o1) == hash(r1)  # the same tuple hashed
    globals()["Value"] = ours  # pickle finds a class by its module and name
    for obj, ref in ((o1, r1), (o2, r2)):
        back = pickle.loads(pickle.dumps(obj))
        assert back == obj and repr(back) == repr(ref)
        assert copy.copy(obj) == obj
    if dataclasses.fields(ours):
        name = dataclasses.fields(ours)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(o1, name, 1)
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(o1, name)
        changed = dataclasses.replace(o1, **{f.name: 9 for f in dataclasses.fields(ours) if f.init})
        assert repr(changed) == repr(dataclasses.replace(r1, **{f.name: 9 for f in dataclasses.fields(reference)
                                                                 if f.init}))  # fmt: skip
    with pytest.raises(dataclasses.FrozenInstanceError):
        o1.other = 1  # type: ignore[attr-defined]
    assert dataclasses.asdict(o1) == dataclasses.asdict(r1)


def test_methods_are_compiled_on_first_use_and_then_are_the_class_own() -> None:
    @frozen
    class Point:
        """A point."""

        x: int
        y: int = 0

    stand_ins = {name: Point.__dict__[name] for name in ("__init__", "__eq__", "__hash__")}
    p = Point(1)
    assert p == Point(1, 0) and p != Point(1, 1) and hash(p) == hash((1, 0))
    for name, stand_in in stand_ins.items():
        real = Point.__dict__[name]
        assert real is not stand_in and real.__qualname__ == f"{Point.__qualname__}.{name}"
    assert Point(2, y=3) == Point(x=2, y=3) and Point.__doc__ == "A point."
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]  # a missing field is refused as by a dataclass


def test_an_undocumented_class_is_made_without_asking_for_its_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    # dataclasses writes a missing docstring from inspect.signature, whose tokenizer compiles its largest
    # pattern once a process (~16 M instructions of a batch's serial start): @frozen writes the field names.
    import inspect

    def refused(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("inspect.signature asked")

    monkeypatch.setattr(inspect, "signature", refused)

    @frozen
    class Span:
        start: int
        stop: int = 0

    assert Span.__doc__ == "Span(start, stop)" and Span(1).stop == 0


def test_a_subclass_builds_through_its_parents_init() -> None:
    @frozen
    class Base:
        a: int

    class Child(Base):
        __slots__ = ()

    assert Child(1) == Child(1) and Child(1) != Base(1)
    assert repr(Child(1)).endswith("<locals>.Child(a=1)")


def test_a_frozen_subclass_sets_its_parents_fields_and_its_own() -> None:
    # Each field is stored through the slot of the class that declares it (the parent's for inherited ones).
    @frozen
    class Base:
        a: int
        b: str = "x"

    @frozen
    class Child(Base):
        c: tuple[int, ...] = ()

    child = Child(1, "y", (2,))
    assert (child.a, child.b, child.c) == (1, "y", (2,)) and Child(1).b == "x" and Child(1).c == ()
    assert copy.copy(child) == child and child != Base(1, "y")
    with pytest.raises(dataclasses.FrozenInstanceError):
        child.a = 2  # type: ignore[misc]


def test_the_project_makes_its_frozen_values_with_frozen() -> None:
    """A new value class written as ``@dataclass(frozen=True, slots=True)`` would cost ~1.6 ms at every
    start (see checker/frozen.py)."""
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "checker").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.match(r"\s*@(dataclasses\.)?dataclass\(.*frozen=True", line)
    ]
    assert found == []


def test_methods_the_class_writes_itself_are_kept_as_dataclasses_keeps_them() -> None:
    def body() -> dict[str, Any]:
        return {
            "__annotations__": {"a": "int", "b": "int"},
            "__module__": __name__,
            "__repr__": lambda self: f"<{self.a}>",
            "__eq__": lambda self, other: isinstance(other, type(self)) and self.a == other.a,
        }

    reference = dataclasses.dataclass(frozen=True, slots=True)(type("Own", (), body()))
    ours = frozen(type("Own", (), body()))
    for cls in (reference, ours):
        assert repr(cls(1, 2)) == "<1>" and cls(1, 2) == cls(1, 3)  # the body's own repr and equality
    assert hash(ours(1, 2)) == hash(reference(1, 2)) == hash((1, 2))  # __hash__ None from __eq__ is replaced
    with_hash = {**body(), "__hash__": lambda self: 7}
    assert (
        hash(frozen(type("Own", (), with_hash))(1, 2))
        == 7
        == hash(dataclasses.dataclass(frozen=True, slots=True)(type("Own", (), with_hash))(1, 2))
    )
    for name in ("__setattr__", "__delattr__"):
        for make in (dataclasses.dataclass(frozen=True, slots=True), frozen):
            with pytest.raises(TypeError, match=f"Cannot overwrite attribute {name}"):
                make(type("Own", (), {**body(), name: lambda *args: None}))


def test_what_its_init_does_not_know_is_refused() -> None:
    with pytest.raises(TypeError, match="kw_only"):
        frozen(type("K", (), {"__annotations__": {"a": "int"}, "__module__": __name__,
                              "a": dataclasses.field(kw_only=True)}))  # fmt: skip
    with pytest.raises(TypeError, match="InitVar"):
        frozen(type("I", (), {"__annotations__": {"a": "int", "b": "dataclasses.InitVar[int]"},
                              "__module__": __name__}))  # fmt: skip

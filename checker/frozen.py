"""``@frozen``: the project's frozen value class — ``@dataclass(frozen=True, slots=True)`` with the same
behaviour, made ~7× cheaper to create (issue 16, the cold check).

Why: Python 3.11's dataclass compiles six methods per frozen class from source text at import (``__init__``,
``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``): ~1.6 ms a class on these
machines, and a cold ``jixiao check`` of one workbook creates 68 of them — ~110 ms of a ~500 ms run, whose
floor (``import openpyxl, typer``) is ~420 ms. Here ``dataclasses`` still builds the fields, slots and
``__match_args__`` (so ``fields``, ``replace``, ``asdict`` and pickling work as before) but compiles nothing:

- ``__init__``, ``__eq__`` and ``__hash__`` are compiled on their first call, from the source text
  dataclasses writes, and then replace themselves on the class, so a class that is never built, compared or
  hashed in a run never pays for them and one that is runs a dataclass's code (``__init__`` stores each
  field through its slot's own setter rather than ``object.__setattr__``: the same store, ~30 % cheaper);
- ``__repr__``, ``__setattr__``/``__delattr__`` (which only raise) and the pickle state are shared
  functions: rarely called, never hot.

``tests/test_frozen.py`` holds a ``@frozen`` class equal in behaviour to a frozen, slotted dataclass of
the same fields on generated classes and values (repr text, equality, hashes, pickling, defaults,
factories, ``__post_init__``, ``replace``, the errors).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from types import MemberDescriptorType
from typing import Any, TypeVar, dataclass_transform

_C = TypeVar("_C", bound=type)
_MISSING = dataclasses.MISSING
_set = object.__setattr__


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def frozen(cls: _C) -> _C:
    # dataclasses writes a missing docstring from inspect.signature, whose tokenizer compiles its largest
    # pattern once a process (~5 ms of a cold check, and of a batch's serial start): a stand-in is put first
    # and the field names written in below.
    undocumented = not cls.__doc__
    if undocumented:
        cls.__doc__ = cls.__name__
    made: type = dataclasses.dataclass(init=False, repr=False, eq=False, slots=True)(cls)
    fields = dataclasses.fields(made)
    # The __init__ written here knows plain, defaulted and factory fields and __post_init__; a keyword-only
    # field or an InitVar would be accepted differently from a dataclass, so they are refused outright.
    every: dict[str, dataclasses.Field[Any]] = getattr(made, "__dataclass_fields__")  # noqa: B009 - not on type
    pseudo = [f for f in every.values() if f not in fields]  # ClassVars and InitVars
    if any(f.kw_only is True for f in fields) or any("InitVar" in str(f.type) for f in pseudo):
        raise TypeError(f"@frozen {made.__name__}: no kw_only field or InitVar — write the fields without them")
    names = frozenset(f.name for f in fields)
    shown = tuple(f.name for f in fields if f.repr)
    state = tuple(f.name for f in fields)
    compared = tuple(f.name for f in fields if f.compare)
    hashed = tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
    parent: Any = made.__mro__[1]  # what super(made, self) reaches

    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({inner})"

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is made or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        parent.__setattr__(self, name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is made or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        parent.__delattr__(self, name)

    def __getstate__(self: Any) -> list[Any]:
        return [getattr(self, name) for name in state]

    def __setstate__(self: Any, values: list[Any]) -> None:
        for name, value in zip(state, values, strict=True):
            _set(self, name, value)

    # What the class body writes itself is kept, as dataclasses keeps it; a frozen class cannot have its
    # own __setattr__ or __delattr__ (dataclasses refuses that too). A body with __eq__ and no __hash__
    # has __hash__ None, which is not a choice of its own.
    own = dict(made.__dict__)
    for name in ("__setattr__", "__delattr__"):
        if name in own:
            raise TypeError(f"Cannot overwrite attribute {name} in class {made.__name__}")
    explicit_hash = own.get("__hash__", _MISSING) is not _MISSING and not (own["__hash__"] is None and "__eq__" in own)
    made_here: list[Callable[..., Any]] = [__setattr__, __delattr__]
    made_here += [m for m in (__repr__, __getstate__, __setstate__) if m.__name__ not in own]
    if "__init__" not in own:
        made_here.append(_on_first_call(made, "__init__", lambda: _init_source(made, fields)))
    if "__eq__" not in own:
        made_here.append(_on_first_call(made, "__eq__", lambda: _eq_source(compared)))
    if not explicit_hash:
        made_here.append(_on_first_call(made, "__hash__", lambda: _hash_source(hashed)))
    for method in made_here:
        _put(made, method)
    if undocumented:  # dataclasses would write the signature; the field names say as much
        made.__doc__ = f"{made.__name__}({', '.join(state)})"
    return made  # type: ignore[return-value]  # the same class, as dataclasses returns it


def _put(cls: type, method: Callable[..., Any]) -> None:
    method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
    type.__setattr__(cls, method.__name__, method)


def _on_first_call(cls: type, name: str, source: Callable[[], tuple[str, dict[str, Any]]]) -> Callable[..., Any]:
    """A stand-in for ``cls.<name>`` that compiles the real method when it is first called, puts it on the
    class in its own place, and calls it."""

    def stand_in(self: Any, *args: Any, **kwargs: Any) -> Any:
        text, env = source()
        scope: dict[str, Any] = {}
        exec(text, env, scope)  # our own text, written from the class's field names
        real = scope[name]
        real.__module__ = cls.__module__
        _put(cls, real)
        return real(self, *args, **kwargs)

    stand_in.__name__ = name
    return stand_in


def _init_source(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> tuple[str, dict[str, Any]]:
    env: dict[str, Any] = {"__MISSING": _MISSING}
    params, body = [], []

    def put(name: str, value: str) -> str:
        # A slot's own setter, where object.__setattr__ would reach it (the first class of the MRO that
        # has the name): the same store without looking the name up, ~30 % off building a value, and
        # the readers build one per cell.
        owner = next((k for k in cls.__mro__ if name in k.__dict__), None)
        slot = owner.__dict__[name] if owner is not None else None
        if isinstance(slot, MemberDescriptorType):
            env[f"__set_{name}"] = slot.__set__
            return f"__set_{name}(self, {value})"
        env["__set"] = _set
        return f"__set(self, {name!r}, {value})"

    for f in fields:
        if not f.init:
            continue
        if f.default is not _MISSING:
            env[f"__default_{f.name}"] = f.default
            params.append(f"{f.name}=__default_{f.name}")
            body.append(put(f.name, f.name))
        elif f.default_factory is not _MISSING:
            env[f"__factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=__MISSING")
            body.append(put(f.name, f"__factory_{f.name}() if {f.name} is __MISSING else {f.name}"))
        else:
            params.append(f.name)
            body.append(put(f.name, f.name))
    for f in fields:  # a field outside __init__ with a default still gets it, as in a dataclass
        if not f.init and f.default is not _MISSING:
            env[f"__default_{f.name}"] = f.default
            body.append(put(f.name, f"__default_{f.name}"))
        elif not f.init and f.default_factory is not _MISSING:
            env[f"__factory_{f.name}"] = f.default_factory
            body.append(put(f.name, f"__factory_{f.name}()"))
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    lines = "\n    ".join(body) or "pass"
    return f"def __init__(self, {', '.join(params)}):\n    {lines}\n", env


def _eq_source(compared: tuple[str, ...]) -> tuple[str, dict[str, Any]]:
    mine = "".join(f"self.{name}," for name in compared)
    theirs = "".join(f"other.{name}," for name in compared)
    return (
        "def __eq__(self, other):\n"
        "    if other.__class__ is self.__class__:\n"
        f"        return ({mine})==({theirs})\n"
        "    return NotImplemented\n"
    ), {}


def _hash_source(hashed: tuple[str, ...]) -> tuple[str, dict[str, Any]]:
    return f"def __hash__(self):\n    return hash(({''.join(f'self.{name},' for name in hashed)}))\n", {}

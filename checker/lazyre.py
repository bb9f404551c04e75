"""Regular expressions compiled when first used, not when their module is imported.

A cold ``jixiao check`` of one workbook imports every stage, and compiling each module's patterns at import
was a measured part of its start-up, while about half of them are never used by a given file (disclosures,
the layout families, the fix writer). A :class:`LazyPattern` costs nothing until one of its methods is asked
for; then the compiled pattern's bound methods are stored in the instance's slots, so every later call is the
same attribute lookup and C call as on an ``re.Pattern``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, AnyStr, Generic

_METHODS = ("match", "search", "fullmatch", "sub", "subn", "split", "findall", "finditer")


class LazyPattern(Generic[AnyStr]):
    """``re.compile(pattern, flags)``, deferred. Use it through the compiled pattern's methods; ``compiled``
    is the ``re.Pattern`` itself where one is needed. Text or bytes, as ``re.compile``."""

    __slots__ = ("pattern", "flags", "_compiled", *_METHODS)

    # Filled from the compiled pattern on first use (an empty slot reaches ``__getattr__``).
    match: Callable[..., re.Match[AnyStr] | None]
    search: Callable[..., re.Match[AnyStr] | None]
    fullmatch: Callable[..., re.Match[AnyStr] | None]
    sub: Callable[..., AnyStr]
    subn: Callable[..., tuple[AnyStr, int]]
    split: Callable[..., list[Any]]
    findall: Callable[..., list[Any]]
    finditer: Callable[..., Iterator[re.Match[AnyStr]]]

    def __init__(self, pattern: AnyStr, flags: int = 0) -> None:
        self.pattern: AnyStr = pattern
        self.flags = flags
        self._compiled: re.Pattern[AnyStr] | None = None

    @property
    def compiled(self) -> re.Pattern[AnyStr]:
        if self._compiled is None:
            compiled = re.compile(self.pattern, self.flags)
            for name in _METHODS:
                setattr(self, name, getattr(compiled, name))
            self._compiled = compiled
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        if name in _METHODS:  # a slot not filled yet: compile, which fills them all
            return getattr(self.compiled, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r})"


def lazy(pattern: AnyStr, flags: int = 0) -> LazyPattern[AnyStr]:
    """A pattern compiled the first time it is used (see the module's docstring)."""
    return LazyPattern(pattern, flags)

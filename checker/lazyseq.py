"""Sequences whose items are made when asked for: a run's work items, its spooled run facts, a document's
rows. One place for the int-or-slice dispatch every such ``Sequence`` needs."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class LazySequence(Sequence[T]):
    """A ``Sequence`` made of ``__len__`` and ``item(i)`` (``0 <= i < len``); a slice is a list of items."""

    __slots__ = ()

    @abstractmethod
    def __len__(self) -> int: ...

    @abstractmethod
    def item(self, index: int) -> T:
        """The item at ``index``, already checked to be in range and not negative."""

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self.item(i) for i in range(*index.indices(len(self)))]
        size = len(self)
        i = index + size if index < 0 else index
        if not 0 <= i < size:
            raise IndexError(f"{type(self).__name__} index out of range")
        return self.item(i)

"""A run's file paths held compactly: one province's 100,000 submissions are 100,000 paths, and as Python
strings in a tuple (plus the set that de-duplicated them) they were the largest thing a streamed run held.

``PathList`` keeps every path's UTF-8 bytes in one buffer and their ends in an integer array (~45 bytes a
path instead of ~130), and gives the strings back on demand as an ordinary sequence."""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import overload


class PathList(Sequence[str]):
    """Paths in order, appended one by one. File names that are not valid UTF-8 (possible on POSIX) survive
    the round trip as the file system encoding's surrogate escapes, as ``os.fsencode``/``fsdecode`` do."""

    __slots__ = ("_data", "_ends")

    def __init__(self, paths: Iterable[str] = ()) -> None:
        self._data = bytearray()
        self._ends = array("Q")
        for path in paths:
            self.append(path)

    def append(self, path: str) -> None:
        self._data += os.fsencode(path)
        self._ends.append(len(self._data))

    def __len__(self) -> int:
        return len(self._ends)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> PathList: ...

    def __getitem__(self, index: int | slice) -> str | PathList:
        if isinstance(index, slice):
            return PathList(self[i] for i in range(*index.indices(len(self))))
        ends = self._ends
        i = index + len(ends) if index < 0 else index
        if not 0 <= i < len(ends):
            raise IndexError("PathList index out of range")
        start = ends[i - 1] if i else 0
        return os.fsdecode(bytes(self._data[start : ends[i]]))

    def __iter__(self) -> Iterator[str]:
        data, start = self._data, 0
        for end in self._ends:
            yield os.fsdecode(bytes(data[start:end]))
            start = end

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PathList):
            return self._ends == other._ends and self._data == other._data
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable while it is built, like a list

    def __repr__(self) -> str:
        shown = ", ".join(repr(p) for p in self[:3])
        return f"PathList([{shown}{', …' if len(self) > 3 else ''}], n={len(self)})"

"""Inputs with the same content: 500 copies of one submission are one file to check, said once."""

from __future__ import annotations

import hashlib
import os
import stat
from array import array
from collections.abc import Callable, Hashable, Sequence

from checker.pathlist import PathList

_PIECE = 1 << 20


def _digest(path: str) -> bytes | None:
    """The file's SHA-256, or None for anything the reader will refuse or explain in its own words."""
    from checker.readers import MAX_TEXT_BYTES

    try:
        # Opened without blocking and checked on the descriptor: reading a FIFO or a device here would
        # block or take the bytes the reader is to check.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_TEXT_BYTES:
            return None
        # Read straight from the descriptor, a small file in one piece (a second read finds its end):
        # hashlib.file_digest wraps a file object and makes a 256 KiB buffer per file, 3x the cost for
        # the small files of a batch, paid before the first file is checked.
        digest, piece = hashlib.sha256(), min(info.st_size + 1, _PIECE)
        while chunk := os.read(fd, piece):
            digest.update(chunk)
        return digest.digest()
    except OSError:
        return None
    finally:
        os.close(fd)


def unique_by_content(
    files: Sequence[str], rules_for: Callable[[str], Hashable] = lambda _path: None
) -> tuple[PathList, tuple[tuple[str, str], ...]]:
    """The files in order with later byte-identical copies left out, and (copy, first) for each copy.
    ``rules_for(path)`` tells what applies to a file: copies under different rules are both kept.

    Memory stays small for a province's 100,000 files: one pass keeps 8 bytes of each digest (a file
    whose 8 bytes were seen before is a *candidate*), and only the candidates' groups are hashed again
    and compared whole, so a chance match of 8 bytes never drops a file."""
    prefixes = array("Q")  # each file's digest prefix, or NONE for a file the reader will explain
    seen = _PrefixSet(len(files))
    candidates: set[int] = set()
    for path in files:
        digest = _digest(path)
        prefix = NONE if digest is None else int.from_bytes(digest[:8], "big") | 1
        prefixes.append(prefix)
        if prefix != NONE and not seen.add(prefix):
            candidates.add(prefix)
    del seen
    copy_of: dict[int, int] = {}  # index of a copy -> index of its first
    if candidates:
        first: dict[tuple[bytes, Hashable], int] = {}
        for i, prefix in enumerate(prefixes):
            if prefix in candidates and (digest := _digest(files[i])) is not None:
                key = (digest, rules_for(files[i]))
                if key in first:
                    copy_of[i] = first[key]
                else:
                    first[key] = i
    if not copy_of:  # the usual run: nothing to leave out, no second list of every path
        return (files if isinstance(files, PathList) else PathList(files)), ()
    kept = PathList(path for i, path in enumerate(files) if i not in copy_of)
    return kept, tuple((files[i], files[j]) for i, j in sorted(copy_of.items()))


# The prefix that marks "no digest": digests' prefixes are made odd, so 0 is never one.
NONE = 0


class _PrefixSet:
    """A set of non-zero 64-bit numbers in one flat array (open addressing, linear probing, at most half
    full): 16-32 bytes a file where a Python set of ints takes ~90."""

    __slots__ = ("_mask", "_slots")

    def __init__(self, count: int) -> None:
        size = 8
        while size < 2 * count:
            size *= 2
        self._slots = array("Q", bytes(8 * size))
        self._mask = size - 1

    def add(self, value: int) -> bool:
        """Add ``value``; False if it was already there."""
        slots, mask = self._slots, self._mask
        i = (value >> 1) & mask  # the low bit is always 1
        while (here := slots[i]) != 0:
            if here == value:
                return False
            i = (i + 1) & mask
        slots[i] = value
        return True

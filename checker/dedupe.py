"""Inputs with the same content: 500 copies of one submission are one file to check, said once."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Hashable, Sequence


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
        h = hashlib.sha256()
        with os.fdopen(os.dup(fd), "rb") as fh:
            while block := fh.read(1 << 20):
                h.update(block)
        return h.digest()  # bytes, not hex: half the size for each of a run's files
    except OSError:
        return None
    finally:
        os.close(fd)


def unique_by_content(
    files: Sequence[str], rules_for: Callable[[str], Hashable] = lambda _path: None
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The files in order with later byte-identical copies left out, and (copy, first) for each copy.
    ``rules_for(path)`` tells what applies to a file: copies under different rules are both kept."""
    first: dict[tuple[bytes, Hashable], str] = {}
    kept: list[str] = []
    copies: list[tuple[str, str]] = []
    for path in files:
        digest = _digest(path)
        key = (digest or b"", rules_for(path))
        if digest is None or key not in first:
            if digest is not None:
                first[key] = path
            kept.append(path)
        else:
            copies.append((path, first[key]))
    return tuple(kept), tuple(copies)

"""What a run-level check keeps of every sheet until the run is over, in memory that stays flat whatever
the run's size (a province's 100,000 sheets): fixed-size records, on disk once they outgrow a small
buffer, and at the end a sketch of how often each key was seen, so that places are kept only for the keys
that may recur."""

from __future__ import annotations

import struct
import tempfile
from collections.abc import Iterator
from typing import IO, Any


class Sketch:
    """How often each key of a run was seen, at most: a count-min sketch (two saturating one-byte counters
    per key) in a fixed space, so a run-level check learns which keys may recur and keeps places only for
    those. It never says less than the true count (no recurring key is missed); a key it overcounts is
    merely kept and then counted exactly."""

    _MAX_BITS = 22  # 4 MiB of counters, whatever the run's size

    def __init__(self, entries: int) -> None:
        bits = min(self._MAX_BITS, max(12, (entries * 64).bit_length()))
        self._mask = (1 << bits) - 1
        self._counts = bytearray(1 << bits)

    def _slots(self, key: bytes) -> tuple[int, int]:
        return int.from_bytes(key[:4], "little") & self._mask, int.from_bytes(key[4:8], "little") & self._mask

    def add(self, key: bytes) -> None:
        for slot in self._slots(key):
            if self._counts[slot] < 255:
                self._counts[slot] += 1

    def at_least(self, key: bytes, n: int) -> bool:
        return min(self._counts[slot] for slot in self._slots(key)) >= min(n, 255)


class Records:
    """Records of one ``struct`` format, read back in the order they were added: held in memory up to
    ``_BUFFER`` bytes, then written to an anonymous temporary file (removed by the system when closed, even
    after a crash). Iterating reads them all back; records are added first, then read (a run check's
    ``add`` calls come before its ``hits``)."""

    _BUFFER = 1 << 16  # held in memory while the pool runs, beside its own buffers

    def __init__(self, fmt: str) -> None:
        self._struct = struct.Struct(fmt)
        self._pending = bytearray()
        self._file: IO[bytes] | None = None

    def add(self, *values: Any) -> None:
        self._pending += self._struct.pack(*values)
        if len(self._pending) >= self._BUFFER:
            if self._file is None:
                self._file = tempfile.TemporaryFile()  # noqa: SIM115 - held open across calls, closed by close()
            self._file.write(self._pending)
            self._pending.clear()

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        if self._file is not None:
            self._file.seek(0)
            # Whole records a read: every write was a whole number of them.
            size = self._struct.size * max(1, self._BUFFER // self._struct.size)
            while chunk := self._file.read(size):
                yield from self._struct.iter_unpack(chunk)
            self._file.seek(0, 2)
        yield from self._struct.iter_unpack(bytes(self._pending))

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


def recurring(records: Records, sheets: int, times: int) -> Iterator[tuple[Any, ...]]:
    """The records whose key (their first field) may occur ``times`` times or more, in order: every key is
    counted in a sketch sized for the run's ``sheets`` first, then the records are read again and those its
    counts allow are given. A key that does occur that often is never left out. The sketch is made here,
    once the run is over, not while the pool's buffers are still held."""
    sketch = Sketch(sheets)
    for record in records:
        sketch.add(record[0])
    for record in records:
        if sketch.at_least(record[0], times):
            yield record

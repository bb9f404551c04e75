"""Text kept on disk until a streamed document can be finished.

Some outputs put totals before the entries they count (the JSON summary, the JUnit root's attributes, the
SARIF artifacts before the results): the entries are written here as the files complete, and copied after
the totals once the run ends, so memory stays flat whatever the number of files.
"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Callable
from typing import IO, Any

_CHUNK = 1 << 16


class TextSpool:
    """An anonymous temporary file (removed by the system when closed, even after a crash), held as UTF-8:
    text already encoded (a worker's JSON entry) goes in as it is, without a decode and an encode."""

    def __init__(self) -> None:
        # Held open across calls (closed by replay or close), so no with-block can own it.
        self._file = tempfile.TemporaryFile()  # noqa: SIM115
        self.empty = True

    def write(self, text: str) -> None:
        if text:
            self.empty = False
            self._file.write(text.encode("utf-8", "surrogatepass"))  # a spool carries any str back as it was

    def write_utf8(self, data: bytes) -> None:
        """Text already encoded as UTF-8."""
        if data:
            self.empty = False
            self._file.write(data)

    def rewound(self) -> IO[bytes]:
        """The bytes written so far, from the start, for a reader that copies them selectively (the spool is
        closed by ``close`` when it is done)."""
        self._file.seek(0)
        return self._file

    def replay(self, write: Callable[[str], Any], utf8: Callable[[bytes], Any] | None = None) -> None:
        """Copy everything written so far to ``write``, then close the spool; to ``utf8`` as the bytes they
        are, when the output takes UTF-8 and everything written is valid UTF-8 (no lone surrogate)."""
        decoder = codecs.getincrementaldecoder("utf-8")("surrogatepass")  # a chunk may end inside a character
        try:
            self._file.seek(0)
            while utf8 is not None and (chunk := self._file.read(_CHUNK)):
                utf8(chunk)
            while chunk := self._file.read(_CHUNK):
                if text := decoder.decode(chunk):
                    write(text)
            if text := decoder.decode(b"", final=True):
                write(text)
        finally:
            self.close()

    def close(self) -> None:
        self._file.close()

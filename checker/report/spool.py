"""Text kept on disk until a streamed document can be finished.

Some outputs put totals before the entries they count (the JSON summary, the JUnit root's attributes, the
SARIF artifacts before the results): the entries are written here as the files complete, and copied after
the totals once the run ends, so memory stays flat whatever the number of files.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import Any

_CHUNK = 1 << 16


class TextSpool:
    """An anonymous temporary file (removed by the system when closed, even after a crash)."""

    def __init__(self) -> None:
        # Held open across calls (closed by replay or close), so no with-block can own it.
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
        self.empty = True

    def write(self, text: str) -> None:
        if text:
            self.empty = False
            self._file.write(text)

    def replay(self, write: Callable[[str], Any]) -> None:
        """Copy everything written so far to ``write``, then close the spool."""
        try:
            self._file.seek(0)
            while chunk := self._file.read(_CHUNK):
                write(chunk)
        finally:
            self.close()

    def close(self) -> None:
        self._file.close()

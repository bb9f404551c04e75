"""The library surface. The CLI only adapts arguments to these functions."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from checker.model import GoalSheet

PARSE_SCHEMA_VERSION = "1"


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """Every goal sheet found in one file."""

    source: str
    sheets: tuple[GoalSheet, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": PARSE_SCHEMA_VERSION,
            "source": self.source,
            "sheets": [sheet.to_json() for sheet in self.sheets],
        }


def parse_path(path: str | os.PathLike[str]) -> ParsedFile:
    """Read one file and parse every goal sheet in it. Raises InputError for a rejected file."""
    from checker.parse.sheet import parse_document
    from checker.readers import read

    doc = read(path)
    return ParsedFile(doc.source, tuple(parse_document(doc)))

"""RawDocument: what every reader returns — rows of cell texts, each cell with its location."""

from __future__ import annotations

from dataclasses import dataclass

from checker.model import Location


@dataclass(frozen=True, slots=True)
class RawCell:
    """One non-empty cell: its text as read and where it stands."""

    text: str
    column: int
    location: Location


@dataclass(frozen=True, slots=True)
class RawRow:
    """One row (a worksheet row or a text line). ``cells`` holds every column, empty ones as ''."""

    cells: tuple[RawCell, ...]
    location: Location

    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    def non_empty(self) -> list[RawCell]:
        return [c for c in self.cells if c.text.strip()]


@dataclass(frozen=True, slots=True)
class RawTable:
    """A worksheet, a Word table or a whole text file."""

    name: str | None
    rows: tuple[RawRow, ...]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """Everything read from one file, knowing nothing of goal sheets."""

    source: str
    kind: str
    tables: tuple[RawTable, ...]

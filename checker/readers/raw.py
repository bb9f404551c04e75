"""RawDocument: what every reader returns — rows of cell texts, each cell with its location."""

from __future__ import annotations

from dataclasses import field

from checker.frozen import frozen
from checker.model import Location


@frozen
class RawCell:
    """One cell: its text as read and where it stands.

    ``origin`` is set on the cells a merged range covers: their text is the merged cell's, copied so
    that a 一级 label merged down its rows is seen on every row; joining text must skip the copies.
    """

    text: str
    column: int
    location: Location
    origin: Location | None = None


@frozen
class RawRow:
    """One row (a worksheet row or a text line). ``cells`` holds every column, empty ones as ''."""

    cells: tuple[RawCell, ...]
    location: Location
    _by_column: dict[int, RawCell] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_column", {c.column: c for c in self.cells})

    def at(self, column: int | None) -> RawCell | None:
        """The cell in a column (1-based), or None."""
        return self._by_column.get(column) if column is not None else None

    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    def non_empty(self) -> list[RawCell]:
        return [c for c in self.cells if c.text.strip()]


@frozen
class RawTable:
    """A worksheet, a Word table or a whole text file.

    ``positional`` says whether a column number means the same column on every row (worksheets, Word
    tables, tab-separated text). Text laid out otherwise (HTML tables dumped with merged cells dropped,
    one cell per line, outlines) is read as a sequence instead. ``layout`` names the family that recovered
    the grid from a text (checker/layout), so a reviewer knows how it was read. ``flow`` marks running
    text whose grid is still to be recovered by that stage: a text file, or the text of a PDF or web page
    outside its tables (a row a line). ``document_type`` is what the family knows the text to be when
    its shape says so (one project a row is a 项目清单, indicators quoted in news sentences a 转述); a
    title above the sheet that names a type still says more (checker/doctype.py).
    """

    name: str | None
    rows: tuple[RawRow, ...]
    positional: bool = True
    layout: str | None = None
    flow: bool = False
    document_type: str | None = None


@frozen
class RawDocument:
    """Everything read from one file, knowing nothing of goal sheets."""

    source: str
    kind: str
    tables: tuple[RawTable, ...]
    sha256: str = ""  # of the file's bytes as read, set by readers.read

"""Tab-separated rows (pdftotext of a ruled table, a sheet pasted from Excel): read by position."""

from __future__ import annotations

from collections.abc import Sequence

from checker.layout import Family
from checker.layout.base import Piece, table
from checker.readers.raw import RawTable


def detect(lines: Sequence[str]) -> float:
    return float(sum(1 for line in lines if sum(1 for p in line.split("\t") if p.strip()) >= 2))


def recover(lines: Sequence[str], path: str) -> RawTable:
    # Empty cells are kept: in a positional table the column number is what places a cell.
    rows: list[list[Piece]] = [[(part, n) for part in line.split("\t")] for n, line in enumerate(lines, 1)]
    return table(rows, path, "tabs", positional=True)


FAMILY = Family("tabs", "制表符分隔", detect, recover)

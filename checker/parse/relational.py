"""Relational workbooks: a project sheet and an indicator sheet joined by 项目编码 (placeholder seam)."""

from __future__ import annotations

from checker.model import GoalSheet
from checker.readers.raw import RawDocument


def read_relational(doc: RawDocument) -> tuple[list[GoalSheet], frozenset[int]]:
    """The sheets read from relational tables, and the indices of the tables they claimed."""
    return [], frozenset()

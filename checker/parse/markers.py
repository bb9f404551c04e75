"""Never a silent pass (placeholder seam): goal-sheet markers with nothing read become a finding."""

from __future__ import annotations

from checker.model import GoalSheet
from checker.readers.raw import RawDocument


def never_silent(doc: RawDocument, sheets: list[GoalSheet]) -> list[GoalSheet]:
    return sheets

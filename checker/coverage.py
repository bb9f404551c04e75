"""What a run read and what it could not, and the budget years it used: the coverage line of every summary.

A run that reads three of four projects must say so; so must one that checked sheets under no budget year.
``Coverage.of`` counts one checked file; coverages add up, so a streaming writer (the review workbook)
keeps one running total and never holds the outcomes.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from checker.frozen import frozen
from checker.parse.markers import UNREAD

if TYPE_CHECKING:
    from collections.abc import Iterable

    from checker.results import FileOutcome

# (year, origin, detail): detail is the config file for "config" and empty otherwise, so that the titles of
# many sheets aggregate into one entry per year.
YearKey = tuple[int | None, str, str]

_ORIGIN_ZH = {"option": "--year", "config": "配置文件", "header": "表头", "none": "未识别"}
_ORIGIN_EN = {"option": "--year", "config": "config", "header": "sheet header", "none": "unknown"}


@frozen
class Coverage:
    """Counts over the files of a run. ``files_without_sheet`` were read but hold no goal sheet and no
    marker; ``sheets_unread`` are goal sheets that were found but could not be read (PRS004)."""

    files: int = 0
    files_read: int = 0
    files_unreadable: int = 0
    files_without_sheet: int = 0
    sheets_read: int = 0
    sheets_unread: int = 0
    indicator_rows: int = 0
    rows_not_applicable: int = 0
    years: tuple[tuple[YearKey, int], ...] = ()

    @classmethod
    def of(cls, outcome: FileOutcome) -> Coverage:
        report = outcome.report
        if report is None:
            return cls(files=1, files_unreadable=1)
        read = [s for s in report.sheets if not s.sheet.unread]
        unread = sum(1 for s in report.sheets if s.sheet.unread and any(p.code == UNREAD for p in s.sheet.problems))
        years: Counter[YearKey] = Counter()
        for s in read:
            by = s.sheet.budget_year
            origin = by.origin if by is not None else "none"
            years[(s.sheet.year, origin, by.detail if by is not None and origin == "config" else "")] += 1
        return cls(
            files=1,
            files_read=1,
            files_without_sheet=int(not read and not unread),
            sheets_read=len(read),
            sheets_unread=unread,
            indicator_rows=sum(s.indicator_rows for s in read),
            rows_not_applicable=sum(s.not_applicable for s in read),
            years=tuple(years.items()),
        )

    def __add__(self, other: Coverage) -> Coverage:
        years = Counter(dict(self.years))
        years.update(dict(other.years))
        return Coverage(
            self.files + other.files,
            self.files_read + other.files_read,
            self.files_unreadable + other.files_unreadable,
            self.files_without_sheet + other.files_without_sheet,
            self.sheets_read + other.sheets_read,
            self.sheets_unread + other.sheets_unread,
            self.indicator_rows + other.indicator_rows,
            self.rows_not_applicable + other.rows_not_applicable,
            tuple(years.items()),
        )

    @property
    def rows_checked(self) -> int:
        return self.indicator_rows - self.rows_not_applicable

    def to_json(self) -> dict[str, int]:
        return {
            "files": self.files,
            "files_read": self.files_read,
            "files_unreadable": self.files_unreadable,
            "files_without_sheet": self.files_without_sheet,
            "sheets_read": self.sheets_read,
            "sheets_unread": self.sheets_unread,
            "indicator_rows": self.indicator_rows,
            "rows_not_applicable": self.rows_not_applicable,
            "rows_checked": self.rows_checked,
        }

    def _sorted_years(self) -> list[tuple[YearKey, int]]:
        # Most sheets first; a stable order for equal counts (the unknown year last).
        return sorted(self.years, key=lambda kv: (-kv[1], kv[0][0] is None, -(kv[0][0] or 0), kv[0][1], kv[0][2]))

    def years_json(self) -> list[dict[str, Any]]:
        return [{"year": year, "from": origin, "sheets": n, **({"detail": detail} if detail else {})}
                for (year, origin, detail), n in self._sorted_years()]  # fmt: skip

    def read_line(self, lang: str) -> str:
        """读取：… — files, projects and indicator rows read, and what was not read and why."""
        zh = lang == "zh"
        na = self.rows_not_applicable
        missed = [
            (self.files_unreadable, "个文件无法读取", "file(s) unreadable"),
            (self.sheets_unread, "张表未能读出指标", "sheet(s) with no indicator read"),
            (self.files_without_sheet, "个文件中没有绩效目标表", "file(s) without a goal sheet"),
        ]
        if zh:
            text = f"读取：{self.files_read} 个文件，{self.sheets_read} 个项目，{self.indicator_rows} 行指标"
            text += f"（其中 {na} 行不适用，未检查）" if na else ""
            parts = [f"{n} {words}" for n, words, _ in missed if n]
            return text + (f"；未读出：{'，'.join(parts)}" if parts else "")
        text = f"read: {self.files_read} file(s), {self.sheets_read} project(s), {self.indicator_rows} indicator row(s)"
        text += f" ({na} not applicable, not checked)" if na else ""
        parts = [f"{n} {words}" for n, _, words in missed if n]
        return text + (f"; not read: {', '.join(parts)}" if parts else "")

    def year_line(self, lang: str) -> str | None:
        """预算年度：… — the years the sheets were read under and where each came from; None without sheets."""
        if not self.years:
            return None
        zh = lang == "zh"
        parts = []
        for (year, origin, detail), n in self._sorted_years():
            where = (_ORIGIN_ZH if zh else _ORIGIN_EN)[origin] + (f" {detail}" if detail else "")
            if year is None:
                parts.append(f"未识别（{n} 张表，时限类规则不按年度核对）" if zh
                             else f"unknown ({n} sheet(s); deadlines are not held to a year)")  # fmt: skip
            elif origin == "option":
                parts.append(f"{year}（{where}）" if zh else f"{year} ({where})")
            else:
                parts.append(f"{year}（{where}，{n} 张表）" if zh else f"{year} ({where}, {n} sheet(s))")
        return ("预算年度：" + "；".join(parts)) if zh else ("budget year: " + "; ".join(parts))


def total(outcomes: Iterable[FileOutcome]) -> Coverage:
    """The coverage of many outcomes."""
    out = Coverage()
    for outcome in outcomes:
        out = out + Coverage.of(outcome)
    return out


__all__ = ["Coverage", "total"]

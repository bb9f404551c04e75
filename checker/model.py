"""The domain model: frozen values from parsing, shared by every later stage."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field, fields
from decimal import Decimal
from enum import StrEnum
from operator import attrgetter
from typing import Any, Literal, TypeVar

from checker.frozen import frozen

T = TypeVar("T")


def pickled_by_init(cls: type[T]) -> type[T]:
    """Pickle a frozen dataclass as ``cls(*fields)``: the default path sets each field through a
    Python-level ``__setstate__``, and the parent of a batch unpickles every worker's findings (measured
    0.10 s against 0.058 s for 1,000 files). Only for classes whose ``__init__`` takes every field."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    # One C call for every field: the list of getattr calls this replaces was half the parent's cost of
    # pickling a batch's findings (yappi, 1,000 files).
    values = attrgetter(*names) if len(names) > 1 else lambda self: (getattr(self, names[0]),)

    def reduce(self: Any) -> tuple[Callable[..., T], tuple[Any, ...]]:
        return cls, values(self)

    cls.__reduce__ = reduce  # type: ignore[method-assign]
    return cls


class ValueKind(StrEnum):
    """What kind of 指标值 a string is."""

    QUANTITATIVE = "quantitative"
    QUALITATIVE = "qualitative"
    RANGE = "range"
    EMPTY = "empty"
    UNPARSED = "unparsed"
    NOT_APPLICABLE = "not_applicable"


class Direction(StrEnum):
    """正向 (more is better) or 反向 (less is better)."""

    POSITIVE = "正向"
    NEGATIVE = "反向"


COMPARATORS: tuple[str, ...] = ("≥", "≤", "=", ">", "<")


@pickled_by_init
@frozen
class Location:
    """Where something stands in its source: sheet + cell for workbooks, line (+ column) for text, page +
    cell for a PDF or web page table (its rows counted on the page; ``line`` then counts rows through the
    whole document, for tools that only know lines)."""

    file: str
    sheet: str | None = None
    cell: str | None = None
    line: int | None = None
    column: int | None = None
    page: int | None = None

    @property
    def row(self) -> int | None:
        """The line (text) or the worksheet row (E17 → 17): what rows are counted by."""
        if self.line is not None:
            return self.line
        digits = "".join(ch for ch in self.cell or "" if ch.isdigit())
        return int(digits) if digits else None

    def short(self) -> str:
        """A compact human form: ``Sheet1!D12``, ``第3页!B7`` or ``L484``."""
        if self.cell is not None:
            if self.page is not None:
                return f"第{self.page}页!{self.cell}"
            return f"{self.sheet}!{self.cell}" if self.sheet else self.cell
        if self.line is not None:
            return f"第{self.page}页 L{self.line}" if self.page is not None else f"L{self.line}"
        return ""

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"file": self.file}
        for key in ("sheet", "cell", "line", "column", "page"):
            val = getattr(self, key)
            if val is not None:
                out[key] = val
        return out


@frozen
class Value:
    """A parsed 指标值.

    ``number`` is the number as written (98 for ``≥98%``; 15 for ``15万平方米``); for a range it is the
    lower bound and ``high`` the upper. ``magnitude`` is ``number`` in base units (元, 天, 平方米, 度 …)
    when the unit is known. ``reason`` says why a value is ``unparsed`` or what was odd about it.
    """

    raw: str
    kind: ValueKind
    comparator: str | None = None
    number: Decimal | None = None
    high: Decimal | None = None
    unit: str | None = None
    unit_known: bool = True
    dimension: str | None = None
    magnitude: Decimal | None = None
    base_unit: str | None = None
    deadline: str | None = None
    reason: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, object]:
        """The public JSON contract of a value (parse-output.schema.json)."""
        return {
            "raw": self.raw,
            "kind": str(self.kind),
            "comparator": self.comparator,
            "number": json_number(self.number),
            "unit": self.unit,
        }


@frozen
class Indicator:
    """One 三级 indicator with the 一级/二级 it belongs to."""

    level1: str | None
    level2: str | None
    name: str
    value: Value
    location: Location
    name_location: Location | None = None
    weight: Decimal | None = None
    direction: Direction | None = None
    explanation: str | None = None
    written_level1: str | None = None
    value_type: str | None = None
    long_term: Value | None = None  # the 长期/中期 target printed beside the annual one
    method: str | None = None  # how the row was read from a text: the layout family, or "prose"

    def to_json(self) -> dict[str, object]:
        """The public JSON contract of an indicator; ``long_term`` and ``method`` only when set."""
        out: dict[str, object] = {
            "level1": self.level1,
            "level2": self.level2,
            "name": self.name,
            "value": self.value.to_json(),
            "location": self.location.to_json(),
        }
        if self.long_term is not None:
            out["long_term"] = self.long_term.to_json()
        if self.method is not None:
            out["method"] = self.method
        return out

    @property
    def path(self) -> str:
        """``一级/二级/三级`` as a reviewer reads it."""
        return "/".join(p or "—" for p in (self.level1, self.level2, self.name))


@frozen
class Funding:
    """项目资金: the total and its named sources, in the declared unit (元 or 万元)."""

    total: Decimal | None
    unit: str | None
    sources: tuple[tuple[str, Decimal], ...] = ()
    total_raw: str | None = None
    location: Location | None = None
    # 单位：元 printed above the sheet when the funding block declares another unit (资金情况（万元）):
    # the amounts are read in the block's unit, and the sheet contradicts itself (FUND-003).
    page_unit: str | None = None

    @property
    def factor(self) -> Decimal:
        return Decimal(10000) if self.unit == "万元" else Decimal(1)

    @property
    def total_yuan(self) -> Decimal | None:
        """The total normalised to 元 (an undeclared unit is taken as 元, as the templates print it)."""
        return None if self.total is None else self.total * self.factor

    def sources_yuan(self) -> dict[str, Decimal]:
        return {name: amount * self.factor for name, amount in self.sources}


WAN = Decimal(10000)


@frozen
class BudgetLine:
    """One project row of a project expenditure table."""

    name: str
    amount_yuan: Decimal
    text: str  # the amount as the table prints it, with its unit: 11.40万元
    location: Location
    carried_over: bool  # from a 上年结转 table
    table: str  # the table's title

    @property
    def tolerance(self) -> Decimal:
        """Half a unit of the amount's last printed digit, in 元: 11.40 万元 stands for 113,950–114,050."""
        digits = self.text.rstrip("万元").split(".")
        places = len(digits[1]) if len(digits) == 2 else 0
        unit = WAN if self.text.endswith("万元") else Decimal(1)
        return unit / (Decimal(10) ** places) / 2


@frozen
class Statement:
    """A total the narrative states: what, the amount (万元), the count where it gives one, and where."""

    kind: str  # project_total | published | managed (vocabulary.yaml disclosure.statements)
    amount_wan: Decimal
    count: int | None
    text: str
    location: Location


@frozen
class Disclosure:
    """What a document discloses about its projects, and how its goal sheets compare (after ``match``)."""

    lines: tuple[BudgetLine, ...]
    statements: tuple[Statement, ...]
    unmatched: tuple[BudgetLine, ...] = ()  # budgeted projects with no goal sheet in the document
    first: Location | None = None  # the document's first goal sheet: document-wide findings are placed once
    sheet_count: int = 0
    sheets_total_yuan: Decimal | None = None  # the goal sheets' 年度资金总额 added up, where all are read

    def total(self, carried_over: bool) -> Decimal:
        return sum((ln.amount_yuan for ln in self.lines if ln.carried_over == carried_over), Decimal(0))

    def count(self, carried_over: bool) -> int:
        return sum(1 for ln in self.lines if ln.carried_over == carried_over)


@frozen
class ParseProblem:
    """Something the parser noticed but could not settle; becomes a PRS finding."""

    code: str
    message_zh: str
    message_en: str
    location: Location

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message_zh, "message_en": self.message_en,
                "location": self.location.to_json()}  # fmt: skip


YearOrigin = Literal["option", "config", "header", "none"]


@frozen
class BudgetYear:
    """The budget year a sheet is read under and where it came from: ``--year`` (option), the config file
    (``detail`` names it), the sheet's own header (``location`` and ``detail`` are that title), or none."""

    year: int | None
    origin: YearOrigin
    location: Location | None = None
    detail: str = ""

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"year": self.year, "from": self.origin}
        if self.location is not None:
            out["location"] = self.location.to_json()
        if self.detail:
            out["detail"] = self.detail
        return out


@frozen
class GoalSheet:
    """One project's 绩效目标表."""

    project: str
    location: Location
    header: tuple[tuple[str, str], ...] = ()
    funding: Funding | None = None
    goals: tuple[str, ...] = ()
    texts: tuple[tuple[str, str], ...] = ()
    indicators: tuple[Indicator, ...] = ()
    groups: tuple[tuple[str, str], ...] = ()
    problems: tuple[ParseProblem, ...] = field(default=())
    year: int | None = None
    source_kind: str = "text"
    budget_year: BudgetYear | None = None  # where ``year`` came from
    # A placeholder for goal-sheet markers from which nothing could be read (or a named file without a
    # sheet): it carries the ParseProblem that says so, and only the PRS rules look at it.
    unread: bool = False
    # A budget disclosure around the sheet (checker/parse/disclosure.py): the document's project tables and
    # totals, and this project's own row in them (None when the table has no row for it).
    disclosure: Disclosure | None = None
    budget_line: BudgetLine | None = None
    # 批复表, 自评表, 评价指标表 or 部门整体 when the document's title says so (checker/doctype.py); None
    # when nothing says, and the rules then read the sheet as a 申报表.
    document_type: str | None = None
    # The indicator table's column roles as the form printed them (level1, name, value, weight, explanation,
    # long_term …; checker/parse/sheet.py): a form without an 指标解释 column is never asked for one. Empty
    # when the table had no header row to read (prose, news copy).
    columns: tuple[str, ...] = ()

    def header_field(self, name: str) -> str | None:
        return dict(self.header).get(name)

    def text_field(self, name: str) -> str | None:
        return dict(self.texts).get(name)

    def to_json(self) -> dict[str, object]:
        """The public JSON contract of a sheet (parse-output.schema.json)."""
        funding = self.funding or Funding(total=None, unit=None)
        return {
            "project": self.project,
            "funding": {
                "total": json_number(funding.total),
                "unit": funding.unit,
                "sources": {name: json_number(amount) for name, amount in funding.sources},
            },
            "goals": list(self.goals),
            "indicators": [ind.to_json() for ind in self.indicators],
            # Optional (parse-output.schema.json): older readers of the contract can ignore them.
            **({"budget_year": self.budget_year.to_json()} if self.budget_year is not None else {}),
            **({"problems": [p.to_json() for p in self.problems]} if self.problems else {}),
        }


def json_number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: integral values stay integers, so 114000 prints as 114000."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


# 1.1: the value kind not_applicable (a compatible addition: no field changed or went away).
PARSE_SCHEMA_VERSION = "1.1"


@frozen
class ParsedFile:
    """Every goal sheet found in one file."""

    source: str
    sheets: tuple[GoalSheet, ...]
    sha256: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema_version": PARSE_SCHEMA_VERSION,
            "source": self.source,
            "sheets": [sheet.to_json() for sheet in self.sheets if not sheet.unread],
        }
        # An unread placeholder is not a sheet: what it says goes beside the sheets (an optional key).
        unread = [p.to_json() for sheet in self.sheets if sheet.unread for p in sheet.problems]
        if unread:
            out["problems"] = unread
        return out

"""Relational workbooks: a project table and an indicator table joined by 项目编码.

Declaration systems (预算管理一体化) export a year's projects as two tables — one row per project
(项目编码, 项目名称, 申请单位, 本年金额, 年度目标 …) and one row per indicator (项目编码, 一级 … 指标值) —
often with their join as a third sheet. Names are not keys there: one 街道 file has 16 projects named
政府购买服务（专业技术服务类）, so sheets are assembled by code, and the join is recognised so that it is
not read a second time. Tables are found by their column labels (``relational:`` and ``columns:`` in
rules/frameworks/vocabulary.yaml) in the first rows of each worksheet, never by sheet names or positions.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache, lru_cache

from checker.frameworks import names
from checker.frozen import frozen
from checker.lazyre import lazy
from checker.model import Funding, GoalSheet, Indicator, Location, ParseProblem
from checker.parse.sheet import split_goals
from checker.parse.values import declared_type, direction_of, indicator_value, joined_value, parse_amount
from checker.readers.cells import column_letter
from checker.readers.raw import RawCell, RawDocument, RawRow, RawTable
from checker.resources import shipped_yaml
from checker.text import indicator_name, label_key, tidy
from checker.vocabulary import vocabulary

# Column labels stand in the opening rows; looking no further keeps this stage cheap on every document.
HEADER_SCAN_ROWS = 20
_LABEL_MAX = 40  # a longer cell is prose, never a column label
_AMOUNT_ROLES = ("year_amount", "total")  # the year's amount is the sheet's 年度资金总额; the total is a fallback
_PROJECT_EVIDENCE = frozenset({"unit_name", "department", "total", "year_amount", "goal"})
_HEADER_FIELDS = (("code", "项目编码"), ("unit_name", "实施单位"), ("department", "主管部门"), ("total", "项目总金额"))
_TEXT_FIELDS = (("basis", "立项依据"), ("calculation", "测算依据"))
_WAN_IN_CELL = lazy(r"[0-9]\s*万")
_SUM_ROWS = frozenset({"合计", "总计", "小计"})  # a project list's sum row has a name but is no project


@frozen
class Labels:
    """Column label key → role, for both tables, and the words that declare an amount unit."""

    roles: dict[str, str]
    amount_unit_labels: tuple[str, ...]

    def role(self, text: str) -> tuple[str | None, str | None]:
        """``本年金额（万元）`` → ("year_amount", "万元"); ``项目编码`` → ("code", None)."""
        key = label_key(text)
        role = self.roles.get(key)
        if role is not None:
            return role, None
        for unit in ("万元", "元"):
            if key.endswith(unit) and self.roles.get(key[: -len(unit)]) in _AMOUNT_ROLES:
                return self.roles[key[: -len(unit)]], unit
        return None, None

    def declared_unit(self, row: RawRow) -> str | None:
        """金额单位：万元 printed above the header row."""
        for cell in row.cells:
            if "单位" not in cell.text or len(cell.text) > _LABEL_MAX:
                continue
            key = label_key(cell.text)
            for prefix in self.amount_unit_labels:
                if key.startswith(prefix) and key[len(prefix) :] in ("元", "万元"):
                    return key[len(prefix) :]
        return None


@cache
def labels() -> Labels:
    data = shipped_yaml("frameworks/vocabulary.yaml")
    roles = dict(vocabulary().columns)
    for role, aliases in data["relational"].items():
        roles.update((label_key(alias), role) for alias in aliases)
    units = tuple(label_key(x) for x in data.get("amount_unit_labels", ["金额单位", "单位"]))
    return Labels(roles, tuple(sorted(units, key=len, reverse=True)))


@frozen
class Layout:
    """A table keyed by 项目编码: where its header row is and which column holds what."""

    index: int
    table: RawTable
    header: int  # position in ``table.rows``
    columns: dict[str, int]
    units: dict[str, str]  # amount role → 元 / 万元

    @property
    def is_project(self) -> bool:
        return "project" in self.columns and not _PROJECT_EVIDENCE.isdisjoint(self.columns)

    @property
    def is_indicator(self) -> bool:
        return "name" in self.columns and "value" in self.columns

    @property
    def name(self) -> str:
        return self.table.name or f"#{self.index + 1}"

    def body(self) -> Sequence[RawRow]:
        return self.table.rows[self.header + 1 :]


def find_layout(index: int, table: RawTable) -> Layout | None:
    """The table's header row among its opening rows, if it is a project or an indicator table."""
    vocab = labels()
    head = table.rows[:HEADER_SCAN_ROWS]
    for pos, row in enumerate(head):
        columns: dict[str, int] = {}
        units: dict[str, str] = {}
        for cell in row.cells:
            if not cell.text or cell.origin is not None or len(cell.text) > _LABEL_MAX:
                continue
            role, unit = vocab.role(cell.text)
            if role is not None and role not in columns:
                columns[role] = cell.column
                if unit:
                    units[role] = unit
        if "code" not in columns:
            continue
        declared = next((u for r in reversed(head[:pos]) if (u := vocab.declared_unit(r))), "元")
        units = {role: units.get(role, declared) for role in _AMOUNT_ROLES if role in columns}
        layout = Layout(index, table, pos, columns, units)
        if layout.is_project or layout.is_indicator:
            return layout
    return None


@frozen
class Relational:
    """What this stage read from one document."""

    sheets: tuple[GoalSheet, ...] = ()
    claimed: frozenset[int] = frozenset()
    joins: tuple[str, ...] = ()  # tables recognised as the join of the two, claimed and not read again
    skipped: int = 0  # indicator rows with neither 三级 nor 指标值 (an empty slot of the template)


def read_relational(doc: RawDocument) -> tuple[list[GoalSheet], frozenset[int]]:
    """The sheets read from relational tables, and the indices of the tables they claimed."""
    found = read(doc)
    return list(found.sheets), found.claimed


def read(doc: RawDocument) -> Relational:
    """Every project of the document's keyed tables as a sheet, with what was claimed and skipped."""
    if doc.kind == "text":  # one text, never a set of keyed tables
        return Relational()
    layouts = [layout for i, table in enumerate(doc.tables) if (layout := find_layout(i, table)) is not None]
    if not any(layout.is_indicator for layout in layouts):
        return Relational()  # a project list without indicators is no goal sheet; leave it to the sheet parser
    projects = [x for x in layouts if x.is_project and not x.is_indicator]
    indicators = [x for x in layouts if x.is_indicator and not x.is_project]
    joined = [x for x in layouts if x.is_project and x.is_indicator]
    if indicators:
        joins, apart = _joins(joined, indicators)
        sheets, skipped = _assemble(projects or joins, indicators)
    else:  # the join is all there is: it is its own project and indicator table
        joins, apart = [], []
        sheets, skipped = _assemble(projects or joined, joined)
    for layout in apart:
        extra, extra_skipped = _assemble([layout], [layout])
        sheets.extend(_conflicting(extra, sheets, layout, indicators))
        skipped += extra_skipped
    claimed = frozenset(x.index for x in layouts)
    return Relational(tuple(sheets), claimed, tuple(x.name for x in joins), skipped)


def _joins(joined: list[Layout], indicators: list[Layout]) -> tuple[list[Layout], list[Layout]]:
    """Split the tables with both project and indicator columns into joins of the indicator tables
    (every (code, 三级, 指标值) row of theirs is in the indicator tables) and tables that say more."""
    if not joined:
        return [], []
    known = Counter(_row_keys(indicators))
    joins: list[Layout] = []
    apart: list[Layout] = []
    for layout in joined:
        (apart if Counter(_row_keys([layout])) - known else joins).append(layout)
    return joins, apart


def _row_keys(layouts: list[Layout]) -> Iterator[tuple[str, str, str]]:
    for layout in layouts:
        cols = layout.columns
        for code, _, row in _coded_rows(layout):
            yield code, _text(row, cols["name"]), _value_text(row, cols)


def _conflicting(extra: list[GoalSheet], sheets: list[GoalSheet], layout: Layout, indicators: list[Layout]
                 ) -> Iterator[GoalSheet]:  # fmt: skip
    """A table with both kinds of columns that is not the join: read on its own, never silently merged."""
    codes = {s.header_field("项目编码") for s in sheets}
    others = "、".join(x.name for x in indicators)
    for sheet in extra:
        if sheet.header_field("项目编码") in codes:
            problem = ParseProblem(
                "PRS002",
                f"工作表「{layout.name}」同时有项目列和指标列，但其指标与「{others}」不一致，已单独读取",
                f"worksheet {layout.name!r} has project and indicator columns but its indicators differ from "
                f"{others!r}; read on its own",
                sheet.location,
            )
            yield _with_problem(sheet, problem)
        else:
            yield sheet


# ---------------------------------------------------------------- assembling the sheets


@dataclass
class _Rows:
    """The indicator rows of one code while they are read."""

    first: Location  # the code cell of its first row
    indicators: list[Indicator] = field(default_factory=list)
    groups: list[tuple[str, str]] = field(default_factory=list)
    levels: tuple[str, str] = ("", "")
    columns: tuple[str, ...] = ()  # the indicator table's column roles (GoalSheet.columns)


def _assemble(project_layouts: list[Layout], indicator_layouts: list[Layout]) -> tuple[list[GoalSheet], int]:
    """One sheet per project (in the project table's order), then one per code that only has indicators."""
    projects = _projects(project_layouts)
    rows, skipped = _indicators(indicator_layouts)
    sheets = []
    for code, sheet in projects:
        found = rows.pop(code, None) if code else None
        if found is None:
            sheets.append(sheet)
        else:
            sheets.append(
                replace(sheet, indicators=tuple(found.indicators), groups=tuple(found.groups), columns=found.columns)
            )
    sheets.extend(_orphan(code, found) for code, found in rows.items())
    return sheets, skipped


def _orphan(code: str, found: _Rows) -> GoalSheet:
    problem = ParseProblem(
        "PRS002",
        f"项目编码「{code}」的指标在项目表中没有对应的项目，已按编码单独列出",
        f"the indicators of project code {code} have no row in the project table; listed under the code",
        found.first,
    )
    return GoalSheet(
        project=code,
        location=found.first,
        header=(("项目编码", code),),
        indicators=tuple(found.indicators),
        groups=tuple(found.groups),
        problems=(problem,),
        columns=found.columns,
    )


def _projects(layouts: list[Layout]) -> list[tuple[str, GoalSheet]]:
    """Each project row as a sheet without indicators, keyed by code ('' when the row has none)."""
    out: list[tuple[str, GoalSheet]] = []
    first_row: dict[str, int] = {}
    for layout in layouts:
        joined = layout.is_indicator  # a join repeats the project on every indicator row: the first one counts
        for code, code_location, row in _coded_rows(layout, carry=joined):
            if code in first_row:
                if not joined:
                    at = first_row[code]
                    out[at] = (code, _with_problem(out[at][1], _duplicate(code, code_location)))
                continue
            sheet = _project_sheet(code, code_location, row, layout)
            if not code:
                if sheet.project and label_key(sheet.project) not in _SUM_ROWS:
                    out.append(("", _with_problem(sheet, _no_code(sheet))))
                continue
            first_row[code] = len(out)
            out.append((code, sheet))
    return out


def _project_sheet(code: str, code_location: Location, row: RawRow, layout: Layout) -> GoalSheet:
    cols = layout.columns
    name_cell = row.at(cols.get("project"))
    project = tidy(name_cell.text) if name_cell else ""
    header = [(fld, text) for role, fld in _HEADER_FIELDS if (text := tidy(_text(row, cols.get(role))))]
    # 政策依据/测算依据 are columns of the export's record, not the 申报表's text block: kept in the header,
    # so that the block's rules (保证措施/实施计划 present, FEAS001) do not judge a form that has no block.
    header += [(fld, text) for role, fld in _TEXT_FIELDS if (text := _text(row, cols.get(role)))]
    return GoalSheet(
        project=project or code,
        location=name_cell.location if name_cell and project else code_location,
        header=tuple(header),
        funding=_funding(row, layout),
        goals=split_goals(_text(row, cols.get("goal"))),
    )


def _funding(row: RawRow, layout: Layout) -> Funding | None:
    """本年金额 (the year's money, what the rules call 年度资金总额), else 项目总金额."""
    roles = [role for role in _AMOUNT_ROLES if role in layout.columns]
    if not roles:
        return None
    for role in roles:
        cell = row.at(layout.columns[role])
        text = cell.text.strip() if cell else ""
        if cell is not None and text:
            # 164万元 written in the cell: parse_amount has already turned it into 元.
            unit = "元" if _WAN_IN_CELL.search(text) or text.endswith("元") else layout.units[role]
            return Funding(total=parse_amount(text), unit=unit, total_raw=text, location=cell.location)
    return Funding(total=None, unit=layout.units[roles[0]])


def _indicators(layouts: list[Layout]) -> tuple[dict[str, _Rows], int]:
    by_code: dict[str, _Rows] = {}
    skipped = 0
    for layout in layouts:
        cols = layout.columns
        for code, code_location, row in _coded_rows(layout):
            if not code:
                skipped += 1  # an indicator row that names no project cannot be placed
                continue
            found = by_code.get(code)
            if found is None:
                found = by_code[code] = _Rows(code_location, columns=tuple(cols))
            level1, level2, written = _carry_levels(
                found, _text(row, cols.get("level1")), _text(row, cols.get("level2"))
            )
            if level1 and level2 and (level1, level2) not in found.groups:
                found.groups.append((level1, level2))
            name, value = _text(row, cols["name"]), _value_text(row, cols)
            if not name and not value:
                skipped += 1
                continue
            found.indicators.append(_indicator(row, cols, indicator_name(name), value, (level1, level2, written)))
    return by_code, skipped


def _indicator(row: RawRow, cols: dict[str, int], name: str, value: str,
               levels: tuple[str | None, str | None, str | None]) -> Indicator:  # fmt: skip
    name_cell = row.at(cols["name"])
    return Indicator(
        level1=levels[0],
        level2=levels[1],
        name=name,
        value=indicator_value(name, value),
        location=_cell_location(row, cols["value"]),
        name_location=name_cell.location if name_cell else None,
        weight=_weight(row, cols),
        direction=direction_of(_text(row, cols.get("direction"))),
        explanation=_text(row, cols.get("explanation")) or None,
        written_level1=levels[2],
        value_type=declared_type(_text(row, cols.get("comparator"))),
    )


def _coded_rows(layout: Layout, *, carry: bool = True) -> Iterator[tuple[str, Location, RawRow]]:
    """Each body row with its code; a blank code continues the row above (exports print it once)."""
    code_col = layout.columns["code"]
    code, location = "", layout.table.rows[layout.header].location
    for row in layout.body():
        cell = row.at(code_col)
        if cell is not None and cell.text.strip():
            code, location = _code(cell.text), cell.location
        elif not carry:
            code, location = "", row.location
        yield code, location, row


@lru_cache(maxsize=4096)
def _code(text: str) -> str:
    """Codes compare without spaces, full-width digits as ASCII."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _carry_levels(found: _Rows, t1: str, t2: str) -> tuple[str | None, str | None, str | None]:
    """A blank 一级/二级 repeats the row above within one project, as a merged column reads."""
    if not t1 and not t2:
        t1, t2 = found.levels
    elif not t1:
        t1 = found.levels[0]
    found.levels = (t1, t2)
    return place_levels(t1, t2)


@lru_cache(maxsize=1024)
def place_levels(t1: str, t2: str) -> tuple[str | None, str | None, str | None]:
    """(一级, 二级, 一级 as written when it is not the 二级's parent), as the sheet parser places them:
    a known 二级 sits under its parent (产出/成本 → 产出指标/成本指标), and a 二级 name standing in the
    一级 column is read as the 二级 it is."""
    fw = names()
    canon1 = fw.canon_level1(t1) if t1 else None
    as_level1 = None
    if t1 and canon1 is None and not t2 and fw.canon_level2(t1) is not None:
        t2, as_level1 = t1, tidy(t1)
    printed = canon1 or (tidy(t1) if t1 and as_level1 is None else None)
    if not t2:
        return printed, None, None
    canon2 = fw.canon_level2(t2)
    if canon2 is None:
        return printed, tidy(t2), None
    parents = fw.parents.get(canon2, frozenset())
    level1 = next(iter(parents)) if printed not in parents and len(parents) == 1 else printed
    return level1, canon2, as_level1 or (printed if level1 != printed else None)


# ---------------------------------------------------------------- cells


def _text(row: RawRow, column: int | None) -> str:
    # .strip() drops the stray tabs and newlines of exported cells (不适用\t\n).
    cell = row.at(column)
    return cell.text.strip() if cell else ""


def _cell_location(row: RawRow, column: int) -> Location:
    """The cell's location, also for an empty cell (the reader keeps only cells with text)."""
    cell: RawCell | None = row.at(column)
    if cell is not None:
        return cell.location
    where = row.location
    if where.line is None or where.sheet is None:
        return where
    return Location(where.file, sheet=where.sheet, cell=f"{column_letter(column)}{where.line}")


def _value_text(row: RawRow, cols: dict[str, int]) -> str:
    return joined_value(_text(row, cols["value"]), _text(row, cols.get("comparator")), _text(row, cols.get("unit")))


def _weight(row: RawRow, cols: dict[str, int]) -> Decimal | None:
    return parse_amount(_text(row, cols["weight"])) if "weight" in cols else None


# ---------------------------------------------------------------- problems


def _with_problem(sheet: GoalSheet, problem: ParseProblem) -> GoalSheet:
    return replace(sheet, problems=(*sheet.problems, problem))


def _duplicate(code: str, location: Location) -> ParseProblem:
    return ParseProblem(
        "PRS002",
        f"项目编码「{code}」在项目表中重复出现（{location.short()}），只读取第一行",
        f"project code {code} appears again in the project table ({location.short()}); the first row is read",
        location,
    )


def _no_code(sheet: GoalSheet) -> ParseProblem:
    return ParseProblem(
        "PRS002",
        f"项目「{sheet.project}」没有项目编码，无法关联指标",
        f"project '{sheet.project}' has no project code, so no indicator can be joined to it",
        sheet.location,
    )


__all__ = ["Layout", "Relational", "find_layout", "place_levels", "read", "read_relational"]

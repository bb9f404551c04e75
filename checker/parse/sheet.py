"""RawDocument → GoalSheets, by names and labels (rules/frameworks/vocabulary.yaml), not by positions.

One pass over the rows of each table with a small state machine:
``outside`` → (项目名称) → ``header`` → (一级指标 … 指标值 header row) → ``table`` → next 项目名称 or
a row that is not part of the table. A header row met outside any sheet opens one too, named by the
title above it (…绩效目标表) or by the worksheet. The header may take two rows: 长期 | 年度 under a merged
指标值, or 中期目标 | 年度目标 over two groups of columns; the annual column is the value, the long-term one
``Indicator.long_term``, and a value-like column that fits neither is reported (PRS010), never dropped.

Indicator levels come from the names in the cells: a 二级 name that cannot sit under the 一级 written
beside it is re-parented by the frameworks (the seed's 可持续影响指标 printed in the 满意度 block belongs to
效益指标); 产出数量指标 in the 一级 column is read as both levels.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache

from checker.frameworks import Names, names
from checker.frozen import frozen
from checker.lazyre import lazy
from checker.model import Funding, GoalSheet, Indicator, Location, ParseProblem, ValueKind
from checker.parse.values import declared_type, direction_of, indicator_value, joined_value, parse_amount, parse_value
from checker.readers.raw import RawCell, RawRow, RawTable
from checker.text import clean, indicator_name, label_key, loose_key, tidy
from checker.vocabulary import Vocabulary, vocabulary

_JOIN_FRAGMENT_MAX = 4
_GOAL_SPLIT = lazy(r"(?:目标\s*[0-9一二三四五六七八九十]+\s*[:：、.．]|(?<![0-9.])[0-9]{1,2}\s*[.、．](?![0-9]))\s*")
# A sheet's title (XX单位2024年项目支出绩效目标表) names a sheet that has no 项目名称 row.
_TITLE = lazy(r"绩效(?:目标|指标)(?:[申批]报|批复|评价指标)?表")
_TITLE_MAX = 60
_LABEL_MAX = 40  # no column label or column-group word is longer; longer cells are never looked up
# 效益指标-社会效益指标: the separators people put between the two levels written in one cell.
_LEVEL_SEPARATORS = lazy(r"[-_/|、:·]")
_VALUE_ROLES = ("value", "long_term")


@dataclass
class SheetBuilder:
    """Mutable state while one sheet is read; frozen into a GoalSheet at the end."""

    project: str
    location: Location
    header: dict[str, str] = field(default_factory=dict)
    funding_unit: str | None = None
    page_unit: str | None = None  # 单位：元 above the sheet, when the block declares another unit
    total: Decimal | None = None
    total_raw: str | None = None
    funding_location: Location | None = None
    sources: dict[str, Decimal] = field(default_factory=dict)
    goal_text: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    groups: list[tuple[str, str]] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    last_text_field: str | None = None
    columns: dict[str, int] = field(default_factory=dict)
    level1: str | None = None
    level2: str | None = None
    printed_level1: str | None = None
    level2_as_level1: str | None = None
    written_level1: str | None = None
    blank_since_indicator: bool = False
    level2_fresh: bool = False  # a 二级 name was just read and no indicator after it yet
    level1_fresh: bool = False  # a 一级 name was just read and nothing after it yet
    # Opened by a 项目名称 label. A sheet opened by its title or by a header row alone is one only when
    # indicators were read under it: a stray header row or title must not make an empty sheet.
    anchored: bool = True
    unplaced: dict[int, RawCell] = field(default_factory=dict)  # value-like columns no role took

    def is_goal_sheet(self) -> bool:
        """A 项目名称 row starts many budget tables; only one followed by goal-sheet parts is a sheet."""
        if not self.anchored:
            return bool(self.indicators)
        return bool(self.columns or self.total is not None or self.goal_text)

    def build(self) -> GoalSheet:
        funding = None
        if self.total is not None or self.sources or self.funding_unit is not None:
            funding = Funding(
                total=self.total,
                unit=self.funding_unit or None,
                sources=tuple(self.sources.items()),
                total_raw=self.total_raw,
                location=self.funding_location,
                page_unit=self.page_unit,
            )
        return GoalSheet(
            project=self.project,
            location=self.location,
            header=tuple(self.header.items()),
            funding=funding,
            goals=split_goals(" ".join(self.goal_text)),
            texts=tuple(self.texts.items()),
            indicators=tuple(self.indicators),
            groups=tuple(self.groups),
            problems=tuple(self.problems),
            columns=tuple(self.columns),
        )


def split_goals(text: str) -> tuple[str, ...]:
    """``目标 1：…目标 2：…`` or ``1. … 2. …`` → one entry per numbered goal."""
    text = tidy(text)
    if not text:
        return ()
    parts = [p.strip(" ；;。") for p in _GOAL_SPLIT.split(text)]
    goals = tuple(p for p in parts if p)
    return goals or (text,)


def parse_table(table: RawTable, source: str) -> list[GoalSheet]:
    """Every goal sheet in one table (a worksheet, a Word table or a text), found by its labels."""
    return _GridReader(table).run()


class _GridReader:
    """The state machine of one table: ``outside`` → ``header`` → ``table`` (or ``flat``)."""

    def __init__(self, table: RawTable) -> None:
        self.table = table
        self.vocab, self.fw = vocabulary(), names()
        self.sheets: list[GoalSheet] = []
        self.current: SheetBuilder | None = None
        self.state = "outside"
        self.pending_unit: str | None = None  # 金额单位：万元 printed above the sheet
        self.pending_unit_at: Location | None = None
        self.flat_roles: dict[str, int] = {}
        self.title: RawCell | None = None  # the last title seen outside a sheet

    def finish(self) -> None:
        current = self.current
        if current is not None and current.is_goal_sheet():
            settle_unit(current, self.pending_unit, self.pending_unit_at)
            self.sheets.append(current.build())

    def run(self) -> list[GoalSheet]:
        rows = self.table.rows
        last_line: int | None = None
        stopped: ParseProblem | None = None
        skip_to = 0
        for index, row in enumerate(rows):
            if index < skip_to:
                continue  # the second row of a two-row header
            cells = row.non_empty()
            if not cells:
                if self.current is not None and self.state in ("table", "flat"):
                    self.current.blank_since_indicator = True
                continue
            line = row.location.line
            if (
                line is not None
                and last_line is not None
                and line - last_line > MAX_EMPTY_RUN + 1
                and (self.sheets or (self.current is not None and self.current.is_goal_sheet()))
            ):
                stopped = _stopped_at(last_line, row)
                break
            last_line = line if line is not None else last_line
            skip_to = index + 1 + self.row(rows, index, cells)
        self.finish()
        if stopped is not None and self.sheets:
            last = self.sheets[-1]
            self.sheets[-1] = replace(last, problems=(*last.problems, stopped))
        return self.sheets

    def row(self, rows: tuple[RawRow, ...], index: int, cells: list[RawCell]) -> int:
        """Read one non-empty row; returns how many rows after it were read with it (a header's second)."""
        vocab, row = self.vocab, rows[index]
        unit = declared_unit(cells)
        if unit and self.state in ("outside", "flat"):
            self.pending_unit, self.pending_unit_at = unit, row.location
        if self.state == "flat":
            self.current = _flat_row(self.current, row, self.flat_roles, vocab, self.fw, self.finish)
            return 0
        roles = _column_roles(row, vocab) if self.state != "table" else None
        if roles is not None and "project" in roles:
            self.finish()
            self.current, self.state, self.flat_roles = None, "flat", roles
            return 0
        originals = [c for c in cells if c.origin is None]
        first = originals[0] if originals else cells[0]
        label, value = inline_label(first, vocab)
        if vocab.header.get(label) == "项目名称":
            self.project_row(originals, first, value)
            return 0
        if self.state == "table":
            if _table_row(self.current, row, vocab, self.fw):  # type: ignore[arg-type]
                return 0
            self.finish()
            self.current, self.state = None, "outside"
            return self.row(rows, index, cells)  # the row that ends a table may open the next (its title)
        header = _table_header(rows, index, roles, vocab)
        if header is not None:
            self.start_table(header, first)
            return header.extra_rows
        if self.current is not None:
            read_header_cells(self.current, originals, vocab)
        elif self.title is not None and _opens_header(first, vocab):
            # 主管部门, 项目资金 … under a title with no 项目名称 row: the sheet is named by its title.
            self.current = SheetBuilder(project=tidy(self.title.text), location=self.title.location, anchored=False)
            self.state, self.title = "header", None
            read_header_cells(self.current, originals, vocab)
        elif len(originals) == 1 and _is_title(first.text):
            self.title = first
        return 0

    def project_row(self, originals: list[RawCell], first: RawCell, value: str | None) -> None:
        vocab = self.vocab
        if value is None:
            after = _value_after(originals, 0, vocab)
            value = tidy(after.text) if after else ""
        current = self.current
        if current is not None and not current.anchored and not current.columns:
            # The sheet was opened by its title: this row names it.
            current.project, current.location, current.anchored = value, first.location, True
        else:
            self.finish()
            # The 项目名称 label cell: a line in a text extract, a worksheet cell in a workbook.
            current = self.current = SheetBuilder(project=value, location=first.location)
        self.state, self.title = "header", None
        rest = originals[2:] if len(originals) > 1 and inline_label(originals[0], vocab)[1] is None else originals[1:]
        read_header_cells(current, rest, vocab)

    def start_table(self, header: _Header, first: RawCell) -> None:
        if self.current is None:
            # A header row with no 项目名称 above it: the title names the sheet, else the worksheet.
            title = self.title
            project = tidy(title.text) if title is not None else tidy(self.table.name or "")
            location = title.location if title is not None else first.location
            self.current = SheetBuilder(project=project, location=location, anchored=False)
            self.title = None
        self.current.columns = header.roles
        self.current.unplaced = dict(header.unplaced)
        self.state = "table"


# A goal sheet never has a thousand empty rows inside it; past such a gap after a sheet, whatever follows
# (stray notes, a pasted copy, junk far down an export) is not read, and the sheet says so (PRS003).
MAX_EMPTY_RUN = 1000


def _is_title(text: str) -> bool:
    key = label_key(text)
    return len(key) <= _TITLE_MAX and _TITLE.search(key) is not None


def _opens_header(cell: RawCell, vocab: Vocabulary) -> bool:
    """A header-block label (主管部门, 项目资金, 年度目标 …) that can open a sheet under its title."""
    return vocab.is_label(inline_label(cell, vocab)[0])


def _stopped_at(last_line: int, row: RawRow) -> ParseProblem:
    sheet = row.location.sheet
    return ParseProblem(
        "PRS003",
        f"{f'工作表「{sheet}」' if sheet else ''}第 {last_line} 行之后连续 {MAX_EMPTY_RUN} 行以上为空，"
        f"第 {row.location.line} 行起的内容未读取",
        f"{f'worksheet {sheet!r}: ' if sheet else ''}over {MAX_EMPTY_RUN} empty rows after row {last_line}; "
        f"nothing from row {row.location.line} on was read",
        row.location,
    )


# 单位：元 within this many rows above a sheet heads it; further up it heads a budget table before it.
UNIT_ROWS = 12


def settle_unit(b: SheetBuilder, page_unit: str | None, unit_at: Location | None = None) -> None:
    """The page's 单位：元 is the sheet's unit when the funding block declares none; when the block
    declares another and the page's stands right above the sheet, the block's stands and the page's is
    kept as a contradiction (a disclosure's 单位：万元 over its budget tables pages before is not)."""
    if not page_unit:
        return
    if b.funding_unit in (None, ""):
        b.funding_unit = page_unit
        return
    unit_row, sheet_row = (unit_at.row if unit_at else None), b.location.row
    near = unit_row is not None and sheet_row is not None and 0 <= sheet_row - unit_row <= UNIT_ROWS
    if b.funding_unit != page_unit and near:
        b.page_unit = page_unit


def declared_unit(cells: list[RawCell]) -> str | None:
    """金额单位：万元 / 单位：元 anywhere in a row."""
    for cell in cells:
        if "单位" not in cell.text:
            continue
        key = label_key(cell.text)
        for prefix in ("金额单位", "单位"):
            if key.startswith(prefix) and key[len(prefix) :] in ("元", "万元"):
                return key[len(prefix) :]
    return None


def inline_label(cell: RawCell, vocab: Vocabulary) -> tuple[str, str | None]:
    """``项目名称：示例项目`` in one cell → (label key, value); a plain label → (key, None)."""
    key = label_key(cell.text)
    if vocab.is_label(key) or key in vocab.header:
        return key, None
    text = clean(cell.text)
    for sep in (":", "："):
        if sep in text:
            head, tail = text.split(sep, 1)
            head_key = label_key(head)
            if tail.strip() and (head_key in vocab.header or vocab.is_label(head_key)):
                return head_key, tidy(cell.text.split(sep, 1)[1] if sep in cell.text else tail)
    return key, None


def _flat_row(current: SheetBuilder | None, row: RawRow, roles: dict[str, int], vocab: Vocabulary, fw: Names,
              finish: Callable[[], None]) -> SheetBuilder | None:  # fmt: skip
    """One row of a flat export: the project column (repeated or left blank below) says whose row it is."""
    project = tidy(_text(row, roles.get("project")))
    if project and (current is None or project != current.project):
        finish()
        cell = _cell(row, roles.get("project"))
        current = SheetBuilder(project=project, location=cell.location if cell else row.location)
        current.columns = roles
    if current is None:
        return None
    total_cell = _cell(row, roles.get("total"))
    if total_cell is not None and current.total is None and total_cell.text.strip():
        current.total, current.total_raw = parse_amount(total_cell.text), total_cell.text.strip()
        current.funding_location = total_cell.location
        current.funding_unit = "万元" if "total_in_wan" in roles else current.funding_unit
    goal = _text(row, roles.get("goal"))
    if goal and goal not in current.goal_text:
        current.goal_text.append(goal)
    for role, field_name in (("department", "主管部门"), ("unit_name", "实施单位")):
        text = tidy(_text(row, roles.get(role)))
        if text and field_name not in current.header:
            current.header[field_name] = text
    _table_row(current, row, vocab, fw, flat=True)
    return current


def _value_after(cells: list[RawCell], index: int, vocab: Vocabulary) -> RawCell | None:
    for cell in cells[index + 1 :]:
        if not vocab.is_label(label_key(cell.text)):
            return cell
        return None
    return None


@lru_cache(maxsize=4096)
def indicator_column_role(text: str) -> str | None:
    """The role an indicator-table header label names (三级指标 → name), also under the loosening rules
    (指标值（必填）, 一级指标(30分)). Cached: every row or cell outside a table is tried as a header."""
    if len(text) > _LABEL_MAX:
        return None
    columns = vocabulary().columns
    return columns.get(label_key(text)) or columns.get(loose_key(text))


def _column_role(text: str) -> str | None:
    """As :func:`indicator_column_role`, plus the project columns of a flat export (项目名称 …)."""
    return indicator_column_role(text) or (
        vocabulary().flat_columns.get(label_key(text)) if len(text) <= _LABEL_MAX else None
    )


@lru_cache(maxsize=4096)
def _group_of(text: str) -> str | None:
    return vocabulary().group_of(text)


def _column_roles(row: RawRow, vocab: Vocabulary) -> dict[str, int] | None:
    """The indicator table's header row: which column holds 一级, 二级, 三级, 指标值 … (by label)."""
    roles: dict[str, int] = {}
    for cell in row.cells:
        if cell.origin is not None:
            continue
        role = _column_role(cell.text)
        if role and role not in roles:
            roles[role] = cell.column
            if role == "total" and "万元" in cell.text:
                roles["total_in_wan"] = cell.column
    if "value" not in roles and "project" not in roles and ("name" in roles or "level2" in roles):
        # 长期目标 | 年度目标 as the value columns of a one-row header: the annual one is the value.
        annual = next((c for c in row.cells if c.origin is None and _group_of(c.text) == "annual"), None)
        if annual is not None:
            roles["value"] = annual.column
    if "value" in roles and ("name" in roles or "level2" in roles):
        return roles
    return None


@frozen
class _Header:
    """The indicator table's header: the column of each role, value-like columns no role took, and how
    many rows after the first it spans (1 for a two-row header)."""

    roles: dict[str, int]
    unplaced: tuple[tuple[int, RawCell], ...]
    extra_rows: int = 0


def _table_header(rows: tuple[RawRow, ...], index: int, roles: dict[str, int] | None,
                  vocab: Vocabulary) -> _Header | None:  # fmt: skip
    """The header starting at ``rows[index]`` (whose one-row roles are ``roles``), or None."""
    row = rows[index]
    below = rows[index + 1] if index + 1 < len(rows) else None
    if roles is None:
        # 中期目标 | 年度目标 over two groups of columns, their role labels in the row below.
        if below is None or not _is_group_row(row, vocab):
            return None
        below_roles = _column_roles(below, vocab)
        if below_roles is None or "project" in below_roles:
            return None
        return _grouped_header(row, below, vocab)
    if below is not None and _is_subheader_row(below, vocab):
        return _grouped_header(row, below, vocab) or _Header(roles, _unplaced([row], roles, vocab))
    return _Header(roles, _unplaced([row], roles, vocab))


def _is_group_row(row: RawRow, vocab: Vocabulary) -> bool:
    """Every label a column group (中期目标, 年度目标) or a role (一级指标 merged down two rows)."""
    groups = 0
    for cell in row.cells:
        if cell.origin is not None or not cell.text.strip():
            continue
        if _group_of(cell.text) is not None:
            groups += 1
        elif _column_role(cell.text) is None and label_key(cell.text) not in vocab.indicator_block:
            return False
    return groups > 0


def _is_subheader_row(row: RawRow, vocab: Vocabulary) -> bool:
    """长期 | 年度 (or 2021年实际实现值 | 预期2022年实现值) under the value columns: names, not an indicator."""
    labels = [c.text for c in row.cells if c.origin is None and c.text.strip()]
    return bool(labels) and all(_group_of(t) is not None or vocab.is_subheader(t) for t in labels)


def _grouped_header(top: RawRow, bottom: RawRow, vocab: Vocabulary) -> _Header | None:
    """Two header rows read column by column: a role label and a group label (either above the other)."""
    placed = [p for column in _header_columns(top, bottom) if (p := _grouped_column(top, bottom, column, vocab))]
    roles: dict[str, int] = {}
    # The annual group's columns first: its 指标值 is the value even when a column without a group (2021年实际
    # 实现值 beside 预期2022年实现值) comes before it.
    for role, group, column in sorted(placed, key=lambda p: p[1] != "annual"):
        if group != "long_term":
            roles.setdefault(role, column)
    for role, group, column in placed:
        if group == "long_term":
            roles.setdefault("long_term" if role in _VALUE_ROLES else f"long_term_{role}", column)
    if "value" not in roles or ("name" not in roles and "level2" not in roles):
        return None
    return _Header(roles, _unplaced([top, bottom], roles, vocab), extra_rows=1)


def _header_columns(top: RawRow, bottom: RawRow) -> list[int]:
    return sorted({c.column for c in (*top.cells, *bottom.cells) if c.text.strip()})


def _grouped_column(top: RawRow, bottom: RawRow, column: int, vocab: Vocabulary) -> tuple[str, str | None, int] | None:
    """(role, group, column) of one column of a two-row header, or None when its labels say neither."""
    upper, lower = _cell_text(top, column), _cell_text(bottom, column)
    lower_group = _group_of(lower) if lower else None
    group = lower_group or (_group_of(upper) if upper else None)
    if lower and (lower_group is not None or vocab.is_subheader(lower)):
        # 长期 | 年度 (or 2021年实际实现值) under a merged 指标值: the heading above says what the column is.
        role = _column_role(upper) if upper else None
        return (role, group, column) if role is not None else None
    if lower:
        role = _column_role(lower)  # 二级指标 | 三级指标 | 指标值 under 中期目标 / 年度目标
        return (role, group, column) if role is not None else None
    if group is not None:
        return "value", group, column  # a group heading with no label under it is one value column
    role = _column_role(upper) if upper else None
    return (role, None, column) if role is not None else None


def _cell_text(row: RawRow, column: int) -> str:
    cell = row.at(column)
    return cell.text if cell is not None else ""


def _unplaced(header: list[RawRow], roles: dict[str, int], vocab: Vocabulary) -> tuple[tuple[int, RawCell], ...]:
    """Header columns that read like values but that no role took: a third value column (2023年实际值), an
    unknown 指标值（2）, the second column of a merged 指标值 with no sub-header that says what it holds."""
    taken = set(roles.values())
    found: dict[int, RawCell] = {}
    for row in reversed(header):  # the lower row's label names the column more closely
        for cell in row.cells:
            if cell.column in taken or cell.column in found or not cell.text.strip():
                continue
            role = _column_role(cell.text)
            if role in _VALUE_ROLES or (role is None and vocab.is_value_like(label_key(cell.text))):
                found[cell.column] = cell
    return tuple(sorted(found.items()))


def read_header_cells(b: SheetBuilder, cells: list[RawCell], vocab: Vocabulary) -> None:
    cells = [c for c in cells if c.origin is None]  # a merged value counts once
    i = 0
    matched = False
    while i < len(cells):
        key, inline = inline_label(cells[i], vocab)
        if inline is not None and (key in vocab.header or key in vocab.texts or vocab.total_unit(key) is not None
                                   or key in vocab.sources):  # fmt: skip
            _store(b, key, RawCell(inline, cells[i].column, cells[i].location), vocab)
            matched = True
            i += 1
            continue
        unit = vocab.funding_unit(key)
        if unit is not None:
            b.funding_unit = unit or b.funding_unit
            matched = True
            after = cells[i + 1] if i + 1 < len(cells) else None
            if after is not None and b.total is None and parse_amount(after.text) is not None:
                # 项目资金（万元） | 318.4: the block's own amount, with no 年度资金总额 label, is the total.
                _store(b, "年度资金总额", after, vocab)
                i += 1
        elif vocab.total_unit(key) is not None or key in vocab.sources or key in vocab.header or key in vocab.texts:
            value = _value_after(cells, i, vocab)
            matched = True
            if value is not None:
                i += 1
                _store(b, key, value, vocab)
            elif key in vocab.texts:
                b.last_text_field = vocab.texts[key]
                # The form has the field even when it is blank: FEAS001 asks only for fields a form has.
                b.texts.setdefault(vocab.texts[key], "")
        elif key in vocab.goals:
            matched = True
            b.last_text_field = "__goals__"
            rest = [c.text for c in cells[i + 1 :]]
            b.goal_text.extend(rest)
            break
        elif key.startswith("金额单位") or key.startswith("单位万元") or key == "单位元":
            b.funding_unit = "万元" if "万元" in key else "元"
            matched = True
        i += 1
    if not matched and b.last_text_field is not None:
        # A line that wrapped in the PDF: it continues the field above it.
        text = " ".join(c.text.strip() for c in cells)
        if b.last_text_field == "__goals__":
            b.goal_text.append(text)
        else:
            b.texts[b.last_text_field] = b.texts.get(b.last_text_field, "") + text


def _store(b: SheetBuilder, key: str, cell: RawCell, vocab: Vocabulary) -> None:
    text = cell.text.strip()
    tail = vocab.total_unit(key)
    if tail is not None:
        b.total, b.total_raw, b.funding_location = parse_amount(text), text, cell.location
        if re.search(r"[0-9]\s*万元?\s*([（(][^()（）]*[)）])?\s*$", text) and b.total is not None:
            # 164万元 in the cell declares 万元: kept as written (parse_amount gave 元).
            b.total, b.funding_unit = b.total / 10000, "万元"
        elif text.endswith("元"):
            b.funding_unit = "元"
        elif tail:
            b.funding_unit = tail  # 项目预算金额（万元）
        b.last_text_field = None
    elif key in vocab.sources:
        amount = parse_amount(text)
        if amount is not None:
            b.sources[vocab.sources[key]] = amount
        b.last_text_field = None
    elif key in vocab.header:
        b.header[vocab.header[key]] = tidy(text)
        b.last_text_field = None
    else:
        b.texts[vocab.texts[key]] = text
        b.last_text_field = vocab.texts[key]


def _cell(row: RawRow, column: int | None) -> RawCell | None:
    return row.at(column)


def _text(row: RawRow, column: int | None) -> str:
    cell = _cell(row, column)
    return cell.text.strip() if cell else ""


def _table_row(b: SheetBuilder, row: RawRow, vocab: Vocabulary, fw: Names, flat: bool = False) -> bool:
    """Consume one row of the indicator table; False when the row is not part of it."""
    cols = b.columns
    name_cell, value_cell = row.at(cols.get("name")), row.at(cols["value"])
    if not flat:
        verdict = _other_row(b, row, name_cell, value_cell, vocab, fw)
        if verdict is not None:
            return verdict
    t1, t2 = _text(row, cols.get("level1")), _text(row, cols.get("level2"))
    name, value_text = name_cell.text.strip() if name_cell else "", _joined_value(row, cols)
    long_text = _long_term_value(row, cols) if "long_term" in cols else ""
    if not name and "long_term_name" in cols:
        name = _text(row, cols["long_term_name"])  # only the 中期 group names this row's indicator
    if b.unplaced:
        _report_unplaced(b, row)
    if t1 and not t2:
        level1, level2 = _row_levels(b, t1, fw)
        if level1 or level2:
            set_levels(b, level1, level2, fw)
    elif t2:
        set_levels(b, t1, t2, fw)
    if not name and not value_text and not long_text:
        if b.level1 and b.level2 and (b.level1, b.level2) not in b.groups:
            b.groups.append((b.level1, b.level2))
        b.blank_since_indicator = False
        return True
    if not t1 and not t2 and b.indicators and _continues_previous(b, name, value_text, long_text):
        return True
    b.blank_since_indicator = False
    if b.level1 and b.level2 and (b.level1, b.level2) not in b.groups:
        b.groups.append((b.level1, b.level2))
    location = value_cell.location if value_cell else row.location
    b.indicators.append(
        Indicator(
            level1=b.level1,
            level2=b.level2,
            name=indicator_name(name),
            value=indicator_value(name, value_text),
            location=location,
            name_location=name_cell.location if name_cell else None,
            weight=parse_amount(_text(row, cols.get("weight"))) if "weight" in cols else None,
            direction=direction_of(_text(row, cols.get("direction"))) if "direction" in cols else None,
            explanation=_text(row, cols.get("explanation")) or None,
            written_level1=b.written_level1,
            value_type=_value_type(row, cols),
            long_term=parse_value(long_text) if long_text else None,
        )
    )
    return True


def _other_row(b: SheetBuilder, row: RawRow, name_cell: RawCell | None, value_cell: RawCell | None,
               vocab: Vocabulary, fw: Names) -> bool | None:  # fmt: skip
    """A row of a form's table that holds no indicator: False when it ends the table, True when it is
    read without one (a heading, a header repeated on a new page), None for an indicator row."""
    cols = b.columns
    first_col = min(cols.values())
    # Cells left of the table (the merged 绩效指标 label) may only hold that label.
    for cell in row.non_empty():
        if cell.column < first_col and label_key(cell.text) not in vocab.indicator_block:
            return False
        if vocab.header.get(label_key(cell.text)) == "项目名称":
            return False
    if name_cell is None or value_cell is None:
        return None
    if (name_cell.origin is not None or value_cell.origin is not None) and _anchor(name_cell) == _anchor(value_cell):
        # One merged cell across name and value is no indicator: a heading, or a note under the table.
        text = name_cell.text
        levels = _level_names(text, fw)
        if levels is not None:
            set_levels(b, *levels, fw)
            return True
        return _group_of(text) is not None
    value_text = value_cell.text
    if ("值" in value_text or "目标" in value_text) and _column_role(value_text) in _VALUE_ROLES:
        # The header printed again (a new page of the form); every value label has 值 or 目标 in it.
        return _column_role(name_cell.text) == "name" or None
    return None


def _anchor(cell: RawCell) -> Location:
    return cell.origin or cell.location


def _level_names(text: str, fw: Names) -> tuple[str, str] | None:
    """A cell that names a level: (一级, ''), ('', 二级) or both from 产出数量指标."""
    if fw.canon_level1(text) is not None:
        return text, ""
    if fw.canon_level2(text) is not None:
        return "", text
    return split_combined(text)


@lru_cache(maxsize=1024)
def split_combined(text: str) -> tuple[str, str] | None:
    """产出数量指标, 效益指标-社会效益指标: both levels written in one cell (cached: a merged 一级 cell is
    read again on every row it covers, and the split tries every 一级 name)."""
    fw = names()
    combined = fw.split_combined(text)
    if combined is None:
        cleaned = clean(text)
        if _LEVEL_SEPARATORS.search(cleaned):
            combined = fw.split_combined(_LEVEL_SEPARATORS.sub("", cleaned))
    return combined


def _row_levels(b: SheetBuilder, t1: str, fw: Names) -> tuple[str, str]:
    """The 一级 and 二级 texts of a row whose 二级 cell is empty, once its 一级 cell is read for what it holds."""
    canon1 = fw.canon_level1(t1)
    if canon1 is not None:
        if canon1 == b.printed_level1 and b.level2 is not None and b.level2_as_level1 is None:
            # The 一级 repeated on every row, the 二级 cell left blank below its first row: the 二级 goes on.
            return "", ""
        return t1, ""
    if fw.canon_level2(t1) is not None:
        return t1, ""
    return split_combined(t1) or (t1, "")


def _long_term_value(row: RawRow, cols: dict[str, int]) -> str:
    """The 长期/中期 target, joined from its own 指标性质/度量单位 columns when its group has them."""
    group = {"value": cols["long_term"]}
    for role in ("comparator", "unit"):
        column = cols.get(f"long_term_{role}")
        if column is not None:
            group[role] = column
    return _joined_value(row, group)


def _report_unplaced(b: SheetBuilder, row: RawRow) -> None:
    """The first cell with text in a column no role took: the column is reported once (PRS010)."""
    for column, header in list(b.unplaced.items()):
        cell = row.at(column)
        if cell is None or cell.origin is not None or not cell.text.strip():
            continue
        del b.unplaced[column]
        label, text = tidy(header.text), tidy(cell.text)
        where, example = header.location.short(), cell.location.short()
        b.problems.append(
            ParseProblem(
                "PRS010",
                f"表头「{label}」（{where}）一列既不是年度指标值，也不是长期（中期）指标值，无法归入指标，"
                f"该列内容未读取（如 {example}「{text}」）",
                f"column '{label}' ({where}) is neither the annual nor the long-term value and could not be "
                f"placed; its cells were not read (e.g. {example} '{text}')",
                header.location,
            )
        )


def _value_type(row: RawRow, cols: dict[str, int]) -> str | None:
    return declared_type(_text(row, cols.get("comparator"))) if "comparator" in cols else None


def _joined_value(row: RawRow, cols: dict[str, int]) -> str:
    comparator = _text(row, cols.get("comparator")) if "comparator" in cols else ""
    unit = _text(row, cols.get("unit")) if "unit" in cols else ""
    return joined_value(_text(row, cols["value"]), comparator, unit)


def set_levels(b: SheetBuilder, t1: str, t2: str, fw: Names) -> None:
    if t1:
        b.level2_as_level1 = None
        canon1 = fw.canon_level1(t1)
        if canon1 is None and not t2 and fw.canon_level2(t1) is not None:
            # A 二级 name standing in the 一级 column (STRUCT-007): read it as the 二级 it is.
            t2 = t1
        b.printed_level1 = canon1 or (None if t2 == t1 else tidy(t1))
        b.level1, b.level2, b.written_level1 = b.printed_level1, None, None
        if t2 == t1:
            b.level2_as_level1 = tidy(t1)
    if t2:
        canon2 = fw.canon_level2(t2)
        if canon2 is None:
            b.level2 = tidy(t2)
            return
        parents = fw.parents.get(canon2, frozenset())
        if b.printed_level1 in parents:
            b.level1 = b.printed_level1
        elif len(parents) == 1:
            # Placed by its name: the frameworks allow this 二级 under one 一级 only.
            b.level1 = next(iter(parents))
        b.written_level1 = b.printed_level1 if b.level1 != b.printed_level1 else None
        if b.level2_as_level1 is not None and t1:
            b.written_level1 = b.level2_as_level1
        b.level2 = canon2


def _continues_previous(b: SheetBuilder, name: str, value_text: str, long_text: str = "") -> bool:
    """Join a row that a page break split off the indicator above it (公共服务能力提升 + 度)."""
    prev = b.indicators[-1]
    if name and not value_text and b.blank_since_indicator and len(clean(name)) <= _JOIN_FRAGMENT_MAX:
        joined = replace(prev, name=prev.name + tidy(name))
        b.indicators[-1] = joined
        b.problems.append(
            ParseProblem(
                "PRS002",
                f"指标名称跨页断开，已合并为「{joined.name}」",
                f"indicator name split across a page break; joined as '{joined.name}'",
                prev.location,
            )
        )
        b.blank_since_indicator = False
        return True
    if not name and value_text and prev.value.kind is ValueKind.EMPTY:
        long_term = parse_value(long_text) if long_text else prev.long_term
        b.indicators[-1] = replace(prev, value=indicator_value(prev.name, value_text), long_term=long_term)
        return True
    return False


__all__ = ["parse_table", "split_goals", "vocabulary"]

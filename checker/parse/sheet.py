"""RawDocument → GoalSheets, by names and labels (rules/frameworks/vocabulary.yaml), not by positions.

One pass over the rows of each table with a small state machine:
``outside`` → (项目名称) → ``header`` → (一级指标 … 指标值 header row) → ``table`` → next 项目名称 or
a row that is not part of the table. Indicator levels come from the names in the cells: a 二级 name
that cannot sit under the 一级 written beside it is re-parented by the frameworks (the seed's
可持续影响指标 printed in the 满意度 block belongs to 效益指标).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache

from checker.frameworks import Names, names
from checker.model import Direction, Funding, GoalSheet, Indicator, Location, ParseProblem, ValueKind
from checker.parse.normalize import clean, label_key, tidy
from checker.parse.values import parse_amount, parse_value
from checker.readers.raw import RawCell, RawRow, RawTable
from checker.resources import shipped_yaml

_JOIN_FRAGMENT_MAX = 4
_GOAL_SPLIT = re.compile(
    r"(?:目标\s*[0-9一二三四五六七八九十]+\s*[:：、.．]|(?<![0-9.])[0-9]{1,2}\s*[.、．](?![0-9]))\s*"
)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    header: dict[str, str]
    funding_block: frozenset[str]
    funding_total: frozenset[str]
    sources: dict[str, str]
    texts: dict[str, str]
    goals: frozenset[str]
    indicator_block: frozenset[str]
    columns: dict[str, str]
    flat_columns: dict[str, str]

    def is_label(self, key: str) -> bool:
        return (
            key in self.header
            or key in self.funding_total
            or key in self.sources
            or key in self.texts
            or key in self.goals
            or self.funding_unit(key) is not None
        )

    def funding_unit(self, key: str) -> str | None:
        """项目资金（万元） → 万元; 项目资金 → '' (a block with no declared unit); else None."""
        for block in self.funding_block:
            if key.startswith(block):
                tail = key[len(block) :]
                if tail in ("", "元", "万元"):
                    return tail
        return None


@cache
def vocabulary() -> Vocabulary:
    data = shipped_yaml("frameworks/vocabulary.yaml")

    def inverse(mapping: dict[str, list[str]]) -> dict[str, str]:
        return {label_key(alias): canon for canon, aliases in mapping.items() for alias in [canon, *aliases]}

    return Vocabulary(
        header=inverse(data["header_fields"]),
        funding_block=frozenset(label_key(x) for x in data["funding_block"] if not x.endswith("元")),
        funding_total=frozenset(label_key(x) for x in data["funding_total"]),
        sources=inverse(data["funding_sources"]),
        texts=inverse(data["text_fields"]),
        goals=frozenset(label_key(x) for x in data["goal_labels"]),
        indicator_block=frozenset(label_key(x) for x in data["indicator_block"]),
        columns=inverse(data["columns"]),
        flat_columns=inverse(data["flat_columns"]),
    )


@dataclass
class _Builder:
    """Mutable state while one sheet is read; frozen into a GoalSheet at the end."""

    project: str
    location: Location
    header: dict[str, str] = field(default_factory=dict)
    funding_unit: str | None = None
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

    def is_goal_sheet(self) -> bool:
        """A 项目名称 row starts many budget tables; only one followed by goal-sheet parts is a sheet."""
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
    vocab, fw = vocabulary(), names()
    sheets: list[GoalSheet] = []
    current: _Builder | None = None
    state = "outside"
    pending_unit: str | None = None  # 金额单位：万元 printed above the sheet
    flat_roles: dict[str, int] = {}

    def finish() -> None:
        if current is not None and current.is_goal_sheet():
            if current.funding_unit in (None, "") and pending_unit:
                current.funding_unit = pending_unit
            sheets.append(current.build())

    last_line: int | None = None
    stopped: ParseProblem | None = None
    for row in table.rows:
        cells = row.non_empty()
        if not cells:
            if current is not None and state in ("table", "flat"):
                current.blank_since_indicator = True
            continue
        line = row.location.line
        if (
            line is not None
            and last_line is not None
            and line - last_line > MAX_EMPTY_RUN + 1
            and (sheets or (current is not None and current.is_goal_sheet()))
        ):
            stopped = _stopped_at(last_line, row)
            break
        last_line = line if line is not None else last_line
        unit = _declared_unit(cells)
        if unit and state in ("outside", "flat"):
            pending_unit = unit
        if state == "flat":
            current = _flat_row(current, row, flat_roles, vocab, fw, finish)
            continue
        roles = _column_roles(row, vocab) if state != "table" else None
        if roles is not None and "project" in roles:
            finish()
            current, state, flat_roles = None, "flat", roles
            continue
        originals = [c for c in cells if c.origin is None]
        label, value = _inline_label(originals[0] if originals else cells[0], vocab)
        if vocab.header.get(label) == "项目名称":
            finish()
            if value is None:
                after = _value_after(originals, 0, vocab)
                value = tidy(after.text) if after else ""
            # The 项目名称 label cell: a line in a text extract, a worksheet cell in a workbook.
            current = _Builder(project=value, location=(originals[0] if originals else cells[0]).location)
            current.funding_unit = None
            state = "header"
            rest = (
                originals[2:] if len(originals) > 1 and _inline_label(originals[0], vocab)[1] is None else originals[1:]
            )
            _header_row(current, rest, vocab)
            continue
        if current is None:
            continue
        if state == "header":
            if roles is not None:
                current.columns = roles
                state = "table"
                continue
            _header_row(current, originals, vocab)
        elif state == "table" and not _table_row(current, row, vocab, fw):
            finish()
            current, state = None, "outside"
    finish()
    if stopped is not None and sheets:
        sheets[-1] = replace(sheets[-1], problems=(*sheets[-1].problems, stopped))
    return sheets


# A goal sheet never has a thousand empty rows inside it; past such a gap after a sheet, whatever follows
# (stray notes, a pasted copy, junk far down an export) is not read, and the sheet says so (PRS003).
MAX_EMPTY_RUN = 1000


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


def _declared_unit(cells: list[RawCell]) -> str | None:
    """金额单位：万元 / 单位：元 anywhere in a row."""
    for cell in cells:
        if "单位" not in cell.text:
            continue
        key = label_key(cell.text)
        for prefix in ("金额单位", "单位"):
            if key.startswith(prefix) and key[len(prefix) :] in ("元", "万元"):
                return key[len(prefix) :]
    return None


def _inline_label(cell: RawCell, vocab: Vocabulary) -> tuple[str, str | None]:
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


def _flat_row(current: _Builder | None, row: RawRow, roles: dict[str, int], vocab: Vocabulary, fw: Names,
              finish: Callable[[], None]) -> _Builder | None:  # fmt: skip
    """One row of a flat export: the project column (repeated or left blank below) says whose row it is."""
    project = tidy(_text(row, roles.get("project")))
    if project and (current is None or project != current.project):
        finish()
        cell = _cell(row, roles.get("project"))
        current = _Builder(project=project, location=cell.location if cell else row.location)
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


def _column_roles(row: RawRow, vocab: Vocabulary) -> dict[str, int] | None:
    """The indicator table's header row: which column holds 一级, 二级, 三级, 指标值 … (by label)."""
    roles: dict[str, int] = {}
    for cell in row.cells:
        if cell.origin is not None:
            continue
        key = label_key(cell.text)
        role = vocab.columns.get(key) or vocab.flat_columns.get(key)
        if role and role not in roles:
            roles[role] = cell.column
            if role == "total" and "万元" in cell.text:
                roles["total_in_wan"] = cell.column
    if "value" in roles and ("name" in roles or "level2" in roles):
        return roles
    return None


def _header_row(b: _Builder, cells: list[RawCell], vocab: Vocabulary) -> None:
    cells = [c for c in cells if c.origin is None]  # a merged value counts once
    i = 0
    matched = False
    while i < len(cells):
        key, inline = _inline_label(cells[i], vocab)
        if inline is not None and (key in vocab.header or key in vocab.texts or key in vocab.funding_total
                                   or key in vocab.sources):  # fmt: skip
            _store(b, key, RawCell(inline, cells[i].column, cells[i].location), vocab)
            matched = True
            i += 1
            continue
        unit = vocab.funding_unit(key)
        if unit is not None:
            b.funding_unit = unit or b.funding_unit
            matched = True
        elif key in vocab.funding_total or key in vocab.sources or key in vocab.header or key in vocab.texts:
            value = _value_after(cells, i, vocab)
            matched = True
            if value is not None:
                i += 1
                _store(b, key, value, vocab)
            elif key in vocab.texts:
                b.last_text_field = vocab.texts[key]
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


def _store(b: _Builder, key: str, cell: RawCell, vocab: Vocabulary) -> None:
    text = cell.text.strip()
    if key in vocab.funding_total:
        b.total, b.total_raw, b.funding_location = parse_amount(text), text, cell.location
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


def _table_row(b: _Builder, row: RawRow, vocab: Vocabulary, fw: Names, flat: bool = False) -> bool:
    """Consume one row of the indicator table; False when the row is not part of it."""
    cols = b.columns
    name_col, value_col = cols.get("name"), cols["value"]
    first_col = min(cols.values())
    # Cells left of the table (the merged 绩效指标 label) may only hold that label.
    for cell in [] if flat else row.non_empty():
        if cell.column < first_col and label_key(cell.text) not in vocab.indicator_block:
            return False
        if vocab.header.get(label_key(cell.text)) == "项目名称":
            return False
    t1, t2 = _text(row, cols.get("level1")), _text(row, cols.get("level2"))
    name, value_text = _text(row, name_col), _joined_value(row, cols)
    if t1 or t2:
        _set_levels(b, t1, t2, fw)
    if not name and not value_text:
        if b.level1 and b.level2 and (b.level1, b.level2) not in b.groups:
            b.groups.append((b.level1, b.level2))
        b.blank_since_indicator = False
        return True
    if not t1 and not t2 and b.indicators and _continues_previous(b, name, value_text):
        return True
    b.blank_since_indicator = False
    if b.level1 and b.level2 and (b.level1, b.level2) not in b.groups:
        b.groups.append((b.level1, b.level2))
    value_cell = _cell(row, value_col)
    name_cell = _cell(row, name_col)
    location = value_cell.location if value_cell else row.location
    b.indicators.append(
        Indicator(
            level1=b.level1,
            level2=b.level2,
            name=tidy(name),
            value=parse_value(value_text),
            location=location,
            name_location=name_cell.location if name_cell else None,
            weight=parse_amount(_text(row, cols.get("weight"))) if "weight" in cols else None,
            direction=_direction(_text(row, cols.get("direction"))) if "direction" in cols else None,
            explanation=_text(row, cols.get("explanation")) or None,
            written_level1=b.written_level1,
            value_type=_value_type(row, cols),
        )
    )
    return True


def _direction(text: str) -> Direction | None:
    if "反向" in text:
        return Direction.NEGATIVE
    if "正向" in text:
        return Direction.POSITIVE
    return None


def _value_type(row: RawRow, cols: dict[str, int]) -> str | None:
    """定量 / 定性 when a 指标性质 column says so (VAL-007, QUAL-005 compare it with the value)."""
    declared = label_key(_text(row, cols.get("comparator"))) if "comparator" in cols else ""
    for word in ("定量", "定性"):
        if declared.startswith(word):
            return word
    return None


def _joined_value(row: RawRow, cols: dict[str, int]) -> str:
    """指标性质 + 指标值 + 度量单位 → one value string, as the catalogue's grammar reads it."""
    value = _text(row, cols["value"])
    comparator = _text(row, cols.get("comparator")) if "comparator" in cols else ""
    unit = _text(row, cols.get("unit")) if "unit" in cols else ""
    if label_key(comparator).startswith(("定性", "定量")):
        comparator = ""
    if value and unit and not value.endswith(unit):
        value = f"{value}{unit}"
    if value and comparator and not value.startswith(comparator):
        value = f"{comparator}{value}"
    return value


def _set_levels(b: _Builder, t1: str, t2: str, fw: Names) -> None:
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


def _continues_previous(b: _Builder, name: str, value_text: str) -> bool:
    """Join a row that a page break split off the indicator above it (公共服务能力提升 + 度)."""
    prev = b.indicators[-1]
    if name and not value_text and b.blank_since_indicator and len(clean(name)) <= _JOIN_FRAGMENT_MAX:
        joined = Indicator(
            level1=prev.level1,
            level2=prev.level2,
            name=prev.name + tidy(name),
            value=prev.value,
            location=prev.location,
            name_location=prev.name_location,
            weight=prev.weight,
            explanation=prev.explanation,
        )
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
        b.indicators[-1] = Indicator(
            level1=prev.level1,
            level2=prev.level2,
            name=prev.name,
            value=parse_value(value_text),
            location=prev.location,
            name_location=prev.name_location,
            weight=prev.weight,
            explanation=prev.explanation,
        )
        return True
    return False


__all__ = ["parse_table", "split_goals", "vocabulary"]

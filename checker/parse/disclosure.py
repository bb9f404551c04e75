"""A budget disclosure around its goal sheets: the project expenditure tables and the narrative's totals.

A 单位/部门预算公开 document lists every project with its amount (项目支出预算表, 本年预算 and 上年结转) and
states totals in its text (项目支出638.34万元; 公开项目绩效目标4个，涉及项目金额344.30万元). Read here from
the document's raw rows — a text's tab rows, a PDF's or web page's tables and lines, a workbook's sheets —
with the words and patterns in rules/frameworks/vocabulary.yaml ``disclosure``; matched against the
goal sheets by project name in ``match``. The DISC rules judge the result (checker/facts.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from functools import cache

from checker.frozen import frozen
from checker.lazyre import LazyPattern, lazy
from checker.lazyseq import LazySequence
from checker.model import WAN, BudgetLine, Disclosure, GoalSheet, Location, Statement
from checker.readers.raw import RawDocument, RawRow, RawTable
from checker.resources import shipped_yaml
from checker.text import clean, label_key

_AMOUNT = lazy(r"^-?[0-9][0-9,，\s]*(?:\.[0-9]+)?$")
_SPACED = lazy(r"\s{2,}")
_SEARCH_ROWS = 8  # rows after a title that may hold its unit and header rows
_COLUMN_NUMBERS = lazy(r"^[0-9]{1,2}$")


@frozen
class _Words:
    """The disclosure's words and patterns (vocabulary.yaml ``disclosure``)."""

    titles: tuple[LazyPattern[str], ...]
    not_titles: tuple[LazyPattern[str], ...]
    carried_over: tuple[str, ...]
    name_headers: frozenset[str]
    amount_headers: tuple[str, ...]
    total_names: frozenset[str]
    unit_name: LazyPattern[str]
    amount_unit: LazyPattern[str]
    statements: tuple[tuple[str, LazyPattern[str]], ...]


@cache
def words() -> _Words:
    # Patterns compiled when first used: every document asks whether a title is a 项目支出表's, few go on to
    # read one (units, stated totals), and each of these patterns costs the regex compiler ~0.2-0.6 ms.
    data = shipped_yaml("frameworks/vocabulary.yaml")["disclosure"]
    return _Words(
        titles=tuple(lazy(p) for p in data["titles"]),
        not_titles=tuple(lazy(p) for p in data["not_titles"]),
        carried_over=tuple(data["carried_over"]),
        name_headers=frozenset(label_key(w) for w in data["name_headers"]),
        amount_headers=tuple(label_key(w) for w in data["amount_headers"]),
        total_names=frozenset(label_key(w) for w in data["total_names"]),
        unit_name=lazy(data["unit_name"]),
        amount_unit=lazy(data["amount_unit"]),
        statements=tuple((k, lazy(p)) for k, p in data["statements"].items()),
    )


@frozen
class _Row:
    """One row of a 项目支出表: its non-empty cells."""

    cells: tuple[tuple[int, str, Location], ...]  # (column, text, location), non-empty only
    table: str | None  # the raw table's name (a worksheet's), for titles given as sheet names

    @property
    def text(self) -> str:
        return " ".join(t for _, t, _ in self.cells)


class _Rows(LazySequence[_Row]):
    """Every row of the document in reading order, each made into a ``_Row`` only when looked at: a
    disclosure's tables are a few dozen rows of thousands, and the rest need only a substring test."""

    def __init__(self, doc: RawDocument) -> None:
        self._raw: list[tuple[RawTable, RawRow]] = [(t, r) for t in doc.tables for r in t.rows]
        self._made: dict[int, _Row] = {}
        # Each row's text in one string, for the substring tests that pass over nearly every row.
        self._joined = ["\x1f".join([c.text for c in r.cells]) for _, r in self._raw]

    def __len__(self) -> int:
        return len(self._raw)

    def item(self, i: int) -> _Row:
        made = self._made.get(i)
        if made is None:
            made = self._made[i] = self._make(*self._raw[i])
        return made

    def has(self, i: int, *words: str) -> bool:
        """Whether row ``i`` holds all ``words`` (no _Row is made): a cheap test before a closer look."""
        joined = self._joined[i]
        return all(w in joined for w in words)

    def texts(self) -> list[str]:
        return self._joined

    def table_name(self, i: int) -> str | None:
        return self._raw[i][0].name

    @staticmethod
    def _make(table: RawTable, row: RawRow) -> _Row:
        """A flow line laid out with runs of spaces is split there."""
        cells = [(c.column, c.text.strip(), c.location) for c in row.cells if c.origin is None and c.text.strip()]
        if len(cells) == 1 and table.flow and _SPACED.search(cells[0][1]):
            _, text, at = cells[0]
            cells = [(i, part, at) for i, part in enumerate(_SPACED.split(text), 1) if part]
        return _Row(tuple(cells), table.name)


def _is_title(text: str) -> bool:
    if "表" not in text or "项目" not in text:
        return False  # most rows: no need to normalise them
    w = words()
    text = clean(text).replace(" ", "")
    return len(text) <= 60 and any(p.search(text) for p in w.titles) and not any(p.search(text) for p in w.not_titles)


def _amount(text: str) -> Decimal | None:
    text = clean(text).strip()
    if not _AMOUNT.match(text):
        return None
    try:
        return Decimal(re.sub(r"[,，\s]", "", text))
    except InvalidOperation:
        return None


def _header(row: _Row) -> tuple[int, int] | None:
    """(name column, amount column) when the row is a table header: 项目名称 … 合计."""
    w = words()
    name = next((col for col, text, _ in row.cells if label_key(text) in w.name_headers), None)
    if name is None:
        return None
    amount = next((col for col, text, _ in row.cells if col != name and label_key(text) in w.amount_headers), None)
    if amount is None:  # 合计（万元）, 项目金额合计: a header word inside a longer heading
        amount = next(
            (col for col, text, _ in row.cells if col != name and any(h in label_key(text) for h in w.amount_headers)),
            None,
        )
    return (name, amount) if amount is not None else None


def _table_lines(rows: Sequence[_Row], start: int, title: str, unit_name: str | None) -> tuple[list[BudgetLine], int]:
    """The project rows of the table titled at ``rows[start]``; also the index where it ends."""
    w = words()
    unit = "万元"  # the disclosure tables' own unit, unless the table says 元
    header: tuple[int, int] | None = None
    i = start + 1
    while i < len(rows) and i <= start + _SEARCH_ROWS and header is None:
        text = clean(rows[i].text)
        found = w.amount_unit.search(text)
        if found:
            unit = found.group("unit")
        named = w.unit_name.search(text)
        if named:
            unit_name = named.group("name")
        header = _header(rows[i])
        i += 1
    if header is None:
        return [], start + 1
    name_col, amount_col = header
    carried = any(word in title for word in w.carried_over)
    lines: list[BudgetLine] = []
    while i < len(rows):
        row = rows[i]
        if not row.cells:
            if lines:
                break
            i += 1
            continue
        if _is_title(row.text) or _header(row) is not None:
            break
        by_col = {col: (text, at) for col, text, at in row.cells}
        if all(_COLUMN_NUMBERS.match(t) for _, t, _ in row.cells) or name_col not in by_col:
            i += 1  # the column-number row (1 2 3 …), or a continued header row
            continue
        name, at = by_col[name_col]
        amount_text = by_col.get(amount_col, ("", at))[0]
        amount = _amount(amount_text)
        if amount is None:
            if lines:
                break
            i += 1
            continue
        factor = WAN if unit == "万元" else Decimal(1)
        lines.append(BudgetLine(clean(name).strip(), amount * factor, f"{clean(amount_text).strip()}{unit}",
                                by_col[amount_col][1], carried, clean(title).strip()))  # fmt: skip
        i += 1
    return _without_totals(lines, unit_name), i


def _without_totals(lines: list[BudgetLine], unit_name: str | None) -> list[BudgetLine]:
    """Project rows only: not a 合计 row, not the unit's own subtotal (its name, or the sum of the rest)."""
    w = words()
    keep = [ln for ln in lines if label_key(ln.name) not in w.total_names and ln.name != unit_name]
    if len(keep) > 2:
        first, rest = keep[0], keep[1:]
        if abs(first.amount_yuan - sum((ln.amount_yuan for ln in rest), Decimal(0))) <= first.tolerance:
            keep = rest
    return keep


def _statements(rows: _Rows) -> list[Statement]:
    w = words()
    out = []
    for i in [i for i, t in enumerate(rows.texts()) if "万元" in t]:
        row = rows[i]
        text = clean(row.text).replace(" ", "")
        for kind, pattern in w.statements:
            for m in pattern.finditer(text):
                amount = _amount(m.group("amount"))
                if amount is None:
                    continue
                count = int(m.group("count")) if "count" in pattern.compiled.groupindex else None
                out.append(Statement(kind, amount, count, m.group(0), row.cells[0][2]))
    return out


def read_disclosure(doc: RawDocument) -> Disclosure | None:
    """The project expenditure tables and stated totals of a document, or None when it has no such table."""
    rows = _Rows(doc)
    texts = rows.texts()
    # The few rows worth a closer look, found by substring in one pass: titles, 单位名称 lines, and the
    # first row of a worksheet named as a title (项目支出预算表 with its title row left out).
    look = {i for i, t in enumerate(texts) if ("项目" in t and "表" in t) or "单位名称" in t}
    first = 0
    for table in doc.tables:
        if table.rows and table.name and _is_title(table.name):
            look.add(first)
        first += len(table.rows)
    lines: list[BudgetLine] = []
    unit_name: str | None = None
    seen_tables: set[str] = set()
    done = 0  # rows before this index belong to a table already read
    for i in sorted(look):
        if i < done:
            continue
        if rows.has(i, "单位名称"):
            named = words().unit_name.search(clean(rows[i].text))
            unit_name = named.group("name") if named else unit_name
        title = next((t for _, t, _ in rows[i].cells if _is_title(t)), None)
        start = i
        name = rows.table_name(i)
        if title is None and name and name not in seen_tables and _is_title(name):
            title = name
            seen_tables.add(name)
            start = i - 1  # its header may be this very row: the search starts after the (absent) title
        if title is None:
            continue
        found, done = _table_lines(rows, start, title, unit_name)
        lines += found
    if not lines:
        return None
    return Disclosure(tuple(lines), tuple(_statements(rows)))


def _key(name: str) -> str:
    return label_key(name).replace("项目", "")


def match(disclosure: Disclosure | None, sheets: Sequence[GoalSheet]) -> list[GoalSheet]:
    """Each goal sheet with its project's budget line (and the document's disclosure) attached."""
    if disclosure is None:
        return list(sheets)
    read = [s for s in sheets if not s.unread]
    by_key: dict[str, BudgetLine] = {}
    for line in disclosure.lines:
        by_key.setdefault(_key(line.name), line)
    keys = {_key(s.project) for s in read}
    totals = [s.funding.total_yuan for s in read if s.funding is not None]
    summary = replace(
        disclosure,
        unmatched=tuple(ln for ln in disclosure.lines if _key(ln.name) not in keys),
        first=read[0].location if read else None,
        sheet_count=len(read),
        sheets_total_yuan=sum((t for t in totals if t is not None), Decimal(0))
        if len(totals) == len(read) and all(t is not None for t in totals) else None,
    )  # fmt: skip
    return [s if s.unread else replace(s, disclosure=summary, budget_line=by_key.get(_key(s.project))) for s in sheets]

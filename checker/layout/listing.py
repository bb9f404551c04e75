"""Project lists: one project per row, with the goal sheet's levels as columns whose cells hold the
indicators glued together (扶贫项目清单, 项目实施情况表)::

    序号 | 项目名称 | … | 资金来源及规模 | 绩效目标 | 受益对象…
    资金来源 | 资金规模(万元) | 产出 指标 | 效益 指标 | 满意度 指标
    1 | 庙岗集村…项目 | … | 市级 | 100 | <采购清单> | 受益户数≥200户,受益脱贫户数≥15户 | 脱贫人口满意度≥90% | …

A second header row refines the cells of the first it belongs to (a level name refines 绩效目标; 资金规模
refines 资金来源及规模, sharing its words). Each data row becomes a goal sheet of its own; a level column's
cell is read as indicators only when every clause in it is a name, a comparator and a value, so a
narrative cell (the 产出 column's purchase list) is left alone rather than read as made-up indicators.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from checker.layout import Family
from checker.layout.base import DEADLINE, Piece, qualitative_tail, table
from checker.lazyre import lazy
from checker.readers.raw import RawTable
from checker.text import label_key, loose_key
from checker.vocabulary import PROJECT_LIST

_ROW_NUMBER = lazy(r"^[0-9]{1,4}$")
_CUT_CLAUSE = 6  # a last clause this short, with no value, is where a truncated page stopped
_CLAUSES = lazy(r"[,，;；、]")


@cache
def _glued() -> re.Pattern[str]:
    """A clause that is a name and a value: 受益户数≥200户, 新建蓄水池1座, 覆盖率不低于95% (the comparator
    words are the value grammar's own)."""
    from checker.parse.values import comparator_words

    words = "|".join(re.escape(w) for w in comparator_words())
    return re.compile(
        rf"^(?P<name>[^≥≤><\d]+?)\s*(?P<value>(?:[≥≤><]=?|{words})?\s*\d[\d,]*(?:\.\d+)?\s*[^\d\s,，。；;]{{0,6}})$"
    )


# 完工时间2024年10月底前: a clause whose value is a deadline.
_DATED = lazy(rf"^(?P<name>[^\d]+?)(?P<value>{DEADLINE})$")
_GROUP = lazy(r"绩效|目标|指标")
_AMOUNT = lazy(r"金额|资金规模|资金|预算")


@cache
def _qualitative() -> re.Pattern[str]:
    """村庄人居环境明显改善: a clause ending in a qualitative target."""
    return re.compile(rf"^(?P<name>[^\d]{{2,30}}?)(?P<value>{qualitative_tail()})$")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("|") if c.strip()]


def _level(text: str) -> str | None:
    from checker.frameworks import names

    return names().canon_level1(text) or names().level1.get(loose_key(text.replace(" ", "")))


def _belongs(sub: str, head: str) -> bool:
    if _level(sub) is not None:
        return bool(_GROUP.search(head))
    shared = set(label_key(sub)) & set(label_key(head))
    return len(shared) >= 2


def _columns(header: list[str], sub: list[str]) -> list[str]:
    """The first header row with each group cell replaced by the second row's cells that refine it."""
    out: list[str] = []
    k = 0
    for head in header:
        taken: list[str] = []
        while k < len(sub) and _belongs(sub[k], head):
            taken.append(sub[k])
            k += 1
        out.extend(taken or [head])
    return out


def glued(cell: str) -> list[tuple[str, str]]:
    """``受益户数≥200户,受益脱贫户数≥15户`` → [(受益户数, ≥200户), …]; [] unless every clause is a name and a
    value ending the clause (a comparator is optional: 新建蓄水池1座); a clause with no number is prose."""
    clauses = [c.strip().rstrip("。.") for c in _CLAUSES.split(cell[:2000]) if c.strip().rstrip("。.")]
    if any(len(c) > 120 for c in clauses):
        return []  # a glued indicator is a short clause; this cell is prose
    found = [_glued().match(c) or _DATED.match(c) or _qualitative().match(c) for c in clauses]
    if len(found) > 1 and found[-1] is None and len(clauses[-1]) <= _CUT_CLAUSE:
        found = found[:-1]  # …明显改善；受益 — the page was cut inside the cell's last clause
    if not clauses or any(m is None for m in found):
        return []
    return [(m.group("name").strip(), m.group("value").strip()) for m in found if m is not None]


def _find(lines: Sequence[str]) -> tuple[int, list[str], list[int]] | None:
    """(header line index, the expanded columns, data line indices) of a project list, or None."""
    for h, line in enumerate(lines):
        header = _cells(line)
        if len(header) < 4 or not any(label_key(c) == "项目名称" for c in header):
            continue
        data = [k for k in range(h + 1, len(lines)) if (c := _cells(lines[k])) and _ROW_NUMBER.match(c[0])]
        if not data:
            continue
        sub = [c for k in range(h + 1, data[0]) for c in _cells(lines[k])]
        columns = _columns(header, sub)
        if sum(1 for c in columns if _level(c)) >= 2:
            return h, columns, data
    return None


def detect(lines: Sequence[str]) -> float:
    found = _find(lines)
    if found is None:
        return 0.0
    _, columns, data = found
    levels = [i for i, c in enumerate(columns) if _level(c)]
    hits = 0
    for k in data:
        cells = _cells(lines[k])
        hits += sum(len(glued(cells[i])) for i in levels if i < len(cells))
    return 3.0 * hits


def recover(lines: Sequence[str], path: str) -> RawTable:
    found = _find(lines)
    if found is None:
        return table([[(line.strip(), n)] for n, line in enumerate(lines, 1) if line.strip()], path, "listing")
    h, columns, data = found
    project = next(i for i, c in enumerate(columns) if label_key(c) == "项目名称")
    # 资金规模(万元) before 资金来源: a column that names a unit or a size holds the amount.
    ranked = sorted(
        (i for i, c in enumerate(columns) if _AMOUNT.search(c) and i != project),
        key=lambda i: (not re.search(r"万元|元\)|规模|金额", columns[i]), i),
    )
    amount = ranked[0] if ranked else None
    in_wan = amount is not None and "万元" in columns[amount]
    rows: list[list[Piece]] = [[(c, n)] for n, c in ((n, lines[n - 1].strip()) for n in range(1, h + 1)) if c]
    for k in data:
        n = k + 1
        cells = _cells(lines[k])
        if project >= len(cells):
            continue
        rows.append([("项目名称", n), (cells[project], n)])
        if amount is not None and amount < len(cells):
            rows.append([("项目资金（万元）" if in_wan else "项目资金", n), ("年度资金总额", n), (cells[amount], n)])
        rows.append([(x, n) for x in ("一级指标", "三级指标", "指标值")])
        for i, column in enumerate(columns):
            level = _level(column)
            if level is None or i >= len(cells):
                continue
            for name, value in glued(cells[i]):
                rows.append([(level, n), (name, n), (value, n)])
    return table(rows, path, "listing", document_type=PROJECT_LIST)


FAMILY = Family("listing", "项目清单（一行一个项目）", detect, recover)

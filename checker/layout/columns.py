"""Column-major dumps: text extracted from a PDF table column by column — first every indicator name,
then a value-column label and every value, then the next value column::

    三级指标 新建高校(校区) 工程质量达标率(%)
    开工率(%)
    年度目标值
    7 100% 100%
    实施周期目标值
    7 100% 100% 不断提升 …

The names are the cells between the name-column label and the first value-column label; each value
column gives its first N cells to the N names, in order. A value column headed 实施周期/中期/长期 is the
long-term target (kept beside the annual one). The recovered table is name / value / long-term rows under
a header of their own.
"""

from __future__ import annotations

from collections.abc import Sequence

from checker.layout import Family
from checker.layout.base import Piece, table
from checker.layout.spaced import split_line
from checker.lazyre import lazy
from checker.readers.raw import RawTable
from checker.text import label_key

_NAME_LABEL = lazy(r"^(?:三级指标|指标名称)$")
_VALUE_LABEL = lazy(
    r"^(?:(?:年度|本年度?)?(?:目标值|指标值)|(?:实施周期|实施期|中期|长期)(?:目标值|指标值))(?:[0-9]{4}(?:[-~至][0-9]{2,4})?年?)?$"
)
_LONG_TERM = lazy(r"^(?:实施周期|实施期|中期|长期)")
_MAX_GAP = 60  # lines of names between the name label and the first value label (one a line in some dumps)


def _find(lines: Sequence[str]) -> tuple[int, list[tuple[str, int]], list[tuple[str, list[tuple[str, int]]]]] | None:
    """(line of the name label, the names, [(value label, its cells)]) or None."""
    for start, line in enumerate(lines):
        if "指标" not in line:
            continue  # the name column's label (三级指标, 指标名称) opens the table's first line
        cells = split_line(line)
        if not cells or not _NAME_LABEL.match(label_key(cells[0])):
            continue
        names = [(c, start + 1) for c in cells[1:]]
        k = start + 1
        while k < len(lines) and k - start <= _MAX_GAP and not _VALUE_LABEL.match(label_key(lines[k])):
            names.extend((c, k + 1) for c in split_line(lines[k]))
            k += 1
        if not names or k >= len(lines) or not _VALUE_LABEL.match(label_key(lines[k])):
            continue
        columns: list[tuple[str, list[tuple[str, int]]]] = []
        while k < len(lines) and _VALUE_LABEL.match(label_key(lines[k])):
            label = label_key(lines[k])
            values: list[tuple[str, int]] = []
            k += 1
            while k < len(lines) and lines[k].strip() and not _VALUE_LABEL.match(label_key(lines[k])):
                values.extend((c, k + 1) for c in split_line(lines[k]))
                k += 1
                if len(values) >= len(names):
                    break
            while k < len(lines) and lines[k].strip() and not _VALUE_LABEL.match(label_key(lines[k])):
                k += 1  # the cells of columns the names above were cut from
            columns.append((label, values))
        # Every value column the names are paired with must have a cell for each name (a dump cut off
        # inside a column is not this family's to pair).
        if columns and all(len(values) >= len(names) for _, values in columns):
            return start, names, columns
    return None


def _level_column(lines: Sequence[str], start: int, count: int) -> tuple[list[tuple[str, int]], int]:
    """The 二级 column dumped above the names (``二级指标`` then one name a cell), when it has one entry per
    indicator so that it lines up with them; and the first line of the dumped level columns."""
    from checker.frameworks import names

    fw = names()
    first, level2 = start, []
    for k in range(start - 1, max(-1, start - 3 * count - 6), -1):
        label = label_key(lines[k])
        if label not in ("一级指标", "二级指标"):
            continue
        first = k
        if label == "二级指标":
            cells = [(c, n + 1) for n in range(k + 1, start) for c in split_line(lines[n])]
            if len(cells) == count and all(fw.canon_level2(c) for c, _ in cells):
                level2 = cells
    return level2, first


def detect(lines: Sequence[str]) -> float:
    found = _find(lines)
    # Each name paired with its value is as strong a sign as a row in a row-major family.
    return 0.0 if found is None else 3.0 * len(found[1])


def recover(lines: Sequence[str], path: str) -> RawTable:
    found = _find(lines)
    rows: list[list[Piece]] = []
    if found is None:
        return table([[(line.strip(), n)] for n, line in enumerate(lines, 1) if line.strip()], path, "columns")
    start, names, columns = found
    level2, first = _level_column(lines, start, len(names))
    # What precedes the table (title, 项目名称 …) is read as spaced cells.
    rows.extend([(c, n) for c in split_line(line)] for n, line in enumerate(lines[:first], 1))
    annual = next((vals for label, vals in columns if not _LONG_TERM.match(label)), columns[0][1])
    long_term = next((vals for label, vals in columns if _LONG_TERM.match(label)), None)
    header = [*(["二级指标"] if level2 else []), "三级指标", "年度指标值", *(["长期指标值"] if long_term else [])]
    rows.append([(h, start + 1) for h in header])
    for i, (name, line) in enumerate(names):
        row: list[Piece] = [*([level2[i]] if level2 else []), (name, line), annual[i]]
        if long_term is not None and i < len(long_term):
            row.append(long_term[i])
        rows.append(row)
    return table(rows, path, "columns")


FAMILY = Family("columns", "按列输出（PDF 抽取）", detect, recover)

"""Goal sheets from a table read as a sequence of cells, not by column position.

Text layouts other than tab-separated rows lose the grid: merged cells are missing from the rows they
span (``清扫保洁道路条数 | 485条`` under a row that had 一级 and 二级), cells stand one per line, labels are split
a character a line. What still holds is the order of the cells and the form's own words. So the reader:

1. flattens the table into cells in reading order and joins label fragments back into the labels they
   spell (``产``+``出``+``指``+``标``, ``项目完成``+``指标``), using only the form's vocabulary;
2. reads the header block as label-led groups (``项目名称`` + its value, ``年度资金总额`` + amount …) with
   the same code the grid reader uses;
3. takes the indicator table's column order from its header row (一级/二级/三级/指标值/… in any order, extra
   columns such as 实施进度 or 指标解释 kept apart), and then reads cells: a 一级 or 二级 name sets the level
   wherever it stands, everything else fills the columns after them in order — so a row missing its
   merged cells still puts its name and value in the right place.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache

from checker.frameworks import Names, names
from checker.frozen import frozen
from checker.lazyre import lazy
from checker.model import GoalSheet, Indicator, Location
from checker.parse.sheet import (
    SheetBuilder,
    declared_unit,
    indicator_column_role,
    inline_label,
    read_header_cells,
    set_levels,
    settle_unit,
    split_combined,
)
from checker.parse.values import indicator_value, joined_value, parse_amount, parse_value
from checker.readers.raw import RawCell, RawTable
from checker.text import indicator_name, label_key, loose_key, strip_pinyin, tidy
from checker.vocabulary import Vocabulary, is_title, title_pattern, vocabulary

_DIGIT = lazy(r"[0-9]")
_COMPARATOR_CELL = lazy(r"^(?:[≥≤><=＞＜＝≧≦]=?|[><]=)$")
_AMOUNT = lazy(r"^[0-9][0-9,.]*$")
_MAX_FRAGMENT = 8  # a label piece longer than this is text, not a fragment of a split label
_CORE_ROLES = frozenset({"level1", "level2", "name", "value"})
_MAX_HEADER = 40  # cells a header row may span; bounds the look-ahead made at every cell
_LOOKBACK = 12  # cells kept from before a sheet opens, for a table whose sheet has no 项目名称 line
_SENTENCE = 30  # a cell this long with a full stop is a sentence; its value, if it has one, is short
_PROSE_NAME = 90  # a "name" this long that ends a sentence is narrative after the table


@frozen
class Token:
    """One cell in reading order; ``row_cells`` is how many cells its row has (a row-start hint)."""

    text: str
    location: Location
    row_start: bool
    row_cells: int


@cache
def _label_prefixes() -> frozenset[str]:
    from checker.layout.base import form_words

    return frozenset(word[:i] for word in form_words() for i in range(1, len(word) + 1))


def tokens(table: RawTable) -> list[Token]:
    """The table's non-empty cells in reading order, label fragments joined."""
    flat: list[Token] = []
    for row in table.rows:
        cells = [c for c in row.non_empty() if c.origin is None]
        for k, cell in enumerate(cells):
            flat.append(Token(strip_pinyin(cell.text).strip(), cell.location, k == 0, len(cells)))
    return join_fragments(flat)


def join_fragments(flat: list[Token]) -> list[Token]:
    """``产`` ``出`` ``指`` ``标`` → ``产出指标``: the longest run of short cells that spells a form word."""
    from checker.layout.base import is_form_word

    prefixes = _label_prefixes()
    out: list[Token] = []
    i = 0
    while i < len(flat):
        best = i
        key = ""
        j = i
        while j < len(flat) and len(flat[j].text) <= _MAX_FRAGMENT:
            key += label_key(flat[j].text)
            if key not in prefixes and loose_key(key) not in prefixes:
                break
            if j > i and is_form_word(key):
                best = j
            j += 1
        if best > i:
            first = flat[i]
            text = "".join(t.text for t in flat[i : best + 1])
            out.append(Token(text, first.location, first.row_start, first.row_cells))
            i = best + 1
        else:
            out.append(flat[i])
            i += 1
    return out


@dataclass
class _Table:
    """The indicator table being read: its column roles after the level columns, and the cells pending."""

    roles: tuple[str, ...]
    pending: list[Token] = field(default_factory=list)
    places: list[SheetBuilder] = field(default_factory=list)  # a matrix: one sheet per place column
    started: bool = False  # a level name or an indicator has been read (sub-headers come before)


def _header_roles(toks: list[Token], i: int, vocab: Vocabulary) -> tuple[tuple[str, ...], int, tuple[str, ...]] | None:
    """If the cells from ``i`` are the indicator table's header row: its roles in order, where it ends, and
    the header cells' texts (one per role)."""
    roles: list[str] = []
    labels: list[str] = []
    j = i
    first_row = toks[i].location.line
    while j < len(toks) and j - i < _MAX_HEADER:
        tok = toks[j]
        role = indicator_column_role(tok.text)
        if role is None:
            key = label_key(tok.text)
            if key in vocab.indicator_block or ("绩效指标" in loose_key(tok.text) and len(key) <= 6):
                j += 1  # the merged 绩效指标 label left of the header
                continue
            same_row = tok.location.line == first_row and not tok.row_start
            if roles and same_row and len(tok.text) <= 12 and names().canon_level1(tok.text) is None:
                roles.append("extra")  # a column the vocabulary does not know: read and kept apart
                labels.append(tok.text)
                j += 1
                continue
            break
        if not roles and role not in _CORE_ROLES:
            break  # a header row starts at 一级/二级/三级/指标值; 评价指标 in a title is not one
        if role == "name" and label_key(tok.text) == "指标" and not roles:
            break  # a lone 指标 is a label fragment, not a header
        roles.append(role)
        labels.append(tok.text)
        j += 1
    if "value" not in roles and "name" in roles:
        roles = _places(roles, labels)
    if "value" in roles and ("name" in roles or "level2" in roles):
        grouped, j = _grouped(roles, toks, j, vocab)
        return grouped, j, tuple(labels)
    if any(r.startswith("place") for r in roles):
        return tuple(roles), j, tuple(labels)
    return None


def _grouped(roles: list[str], toks: list[Token], j: int, vocab: Vocabulary) -> tuple[tuple[str, ...], int]:
    """A second header row under 指标值 naming its column groups (中长期 | 年度): the value column becomes
    one column per group, the annual one the value and the other the long-term target."""
    groups: list[str] = []
    while j < len(toks) and len(groups) < 4:
        group = vocab.group_of(toks[j].text)
        if group is None:
            break
        groups.append(group)
        j += 1
    if len(groups) < 2 or "annual" not in groups:
        return tuple(roles), j
    k = roles.index("value")
    expanded = ["value" if g == "annual" else "long_term" for g in groups]
    return tuple(roles[:k] + expanded + roles[k + 1 :]), j


def _places(roles: list[str], labels: list[str]) -> list[str]:
    """A matrix header: after 三级指标, one column per place (安阳街道 | 玉海街道 …) and no 指标值 column.
    The unknown columns at the end of the row become ``place0``, ``place1`` … when each names a place."""
    tail = [k for k in range(len(roles)) if roles[k] == "extra"]
    if len(tail) < 2 or tail[-1] != len(roles) - 1 or not all(_is_place(labels[k]) for k in tail):
        return roles
    out = list(roles)
    for n, k in enumerate(tail):
        out[k] = f"place{n}"
    return out


def _is_place(text: str) -> bool:
    from checker.layout.base import place_name

    return bool(place_name().fullmatch(tidy(text)))


def parse_sequence(table: RawTable, source: str) -> list[GoalSheet]:
    """Every goal sheet in a table whose column positions cannot be trusted."""
    return _Reader(table, source).run()


class _Reader:
    """One pass over the cells: outside a sheet, in its header block (label-led groups), or in its
    indicator table (levels set by name, the other cells filling the header's columns in order)."""

    def __init__(self, table: RawTable, source: str) -> None:
        self.toks = tokens(table)
        self.source = source
        self.layout = table.layout
        self.vocab = vocabulary()
        self.fw: Names = names()
        self.sheets: list[GoalSheet] = []
        self.recent: list[Token] = []  # cells seen outside any sheet, newest last
        self.b: SheetBuilder | None = None
        self.table: _Table | None = None
        self.group: list[RawCell] = []
        self.pending_unit: str | None = None
        self.pending_unit_at: Location | None = None
        self.title: str | None = None
        self.funding_guess: Token | None = None
        self.provisional = False  # the sheet was opened by its title; a 项目名称 line names it
        self.level1_column: int | None = None  # where the 一级 names start in an outline

    # -- sheets -----------------------------------------------------------------------------------
    def finish(self) -> None:
        self.flush_group()
        if self.table is not None:
            self.emit(final=True)
        b = self.b
        places = self.table.places if self.table is not None else []
        if places:
            self.sheets.extend(pb.build() for pb in places)
        elif b is not None and b.is_goal_sheet():
            b.indicators = _place_leading(b.indicators)
            settle_unit(b, self.pending_unit, self.pending_unit_at)
            self.sheets.append(b.build())
        self.b, self.table = None, None

    def start_sheet(self, project: str, location: Location) -> None:
        self.finish()
        self.b = SheetBuilder(project=project, location=location)

    # -- header block -------------------------------------------------------------------------------
    def flush_group(self) -> None:
        if self.b is not None and self.group:
            read_header_cells(self.b, self.group, self.vocab)
        self.group = []

    def is_header_label(self, text: str) -> bool:
        key = label_key(text)
        vocab = self.vocab
        if vocab.is_label(key) or key in vocab.goals or vocab.funding_unit(key) is not None:
            return True
        return inline_label(_cell(Token(text, Location(self.source), False, 1)), vocab)[1] is not None

    def header_token(self, tok: Token) -> None:
        b = self.b
        assert b is not None
        key = label_key(tok.text)
        if key in ("万元", "元") and not b.funding_unit:
            # （万元） alone on its line, under 年度预算安排 split a word a line: it declares the unit.
            b.funding_unit = key
            return
        is_amount = bool(_AMOUNT.match(tok.text.replace(" ", "")))
        group = self.group
        if (
            is_amount
            and len(group) >= 2
            and self.vocab.total_unit(label_key(group[0].text)) is not None
            and not any(_AMOUNT.match(c.text.replace(" ", "")) for c in group[1:])
        ):
            self.flush_group()  # the label's "value" was a column heading (金额（万元）), not the amount
        if b.total is None and b.total_raw is not None and is_amount:
            # 年度资金总额 | 金额（万元） | … | 6.30: the total's label stood over a column of amounts;
            # the first amount under it is the total.
            self.flush_group()
            b.total, b.total_raw, b.funding_location = parse_amount(tok.text), tok.text.strip(), tok.location
            return
        if self.is_header_label(tok.text):
            self.flush_group()
        self.group.append(_cell(tok))

    # -- the indicator table --------------------------------------------------------------------------
    def start_table(
        self, roles: tuple[str, ...], at: Token, headerless: bool = False, labels: tuple[str, ...] = ()
    ) -> None:
        self.flush_group()
        self.funding_guess = None
        if self.b is None:
            project = self.guess_project() if headerless else title_project(self.title or "")
            self.b = SheetBuilder(project=project, location=at.location)
            # No 项目名称 or title opened the sheet: the labelled cells just above the table (资金规模 …)
            # are still its header block.
            for tok in self.recent[-_LOOKBACK:]:
                if self.funding_guess is None or tok is not self.funding_guess:
                    self.header_token(tok)
            self.flush_group()
        elif headerless and self.provisional:
            # Opened by its title: the cells just before the first 一级 may still name the project.
            guessed = self.guess_project()
            if self.funding_guess is not None:
                self.b.project = guessed
        amount = self.funding_guess
        if amount is not None and self.b.total is None:
            self.b.total, self.b.total_raw = parse_amount(amount.text), amount.text
            self.b.funding_location = amount.location
        self.b.columns = {role: k for k, role in enumerate(roles, 1)}
        self.table = _Table(tuple(r for r in roles if r not in ("level1", "level2")))
        if labels:
            self.table.places = [self.place_sheet(label) for role, label in zip(roles, labels, strict=False)
                                 if role.startswith("place")]  # fmt: skip

    def place_sheet(self, place: str) -> SheetBuilder:
        """One place's sheet of a matrix: the sheet's header, the project named for the place."""
        b = self.b
        assert b is not None
        return SheetBuilder(project=f"{b.project}({place})" if b.project else place, location=b.location,
                            header=dict(b.header), goal_text=list(b.goal_text), texts=dict(b.texts))  # fmt: skip

    def guess_project(self) -> str:
        """A table with no 项目名称 label: the cell before it names the project when an amount follows
        that cell (``狂犬、乙肝…药物`` then ``3000000``); else the sheet's title, or nothing."""
        recent = self.recent[-3:]
        if len(recent) >= 2 and _AMOUNT.match(recent[-1].text.replace(" ", "")):
            project = recent[-2]
            if not self.is_header_label(project.text) and not _AMOUNT.match(project.text):
                self.funding_guess = recent[-1]
                return tidy(project.text)
        return title_project(self.title or "")

    def emit(self, final: bool = False) -> None:
        """The pending cells as one indicator (a name with no value when that is all there is)."""
        t, b = self.table, self.b
        if t is None or b is None or not t.pending:
            return
        cells = dict(zip(t.roles, t.pending, strict=False))
        t.pending = []
        name_tok = cells.get("name")
        value_tok = cells.get("value") or cells.get("place0")
        if final and value_tok is None and name_tok is not None and name_tok.text.endswith("。"):
            return  # a sentence after the last row (以上绩效目标经…批复，请…组织实施。), not an indicator
        if name_tok is None and value_tok is None:
            return
        name = indicator_name(name_tok.text) if name_tok else ""
        comparator, unit = cells.get("comparator"), cells.get("unit")
        direction = cells.get("direction")
        if comparator is None and direction is not None and _COMPARATOR_CELL.match(direction.text.strip()):
            comparator = direction  # 指标方向 holding ≥ / ≤ (a matrix gives it once for every place)
        if unit is not None and _AMOUNT.match(unit.text) and "weight" in t.roles and "weight" not in cells:
            # A 定性 row leaves its 度量单位 cell empty, so the 权重 slid into the unit's place.
            cells["weight"], unit = unit, None
        explanation, weight, long_term = cells.get("explanation"), cells.get("weight"), cells.get("long_term")
        # A matrix gives each place its own value column, and each place a sheet of its own.
        targets = [(b, value_tok)] if not t.places else [(pb, cells.get(f"place{k}")) for k, pb in enumerate(t.places)]
        for builder, cell in targets:
            value_text = joined_value(cell.text if cell else "", comparator.text if comparator else "",
                                      unit.text if unit else "")  # fmt: skip
            builder.indicators.append(
                Indicator(
                    level1=b.level1,
                    level2=b.level2,
                    name=name,
                    value=indicator_value(name, value_text),
                    location=(cell or name_tok).location,  # type: ignore[union-attr]
                    name_location=name_tok.location if name_tok else None,
                    weight=parse_amount(weight.text) if weight else None,
                    explanation=explanation.text if explanation else None,
                    written_level1=b.written_level1,
                    long_term=parse_value(long_term.text) if long_term else None,
                    method=self.layout,
                )
            )
            if b.level1 and b.level2 and (b.level1, b.level2) not in builder.groups:
                builder.groups.append((b.level1, b.level2))
        t.started = True

    def level_token(self, toks: list[Token], i: int) -> bool:
        """Set the levels when the cell is a 一级 or 二级 name; False when it is not one."""
        t, b, fw = self.table, self.b, self.fw
        assert t is not None and b is not None
        text = toks[i].text
        l1, l2 = fw.canon_level1(text), fw.canon_level2(text)
        combined = split_combined(text) if l1 is None and l2 is None else None
        if l1 is None and l2 is None and combined is None:
            return False
        if l2 is not None and l2 == b.level2 and not t.pending and b.level2_fresh:
            # 成本指标 | 成本 | 10万元, 服务对象满意度指标 | 服务对象满意度 | 100%: the 二级's own short
            # name right after it is the 三级 name.
            return False
        if l1 is not None and l2 is not None:
            l1, l2 = self.one_level(l1, l2, toks, i)
        if l1 is not None and l2 is None and l1 == b.level1 and b.level2 is not None:
            # The merged 一级 label printed again in a middle row of its block: not a new group.
            self.emit()
            return True
        if t.pending:
            lone = t.pending[0].text
            if (
                l2 is not None
                and l1 is None
                and len(t.pending) == 1
                and len(lone) <= _MAX_FRAGMENT
                and not _DIGIT.search(lone)
            ):
                # An unknown 一级 printed in its column (项目决策, 项目效益) right before a 二级 name.
                unknown = t.pending.pop()
                set_levels(b, unknown.text, text, fw)
                b.level2_fresh = True
                t.started = True
                return True
            self.emit()
        if combined is not None:
            set_levels(b, combined[0], combined[1], fw)
        elif l1 is not None:
            set_levels(b, text, "", fw)
        else:
            set_levels(b, "", text, fw)
        b.level2_fresh = b.level2 is not None
        b.level1_fresh = b.level2 is None
        t.started = True
        return True

    def one_level(self, l1: str, l2: str, toks: list[Token], i: int) -> tuple[str | None, str | None]:
        """A name that is both a 一级 and a 二级 (成本指标 in the two frameworks, 满意度指标 short for
        服务对象满意度): a 一级 when the next cell is one of its 二级, a 二级 when it belongs under the 一级
        being read or repeats it."""
        b, fw = self.b, self.fw
        assert b is not None
        if b.level1 == l1 and b.level2 is None and b.level1_fresh:
            return None, l2  # 满意度指标 | 满意度指标 | 服务对象满意度: the second is the 二级
        following = fw.canon_level2(toks[i + 1].text) if i + 1 < len(toks) else None
        if following is not None and l1 in fw.parents.get(following, frozenset()):
            return l1, None
        if b.level1 is not None and (b.level1 == l1 or b.level1 in fw.parents.get(l2, frozenset())):
            return None, l2
        return l1, None

    def outline_project(self, toks: list[Token], i: int) -> int:
        """In an outline, a line indented less than the 一级 names (but indented) is the next project,
        with its amount on the line after: the sheet ends and a new one starts under the same columns.
        Returns how many cells that took (0 when the cell is not such a line)."""
        tok, t = toks[i], self.table
        col, top = tok.location.column, self.level1_column
        if self.layout != "lines" or t is None or t.pending or top is None or col is None or not 1 < col < top:
            return 0
        if self.fw.canon_level1(tok.text) or self.fw.canon_level2(tok.text):
            return 0
        roles = ("level1", "level2", *t.roles)
        self.start_sheet(tidy(tok.text), tok.location)
        after = toks[i + 1] if i + 1 < len(toks) else None
        amount = after is not None and bool(_AMOUNT.match(after.text.replace(" ", "")))
        self.recent = [tok, after] if amount and after is not None else [tok]
        self.start_table(roles, tok, headerless=True)
        self.level1_column = top
        return 2 if amount else 1

    def table_token(self, toks: list[Token], i: int) -> None:
        tok = toks[i]
        t = self.table
        assert t is not None
        if not t.started and self.vocab.is_subheader(tok.text):
            return  # 2021年实际实现值 / 预期2022年实现值 under the value column
        if self.level_token(toks, i):
            if self.fw.canon_level1(tok.text) is not None:
                self.level1_column = tok.location.column
            return
        if t.pending and tok.row_start and tok.row_cells >= 2 and self.layout != "lines":
            # A new row of several cells starts while a name waits for its value: the value was empty.
            self.emit()
        assert self.b is not None
        self.b.level2_fresh = self.b.level1_fresh = False
        t.pending.append(tok)
        if len(t.pending) >= len(t.roles):
            self.emit()

    def ends_table(self, toks: list[Token], i: int) -> bool:
        t, tok = self.table, toks[i]
        if self.vocab.ends_table(tok.text):
            return True
        if t is None or t.pending:
            return False
        # Narrative after the table: a sentence where a name would be, and no short value after it (a long
        # name ending in 。 is followed by its value: 改善…生活质量。助力…创建。 | 显著改善).
        if len(tok.text) >= _SENTENCE and "。" in tok.text:
            after = toks[i + 1].text if i + 1 < len(toks) else ""
            return not after or len(after) >= _SENTENCE or after.endswith("。")
        return len(tok.text) > _PROSE_NAME and tok.text.endswith("。")

    # -- the loop ---------------------------------------------------------------------------------------
    def run(self) -> list[GoalSheet]:
        toks, vocab = self.toks, self.vocab
        i = 0
        while i < len(toks):
            tok = toks[i]
            key = label_key(tok.text)
            unit = declared_unit([_cell(tok)])
            if unit and self.table is None:
                self.pending_unit, self.pending_unit_at = unit, tok.location
            if self.table is not None and self.b is not None and self.b.indicators and is_title(key):
                # The next sheet's title (项目支出绩效目标表 | | |) ends this one's table.
                self.finish()
            if self.table is None and is_title(key) and not (self.b and self.b.indicators):
                # A sheet's title opens it even before (or without) a 项目名称 line, so the header
                # fields printed under the title are read (部门整体 sheets name no project).
                self.title = tok.text
                self.start_sheet(title_project(tok.text), tok.location)
                self.provisional = True
                i += 1
                continue
            label, inline = inline_label(_cell(tok), vocab)
            if vocab.header.get(label) == "项目名称":
                value = inline
                if value is None and i + 1 < len(toks) and not self.is_header_label(toks[i + 1].text):
                    i += 1
                    value = tidy(toks[i].text)
                if self.provisional and self.b is not None and not self.b.indicators:
                    self.flush_group()
                    self.b.project, self.b.location = value or "", tok.location
                else:
                    self.start_sheet(value or "", tok.location)
                self.provisional = False
                i += 1
                continue
            header = _header_roles(toks, i, vocab)
            if header is not None:
                if self.table is not None:
                    self.emit()
                self.start_table(header[0], tok, labels=header[2])
                i = header[1]
                continue
            if self.table is None and self.fw.canon_level1(tok.text) is not None and (self.b or self.title):
                # An outline or a table whose header row is missing: the first 一级 name starts it.
                self.start_table(("level1", "level2", "name", "value"), tok, headerless=True)
            taken = self.outline_project(toks, i)
            if taken:
                i += taken
                continue
            if self.table is not None:
                if self.ends_table(toks, i):
                    self.finish()
                else:
                    self.table_token(toks, i)
            else:
                if self.b is not None:
                    self.header_token(tok)
                self.recent = [*self.recent[-_LOOKBACK:], tok]
            i += 1
        self.finish()
        return self.sheets


def _place_leading(indicators: list[Indicator]) -> list[Indicator]:
    """Rows printed before any level name, in a table whose first level is an 产出 二级 (the merged 产出指标
    and 数量/质量 cells lost in the dump): they are 产出 rows, 质量 when the name is a rate, else 数量.
    Marked ``method: inferred`` so a reviewer knows the levels were not printed."""
    first = next((k for k, ind in enumerate(indicators) if ind.level1 or ind.level2), None)
    if not first or indicators[first].level1 != "产出指标":
        return indicators
    from checker.resources import shipped_yaml

    rates = (*shipped_yaml("frameworks/lexicon.yaml").get("rate_suffixes", []), "合格")
    placed = [
        replace(
            ind,
            level1="产出指标",
            level2="质量指标" if any(word in ind.name for word in rates) else "数量指标",
            method="inferred",
        )
        for ind in indicators[:first]
    ]
    return placed + indicators[first:]


def title_project(title: str) -> str:
    """The project a sheet's title names: ``2023年度…助学金项目绩效评价指标表`` → ``2023年度…助学金项目``;
    a bare ``项目支出绩效目标表`` names none."""
    text = tidy(title)
    match = title_pattern().search(text)
    head = text[: match.start()] if match else text
    if match and text[match.start() :].startswith("项目"):
        head += "项目"  # …助学金项目绩效… keeps its 项目
    head = head.strip(" ：:—-")
    return head if len(head) >= 2 and head != "项目" else ""


def _cell(tok: Token) -> RawCell:
    return RawCell(tok.text, tok.location.column or 1, tok.location)


__all__ = ["join_fragments", "parse_sequence", "tokens"]

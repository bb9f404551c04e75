"""Run-on lines: a table whose cells were glued together when the page was copied, one table row a line
(``产出数量指标享受资助人数达到预计值210010``, header ``评价指标评价内容指标名称指标说明目标值分值备注``).

A line is cut at the form's words (level names, column headers, header labels — longest first), and what
is left of an indicator row is cut into name and value at the value that ends it. When the header has a
score column right after the value column, the score glued to the value is cut off too: ``210010`` under
目标值 + 分值 is 2100 and 10 分, ``95%以上10`` is 95%以上 and 10. The recovered table has a header of its own
(一级/二级/三级/指标值), so the sequence reader places the rows like any other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from checker.layout import Family
from checker.layout.base import DEADLINE, Piece, qualitative_tail, region_suffixes, table, traditional
from checker.lazyre import lazy
from checker.readers.raw import RawTable
from checker.text import clean, label_key, loose_key, strip_pinyin
from checker.vocabulary import is_title

_MIN_GLUED = 12  # a segment shorter than this is a cell, not several glued
_VALUE = r"(?:[≥≤><]=?|=)?\d+(?:\.\d+)?(?:%|‰)?(?:以上|以下|以内)?"
_TAIL = lazy(rf"(?P<value>{_VALUE}[^\d,，。;；、:：%]{{0,6}})$")
_TAIL_SCORED = lazy(r"(?P<value>(?:[≥≤><]=?|=)?\d+?(?:\.\d+)?(?:%|‰)?(?:以上|以下|以内)?)(?P<score>\d{1,2})$")
# A deadline at the end of a row: 2022年12月31日前, 2024年底, 12月底前.
_TAIL_DATE = lazy(rf"(?P<value>{DEADLINE})$")
_DIGIT_RUN = lazy(r"[0-9]+$")
_KIND_TAIL = lazy(r"(?:定性|定量|正向|反向)$")
# (万元)2680其中: after a glued funding label: the unit, the amount, then the rest.
_AMOUNT_LEAD = lazy(r"^(\((?:万元|元)\))?([0-9][0-9,]*(?:\.[0-9]+)?(?![0-9.]*[%年月日]))?(.*)$", re.S)
_HEADER = ("一级指标", "二级指标", "三级指标", "指标值")
_SCORE_COLUMN = lazy(r"(?:目标值|指标值).*(?:分值|权重|分数)")


@cache
def _words() -> re.Pattern[str]:
    """The form's words as written (not keys), longest first: 一级/二级 names ending in 指标, column headers,
    header labels of two characters or more."""
    from checker.frameworks import framework, framework_ids
    from checker.resources import shipped_yaml

    data = shipped_yaml("frameworks/vocabulary.yaml")
    words: set[str] = set()
    for fw_id in framework_ids():
        fw = framework(fw_id)
        words.update(canon for _, canon in (*fw.level1_aliases, *fw.level2_aliases))
    for section in ("columns", "header_fields"):
        for canon, aliases in data[section].items():
            words.update(a for a in [canon, *aliases] if len(a) >= 3 or a.endswith("指标"))
    # Two-character column headers (分值, 备注, 权重) glue onto the header row too; 单位 and 指标 are
    # parts of too many names to cut at.
    words.update(a for canon, aliases in data["columns"].items() for a in [canon, *aliases] if len(a) == 2)
    words -= {"单位", "指标"}
    words.update(w for w in data["goal_labels"] if len(w) >= 4)
    words.update(w for w in data["funding_total"])
    words.update(w for w in data["indicator_block"])
    words.update(a for canon, aliases in data["funding_sources"].items() for a in [canon, *aliases] if len(a) >= 4)
    kept = sorted((clean(w) for w in words if w and w != "指标"), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in kept))


def _normal(line: str) -> str:
    # The form's words in simplified script (績效指標 → 绩效指标); one character for one, so cut points
    # found in this copy are the same in the original.
    return clean(strip_pinyin(line)).translate(traditional())


def _glued_segments(line: str) -> list[str]:
    return [seg for seg in re.split(r"\s+", _normal(line)) if len(seg) >= _MIN_GLUED]


@cache
def _level_words() -> re.Pattern[str]:
    """Inside the indicator table only level names cut a row (目标值 in 达到目标值95% is text)."""
    from checker.frameworks import framework, framework_ids

    words: set[str] = set()
    for fw_id in framework_ids():
        for alias, canon in (*framework(fw_id).level1_aliases, *framework(fw_id).level2_aliases):
            words.update((alias, canon))
    kept = sorted((w for w in words if w.endswith("指标")), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in kept))


def cut(segment: str, levels_only: bool = False) -> list[str]:
    """A glued segment cut at the form's words: words and the text between them, in order."""
    out: list[str] = []
    pos = 0
    for match in (_level_words() if levels_only else _words()).finditer(segment):
        if match.start() > pos:
            out.append(segment[pos : match.start()])
        out.append(match.group(0))
        pos = match.end()
    if pos < len(segment):
        out.append(segment[pos:])
    return [piece for piece in out if piece.strip()]


def _adjacent_words(segment: str) -> int:
    """How many times one of the form's words follows another with nothing between (一级指标二级指标):
    the mark of cells glued together, which prose and spaced columns do not have."""
    count, last_end = 0, -1
    for match in _words().finditer(segment):
        if match.start() == last_end:
            count += 1
        last_end = match.end()
    return count


def detect(lines: Sequence[str]) -> float:
    score = 0.0
    for line in lines:
        if "|" in line or "\t" in line or "指" not in line:
            continue  # glued column headers and level names all contain 指标 (指標)
        for segment in _glued_segments(line):
            score += 3 * _adjacent_words(segment)
    return score


@cache
def _tail_words() -> re.Pattern[str]:
    """A qualitative target glued to the end of its name (群众出行条件明显改善)."""
    return re.compile(f"(?P<value>{qualitative_tail()})$")


def _is_word(piece: str) -> bool:
    return bool(_words().fullmatch(piece))


_TAIL_WINDOW = 40  # a row's value is at its end; the tail regexes never scan more than this


def split_row(text: str, scored: bool) -> list[str]:
    """``享受资助人数达到预计值210010`` → name and value (and the score cut off when ``scored``)."""
    offset = max(0, len(text) - _TAIL_WINDOW)
    tail = text[offset:]
    if scored:
        run = _DIGIT_RUN.search(tail)
        if run is not None and run.start() > 0 and len(run.group(0)) <= 2:
            # …≥612公里10, …4座5, …95%以上10, …明显改善15: the digits after a unit or a word are the score.
            return split_row(text[: offset + run.start()], scored=False)
        hit = _TAIL_SCORED.search(tail)
        if hit is not None and offset + hit.start() > 0:
            # 210010: a bare target and its score glued; the score is the last one or two digits.
            return [text[: offset + hit.start()], hit.group("value")]
    for pattern in (_TAIL_DATE, _TAIL, _tail_words()):
        hit = pattern.search(tail)
        if hit is not None and offset + hit.start() > 0:
            # A 指标性质/指标方向 cell glued between name and value (…的影响定性无明显影响) is neither.
            name = _KIND_TAIL.sub("", text[: offset + hit.start()])
            return [name, hit.group("value")]
    return [text]


def _header_run(pieces: list[str], i: int) -> int:
    """How many pieces from ``i`` are the indicator table's column headers (0 when they are not)."""
    j = i
    while j < len(pieces) and _is_word(pieces[j]) and _column(pieces[j]):
        j += 1
    run = [label_key(p) for p in pieces[i:j]]
    has_value = any(k in ("指标值", "目标值", "年度指标值", "年度目标值") for k in run)
    return j - i if j - i >= 3 and (has_value or "三级指标" in run or "指标名称" in run) else 0


@cache
def _column_keys() -> frozenset[str]:
    from checker.vocabulary import vocabulary

    return frozenset(vocabulary().columns)


def _column(piece: str) -> bool:
    return label_key(piece) in _column_keys()


def recover(lines: Sequence[str], path: str) -> RawTable:
    rows: list[list[Piece]] = []
    in_table = False
    scored = False
    for n, line in enumerate(lines, 1):
        original = clean(strip_pinyin(line))
        if not original:
            continue
        text = original.translate(traditional())
        if not in_table and ((len(text) < _MIN_GLUED and not _adjacent_words(text)) or is_title(text)):
            # A short line, or the sheet's title (…项目绩效评价指标表): one cell, not cut at its words.
            rows.append([(original, n)])
            continue
        pieces = _cut_original(original, text, in_table)
        grades = None if in_table else _grade_header(pieces)
        if grades is not None:
            # A grade-scale table: the rest of the text is rows of name, description and one value a grade.
            head, k = grades
            if head:
                rows.append([(p, n) for p in head])
            rows.append([(h, n) for h in ("一级指标", "三级指标", "指标值")])
            rows.append([(c, n) for c in _grade_rows(pieces[k:])])
            in_table = True
            continue
        row: list[Piece] = []
        i = 0
        while i < len(pieces):
            run = 0 if in_table else _header_run(pieces, i)
            if run and _is_matrix(pieces, i, run):
                # One value column per place: every place becomes a sheet of its own.
                if row:
                    rows.append(row)
                rows[:] = _matrix(rows, pieces, i, run, n)
                row = []
                break
            if run:
                keys = "".join(label_key(p) for p in pieces[i : i + run])
                scored = bool(_SCORE_COLUMN.search(keys))
                in_table = True
                if row:
                    rows.append(row)
                rows.append([(h, n) for h in _HEADER])
                row = []
                # The rest of the line is table: cut again, at level names only.
                rest = "".join(pieces[i + run :])
                pieces = pieces[: i + run] + _cut_original(rest, rest.translate(traditional()), True)
                i += run
                continue
            piece = pieces[i]
            if in_table and not _is_word(piece):
                row.extend((cell, n) for cell in split_row(piece, scored))
            else:
                row.append((piece, n))
            i += 1
        if row:
            rows.append(row)
    return table(rows, path, "runon")


def _is_matrix(pieces: list[str], i: int, run: int) -> bool:
    """A header whose last column is 指标方向 followed by the places' names (not a form word)."""
    after = i + run
    return (
        label_key(pieces[after - 1]) in ("指标方向", "指标方向性")
        and after < len(pieces)
        and not _is_word(pieces[after])
        and len(regions(pieces[after])) >= 2
    )


def regions(text: str) -> list[str]:
    """``笏石街道办埭头镇`` → [笏石街道办, 埭头镇], cut after the endings of place names."""
    return _regions().findall(text)


@cache
def _regions() -> re.Pattern[str]:
    return re.compile(rf".+?(?:{region_suffixes()})(?=$|.)")


_PROJECT_LABELS = ("项目名称", "专项名称", "资金名称")


def _block_start(rows: list[list[Piece]]) -> int:
    """Where the sheet's header block (from its 项目名称 row) starts among the rows read so far."""
    for k in range(len(rows) - 1, -1, -1):
        if any(label_key(text) in _PROJECT_LABELS for text, _ in rows[k]):
            return k
    return len(rows)


def _renamed(block: list[list[Piece]], place: str) -> list[list[Piece]]:
    """The header block with the project named for one place: 项目 → 项目(笏石街道办)."""
    out: list[list[Piece]] = []
    named = False
    for row in block:
        new: list[Piece] = []
        for k, (text, line) in enumerate(row):
            after_label = k > 0 and label_key(row[k - 1][0]) in _PROJECT_LABELS
            new.append((f"{text}({place})", line) if after_label and not named else (text, line))
            named = named or after_label
        out.append(new)
    return out if named else [[("项目名称", block[0][0][1] if block else 1), (place, 1)], *out]


_VALUE_TOKEN = r"(?:\d+(?:\.\d+)?%?|是|否|完成|未完成)"
_DIRECTION = r"(?P<direction>[≥≤><]=?|=|是/否|正向|反向)?"


@cache
def _openers() -> tuple[str, ...]:
    from checker.resources import shipped_yaml

    return tuple(shipped_yaml("frameworks/vocabulary.yaml").get("explanation_openers", []))


def _matrix_row(text: str, places: int) -> tuple[str, str, str, list[str]] | None:
    """``…成本控制率(%)反映…情况≤100%100%`` → (name, explanation, direction, [value per place])."""
    offset = max(0, len(text) - _TAIL_WINDOW)
    tail = re.search(_DIRECTION + "(?P<values>" + f"(?:{_VALUE_TOKEN}){{{places}}}" + ")$", text[offset:])
    if tail is None or offset + tail.start() == 0:
        return None
    values = re.findall(_VALUE_TOKEN, tail.group("values"))
    if len(values) != places:
        # 11 for two places: the same digit count each (1 and 1), as the copy gives nothing else to go by.
        joined = tail.group("values")
        size = len(joined) // places
        values = [joined[k * size : (k + 1) * size] for k in range(places)] if size * places == len(joined) else []
    if len(values) != places:
        return None
    head = text[: offset + tail.start()]
    openers = _openers()
    cut_at = min((head.find(w, 2) for w in openers if head.find(w, 2) > 0), default=len(head))
    return head[:cut_at], head[cut_at:], tail.group("direction") or "", values


def _matrix(rows: list[list[Piece]], pieces: list[str], i: int, run: int, line: int) -> list[list[Piece]]:
    """The rows read so far, with the sheet being read repeated once per place: its header block (the
    project named for the place), a header and the rows with that place's values."""
    start = _block_start(rows)
    before, block = rows[:start], rows[start:]
    if block:
        # A run-on copy glues the text above the form (an allocation notice, its annexes) onto the
        # 项目名称 row: that text stays before the sheet, once, not repeated in every place's sheet.
        at = next((k for k, (text, _) in enumerate(block[0]) if label_key(text) in _PROJECT_LABELS), 0)
        if at:
            before, block = [*before, block[0][:at]], [block[0][at:], *block[1:]]
    if block and len(block[-1]) > 0:
        block[-1] = [p for p in block[-1] if p[0] not in pieces[i:]]
    places = regions(pieces[i + run])
    body = "".join(pieces[i + run + 1 :])
    cells = cut(body.translate(traditional()), levels_only=True)
    parsed: list[tuple[list[str], tuple[str, str, str, list[str]]]] = []
    levels: list[str] = []
    for piece in cells:
        if _is_word(piece) or _level_words().fullmatch(piece):
            levels.append(piece)
            continue
        found = _matrix_row(piece, len(places))
        if found is not None:
            parsed.append((levels, found))
        levels = []
    out = list(before)
    for k, place in enumerate(places):
        out.extend(_renamed(block, place))
        out.append([(h, line) for h in ("一级指标", "二级指标", "三级指标", "指标解释", "指标值")])
        for lv, (name, explanation, direction, values) in parsed:
            value = values[k] if direction in ("", "是/否", "正向", "反向") else direction + values[k]
            out.append([*((x, line) for x in lv), (name, line), (explanation or "—", line), (value, line)])
    return out


@cache
def _grade_words() -> tuple[str, ...]:
    from checker.resources import shipped_yaml

    return tuple(shipped_yaml("frameworks/vocabulary.yaml").get("grade_headers", []))


def _grade_header(pieces: list[str]) -> tuple[list[str], int] | None:
    """(the pieces before the table, where its rows start) when a piece ends with a grade header."""
    for k, piece in enumerate(pieces):
        text = piece.translate(traditional())
        if any(text.endswith(words) for words in _grade_words()):
            return pieces[: max(0, k - 6)], k + 1
    return None


_GRADES = 4  # every scale in grade_headers has four grades


def _grade_rows(pieces: list[str]) -> list[str]:
    """Level names and (name, first grade's value) pairs from the glued rows of a grade-scale table."""
    body = "".join(pieces)
    cells: list[str] = []
    value = r"\d+(?:\.\d+)?%?"
    for piece in _cut_original(body, body.translate(traditional()), levels_only=True):
        if _level_words().fullmatch(piece):
            cells.append(piece)
            continue
        pos = 0
        for group in re.finditer(rf"(?:{value}){{{_GRADES}}}", piece):
            name = piece[pos : group.start()].strip(" ,，")
            first = re.match(value, group.group(0))
            if name and first is not None:
                cells.extend([name, first.group(0)])
            pos = group.end()
    return cells


def _cut_original(original: str, text: str, levels_only: bool = False) -> list[str]:
    """Cut the original at the places the simplified copy is cut (the copy is the same length)."""
    out: list[str] = []
    pos = 0
    for piece in cut(text, levels_only):
        start = text.index(piece, pos)
        word = (_level_words() if levels_only else _words()).fullmatch(piece)
        pos = start + len(piece)
        if word:
            out.append(piece)
            continue
        kept = original[start:pos]
        if not loose_key(kept):
            continue  # (50分), (必填): a label's suffix, cut off with the label before it
        out.extend(p for p in _AMOUNT_LEAD.match(kept).groups() if p)  # type: ignore[union-attr]
    return out


FAMILY = Family("runon", "粘连成行", detect, recover)

"""Never a silent pass: what was found in a document but not read is said, not dropped.

- A document with goal-sheet markers (rules/frameworks/vocabulary.yaml ``markers``) from which no
  indicator was read gets an *unread* placeholder sheet with an error (PRS004) at the first marker: a
  layout jixiao cannot read must not look like a clean file.
- A file the user named (not one found by walking a folder) that holds no goal sheet and no marker gets
  a placeholder with a warning (PRS006): the user expected one there.
- A last sheet whose indicator table the document cuts off gets a warning (PRS005).

Enough evidence is a column head of the indicator table standing as a cell of its own (一级指标, 指标值),
or two different marker words within a few rows of each other; one 绩效目标表 in a budget narrative is
neither.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import replace

from checker.frozen import frozen
from checker.model import GoalSheet, Location, ParseProblem
from checker.readers.raw import RawDocument, RawTable
from checker.text import label_key, strip_pinyin
from checker.vocabulary import marker_words

UNREAD, INCOMPLETE, NO_SHEET = "PRS004", "PRS005", "PRS006"


@frozen
class Marker:
    """One marker word where it stands; ``header`` when it is a column head in a cell of its own."""

    word: str
    location: Location
    row: int  # the row's position in the document, counting every table's rows in order
    header: bool


def _key(text: str) -> str:
    # label_key without its cache: whole text lines would only push the parser's labels out of it.
    return str(label_key.__wrapped__(strip_pinyin(text)))


def _pieces(table: RawTable, start: int = 0) -> Iterator[tuple[int, str, Location]]:
    for i, row in enumerate(table.rows[start:], start):
        for cell in row.non_empty():
            if cell.origin is not None:  # a merged range's copy says nothing new
                continue
            for piece in cell.text.replace("｜", "|").split("|"):
                if piece.strip():
                    yield i, piece, cell.location


def find_markers(doc: RawDocument) -> list[Marker]:
    """Every marker word in the document, in reading order (each word once per piece of text)."""
    vocab = marker_words()
    found: list[Marker] = []
    offset = 0
    for table in doc.tables:
        for i, piece, location in _pieces(table):
            key = _key(piece)
            for word in vocab.words:
                if word in key:
                    found.append(Marker(word, location, offset + i, key == word and word in vocab.table_header))
        offset += len(table.rows)
    return found


def evidence(markers: Sequence[Marker], window: int | None = None) -> list[Marker]:
    """The markers that show a goal sheet is there — the first table header standing alone, or the first
    two different words within ``window`` rows — or [] when they do not."""
    window = marker_words().window if window is None else window
    header = next((m for m in markers if m.header), None)
    if header is not None:
        return [header, *(m for m in markers if m.word != header.word and abs(m.row - header.row) <= window)]
    # One pass with the window's left edge: markers in reading order, so those that fell out of the
    # window never come back, and all markers left in it share one word until a different one arrives.
    left = 0
    for i, later in enumerate(markers):
        while later.row - markers[left].row > window:
            left += 1
        if left < i and markers[i - 1].word != later.word:
            earlier = markers[left]  # the window's markers all share markers[i - 1]'s word
            return [earlier, *(m for m in markers[i:] if m.row - earlier.row <= window)]
    return []


def _layouts_tried(doc: RawDocument) -> tuple[str, str]:
    """What the reader tried, in zh and en, for the message."""
    if doc.kind != "text":
        return ("按单元格标签查找指标表表头（一级指标、二级指标、三级指标、指标值）和平铺导出的“项目名称”列",
                "looked for the indicator table's header (一级指标, 二级指标, 三级指标, 指标值) and for a flat "
                "export's 项目名称 column by cell labels")  # fmt: skip
    from checker.layout import choose, families, text_lines

    family, score = choose(text_lines(doc)) if len(doc.tables) == 1 else (None, 0.0)
    chosen = family.name if family is not None and score > 0 else None
    zh = "、".join(f.title_zh + ("（选用）" if f.name == chosen else "") for f in families())
    en = ", ".join(f.name + (" (chosen)" if f.name == chosen else "") for f in families())
    return f"已尝试的版式识别：{zh}", f"layouts tried: {en}"


def where(location: Location) -> tuple[str, str]:
    """A location as words, zh and en: 第 12 行 / line 12, 工作表「表1」B3 / worksheet '表1' B3."""
    if location.page is not None:
        spot = location.cell or (f"第 {location.line} 行" if location.line is not None else "")
        spot_en = location.cell or (f"line {location.line}" if location.line is not None else "")
        return f"第 {location.page} 页 {spot}".rstrip(), f"page {location.page} {spot_en}".rstrip()
    if location.cell is not None:
        sheet = location.sheet or ""
        return f"工作表「{sheet}」{location.cell}", f"worksheet {sheet!r} {location.cell}"
    if location.line is not None:
        prefix = (f"工作表「{location.sheet}」", f"worksheet {location.sheet!r} ") if location.sheet else ("", "")
        return f"{prefix[0]}第 {location.line} 行", f"{prefix[1]}line {location.line}"
    return "文件开头", "the start of the file"


def _unread_problem(found: Sequence[Marker], tried: tuple[str, str], at: Location, project: str = "") -> ParseProblem:
    words = "、".join(dict.fromkeys(m.word for m in found[:6]))
    at_zh, at_en = where(at)
    tried_zh, tried_en = tried
    name_zh, name_en = (f"项目「{project}」的", f" of project '{project}'") if project else ("", "")
    return ParseProblem(
        UNREAD,
        f"{at_zh}起有{name_zh}绩效目标表（见到：{words}），但未能读出任何指标；{tried_zh}，均未读出指标。"
        "请将该表另存为 xlsx，或整理为以制表符分隔的文本后重新检查；如是常见版式，请把文件反馈给维护者。",
        f"a goal sheet{name_en} starts at {at_en} (found: {words}) but no indicator could be read from it; "
        f"{tried_en}; none gave an indicator. Save the sheet as .xlsx or as tab-separated text and check again, "
        "or report the layout to the maintainers.",
        at,
    )


def unread_sheet(doc: RawDocument, found: Sequence[Marker]) -> GoalSheet:
    """The placeholder for a goal sheet that is there but could not be read, located at its first marker."""
    at = found[0].location
    problem = _unread_problem(found, _layouts_tried(doc), at)
    return GoalSheet(project="", location=at, problems=(problem,), source_kind=doc.kind, unread=True)


def _position(location: Location, order: dict[str | None, int]) -> tuple[int, int]:
    """Where a location stands in reading order: (its table, its row or line)."""
    row = location.row
    return order.get(location.sheet, 0), row or 0


def mark_unread(
    doc: RawDocument, sheets: Sequence[GoalSheet], markers: Sequence[Marker], found: Sequence[Marker]
) -> list[GoalSheet]:
    """Sheets whose header was read but not one indicator: unread too (no rule judges an empty table), each
    with the error located at its first marker — its indicator table's header, when there is one."""
    order = {t.name: i for i, t in enumerate(doc.tables)}
    starts = [_position(s.location, order) for s in sheets]
    tried = _layouts_tried(doc)
    out = []
    # Markers and sheets are both in reading order: each sheet's markers are one slice of the list.
    positions = [_position(m.location, order) for m in markers]
    for i, sheet in enumerate(sheets):
        end = starts[i + 1] if i + 1 < len(sheets) else (len(doc.tables), 1 << 62)
        inside = markers[bisect_left(positions, starts[i]) : bisect_left(positions, end)]
        first = next((m for m in inside if m.header), inside[0] if inside else None)
        at = first.location if first is not None else sheet.location
        problem = _unread_problem(found, tried, at, sheet.project)
        out.append(replace(sheet, unread=True, problems=(*sheet.problems, problem)))
    return out


def no_sheet(doc: RawDocument) -> GoalSheet:
    """The placeholder for a named file in which no goal sheet and no marker was found."""
    first = doc.tables[0] if doc.tables else None
    if doc.kind == "text" or first is None:
        location = Location(doc.source, line=1)
    else:
        location = Location(doc.source, sheet=first.name, cell="A1")
    problem = ParseProblem(
        NO_SHEET,
        "文件中未找到绩效目标表（没有“项目名称”“一级指标”“指标值”等表头）。如果其中有绩效目标表，"
        "请另存为 xlsx 或以制表符分隔的文本后重新检查；否则不必检查此文件。",
        "no goal sheet in this file (no 项目名称, 一级指标 or 指标值 label was found). If it holds one, save it "
        "as .xlsx or tab-separated text and check again; otherwise leave this file out.",
        location,
    )
    return GoalSheet(project="", location=location, problems=(problem,), source_kind=doc.kind, unread=True)


def _is_level_label(text: str) -> bool:
    from checker.frameworks import names
    from checker.vocabulary import vocabulary

    fw = names()
    key = label_key(text)
    return (fw.canon_level1(text) is not None or fw.canon_level2(text) is not None
            or key in vocabulary().indicator_block)  # fmt: skip


def _after(doc: RawDocument, location: Location) -> Iterator[tuple[str, Location]]:
    """The non-empty pieces of text after ``location``'s row (in its table, then in every later table)."""
    line = location.row
    started = False
    for table in doc.tables:
        if started:
            yield from ((piece, at) for _, piece, at in _pieces(table))
        elif table.name == location.sheet and line is not None:
            started = True
            # Rows are in reading order: the first row past the location's starts what follows it.
            first = next((i for i, row in enumerate(table.rows) if (row.location.line or 0) > line), len(table.rows))
            yield from ((piece, at) for _, piece, at in _pieces(table, first))


def cut_off(doc: RawDocument, sheet: GoalSheet) -> ParseProblem | None:
    """The document ends inside ``sheet``'s indicator table: after its last indicator only 一级/二级 labels
    follow to the end (a group begun with nothing under it), or nothing follows and the last indicator
    has a name but no value. A complete table is followed by its next group's indicators, by other text,
    or by nothing after a filled-in value."""
    if not sheet.indicators or doc.kind != "text":
        return None  # a workbook or a Word file is not cut off by copying a page; a text is
    last = sheet.indicators[-1]
    rest = list(_after(doc, last.location))
    if rest and all(_is_level_label(text) for text, _ in rest):
        labels = "、".join(dict.fromkeys(text.strip() for text, _ in rest))
        at_zh, at_en = where(rest[0][1])
        return ParseProblem(
            INCOMPLETE,
            f"输入不完整：指标表在{at_zh}的「{labels}」之后结束，其下没有任何指标，文本可能被截断。"
            "请核对原表，补全后重新检查。",
            f"incomplete input: the indicator table ends at {at_en} after '{labels}' with no indicator under it; "
            "the text was probably cut off. Compare with the original sheet and check the complete one.",
            rest[0][1],
        )
    if not rest and not last.value.raw.strip():
        at_zh, at_en = where(last.location)
        return ParseProblem(
            INCOMPLETE,
            f"输入不完整：文件在{at_zh}的指标「{last.name}」之后结束，该指标没有指标值，文本可能被截断。"
            "请核对原表，补全后重新检查。",
            f"incomplete input: the file ends at {at_en} right after the indicator '{last.name}', which has no "
            "value; the text was probably cut off. Compare with the original sheet and check the complete one.",
            last.location,
        )
    if not rest and last.level1 is not None and last.level1 != _LAST_LEVEL1 and _LAST_LEVEL1 not in _level1s(sheet):
        # Nothing follows a row of an earlier group and the sheet never reached 满意度指标, the group every
        # form ends with: the copy stops mid-table (the corpus pages keep their first 2,000 characters).
        at_zh, at_en = where(last.location)
        return ParseProblem(
            INCOMPLETE,
            f"输入不完整：文件在{at_zh}的「{last.level1}」指标「{last.name}」之后结束，表中没有满意度指标部分，"
            "文本可能被截断。请核对原表，补全后重新检查。",
            f"incomplete input: the file ends at {at_en} inside '{last.level1}' after '{last.name}', before any "
            "satisfaction group; the text was probably cut off. "
            "Compare with the original sheet and check the complete one.",
            last.location,
        )
    return None


_LAST_LEVEL1 = "满意度指标"  # the 一级 both frameworks print last


def _level1s(sheet: GoalSheet) -> set[str | None]:
    return {ind.level1 for ind in sheet.indicators} | {l1 for l1, _ in sheet.groups}


def _is_review_workbook(doc: RawDocument) -> bool:
    # jixiao's own review workbook lists indicators under 一级指标/二级指标 headers; one left in a folder of
    # submissions is not an unreadable goal sheet.
    return {"问题清单", "指标明细"} <= {t.name for t in doc.tables}


def never_silent(doc: RawDocument, sheets: list[GoalSheet], *, named: bool = False) -> list[GoalSheet]:
    """``sheets`` with what was found but not read said: see the module docstring. ``named`` is True for a
    file the user named; files found by walking a folder that hold nothing stay quiet."""
    if any(s.indicators for s in sheets):
        # Markers far beyond the sheets that were read are not chased: the sheets already speak for the file.
        problem = cut_off(doc, sheets[-1])
        if problem is None:
            return sheets
        # Sheets read from the same rows (one per place of a matrix, each with its own value column) end
        # where the last one ends: the cut is theirs too.
        end = sheets[-1].indicators[-1].location if sheets[-1].indicators else None
        return [
            replace(s, problems=(*s.problems, problem))
            if s is sheets[-1] or (end is not None and s.indicators and s.indicators[-1].location == end)
            else s
            for s in sheets
        ]
    markers = [] if _is_review_workbook(doc) else find_markers(doc)
    found = evidence(markers)
    if found:
        return mark_unread(doc, sheets, markers, found) if sheets else [unread_sheet(doc, found)]
    if named and not sheets:
        return [no_sheet(doc)]
    return sheets


__all__ = ["Marker", "cut_off", "evidence", "find_markers", "marker_words", "never_silent", "where"]

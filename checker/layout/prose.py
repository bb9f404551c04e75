"""Prose: indicators written into sentences — numbered lists (``1、数量指标:资助建档立卡贫困子女1966人。``)
or news copy (``在产出指标方面,要求……个数≥300个,……覆盖率≥90%``).

Only clauses that follow a level name (产出指标, 数量指标 …) in the same paragraph are read, and only those
that end in a value the grammar reads as a number with its unit; the narrative's other numbers (资金96729万元)
stay narrative. The recovered table is a sequence of level names and name/value pairs under a synthetic
header, so the sequence reader places them like any other; each indicator is marked ``method: "prose"``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from checker.layout import Family
from checker.layout.base import DEADLINE, Piece, qualitative_tail, table, traditional
from checker.lazyre import lazy
from checker.readers.raw import RawTable
from checker.text import clean, label_key, strip_pinyin
from checker.vocabulary import PARAPHRASE

_CLAUSE = lazy(r"[,，;；。!！]")
# A clause that ends in a value: the name, then an optional comparator word, a number and a short unit.


@cache
def _indicator() -> re.Pattern[str]:
    """A clause that ends in a value: the name, then a comparator (a symbol or one of the value grammar's
    words: 不低于, 较上年提高 …), a number and a short unit."""
    from checker.parse.values import comparator_words

    words = "|".join(re.escape(w) for w in comparator_words())
    return re.compile(
        r"^(?P<name>.*?[^\d.%])\s*"
        rf"(?P<value>(?:[≥≤><]=?|=|{words})?\s*\d[\d,]*(?:\.\d+)?\s*"
        r"(?:%|‰)?[^\d,，。;；、:：]{0,8})$"
    )


_HEADER = ("一级指标", "二级指标", "三级指标", "指标值")
# A deadline ends the clause: 完工时间:2024年12月31日前 (the number grammar would take 31日前 alone).
_DATED = lazy(rf"^(?P<name>.*?[^\d:：])[:：]?\s*(?P<value>{DEADLINE})$")
_NAME_PUNCTUATION = ' :：【】[]「」『』"“”'
_MAX_CLAUSE = 200  # an indicator is a short clause; longer text is narrative (and bounds the regex)


@cache
def _level_pattern() -> re.Pattern[str]:
    """Every 一级 and 二级 name and alias of the frameworks, longest first, as one alternation."""
    from checker.frameworks import framework, framework_ids

    words: set[str] = set()
    for fw_id in framework_ids():
        fw = framework(fw_id)
        for _, canon in (*fw.level1_aliases, *fw.level2_aliases):
            words.add(canon)
    # Only full names (…指标): a bare 数量 or 质量 inside a sentence is an ordinary word.
    names = sorted((w for w in words if w.endswith("指标")), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in names))


def read_line(line: str) -> list[str]:
    """One paragraph → level names and name/value cells, in order; [] when it holds no indicator."""
    # Names and values keep the script they were written in; the level names are looked for in a copy
    # with the form's words in simplified script (數量指標 → 数量指标). The translation maps one
    # character to one, so offsets in the copy are offsets in the original.
    if "指" not in line:
        return []  # every level name ends in 指标 (指標): a cheap test before normalising the line
    original = clean(strip_pinyin(line))
    text = original.translate(traditional())
    pattern = _level_pattern()
    first = pattern.search(text)
    if first is None:
        return []
    cells: list[str] = []
    found = 0
    base = start = first.start()
    for piece in _CLAUSE.finditer(text[base:] + "。"):
        end = base + piece.start()
        clause, clause_text = original[start:end], text[start:end]
        start = base + piece.end()
        while clause_text.strip():
            match = pattern.search(clause_text)
            if match is None:
                break
            cells.append(match.group(0))
            # 1、数量指标:… / 在产出指标方面 — what follows the level name (after a colon) is the clause.
            cut = match.end() + (len(clause_text[match.end() :]) - len(clause_text[match.end() :].lstrip(":： 方面")))
            clause, clause_text = clause[cut:], clause_text[cut:]
        clause = clause.strip()
        if not clause:
            continue
        hit = _DATED.match(clause) or _indicator().match(clause) or _qualitative().match(clause)
        if hit is not None and len(clause) <= _MAX_CLAUSE and hit.group("name").strip(_NAME_PUNCTUATION):
            name = _without_filler(hit.group("name").strip(_NAME_PUNCTUATION))
            cells.extend([name, hit.group("value").strip()])
            found += 1
    return cells if found else []


@cache
def _qualitative() -> re.Pattern[str]:
    """A clause ending in a qualitative target (…获得感显著提升)."""
    return re.compile(rf"^(?P<name>.{{2,40}}?)(?P<value>{qualitative_tail()})$")


@cache
def _fillers() -> tuple[str, ...]:
    from checker.resources import shipped_yaml

    return tuple(shipped_yaml("frameworks/vocabulary.yaml").get("prose_fillers", []))


def _without_filler(name: str) -> str:
    for word in _fillers():
        if name.startswith(word) and len(name) > len(word) + 1:
            return name[len(word) :].lstrip(":：,， ")
    return name


_NUMBERING = r"^\s*(?:[一二三四五六七八九十]+、|\d+[.、]|[(（][一二三四五六七八九十\d]+[)）])?\s*"
_LABEL_LINE = lazy(_NUMBERING + r"(?P<label>[^:：]{2,12})(?:[:：](?P<value>.+))?$")
_AMOUNT = lazy(r"\d[\d,]*(?:\.\d+)?\s*(?:万元|元|万)")


def label_line(line: str, following: str | None) -> tuple[list[str], bool]:
    """``一、项目名称：…`` or a heading ``一、项目名称`` over its value on the next line → ([label, value],
    whether the next line was used), when the label is one of the form's header labels: these lines name
    the project and its funding around the prose. A funding value keeps only its amount (财政资金326.4万元。)."""
    from checker.text import label_key, loose_key
    from checker.vocabulary import vocabulary

    match = _LABEL_LINE.match(clean(strip_pinyin(line)))
    if match is None:
        return [], False
    vocab = vocabulary()
    label = match.group("label").strip()
    key = loose_key(label)
    if not (vocab.is_label(key) or key in vocab.header or vocab.is_label(label_key(label))):
        return [], False
    value, used = match.group("value"), False
    if value is None:
        if following is None or not following.strip() or label_line(following, None)[0]:
            # 二、绩效目标 over 总体目标：…: a heading over a labelled line of its own, not over its value.
            return [], False
        value, used = following, True
    if vocab.total_unit(key) is not None:
        amount = _AMOUNT.search(clean(strip_pinyin(value)).translate(traditional()))
        value = amount.group(0) if amount else value
    # The label as the vocabulary writes it (資金來源及規模 → 资金来源及规模), the value as printed.
    return [label.translate(traditional()), value.strip().rstrip("。")], used


def detect(lines: Sequence[str]) -> float:
    return 1.5 * sum(len(read_line(line)) // 2 for line in lines if "|" not in line and "\t" not in line)


@cache
def _news() -> tuple[tuple[re.Pattern[str], ...], re.Pattern[str]]:
    from checker.resources import shipped_yaml

    data = shipped_yaml("frameworks/vocabulary.yaml")
    return tuple(re.compile(p) for p in data["news_sheet"]), re.compile(data["news_funding"])


def _named(lines: Sequence[str]) -> tuple[int, str] | None:
    """(line, project) of the first news_sheet pattern, in the vocabulary's order, that any line matches."""
    texts = [clean(line) for line in lines]
    for pattern in _news()[0]:
        for n, text in enumerate(texts, 1):
            if found := pattern.search(text):
                return n, found.group("project").strip()
    return None


def news_header(lines: Sequence[str]) -> list[list[Piece]]:
    """News copy and announcements (财政部下达…资金96729万元 … 根据…整体绩效目标表; 关于…绩效目标的公告): the
    project the quoted goal table or the headline names, and the amount announced for it, as the rows a
    form would print."""
    named = _named(lines)
    funding = _news()[1]
    if named is not None:
        n, project = named
        rows: list[list[Piece]] = [[("项目名称", n), (project, n)]]
        for m, other in enumerate(lines, 1):
            text = clean(other)
            amount = funding.search(text) if project in text else None
            if amount is not None:
                rows.append([("年度资金总额", m), (amount.group("amount"), m)])
                break
        return rows
    return []


_LEAD_PUNCTUATION = " ,，:：;；。()（）【】"
_SENTENCE_LEAD = 4  # characters of sentence before the first level name: it is named inside a sentence


def in_sentence(line: str) -> bool:
    """The first level name of an indicator paragraph stands inside a sentence (``……,在产出指标方面,要求``),
    not as the paragraph's label (``(一)产出指标``, ``1、数量指标:``, ``绩效指标:产出指标…``): the text
    tells of a goal sheet rather than printing one."""
    from checker.layout.base import form_words

    text = clean(strip_pinyin(line)).translate(traditional())
    first = _level_pattern().search(text)
    if first is None:
        return False
    lead = re.sub(_NUMBERING, "", text[: first.start()]).strip(_LEAD_PUNCTUATION)
    return len(lead) >= _SENTENCE_LEAD and label_key(lead) not in form_words()


def _fields_end(rows: list[list[Piece]]) -> int:
    """Where the header fields above a table end: before the goal and indicator-block labels (三、绩效目标)
    that lead into it."""
    from checker.vocabulary import vocabulary

    vocab = vocabulary()
    lead_in = vocab.goals | vocab.indicator_block
    k = len(rows)
    while k > 0 and rows[k - 1] and label_key(rows[k - 1][0][0]) in lead_in:
        k -= 1
    return k


def recover(lines: Sequence[str], path: str) -> RawTable:
    rows: list[list[Piece]] = news_header(lines)
    header: int | None = None  # where the current sheet's header fields end (before its goals and table)
    skip = False
    told = 0  # indicator paragraphs whose level names stand inside sentences
    printed = 0
    for n, line in enumerate(lines, 1):
        if skip:
            skip = False
            continue
        cells = read_line(line)
        if cells:
            told, printed = (told + 1, printed) if in_sentence(line) else (told, printed + 1)
            if header is None:
                # The header the sequence reader needs, just before the first indicator: the labelled lines
                # above it (项目名称, 资金规模) stay in the sheet's header block.
                header = _fields_end(rows)
                rows.append([(h, n) for h in _HEADER])
            rows.append([(cell, n) for cell in cells])
            continue
        cells, skip = label_line(line, lines[n] if n < len(lines) else None)
        if not cells:
            continue
        if header is None or label_key(cells[0]) == "项目名称":
            rows.append([(cell, n) for cell in cells])
            header = None  # a 项目名称 after the indicators opens the next sheet
        else:
            # 四、实施单位:… after the indicators is the sheet's header field, not an indicator row.
            rows.insert(header, [(cell, n) for cell in cells])
            header += 1
    # Most indicator paragraphs tell of the sheet in sentences: the text paraphrases a goal sheet (news copy).
    return table(rows, path, "prose", document_type=PARAPHRASE if told > printed else None)


FAMILY = Family("prose", "散文/新闻稿", detect, recover)

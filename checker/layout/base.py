"""What the layout families share: building a table from cells, and knowing a form's words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from checker.lazyre import lazy
from checker.model import Location
from checker.readers.raw import RawCell, RawRow, RawTable
from checker.text import label_key, loose_key

# A cell as a family finds it: its text and the line it starts on.
Piece = tuple[str, int]


def table(
    rows: Iterable[list[Piece]], path: str, layout: str, positional: bool = False, document_type: str | None = None
) -> RawTable:
    """Rows of (text, line) pieces → a RawTable; columns are the pieces' order within their row."""
    out: list[RawRow] = []
    for pieces in rows:
        if not pieces:
            continue
        cells = tuple(
            RawCell(text, col, Location(path, line=line, column=col)) for col, (text, line) in enumerate(pieces, 1)
        )
        out.append(RawRow(cells, Location(path, line=pieces[0][1])))
    return RawTable(None, tuple(out), positional=positional, layout=layout, document_type=document_type)


@cache
def form_words() -> frozenset[str]:
    """Every label key of the form: header fields, funding, goals, column headers and level names."""
    from checker.frameworks import names
    from checker.vocabulary import vocabulary

    vocab, fw = vocabulary(), names()
    words: set[str] = set()
    for mapping in (vocab.header, vocab.sources, vocab.texts, vocab.columns):
        words.update(mapping)
    words.update(vocab.funding_block | vocab.funding_total | vocab.goals | vocab.indicator_block)
    # 资金情况（万元）, 项目预算金额（万元）: the unit is part of the label.
    words.update(w + tail for w in vocab.funding_block | vocab.funding_total for tail in ("元", "万元"))
    words.update(fw.level1)
    words.update(fw.level2)
    return frozenset(w for w in words if w)


def is_form_word(text: str) -> bool:
    if len(text) > 40:
        return False
    words = form_words()
    return label_key(text) in words or loose_key(text) in words


_SEPARATOR_ONLY = lazy(r"^[\s|]*$")


def blank(line: str) -> bool:
    return not line.strip() or bool(_SEPARATOR_ONLY.match(line))


# A deadline at the end of a cell or clause: 2022年12月31日前, 2024年底, 12月底前 (the number grammar alone
# would take 31日前).
DEADLINE = r"(?:[0-9]{4}年(?:[0-9]{1,2}月)?|[0-9]{1,2}月)(?:[0-9]{1,2}日)?(?:底|末)?(?:前|之前|以前)?"


def traditional() -> dict[int, str]:
    """The form's words in traditional script → simplified, for ``str.translate``: one character for one,
    so offsets in a translated copy are offsets in the original (the table the label loosening uses)."""
    from checker.text import traditional_table

    return traditional_table()


@cache
def region_suffixes() -> str:
    """vocabulary.yaml's ``region_suffixes`` as one alternation, longest first (街道办事处 before 街道)."""
    from checker.resources import shipped_yaml

    suffixes = sorted(shipped_yaml("frameworks/vocabulary.yaml").get("region_suffixes", []), key=len, reverse=True)
    return "|".join(re.escape(x) for x in suffixes)


@cache
def place_name() -> re.Pattern[str]:
    """A place's name as a matrix header prints it (安阳街道, 埭头镇)."""
    return re.compile(rf"[\u4e00-\u9fff]{{1,8}}(?:{region_suffixes()})")


@cache
def qualitative_tail() -> str:
    """vocabulary.yaml's ``qualitative_tail``: a qualitative target that ends a clause (…明显改善)."""
    from checker.resources import shipped_yaml

    return str(shipped_yaml("frameworks/vocabulary.yaml")["qualitative_tail"])

"""Score the parser against the real-sheet corpus in tests/data/corpus (hand-read truth per page text).

Run ``python -m tests.corpus_score [FILE…]`` for a per-file table; the tests use ``score_file`` and
``score_corpus``. A truth indicator counts as found when a parsed indicator has the same name and the
same value (see ``names_match`` and ``values_match``); placement and value accuracy are measured on the
found ones only, so a parser that finds little is judged by recall first.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from checker.model import GoalSheet, Indicator

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"

# Below this length a name inside another is a coincidence (数量 in 培训数量), not the same indicator.
MIN_CONTAINED = 4

# Kinds that mean "no target was set": the truth calls them all `empty`; `not_applicable` is a kind the
# parser may grow (不适用), so compare by string rather than by a member that may not exist yet.
BLANK_KINDS = frozenset({"empty", "not_applicable"})

# Traditional → simplified for every traditional character in the two traditional pages (03, 17), whose
# truth was written in simplified Chinese. Built from those texts only, so that the test needs no
# conversion library; a character missing here makes test_traditional_truth_occurs_in_text fail.
T2S: dict[str, str] = dict(
    zip(
        "來傳價優內務區問單國報學實將專對屬戶據數時會標檔權歸況滿濟準現產發盡眾確簡經總績繼續職脫臨與舉萬蓋號術"
        "補規設評認說調請讀財貧責費資質較載轉農進達適選還閱關銀難頁項預領類體點業應",
        "来传价优内务区问单国报学实将专对属户据数时会标档权归况满济准现产发尽众确简经总绩继续职脱临与举万盖号术"
        "补规设评认说调请读财贫责费资质较载转农进达适选还阅关银难页项预领类体点业应",
        strict=True,
    )
)
_T2S_TABLE = str.maketrans(T2S)

_SYLLABLE = "[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}"
# The traditional pages carry the pinyin reading after many characters: 項(xiàng)目.
_READING = re.compile(rf"\({_SYLLABLE}\)")
# Where transcoding lost a character together with the "(" of its reading, only `?guó)` is left; the
# truth has the character (享受?chē)?guó)家 → 享受国家), so the mark is kept as a `?` wildcard.
_LOST_READING = re.compile(rf"\?{_SYLLABLE}\)")
LOST = "?"
_SPACE = re.compile(r"[\s|]+")
_NAME_PREFIX = re.compile(r"^指标\d+:")  # after NFKC, so the full-width colon is already ":"

# A page counts as traditional script when this share of its Han characters are keys of T2S: the
# simplified pages score well under 1 % (a stray 於 or 著), the two traditional ones over 20 %.
TRADITIONAL_SHARE = 0.1


@dataclass(frozen=True, slots=True)
class TruthIndicator:
    level1: str | None
    level2: str | None
    name: str
    raw: str
    kind: str
    comparator: str | None
    number: Decimal | None
    unit: str | None


@dataclass(frozen=True, slots=True)
class TruthSheet:
    project: str
    funding_total: Decimal | None
    funding_unit: str | None
    indicators: tuple[TruthIndicator, ...]


@dataclass(frozen=True, slots=True)
class Truth:
    source_file: str
    complete: bool
    sheets: tuple[TruthSheet, ...]

    @property
    def indicators(self) -> tuple[TruthIndicator, ...]:
        return tuple(ind for sheet in self.sheets for ind in sheet.indicators)


@dataclass(frozen=True, slots=True)
class FileScore:
    """Counts for one file (or, from ``total``, for several); the ratios derive from them."""

    name: str
    complete: bool
    truth_sheets: int
    parsed_sheets: int
    truth_indicators: int
    parsed_indicators: int
    matched: int
    placed: int
    accurate: int
    missed: tuple[str, ...] = ()
    misplaced: tuple[str, ...] = ()
    inaccurate: tuple[str, ...] = ()

    @property
    def recall(self) -> float:
        return self.matched / self.truth_indicators if self.truth_indicators else 1.0

    @property
    def placement(self) -> float | None:
        return self.placed / self.matched if self.matched else None

    @property
    def value_accuracy(self) -> float | None:
        return self.accurate / self.matched if self.matched else None

    @property
    def precision(self) -> float | None:
        return self.matched / self.parsed_indicators if self.parsed_indicators else None


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError(f"not a number: {value!r}")
    return Decimal(value)


def truth_from_json(data: dict[str, Any]) -> Truth:
    """The truth shape of the corpus README; numbers must have been read as Decimal (parse_float)."""
    sheets = tuple(
        TruthSheet(
            project=sheet["project"],
            funding_total=_decimal(sheet.get("funding_total")),
            funding_unit=sheet.get("funding_unit"),
            indicators=tuple(
                TruthIndicator(
                    level1=ind["level1"],
                    level2=ind["level2"],
                    name=ind["name"],
                    raw=ind["raw"],
                    kind=ind["kind"],
                    comparator=ind["comparator"],
                    number=_decimal(ind["number"]),
                    unit=ind["unit"],
                )
                for ind in sheet["indicators"]
            ),
        )
        for sheet in data["sheets"]
    )
    truth = Truth(source_file=data["source_file"], complete=bool(data["complete"]), sheets=sheets)
    if "indicator_count" in data and data["indicator_count"] != len(truth.indicators):
        raise ValueError(f"{truth.source_file}: indicator_count {data['indicator_count']} ≠ {len(truth.indicators)}")
    return truth


def load_truth(path: Path) -> Truth:
    # Decimal, not float: 1346.0088 must compare equal to the parser's Decimal("1346.0088").
    return truth_from_json(json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal))


def is_traditional(text: str) -> bool:
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    return bool(han) and sum(ch in T2S for ch in han) / len(han) >= TRADITIONAL_SHARE


def normalise(text: str | None, *, traditional: bool = False) -> str:
    """NFKC, no whitespace or `|`; on a traditional page also simplified, readings dropped, lost marks kept."""
    if text is None:
        return ""
    out = unicodedata.normalize("NFKC", text)
    if traditional:
        out = _LOST_READING.sub(LOST, out)
        out = _READING.sub("", out).translate(_T2S_TABLE)
    return _SPACE.sub("", out)


def normalise_name(text: str, *, traditional: bool = False) -> str:
    return _NAME_PREFIX.sub("", normalise(text, traditional=traditional))


def _pattern(parsed: str, traditional: bool) -> re.Pattern[str]:
    if not traditional:
        return re.compile(re.escape(parsed))
    return re.compile("".join(".?" if ch == LOST else re.escape(ch) for ch in parsed))


def _same(parsed: str, truth: str, traditional: bool) -> bool:
    """Equal normalised strings; on a traditional page a lost mark in ``parsed`` stands for 0 or 1 character."""
    return parsed == truth or (traditional and LOST in parsed and bool(_pattern(parsed, True).fullmatch(truth)))


def _truth_within(parsed: str, truth: str, traditional: bool) -> bool:
    if truth in parsed:
        return True
    if not (traditional and LOST in parsed):
        return False
    lenient = "".join(rf"\?*(?:{re.escape(ch)}|\?)" for ch in truth)
    return re.search(lenient, parsed) is not None


def names_match(parsed: str, truth: str, *, traditional: bool = False) -> int:
    """2 when the normalised names are equal, 1 when one holds the other (both long enough), else 0."""
    if _same(parsed, truth, traditional):
        return 2
    if min(len(parsed), len(truth)) < MIN_CONTAINED:
        return 0
    if _pattern(parsed, traditional).search(truth) or _truth_within(parsed, truth, traditional):
        return 1
    return 0


def _comparators_agree(parsed: str | None, truth: str | None) -> bool:
    # A bare number is printed without a comparator; the truth writes it as null or `=`, the parser may too.
    if truth in (None, "="):
        return parsed in (None, "=")
    return parsed == truth


def _units_agree(parsed: str | None, truth: str | None, traditional: bool) -> bool:
    if _same(normalise(parsed, traditional=traditional), normalise(truth, traditional=traditional), traditional):
        return True
    # 万件(册): an alternative unit in brackets, which the parser keeps as the value's note.
    if truth and parsed and re.sub(r"\([^()]*\)$", "", unicodedata.normalize("NFKC", truth)) == parsed:
        return True
    # 平米 printed, 平方米 parsed: the same unit once both go through the unit table.
    from checker.units import resolve

    a, b = (resolve(u) if u else None for u in (parsed, truth))
    return a is not None and b is not None and (a.factor, a.dims) == (b.factor, b.dims)


def values_match(ind: Indicator, truth: TruthIndicator, *, traditional: bool = False) -> bool:
    value = ind.value
    if _same(normalise(value.raw, traditional=traditional), normalise(truth.raw, traditional=traditional), traditional):
        return True
    if truth.kind in BLANK_KINDS and str(value.kind) in BLANK_KINDS:
        return True
    return (
        truth.number is not None
        and value.number == truth.number
        and _comparators_agree(value.comparator, truth.comparator)
        and _units_agree(value.unit, truth.unit, traditional)
    )


def _level_placed(parsed: str | None, truth: str | None, traditional: bool) -> bool:
    if truth is None:
        return True
    return parsed is not None and _same(
        normalise(parsed, traditional=traditional), normalise(truth, traditional=traditional), traditional
    )


def _canonical(level: str | None, canon: Callable[[str], str | None]) -> str | None:
    """The truth keeps level names as printed (项目完成指标, 满意度指标 as a 二级); the parser names them by
    the frameworks (产出指标, 服务对象满意度指标). Both are compared in the frameworks' names."""
    if level is None:
        return None
    return canon(level) or level


def placed(ind: Indicator, truth: TruthIndicator, *, traditional: bool = False) -> bool:
    from checker.frameworks import names

    fw = names()
    level1 = _canonical(truth.level1, fw.canon_level1)
    level2 = _canonical(truth.level2, fw.canon_level2)
    # A 一级 the frameworks do not know (项目决策 printed above 数量指标) is kept by the parser as the
    # written 一级 while the indicator is placed under the 二级's own parent.
    parsed1 = _canonical(ind.level1, fw.canon_level1)
    parsed2 = _canonical(ind.level2, fw.canon_level2)
    first = _level_placed(parsed1, level1, traditional) or (
        truth.level1 is not None and _level_placed(ind.written_level1, truth.level1, traditional)
    )
    return first and _level_placed(parsed2, level2, traditional)


def accurate(ind: Indicator, truth: TruthIndicator, *, traditional: bool = False) -> bool:
    value = ind.value
    return (
        _comparators_agree(value.comparator, truth.comparator)
        and value.number == truth.number
        and _units_agree(value.unit, truth.unit, traditional)
    )


def _label(truth: TruthIndicator) -> str:
    return f"{truth.level1 or '—'}/{truth.level2 or '—'}/{truth.name} = {truth.raw}"


def score_sheets(name: str, sheets: Sequence[GoalSheet], truth: Truth, *, traditional: bool = False) -> FileScore:
    """Match the truth indicators, in order, against the parsed ones of every sheet.

    Each parsed indicator is used once; among the unused ones with a matching value, an equal name wins
    over a containing one, then the earliest.
    """
    parsed = [ind for sheet in sheets for ind in sheet.indicators]
    names = [normalise_name(ind.name, traditional=traditional) for ind in parsed]
    used = [False] * len(parsed)
    matched = placed_count = accurate_count = 0
    missed: list[str] = []
    misplaced: list[str] = []
    inaccurate: list[str] = []
    for want in truth.indicators:
        want_name = normalise_name(want.name, traditional=traditional)
        best, best_rank = -1, 0
        for i, ind in enumerate(parsed):
            if used[i]:
                continue
            rank = names_match(names[i], want_name, traditional=traditional)
            if rank > best_rank and values_match(ind, want, traditional=traditional):
                best, best_rank = i, rank
                if rank == 2:
                    break
        if best < 0:
            missed.append(_label(want))
            continue
        used[best] = True
        matched += 1
        got = parsed[best]
        if placed(got, want, traditional=traditional):
            placed_count += 1
        else:
            misplaced.append(f"{_label(want)} ← {got.level1 or '—'}/{got.level2 or '—'}")
        if accurate(got, want, traditional=traditional):
            accurate_count += 1
        else:
            v = got.value
            inaccurate.append(f"{_label(want)} ← {v.comparator or ''} {v.number} {v.unit or ''}".rstrip())
    return FileScore(
        name=name,
        complete=truth.complete,
        truth_sheets=len(truth.sheets),
        parsed_sheets=len(sheets),
        truth_indicators=len(truth.indicators),
        parsed_indicators=len(parsed),
        matched=matched,
        placed=placed_count,
        accurate=accurate_count,
        missed=tuple(missed),
        misplaced=tuple(misplaced),
        inaccurate=tuple(inaccurate),
    )


def score_file(text_path: Path | str, truth_path: Path | str) -> FileScore:
    from checker.api import parse_path

    text_path = Path(text_path)
    sheets = parse_path(text_path).sheets
    traditional = is_traditional(text_path.read_text(encoding="utf-8"))
    return score_sheets(text_path.stem, sheets, load_truth(Path(truth_path)), traditional=traditional)


def truth_files(root: Path = CORPUS) -> list[Path]:
    return sorted((root / "truth").glob("*.json"))


def text_for(truth_path: Path, root: Path = CORPUS) -> Path:
    return root / load_truth(truth_path).source_file


def score_corpus(root: Path = CORPUS) -> list[FileScore]:
    return [score_file(text_for(path, root), path) for path in truth_files(root)]


def total(scores: Iterable[FileScore]) -> FileScore:
    """Micro-average: the counts summed, so a file weighs by its number of indicators."""
    scores = list(scores)

    def add(field: str) -> int:
        return sum(int(getattr(score, field)) for score in scores)

    return FileScore(
        name="TOTAL",
        complete=all(score.complete for score in scores),
        truth_sheets=add("truth_sheets"),
        parsed_sheets=add("parsed_sheets"),
        truth_indicators=add("truth_indicators"),
        parsed_indicators=add("parsed_indicators"),
        matched=add("matched"),
        placed=add("placed"),
        accurate=add("accurate"),
    )


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def table(scores: Sequence[FileScore]) -> str:
    head = ("file", "complete", "sheets", "truth", "parsed", "matched", "recall", "placement", "value acc", "precision")
    whole = total(scores)
    rows = [
        (
            s.name,
            f"{sum(x.complete for x in scores)}/{len(scores)}" if s is whole else "yes" if s.complete else "no",
            f"{s.parsed_sheets}/{s.truth_sheets}",
            str(s.truth_indicators),
            str(s.parsed_indicators),
            str(s.matched),
            _ratio(s.recall),
            _ratio(s.placement),
            _ratio(s.value_accuracy),
            _ratio(s.precision),
        )
        for s in [*scores, whole]
    ]
    widths = [max(len(cell) for cell in column) for column in zip(head, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )

    rule = "-" * len(line(head))
    return "\n".join([line(head), rule, *(line(row) for row in rows[:-1]), rule, line(rows[-1])])


def _resolve(arg: str, root: Path) -> tuple[Path, Path]:
    """A text path, or a text's stem in the corpus, with its truth file."""
    path = Path(arg)
    if not path.exists():
        path = root / "texts" / (arg if arg.endswith(".txt") else f"{arg}.txt")
    return path, root / "truth" / f"{path.stem}.json"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.corpus_score", description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("files", nargs="*", metavar="FILE", help="corpus texts (path or stem); all when omitted")
    parser.add_argument("--misses", action="store_true", help="list the missed, misplaced and inaccurate indicators")
    parser.add_argument("--root", type=Path, default=CORPUS, help="a set with texts/ and truth/ (tests/data/heldout)")
    args = parser.parse_args(argv)
    root = args.root
    scores = [score_file(*_resolve(arg, root)) for arg in args.files] if args.files else score_corpus(root)
    print(table(scores))
    if args.misses:
        for score in scores:
            for title, items in (
                ("missed", score.missed),
                ("misplaced", score.misplaced),
                ("inaccurate", score.inaccurate),
            ):
                for item in items:
                    print(f"{score.name}: {title}: {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

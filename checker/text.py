"""Text normalisation shared by every parser: one place decides what counts as 'the same text'."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from itertools import groupby

from checker.lazyre import LazyPattern, lazy

# Characters NFKC leaves alone but that mean the same thing in a goal sheet.
_TRANSLATE = str.maketrans(
    {
        "≧": "≥",
        "⩾": "≥",
        "≦": "≤",
        "⩽": "≤",
        "—": "-",
        "–": "-",
        "‐": "-",
        "‑": "-",
        "−": "-",
        "〜": "~",
        "・": "·",
        "•": "·",
        "‧": "·",
        "∙": "·",
        "⋅": "·",
        "「": "",
        "」": "",
    }
)
# Zero-width and soft-hyphen characters, deleted by ``str.translate``: a character class of them cost the
# regex compiler ~0.9 ms a process (a class with a character beyond Latin-1 is built as a 64K bitmap in
# Python), and the table deletes the same characters.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# What ``clean`` applies in one pass: the invisible characters deleted, the look-alikes unified. One table is
# the same as deleting first and translating after, since no look-alike is invisible or becomes one.
_CLEAN_TABLE = {**_INVISIBLE, **_TRANSLATE}
_SPACES = lazy(r"\s+")


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def cjk_runs(text: str) -> list[str]:
    """The runs of CJK unified ideographs (U+4E00–U+9FFF) in ``text``, in order: what ``[\u4e00-\u9fff]+``
    finds, without compiling it (a CJK range costs the regex compiler a Python loop over its 20,992 code
    points, ~1.5 ms a process, more than scanning the short names this is asked of)."""
    return ["".join(run) for cjk, run in groupby(text, _is_cjk) if cjk]


def is_cjk_run(text: str) -> bool:
    """Whether ``text`` is one run of CJK unified ideographs and nothing else (``[\\u4e00-\\u9fff]+`` in full)."""
    return bool(text) and all(map(_is_cjk, text))


def clean(text: str) -> str:
    """NFKC, drop invisible characters, unify look-alike symbols, fold white space.

    NFKC turns full-width ＞＝９０％ into >=90%, NBSP and 　 into spaces and ㎡ into m2; the
    table above handles what NFKC keeps distinct. Idempotent: ``clean(clean(x)) == clean(x)``.
    """
    # Labels, units and values repeat file after file in a batch (~80 calls a one-sheet file, most of them
    # texts seen before): short texts are remembered, long ones (running text) are not kept.
    return _clean_short(text) if len(text) <= _MEMO_CHARS else _clean(text)


_MEMO_CHARS = 64


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_CLEAN_TABLE)
    # A second NFKC pass keeps the function idempotent when the translation produced composable text.
    text = unicodedata.normalize("NFKC", text)
    return _SPACES.sub(" ", text).strip()


_clean_short = lru_cache(maxsize=16_384)(_clean)


def tidy(text: str) -> str:
    """Text as the user wrote it, minus invisible characters and runs of white space (for display)."""
    return _SPACES.sub(" ", text.translate(_INVISIBLE)).strip()


# 指标1：安置小区物业费 — the form's slot number printed before the name, not part of it.
_SLOT = lazy(r"^指[标標]\s*[0-9０-９一二三四五六七八九十]{1,3}\s*[:：.、]\s*(?=\S)")


def indicator_name(text: str) -> str:
    """A 三级 name as the user wrote it (``tidy``), without the form's slot number (指标1：)."""
    name = tidy(text)
    return _SLOT.sub("", name, count=1) if name.startswith("指") else name  # most names: no slot, no compiling


# Deleted from a label key. The key is made from ``clean``'s text, whose only white space is " " (it folds
# every run of white space into one), so a translate table deleting " " does what ``\s`` in a pattern class
# did, without a class beyond Latin-1 for the regex compiler (~0.9 ms a process).
_LABEL_NOISE = dict.fromkeys(map(ord, " :：*★☆()（）[]【】?\ufffd"))


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """A key for matching labels and indicator-level names: no spaces, colons, brackets or stars, and no ? or
    U+FFFD (spaces lost in a transcoding print as them: 绩??效??目??标 is the 绩效目标 label)."""
    text = clean(text)
    if text.startswith("其中"):
        text = text[2:]
    return text.translate(_LABEL_NOISE)


@lru_cache(maxsize=1)
def _loosening() -> tuple[tuple[LazyPattern[str], ...], LazyPattern[str], dict[int, str], frozenset[str]]:
    from checker.resources import shipped_yaml

    # Compiled when first used (the traditional table is asked without them), and searched only in a text
    # holding one of ``noise_needs``, which every match of them holds: most texts tried as labels hold
    # none, and the eight patterns cost the regex compiler ~3 ms (tests/test_cold_start.py holds them to it).
    data = shipped_yaml("frameworks/vocabulary.yaml")
    noise = tuple(lazy(p) for p in data.get("label_noise", []))
    traditional = str.maketrans(data.get("traditional", {}))
    return noise, lazy(data["pinyin_noise"]), traditional, frozenset(data["noise_needs"])


def traditional_table() -> dict[int, str]:
    """Traditional → simplified for the form's own words (vocabulary.yaml ``traditional``), for translate."""
    return _loosening()[2]


def strip_pinyin(text: str) -> str:
    """``項(xiàng)目`` → ``項目``: the pinyin some converters print after every character."""
    if "(" not in text and "（" not in text:
        return text
    return _loosening()[1].sub("", unicodedata.normalize("NFKC", text))


_LOOSE_MAX = 80


@lru_cache(maxsize=8192)
def loose_key(text: str) -> str:
    """The label key after the vocabulary's loosening rules (score suffixes, 必填 marks, numbering,
    pinyin, traditional script): the second try when :func:`label_key` of a label is unknown."""
    if len(text) > _LOOSE_MAX:
        return label_key(text)  # no label is this long; the rules below need not scan it
    noise, pinyin, traditional, needs = _loosening()
    text = clean(text)
    if not needs.isdisjoint(text):
        text = pinyin.sub("", text)
    text = text.translate(traditional)
    if not needs.isdisjoint(text):
        for pattern in noise:
            text = pattern.sub("", text)
    return label_key(text)

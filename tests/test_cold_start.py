"""The cold ``jixiao`` process (issue 16's cold-start goal): what a start-up saving must keep true.

Each test here is cheap (one short subprocess at most): CI's time is tight."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

import checker.facts as facts_module
import checker.parse.values as values_module
import checker.parse.year as year_module
import checker.rules.engine as engine_module
import checker.text as text_module
import checker.vocabulary as vocabulary_module
from checker.config import Config
from checker.rules import registry
from checker.rules.engine import Engine
from checker.text import cjk_runs, clean, indicator_name, is_cjk_run, label_key, tidy
from checker.vocabulary import Lexicon

# Registered before main(), so it runs after main()'s own exit callback (atexit is last-in, first-out):
# by then the heap must be frozen, or the interpreter's teardown collections traverse all of it again.
_PROBE = """
import atexit, gc, sys
atexit.register(lambda: print("frozen at exit", gc.get_freeze_count() > 1000, flush=True))
from checker.cli import main
sys.argv = ["jixiao", "--version"]
print("exit", main(), "frozen during the run", gc.get_freeze_count() > 0, flush=True)
"""


def test_the_process_freezes_its_heap_only_at_exit() -> None:
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("jixiao ")  # the command ran and printed its version
    assert lines[1:] == ["exit 0 frozen during the run False", "frozen at exit True"]


# Text that reaches the CJK scans and ``clean``: ideographs and the code points on either side of their
# range, the invisible characters, the look-alikes, full-width forms and white space.
_SPECIAL = (
    "项目资金a1 \t\u3000\u4e00\u9fff\u4dff\ua000\u200b\u200c\u200d\u2060\ufeff\u00ad≧⩾≦⩽—–‐‑−〜・•‧∙⋅「」＞＝９％"
)
_TEXT = st.text(alphabet=st.sampled_from(_SPECIAL), max_size=40) | st.text(max_size=40)


@settings(max_examples=300)
@given(_TEXT)
def test_cjk_scans_answer_as_the_pattern_they_replace(text: str) -> None:
    pattern = re.compile("[\u4e00-\u9fff]+")
    assert cjk_runs(text) == pattern.findall(text)
    assert is_cjk_run(text) is (pattern.fullmatch(text) is not None)


def _clean_before(text: str) -> str:
    # checker.text.clean as written before its invisible characters became a translate table.
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", text).translate(text_module._TRANSLATE)
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", text).strip()


@settings(max_examples=300)
@given(_TEXT)
def test_clean_and_tidy_answer_as_before(text: str) -> None:
    assert clean(text) == _clean_before(text)
    assert tidy(text) == re.sub(r"\s+", " ", re.sub("[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", text)).strip()


def test_a_second_engine_over_the_same_rules_compiles_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # A check run builds one Engine for its files and another for the run-level rules.
    first, _ = Engine().rules_for("fw2015")
    monkeypatch.setattr(engine_module, "compile_schema", _refuse)  # any compiling now fails the test
    second, _ = Engine().rules_for("fw2015")
    assert len(second) == len(first) > 50 and all(a is b for a, b in zip(first, second, strict=True))
    # A check registered anew since is compiled in (tests stand in for checks; the stand-in must not outlive
    # the test), and the registered one again once it is back.
    monkeypatch.undo()
    spec = registry.registered()["goal.coverage"]
    stand_in = registry.CheckSpec(spec.name, spec.fn, spec.options_schema, ())
    monkeypatch.setitem(registry.CHECKS, "goal.coverage", stand_in)
    assert [c.spec for c in Engine().rules_for("fw2015")[0] if c.rule.check == "goal.coverage"] == [stand_in]
    monkeypatch.undo()
    assert [c.spec for c in Engine().rules_for("fw2015")[0] if c.rule.check == "goal.coverage"] == [spec]
    # Other rules (an option changed by the config) are compiled, not served from the first set.
    changed, _ = Engine(Config(options={"SAT002": {"min_percent": 80}})).rules_for("fw2015")
    assert [c.rule.options["min_percent"] for c in changed if c.rule.code == "SAT002"] == [80]


def _refuse(*_args: object) -> None:
    raise AssertionError("compiled again")


def test_the_entry_pauses_the_collector_for_the_imports_and_freezes_what_they_made() -> None:
    probe = "import gc, checker.__main__; print(gc.get_freeze_count() > 1000, gc.isenabled())"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["True", "True"], done.stderr
    # The console script goes through the same entry as ``python -m checker``.
    scripts = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["project"]
    module, name = scripts["scripts"]["jixiao"].split(":")
    assert module == "checker.__main__" and name == "main"


_WORDS = st.lists(st.text(alphabet="成本费用率及时.*|(a", min_size=0, max_size=4), max_size=6)


@settings(max_examples=150)
@given(_WORDS, st.lists(st.text(alphabet="成本费用率及时.*|(ab", max_size=12), min_size=1, max_size=8))
def test_a_word_list_answers_as_its_alternation_before_and_after_it_is_compiled(
    words: list[str], texts: list[str]
) -> None:
    lexicon = Lexicon({"list": tuple(words)}, (), {}, frozenset())
    alternation = re.compile("|".join(re.escape(w) for w in words))
    answers = [lexicon.has("list", text) for text in texts]  # by the loop: asked fewer times than the threshold
    assert "list" not in lexicon._any
    assert answers == [alternation.search(text) is not None for text in texts]
    for _ in range(vocabulary_module._COMPILE_AFTER):
        lexicon.has("list", texts[0])
    assert lexicon._any["list"].pattern == alternation.pattern  # compiled once asked often
    assert [lexicon.has("list", text) for text in texts] == answers


# A pattern skipped (never compiled) when its text lacks what every match contains: the premise of each guard.
_GUARDED = [
    (facts_module._PRODUCT, facts_module._TIMES.isdisjoint),
    (facts_module._PERIOD, lambda text: "20" not in text),
    (year_module._BRACKETED, year_module._BRACKET_OPENS.isdisjoint),
    (values_module._NA_WRAPPING, lambda text: not values_module._wrapped(text)),
    (values_module._INCLUSIVE, lambda text: ")" not in text),
    (values_module._NOTE, lambda text: ")" not in text),
    (values_module._PERIOD, values_module._PERIOD_SEPS.isdisjoint),
    (values_module._YEAR_PHRASE, lambda text: text[4:5] != "年"),
    (values_module._RANGE_SEP, values_module._RANGE_SEPS.isdisjoint),
    (values_module._AMOUNT_NOTE, lambda text: ")" not in text and "）" not in text),
    (facts_module._CITATION, facts_module._CITES.isdisjoint),
    (text_module._SLOT, lambda text: not text.startswith("指")),
]
_PIECES = ["2", "3.5", "70", "个", "元", "万元", "/村", "x", "X", "×", "*", "＊", " ", "=", "20", "24", "年", "至", "-"]
_BRACKETS = ["(", "[", "【", "】", ")", "]", "（", "）", "。", "！", "\n", "含", "月", "汛前", "19", "—", "到", "项目"]
_BRACKETS += ["《", "》", "〔", "〕", "［", "］", "号", "指", "标", "：", "、"]
_MIXED = st.lists(st.sampled_from([*_PIECES, *_BRACKETS]), max_size=12).map("".join)


@pytest.mark.parametrize(("pattern", "skipped"), _GUARDED)
@settings(max_examples=200)
@given(text=_MIXED | st.text(max_size=20))
@example(text="70个x704元")
@example(text="2X3")
@example(text="2×3")
@example(text="2*3")
@example(text="2＊3")
@example(text="2024年至2025年")
@example(text="(注)")
@example(text="[注]")
@example(text="【注】")
@example(text="(不适用)")
@example(text="不适用。")
@example(text="不适用。\n")
@example(text="【无】")
@example(text="98%(含)")
@example(text="98%(注)")
@example(text="2020年1月-12月")
@example(text="1—12月")
@example(text="2023年汛前")
@example(text="1~2")
@example(text="3至5")
@example(text="854万(含上年结转资金)")
@example(text="854万（含）")
@example(text="《管理办法》")
@example(text="〔2019〕5号")
@example(text="(2019)5号")
@example(text="［2019］5号")
@example(text="（2019）5号")
@example(text="[2019]5号")
@example(text="指标1：物业费")
@example(text="指標2、名称")
def test_a_guard_skips_only_texts_the_pattern_cannot_match(pattern: Any, skipped: Any, text: str) -> None:
    if skipped(text):  # search: as strict as match for the anchored ones
        assert pattern.compiled.search(text) is None


@settings(max_examples=300)
@given(_TEXT)
def test_label_keys_and_indicator_names_answer_as_before(text: str) -> None:
    key = clean(text)
    key = key[2:] if key.startswith("其中") else key
    assert label_key(text) == re.sub(r"[\s:：*★☆()（）\[\]【】?\ufffd]", "", key)
    slot = r"^指[标標]\s*[0-9０-９一二三四五六七八九十]{1,3}\s*[:：.、]\s*(?=\S)"
    for name in (text, f"指标1：{text}", f"指標 12、{text}"):
        assert indicator_name(name) == re.sub(slot, "", tidy(name), count=1)


def _loosening_patterns() -> list[str]:
    data = yaml.safe_load((Path(__file__).resolve().parent.parent / "rules/frameworks/vocabulary.yaml").read_text())
    return [*data["label_noise"], data["pinyin_noise"]]


_NOISE_PIECES = ["(", ")", "（", "）", "分", "、", ".", "．", "1", "20", "0-20", " ", "必填", "权重", "一", "xiàng"]
_NOISY = st.lists(st.sampled_from(_NOISE_PIECES), max_size=8).map("".join)


@pytest.mark.parametrize("pattern", _loosening_patterns())
@settings(max_examples=150)
@given(text=_NOISY | st.text(max_size=15))
@example(text="(0-20)分")
@example(text="0-20分")
@example(text="(70分)")
@example(text="产出指标30分")
@example(text="(必填硬性指标)")
@example(text="(权重)")
@example(text="1、数量指标")
@example(text="1.数量指标")
@example(text="1．数量指标")
@example(text="一)产出")
@example(text="(一)产出指标")
@example(text="項(xiàng)目")
def test_a_loosening_pattern_matches_only_texts_holding_what_it_needs(pattern: str, text: str) -> None:
    needs = text_module._loosening()[3]
    if needs.isdisjoint(text):
        assert re.search(pattern, text) is None

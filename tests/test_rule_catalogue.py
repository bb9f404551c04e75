"""Meta-tests over the rule packs: valid, unique, registered, documented, and every example honest."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from checker.api import list_rules
from checker.config import Config
from checker.errors import ConfigError
from checker.facts import build_facts
from checker.rules.engine import ENGINE_PARAMS, Engine, projection
from checker.rules.examples import example_sheet
from checker.rules.loader import load_pack_file, option_names, resolve, shipped_packs
from checker.rules.registry import registered

ALL_RULES = list_rules()
PACK_IDS = sorted(shipped_packs())


def test_every_pack_validates_and_resolves() -> None:
    for pack_id, path in shipped_packs().items():
        pack = load_pack_file(path)
        assert pack.id == pack_id, f"{path}: pack id must match the file name"
        rules, _ = resolve(pack)
        assert rules


def test_at_least_45_rules_across_the_catalogue() -> None:
    assert len(ALL_RULES) >= 45
    prefixes = {r.code.rstrip("0123456789") for r in ALL_RULES}
    assert {"STR", "FUND", "GOAL", "IND", "VAL", "QUAL", "COST", "SAT", "COUNT", "TIME", "WT"} <= prefixes


def test_codes_and_names_unique_across_all_packs() -> None:
    own = [r for pid in PACK_IDS for r in load_pack_file(shipped_packs()[pid]).rules]
    codes = [r.code for r in own]
    names = [r.name for r in own]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_every_check_is_registered_and_every_registered_check_is_used() -> None:
    used = {r.check for r in ALL_RULES if r.check}
    assert used <= set(registered()), used - set(registered())
    assert set(registered()) <= used, set(registered()) - used


def test_every_rule_has_pass_and_fail_examples() -> None:
    for rule in ALL_RULES:
        assert rule.examples["pass"] and rule.examples["fail"], rule.code


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _doc_keys(target: str, fw: str) -> set[str]:
    facts = build_facts(example_sheet({"sheet": {}})[0], fw)
    return set(facts.indicators[0]) if target == "indicator" else set(facts.doc)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_message_placeholders_are_supplied(rule) -> None:  # type: ignore[no-untyped-def]
    available = _doc_keys(rule.target, "fw2015") | set(rule.options) | set(ENGINE_PARAMS)
    if rule.once_per:
        available.add("group_count")
    facts = set(available)
    for spec in rule.phrases.values():
        assert spec["fact"] in facts, f"{rule.code}: phrase on unknown fact {spec['fact']}"
        for case in [*spec.get("cases", {}).values(), *([spec["default"]] if "default" in spec else [])]:
            assert not (_placeholders(case["zh"]) | _placeholders(case["en"])) - facts, rule.code
    available |= set(rule.phrases)
    if rule.check:
        available |= set(registered()[rule.check].params)
        available |= _doc_keys("indicator", "fw2015")  # a check may hit an indicator
    texts = [rule.message.zh, rule.message.en]
    if rule.suggestion:
        texts += [rule.suggestion.zh, rule.suggestion.en]
    for text in texts:
        missing = _placeholders(text) - available
        assert not missing, f"{rule.code}: {missing}"


@pytest.mark.parametrize("rule", [r for r in ALL_RULES if r.schema], ids=lambda r: r.code)
def test_schema_rules_name_only_real_facts_and_options(rule) -> None:  # type: ignore[no-untyped-def]
    assert option_names(rule.schema) <= set(rule.options), rule.code
    keys = projection(rule.schema)
    assert keys is not None, f"{rule.code}: schema looks at unnamed keys; it cannot be memoised"
    assert keys <= _doc_keys(rule.target, "fw2015"), (
        f"{rule.code}: unknown facts {keys - _doc_keys(rule.target, 'fw2015')}"
    )


@pytest.mark.parametrize("pack", ["auto", *PACK_IDS])
def test_the_clean_base_sheet_fires_nothing(pack: str) -> None:
    example: dict[str, object] = {"sheet": {}}
    if pack == "fw2021":
        example["framework"] = "fw2021"
    if pack == "shanxi":  # the Shanxi form splits funding five ways (its SX001 rule)
        example["sheet"] = {"funding": {"total": 100, "unit": "万元", "sources": {"省级财政资金": 100}}}
    sheet, _ = example_sheet(example)
    findings = Engine(Config(pack=pack)).check_sheet(sheet).findings
    assert not findings, [(f.code, f.message) for f in findings]


def test_broken_pack_names_file_and_json_path(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: bad\ntitle: {zh: 坏, en: bad}\nrules:\n  - code: XX001\n    nmae: typo\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_pack_file(bad)
    assert str(bad) in str(info.value) and "$.rules[0]" in str(info.value)


def test_docs_rules_md_is_current() -> None:
    from checker.api import pack_summaries
    from checker.report.rules_doc import render_markdown

    doc = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
    expected = render_markdown(list_rules(), pack_summaries())
    assert doc.read_text(encoding="utf-8") == expected, "run: jixiao rules --format markdown > docs/rules.md"


def test_rule_codes_follow_the_convention() -> None:
    for rule in ALL_RULES:
        assert re.fullmatch(r"[A-Z]{2,5}[0-9]{3}", rule.code)
        assert rule.refs

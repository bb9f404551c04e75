"""The engine: user packs in YAML only, selection, options, broken checks, memoisation, fingerprints."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.api import check_path
from checker.config import Config
from checker.errors import ConfigError
from checker.rules import registry
from checker.rules.engine import Engine, projection
from tests.conftest import SEED

USER_PACK = """
pack: mine
title: {zh: 我的规则, en: My rules}
rules:
  - code: USR001
    name: mine.satisfaction-floor
    refs: [SAT-002]
    severity: error
    target: indicator
    title: {zh: 满意度不得低于95%, en: Satisfaction at least 95%}
    message: {zh: "「{name}」={raw}，低于 {floor}%", en: "'{name}' = {raw}, below {floor}%"}
    rationale: {zh: 本单位要求, en: Our own rule}
    source: 内部规定
    options: {floor: 95}
    schema:
      if: {properties: {is_satisfaction: {const: true}, number: {type: number}}}
      then: {properties: {number: {minimum: {$option: floor}}}}
    examples:
      pass: [{indicator: {level1: 满意度指标, level2: 服务对象满意度指标, name: 满意度, value: "≥95%"}}]
      fail: [{indicator: {level1: 满意度指标, level2: 服务对象满意度指标, name: 满意度, value: "≥90%"}}]
"""


def test_a_user_adds_a_rule_with_yaml_only(tmp_path: Path) -> None:
    pack = tmp_path / "mine.yaml"
    pack.write_text(USER_PACK, encoding="utf-8")
    report = check_path(SEED, Config(packs=(str(pack),)))
    mine = [f for f in report.findings if f.code == "USR001"]
    # the seed has 信访群众满意度 ≥90%, 外来人员满意度 ≥93% and ≥83%, all below 95
    assert {(f.location.line, f.severity.value) for f in mine} >= {(621, "error"), (537, "error"), (585, "error")}
    assert all("低于 95%" in f.message for f in mine)
    relaxed = check_path(SEED, Config(packs=(str(pack),), options={"USR001": {"floor": 90}}))
    assert {f.location.line for f in relaxed.findings if f.code == "USR001"} == {585}  # only ≥83% is below 90


def test_broken_user_pack_is_a_config_error(tmp_path: Path) -> None:
    pack = tmp_path / "bad.yaml"
    pack.write_text(USER_PACK.replace("severity: error", "severity: fatal"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.yaml: \$\.rules\[0\]\.severity"):
        Engine(Config(packs=(str(pack),)))
    pack.write_text(USER_PACK.replace("{$option: floor}", "{$option: flor}"), encoding="utf-8")
    with pytest.raises(ConfigError, match="flor"):
        Engine(Config(packs=(str(pack),))).rules_for("fw2015")


def _split_pack(tmp_path: Path, rule_text: str) -> Path:
    """USER_PACK as a pack head that includes its rules from a file beside it."""
    head = USER_PACK.split("rules:\n", 1)[0]
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "satisfaction.yaml").write_text("rules:\n" + rule_text, encoding="utf-8")
    pack = tmp_path / "mine.yaml"
    pack.write_text(head + "include: [mine/satisfaction.yaml]\n", encoding="utf-8")
    return pack


def test_a_pack_includes_its_rules_from_files_by_topic(tmp_path: Path) -> None:
    rules = USER_PACK.split("rules:\n", 1)[1]
    pack = _split_pack(tmp_path, rules)
    found = {f.location.line for f in check_path(SEED, Config(packs=(str(pack),))).findings if f.code == "USR001"}
    assert found >= {621, 537, 585}
    # an error inside the included file names that file and the rule's place in it
    (tmp_path / "mine" / "satisfaction.yaml").write_text(
        "rules:\n" + rules.replace("severity: error", "severity: fatal"), encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"satisfaction\.yaml: \$\.rules\[0\]\.severity"):
        Engine(Config(packs=(str(pack),)))


@pytest.mark.parametrize(
    ("include", "message"),
    [("[../outside.yaml]", "must lie in the pack's folder"), ("[mine/missing.yaml]", "cannot read an included")],
)
def test_an_include_outside_the_folder_or_missing_is_refused(tmp_path: Path, include: str, message: str) -> None:
    pack = _split_pack(tmp_path, USER_PACK.split("rules:\n", 1)[1])
    (tmp_path.parent / "outside.yaml").write_text("rules: []\n", encoding="utf-8")
    pack.write_text(pack.read_text(encoding="utf-8").replace("[mine/satisfaction.yaml]", include), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        Engine(Config(packs=(str(pack),)))


@pytest.mark.parametrize(
    ("selector", "expected"),
    [("SAT002", {"SAT002"}), ("satisfaction.threshold-low", {"SAT002"}), ("SAT-002", {"SAT002"}),
     ("TIME", {"TIME002"}), ("time.", {"TIME002"})],
)  # fmt: skip
def test_select_by_code_name_ref_and_prefix(selector: str, expected: set[str]) -> None:
    codes = {f.code for f in check_path(SEED, Config(select=(selector,))).findings}
    assert codes == expected


def test_ignore_and_unknown_selector() -> None:
    codes = {f.code for f in check_path(SEED, Config(ignore=("QUAL", "SAT007"))).findings}
    assert not any(c.startswith("QUAL") for c in codes) and "SAT007" not in codes and "TIME002" in codes
    with pytest.raises(ConfigError, match="matches no rule"):
        check_path(SEED, Config(select=("NOPE999",)))


def test_a_check_that_raises_becomes_an_internal_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = registry.registered()["goal.coverage"]

    def broken(facts, options):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")
        yield

    monkeypatch.setitem(
        registry.CHECKS, "goal.coverage", registry.CheckSpec(spec.name, broken, spec.options_schema, ())
    )
    report = check_path(SEED)
    internal = [f for f in report.findings if f.code == "INT001"]
    assert len(internal) == 4 and "GOAL004" in internal[0].message and "boom" in internal[0].message
    assert any(f.code == "SAT002" for f in report.findings)  # the run went on


def test_projection() -> None:
    assert projection({"properties": {"a": {}}, "if": {"properties": {"b": {}}}, "then": {"required": ["c"]}}) == {
        "a", "b", "c",
    }  # fmt: skip
    assert projection({"additionalProperties": False}) is None
    assert projection({"allOf": [{"properties": {"x": {}}}, {"$ref": "#/x"}]}) is None


def test_fingerprint_survives_reordering(tmp_path: Path) -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    # swap two indicator rows of project 4 and insert blank lines above the sheet
    lines[606], lines[607] = lines[607], lines[606]
    moved = tmp_path / "moved.txt"
    moved.write_text("\n\n\n" + "\n".join(lines), encoding="utf-8")
    before = {f.fingerprint for f in check_path(SEED).findings}
    after = {f.fingerprint for f in check_path(moved).findings}
    assert before == after


def test_findings_survive_the_trip_from_a_worker() -> None:
    # Finding and Location pickle through their __init__ (faster for the pool's parent); the round trip
    # must give equal values, including the fields set after checking.
    import pickle
    from dataclasses import replace

    findings = list(check_path(SEED).findings)
    findings[0] = replace(findings[0], suppressed="已备案", baselined=True)
    back = pickle.loads(pickle.dumps(findings, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == findings and back[0].suppressed == "已备案" and back[0].location == findings[0].location


def test_a_phrase_case_reads_the_same_from_yaml_and_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # YAML reads `null:`/`true:` keys as None/True, the cached JSON copy as "null"/"true": COST011 said
    # "无法反映 — 元资金" on the first run after an install and "无法反映项目资金" on every later one.
    from checker.rules.engine import phrases
    from checker.rules.loader import load_pack_file

    pack = tmp_path / "mine.yaml"
    phrased = "    phrases:\n      money:\n        fact: funding_total_yuan\n        cases: {null: {zh: 项目资金, en: the money}, true: {zh: 是, en: so}}\n        default: {zh: 其他, en: other}\n"  # noqa: E501
    pack.write_text(
        USER_PACK.replace("    options: {floor: 95}\n", phrased + "    options: {floor: 95}\n"), encoding="utf-8"
    )
    monkeypatch.setenv("JIXIAO_CACHE_DIR", str(tmp_path / "cache"))
    first, cached = (load_pack_file(pack).rules[0] for _ in range(2))  # the second reads the YAML's JSON copy
    for rule in (first, cached):
        assert phrases(rule, {"funding_total_yuan": None}, "zh")["money"] == "项目资金"
        assert phrases(rule, {"funding_total_yuan": True}, "en")["money"] == "so"
        assert phrases(rule, {"funding_total_yuan": 5}, "zh")["money"] == "其他"

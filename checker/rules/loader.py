"""Load rule packs (YAML), validate them against rulepack.schema.json, resolve ``extends``, select rules."""

from __future__ import annotations

import copy
import json
from dataclasses import field, replace
from functools import cache
from pathlib import Path
from typing import Any

from checker.errors import ConfigError
from checker.frozen import frozen
from checker.resources import data_dir, yaml_load
from checker.suggest import canonical_code, did_you_mean

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "rulepack.schema.json"


@frozen
class Text:
    """A text in zh-CN and English."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@frozen
class Rule:
    """One rule as its pack writes it (checker/schemas/rulepack.schema.json)."""

    code: str
    name: str
    refs: tuple[str, ...]
    severity: str
    target: str
    title: Text
    message: Text
    rationale: Text
    source: str
    examples: dict[str, list[dict[str, Any]]]
    options: dict[str, Any] = field(default_factory=dict)
    schema: dict[str, Any] | None = None
    check: str | None = None
    suggestion: Text | None = None
    pack: str = ""
    enabled: bool = True
    # Codes whose findings this rule's finding explains: on the same indicator, or anywhere on the sheet
    # when this rule is sheet-level (see engine.resolve_causes).
    supersedes: tuple[str, ...] = ()
    # Codes a sheet-level rule explains only on the row its finding is placed at.
    supersedes_on_row: tuple[str, ...] = ()
    # Fact keys of an indicator rule that reports once per group (the first row of each group).
    once_per: tuple[str, ...] = ()
    # Message wording chosen by a fact's value (see engine.phrases): {name: {fact, cases | labels}}.
    phrases: dict[str, Any] = field(default_factory=dict)
    # The document types the rule applies to (申报表, 批复表 …); empty: every type.
    document_types: tuple[str, ...] = ()
    # 完整性, 可测性, 可行性 or 合规性: where the 审核意见 lists the rule's findings (checker/opinion.py).
    dimension: str = "合规性"

    def matches(self, selector: str) -> bool:
        return selector_matches(self.code, self.name, self.refs, selector)


def selector_matches(code: str, name: str, refs: tuple[str, ...], selector: str) -> bool:
    """A selector is a code (SAT002, sat-002), a name (satisfaction.low), a prefix of either, or a ref (SAT-002)."""
    as_code = canonical_code(selector)
    return (
        selector in (code, name)
        or as_code == code
        or (selector.isalpha() and code.startswith(selector.upper()) and code[len(selector) :].isdigit())
        or selector in refs
        or code.startswith(selector)
        or name.startswith(selector.rstrip(".") + ".")
    )


@frozen
class Pack:
    """A rule pack: its own rules and what it extends and overrides."""

    id: str
    path: Path
    title: Text
    extends: tuple[str, ...]
    framework: str | None
    overrides: dict[str, dict[str, Any]]
    rules: tuple[Rule, ...]


@cache
def _pack_validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _text(data: dict[str, str] | None) -> Text | None:
    return Text(data["zh"], data["en"]) if data else None


def case_key(value: Any) -> str:
    """How a fact's value names its entry in a rule's ``phrases.cases``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def _phrases(data: dict[str, Any]) -> dict[str, Any]:
    # YAML reads a `null:` or `true:` case as the key None or True, the cached JSON copy of the same pack as
    # "null" or "true": keyed by case_key, a message reads the same on the first run as on every later one.
    return {
        name: {**spec, "cases": {case_key(k): v for k, v in spec["cases"].items()}} if "cases" in spec else spec
        for name, spec in data.items()
    }


def _rule(data: dict[str, Any], pack: str) -> Rule:
    return Rule(
        code=data["code"],
        name=data["name"],
        refs=tuple(data["refs"]),
        severity=data["severity"],
        target=data["target"],
        title=Text(**data["title"]),
        message=Text(**data["message"]),
        rationale=Text(**data["rationale"]),
        source=data["source"],
        examples=data["examples"],
        options=dict(data.get("options", {})),
        schema=data.get("schema"),
        check=data.get("check"),
        suggestion=_text(data.get("suggestion")),
        pack=pack,
        supersedes=tuple(data.get("supersedes", [])),
        supersedes_on_row=tuple(data.get("supersedes_on_row", [])),
        once_per=tuple(data.get("once_per", [])),
        phrases=_phrases(data.get("phrases", {})),
        document_types=tuple(data.get("document_types", [])),
        dimension=data.get("dimension", "合规性"),
    )


def load_pack_file(path: Path) -> Pack:
    """One pack file with the files it ``include``s, schema-validated (the result cached by content hash);
    errors name the file the rule is in and the JSON path within it."""
    from checker import cache
    from checker.resources import read_settings

    raw = read_settings(path, "cannot read rule pack")
    data = yaml_load(path, raw)
    parts = _included(path, data)
    if parts:
        data = {**data, "rules": [*data.get("rules", []), *(rule for _, _, rules in parts for rule in rules)]}
    key = cache.digest(SCHEMA_PATH.read_bytes(), raw, *(part_raw for _, part_raw, _ in parts))
    if not cache.seen("packs", key):
        _validate(path, data, parts)
        cache.remember("packs", key)
    try:
        return _pack(path, data)
    except (KeyError, TypeError, AttributeError, ValueError):
        # Validated on an earlier run by the record in the cache, yet not a pack now: the record is not
        # trusted over the file, so the schema gives the one-line answer.
        _validate(path, data, parts)
        raise ConfigError(str(path), "$", "not a rule pack") from None


def _included(path: Path, data: Any) -> list[tuple[Path, bytes, list[Any]]]:
    """The files a pack includes (``include: [common/values.yaml, …]``, beside the pack file, each a mapping
    with a ``rules`` list), in order: one pack written as several files by topic."""
    from checker.resources import read_settings

    names = data.get("include") if isinstance(data, dict) else None
    if not isinstance(names, list):
        return []  # absent, or the schema names what is wrong with it
    folder = path.parent.resolve()
    out = []
    for i, name in enumerate(names):
        where = f"$.include[{i}]"
        if not isinstance(name, str):
            raise ConfigError(str(path), where, "an included file is named by a string")
        part = (folder / name).resolve()
        if not part.is_relative_to(folder):
            raise ConfigError(str(path), where, f"{name}: an included file must lie in the pack's folder")
        part_raw = read_settings(part, "cannot read an included rule file")
        part_data = yaml_load(part, part_raw)
        if not isinstance(part_data, dict) or set(part_data) != {"rules"} or not isinstance(part_data["rules"], list):
            raise ConfigError(str(part), "$", "an included rule file holds one key, rules: a list of rules")
        out.append((part, part_raw, part_data["rules"]))
    return out


def _validate(path: Path, data: Any, parts: list[tuple[Path, bytes, list[Any]]]) -> None:
    errors = sorted(_pack_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    err = errors[0]
    where = list(err.absolute_path)
    own = len(data.get("rules", [])) - sum(len(rules) for _, _, rules in parts) if isinstance(data, dict) else 0
    if parts and len(where) >= 2 and where[0] == "rules" and isinstance(where[1], int) and where[1] >= own:
        index = where[1] - own
        for part, _, rules in parts:  # name the included file and the rule's place in it
            if index < len(rules):
                inner = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in where[2:])
                raise ConfigError(str(part), f"$.rules[{index}]{inner}", err.message)
            index -= len(rules)
    raise ConfigError(str(path), err.json_path, err.message)


def _pack(path: Path, data: Any) -> Pack:
    return Pack(
        id=data["pack"],
        path=path,
        title=Text(**data["title"]),
        extends=tuple(data.get("extends", [])),
        framework=data.get("framework"),
        overrides=data.get("overrides", {}),
        rules=tuple(_rule(r, data["pack"]) for r in data.get("rules", [])),
    )


@cache
def shipped_packs() -> dict[str, Path]:
    return {p.stem: p for p in sorted(data_dir("rules").glob("*.yaml"))}


@cache
def load_shipped(pack_id: str) -> Pack:
    paths = shipped_packs()
    if pack_id not in paths:
        known = ", ".join(sorted(paths))
        hint = did_you_mean(pack_id, sorted(paths))
        raise ConfigError("rules/", "pack", f"unknown pack {pack_id!r} (shipped packs: {known}){hint}")
    return load_pack_file(paths[pack_id])


def _apply(rules: dict[str, Rule], pack: Pack) -> None:
    for code, change in pack.overrides.items():
        if code not in rules:
            raise ConfigError(str(pack.path), f"$.overrides.{code}", f"no inherited rule with code {code}")
        rule = rules[code]
        options = {**rule.options, **change.get("options", {})}
        unknown = set(change.get("options", {})) - set(rule.options)
        if unknown:
            raise ConfigError(str(pack.path), f"$.overrides.{code}.options", f"unknown option(s) {sorted(unknown)}")
        rules[code] = replace(
            rule,
            severity=change.get("severity", rule.severity),
            options=options,
            enabled=change.get("enabled", rule.enabled),
        )
    for rule in pack.rules:
        if rule.code in rules:
            raise ConfigError(str(pack.path), f"$.rules[code={rule.code}]", "code already defined by an inherited pack")
        rules[rule.code] = rule


def resolve(pack: Pack, loader: Any = load_shipped, seen: tuple[str, ...] = ()) -> tuple[dict[str, Rule], str | None]:
    """All rules of a pack with its ``extends`` chain applied, and the framework it forces (if any)."""
    if pack.id in seen:
        raise ConfigError(str(pack.path), "$.extends", f"extends cycle: {' → '.join((*seen, pack.id))}")
    rules: dict[str, Rule] = {}
    framework = None
    for parent_id in pack.extends:
        parent_rules, parent_fw = resolve(loader(parent_id), loader, (*seen, pack.id))
        for code, rule in parent_rules.items():
            rules[code] = rule
        framework = parent_fw or framework
    _apply(rules, pack)
    return rules, pack.framework or framework


def select_rules(rules: dict[str, Rule], select: tuple[str, ...], ignore: tuple[str, ...]) -> list[Rule]:
    for selector in (*select, *ignore):
        if not any(r.matches(selector) for r in rules.values()):
            known = sorted({*rules, *(r.name for r in rules.values())})
            hint = did_you_mean(canonical_code(selector), known) or " (see `jixiao rules`)"
            raise ConfigError("config", "select/ignore", f"{selector!r} matches no rule{hint}")
    chosen = [r for r in rules.values() if r.enabled]
    if select:
        chosen = [r for r in chosen if any(r.matches(s) for s in select)]
    return [r for r in chosen if not any(r.matches(s) for s in ignore)]


def with_overrides(rule: Rule, options: dict[str, Any] | None, severity: str | None) -> Rule:
    if options:
        unknown = set(options) - set(rule.options)
        if unknown:
            raise ConfigError("config", f"options.{rule.code}", f"unknown option(s) {sorted(unknown)}")
        rule = replace(rule, options={**rule.options, **options})
    if severity:
        if severity not in ("error", "warning", "note"):
            raise ConfigError("config", f"severity.{rule.code}", f"{severity!r} is not error, warning or note")
        rule = replace(rule, severity=severity)
    return rule


def substitute_options(schema: Any, options: dict[str, Any]) -> Any:
    """Replace every ``{"$option": name}`` in a schema with the option's value."""
    if isinstance(schema, dict):
        if set(schema) == {"$option"}:
            return copy.deepcopy(options[schema["$option"]])
        return {k: substitute_options(v, options) for k, v in schema.items()}
    if isinstance(schema, list):
        return [substitute_options(v, options) for v in schema]
    return schema


def option_names(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        if set(schema) == {"$option"}:
            return {schema["$option"]}
        return set().union(*(option_names(v) for v in schema.values())) if schema else set()
    if isinstance(schema, list):
        return set().union(*(option_names(v) for v in schema)) if schema else set()
    return set()


def all_rules(pack: str | None = None) -> list[Rule]:
    """Every rule of one pack (its extends chain applied), or of all shipped packs when ``pack`` is None."""
    from checker.frameworks import framework_ids

    order = ["common", *framework_ids()]
    ids = [pack] if pack else order + sorted(set(shipped_packs()) - set(order))
    rules: dict[str, Rule] = {}
    for pack_id in ids:
        for code, rule in resolve(load_shipped(pack_id))[0].items():
            rules.setdefault(code, rule)
    return sorted(rules.values(), key=rule_sort_key)


def pack_summaries() -> list[tuple[str, str, int]]:
    """(id, title, number of rules) of every shipped pack."""
    return [(pid, load_shipped(pid).title.zh, len(resolve(load_shipped(pid))[0])) for pid in shipped_packs()]


# The order rule groups are listed in (docs, SARIF, the review workbook's 规则 sheet): the flow of a review.
GROUP_ORDER = [
    "STR",
    "FUND",
    "DISC",
    "GOAL",
    "IND",
    "VAL",
    "QUAL",
    "COST",
    "SAT",
    "COUNT",
    "TIME",
    "WT",
    "APPR",
    "FEAS",
    "PRS",
]


def rule_sort_key(rule: Rule) -> tuple[int, str]:
    prefix = rule.code.rstrip("0123456789")
    return (GROUP_ORDER.index(prefix) if prefix in GROUP_ORDER else len(GROUP_ORDER), rule.code)

"""Evaluate rules over a sheet's facts and stamp code, severity, message and location on every hit.

A schema becomes a plain predicate (checker/rules/predicates.py) when it keeps to the keyword subset
the packs use; any other schema gets one jsonschema validator, built once (building one per call costs
~3.7 ms against ~0.06 ms reused). Validator results are memoised on the projection of the fact document
a schema can see — it is a pure function of those keys, and a batch repeats the same few projections.
A predicate answers in about a microsecond, less than building the memo key, so it is not memoised.
"""

from __future__ import annotations

import json
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker import cache as memo
from checker.config import Config
from checker.errors import ConfigError
from checker.facts import SheetFacts, build_facts
from checker.findings import Finding, RunFacts, RunRow, Severity, SheetResult, fingerprint
from checker.frameworks import detect_framework
from checker.frozen import frozen
from checker.lazyre import lazy
from checker.model import GoalSheet, Location
from checker.rules.loader import (
    Rule,
    case_key,
    load_pack_file,
    load_shipped,
    resolve,
    select_rules,
    substitute_options,
    with_overrides,
)
from checker.rules.predicates import Predicate, compile_schema
from checker.rules.registry import RUN_CHECKS, CheckSpec, Hit, RunCheck, RunEntry, RunHit, registered

if TYPE_CHECKING:
    from checker.rules.pysource import Failing

# Keywords that let a schema look at keys it does not name; such schemas are not memoised.
_OPEN_KEYWORDS = frozenset(
    {"additionalProperties", "patternProperties", "propertyNames", "unevaluatedProperties", "minProperties",
     "maxProperties", "$ref", "$dynamicRef", "dependentSchemas"}
)  # fmt: skip
_SAME_INSTANCE = ("allOf", "anyOf", "oneOf")
# Message parameters the engine adds to every finding's facts (a once-per-group rule also gets group_count).
ENGINE_PARAMS = ("framework_label", "framework_label_en")
_MISSING = object()


def projection(schema: Any) -> frozenset[str] | None:
    """Top-level keys a schema can inspect, or None when it may look at any key."""
    if not isinstance(schema, dict):
        return frozenset()
    if _OPEN_KEYWORDS & schema.keys():
        return None
    keys = set(schema.get("properties", {})) | set(schema.get("required", []))
    keys |= set(schema.get("dependentRequired", {}))
    subs = [schema[k] for k in ("not", "if", "then", "else") if k in schema]
    subs += [s for k in _SAME_INSTANCE for s in schema.get(k, [])]
    for sub in subs:
        inner = projection(sub)
        if inner is None:
            return None
        keys |= inner
    return frozenset(keys)


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _freeze(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


@cache
def _meta_validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(Draft202012Validator.META_SCHEMA)


@dataclass
class CompiledRule:
    """A rule of the selected set with its options, severity and compiled predicate."""

    rule: Rule
    validator: Any = None
    keys: frozenset[str] | None = None
    spec: CheckSpec | None = None
    memo: dict[Any, bool] = field(default_factory=dict)
    order: tuple[str, ...] = ()
    predicate: Predicate | None = None
    schema: dict[str, Any] | None = None
    # The same test written out as Python source (rules/pysource.py), made once the rule has been asked
    # _WRITE_OUT_AFTER times: compiling a pack's source costs ~20 ms, which a one-file lint never earns
    # back and a batch earns back in ~100 sheets (0.35 -> 0.16 ms a sheet).
    failing: Failing | None = None
    asked: int = 0

    def __post_init__(self) -> None:
        self.order = tuple(sorted(self.keys or ()))

    def write_out(self) -> None:
        """Evaluate through generated source from now on (an indicator rule through ``failing``)."""
        from checker.rules.pysource import compile_failing, compile_source

        if self.predicate is None or self.schema is None:
            return
        if self.rule.target == "indicator":
            self.failing = compile_failing(self.schema)
        else:
            self.predicate = compile_source(self.schema) or self.predicate

    def use_jsonschema(self) -> None:
        """Evaluate through a jsonschema validator (memoised on the schema's projection) from now on."""
        self.predicate = self.failing = None  # without a predicate, write_out leaves the rule as it is
        self.validator = safe_validator(self.schema)
        self.keys = projection(self.schema)
        self.order = tuple(sorted(self.keys or ()))

    def valid(self, doc: dict[str, Any]) -> bool:
        """Through the jsonschema validator; ``evaluate`` calls ``predicate`` directly when there is one."""
        if self.keys is None:
            return bool(self.validator.is_valid(doc))
        key: Any = tuple([doc.get(k, _MISSING) for k in self.order])
        try:
            result = self.memo.get(key)
        except TypeError:  # a list or dict among the values: freeze it to hash it
            key = _freeze(list(key))
            result = self.memo.get(key)
        if result is None:
            result = self.memo[key] = bool(self.validator.is_valid(doc))
        return result


def safe_validator(schema: Any) -> Any:
    """A Draft 2020-12 validator for an untrusted schema: ``$ref`` resolves only inside the schema (never
    over the network: jsonschema's deprecated fallback fetched http URLs, and a silent server hung the run),
    and ``pattern`` runs under a time budget."""
    from jsonschema import Draft202012Validator, validators
    from jsonschema.exceptions import ValidationError
    from referencing import Registry

    from checker.rules.predicates import safe_search

    def refuse(uri: str) -> Any:
        from referencing.exceptions import NoSuchResource

        raise NoSuchResource(ref=uri)  # type: ignore[call-arg]

    def pattern(_validator: Any, patrn: str, instance: Any, _schema: Any) -> Any:
        if isinstance(instance, str) and not safe_search(patrn)(instance):
            yield ValidationError(f"{instance!r} does not match {patrn!r}")

    cls = validators.extend(Draft202012Validator, {"pattern": pattern})
    return cls(schema, registry=Registry(retrieve=refuse))  # type: ignore[call-arg]


def _schema_of(rule: Rule) -> dict[str, Any]:
    try:
        schema: dict[str, Any] = substitute_options(rule.schema, rule.options)
        return schema
    except KeyError as exc:
        raise ConfigError(
            rule.pack, f"rules[{rule.code}].schema", f"$option {exc} is not among the rule's options"
        ) from None


def _validate(rule: Rule, schema: dict[str, Any] | None) -> None:
    """Raise ConfigError naming the pack and JSON path when a rule's schema or check options are wrong."""
    from jsonschema import Draft202012Validator

    if schema is not None:
        error = next(iter(_meta_validator().iter_errors(schema)), None)
        where = f"rules[{rule.code}].schema"
    else:
        spec = registered()[rule.check or ""]
        error = next(iter(Draft202012Validator(dict(spec.options_schema)).iter_errors(rule.options)), None)
        where = f"rules[{rule.code}].options"
    if error is not None:
        raise ConfigError(rule.pack, f"{where}{error.json_path[1:]}", error.message)


# Rule sets compiled in this process, by the identity of their rules; each entry keeps its rules alive, so an
# id in a key is never reused by another rule. Another Engine over the same rules (a library caller's, a
# run-level pass under another Config object, a test's) gets the same Rule objects, so the same predicates — a
# CompiledRule's only state is its memo of a pure function's answers, safe to share. A check registered anew
# since (checks are looked up when compiled) means compiling again.
_COMPILED: dict[tuple[int, ...], tuple[list[Rule], list[CompiledRule]]] = {}
_WRITE_OUT_AFTER = 64
_KEEP_COMPILED = 8


def compile_rules(rules: list[Rule]) -> list[CompiledRule]:
    """Check every rule (once per distinct rule set: the result is cached on disk, so a lint with known
    packs never imports jsonschema) and compile each schema to a predicate where it can be; once per
    process for the same rules."""
    key = tuple(map(id, rules))
    done = _COMPILED.get(key)
    if done is not None and not _same_checks(done[1]):
        done = None  # a check registered anew since (a plugin, a test's stand-in): compiled with it
    if done is None:
        if len(_COMPILED) >= _KEEP_COMPILED:  # a long-lived caller making engines from pack files stays bounded
            del _COMPILED[next(iter(_COMPILED))]
        done = _COMPILED[key] = (list(rules), _compile_rules(rules))
    return list(done[1])


def _same_checks(compiled: list[CompiledRule]) -> bool:
    checks = registered()
    return all(c.spec is None or checks.get(c.rule.check or "") is c.spec for c in compiled)


def _compile_rules(rules: list[Rule]) -> list[CompiledRule]:
    checks = registered()
    schemas: list[dict[str, Any] | None] = []
    for rule in rules:
        if rule.check is not None and rule.check not in checks:
            raise ConfigError(rule.pack, f"rules[{rule.code}].check", f"no registered check {rule.check!r}")
        schemas.append(None if rule.check is not None else _schema_of(rule))
    payload = [[r.code, s if s is not None else [checks[r.check or ""].options_schema, r.options]]
               for r, s in zip(rules, schemas, strict=True)]  # fmt: skip
    key = memo.digest(json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode())
    if not memo.seen("rulesets", key):
        for rule, schema in zip(rules, schemas, strict=True):
            _validate(rule, schema)
        memo.remember("rulesets", key)
    return [_compiled(rule, schema) for rule, schema in zip(rules, schemas, strict=True)]


def _compiled(rule: Rule, schema: dict[str, Any] | None) -> CompiledRule:
    if schema is None:
        return CompiledRule(rule, spec=registered()[rule.check or ""])
    compiled = CompiledRule(rule, predicate=compile_schema(schema), schema=schema)
    if compiled.predicate is None:
        compiled.use_jsonschema()
    return compiled


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        raise KeyError(key)


class Phrase(str):
    """Text a rule's ``phrases`` made: shown as it is, even when empty (an empty note is no blank field)."""


_BLANK = "\x00"
# What a message says for a field left blank on the sheet, instead of an empty 「」.
_BLANK_WORDS = {
    "zh": {"project": "（未填写项目名称）", "name": "（未填写名称）", "": "（空白）"},
    "en": {"project": "(unnamed project)", "name": "(no name)", "": "(blank)"},
}
_BLANK_SPOT = lazy(r"[「'“]?\x00([a-z_0-9]*)\x00[」'”]?")


def _show(value: Any, lang: str = "zh") -> Any:
    if isinstance(value, Phrase):
        return str(value)
    if isinstance(value, bool):  # never a Python True/False in a message
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, list):
        return ("、" if lang == "zh" else ", ").join(str(_show(v, lang)) for v in value) or "—"
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return value


@cache
def fields(template: str) -> tuple[str, ...]:
    """The placeholder names of a message template, parsed once."""
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)


def render(template: str, params: dict[str, Any], lang: str = "zh") -> str:
    values = {}
    for key in fields(template):
        value = params[key]
        blank = isinstance(value, str) and not isinstance(value, Phrase) and not value.strip()
        values[key] = f"{_BLANK}{key}{_BLANK}" if blank else _show(value, lang)
    text = template.format_map(_Params(values))
    if _BLANK not in text:
        return text
    words = _BLANK_WORDS["zh" if lang == "zh" else "en"]
    return _BLANK_SPOT.sub(lambda m: words.get(m.group(1), words[""]), text)


def phrases(rule: Rule, params: dict[str, Any], lang: str) -> dict[str, Phrase]:
    """The rule's ``phrases``: text chosen by a fact's value (``cases``) or each value's label (``labels``),
    so that wording lives in the pack and the facts stay data."""
    out: dict[str, Phrase] = {}
    for name, spec in rule.phrases.items():
        value = params.get(spec["fact"])
        if "cases" in spec:
            case = spec["cases"].get(case_key(value), spec.get("default"))
            out[name] = Phrase(render(case[lang], params, lang) if case else "")
        else:
            labels = spec["labels"]
            items = value if isinstance(value, list) else [] if value is None else [value]
            shown = [labels[str(i)][lang] if str(i) in labels else str(i) for i in items]
            out[name] = Phrase(("、" if lang == "zh" else ", ").join(shown))
    return out


class Engine:
    """Compiled rule sets for one Config, built on first use and reused for every sheet."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self._compiled: dict[str, tuple[list[CompiledRule], str | None]] = {}
        self._chosen: dict[tuple[str, str, bool], tuple[list[CompiledRule], dict[str, Rule]]] = {}
        self._extra = [load_pack_file(Path(p)) for p in self.config.packs]

    def rules_for(self, pack_id: str) -> tuple[list[CompiledRule], str | None]:
        if pack_id not in self._compiled:
            rules, forced = resolve(load_shipped(pack_id))
            for extra in self._extra:
                extra_rules, extra_fw = resolve(extra)
                rules.update(extra_rules)
                forced = extra_fw or forced
            chosen = select_rules(rules, self.config.select, self.config.ignore)
            chosen = [
                with_overrides(r, self.config.options.get(r.code), self.config.severity.get(r.code)) for r in chosen
            ]
            self._compiled[pack_id] = (compile_rules(chosen), forced)
        return self._compiled[pack_id]

    def _sheet_rules(self, pack: str, kind: str, unread: bool) -> tuple[list[CompiledRule], dict[str, Rule]]:
        """The rules that judge a sheet of this document type (only the parser's, PRS, on a placeholder for
        what could not be read), and the same by code; chosen once per pack and kind, not once per sheet."""
        key = (pack, kind, unread)
        chosen = self._chosen.get(key)
        if chosen is None:
            compiled, _ = self.rules_for(pack)
            picked = [
                c
                for c in compiled
                if c.rule.target != "run"
                and (not c.rule.document_types or kind in c.rule.document_types)
                and (not unread or c.rule.code.startswith("PRS"))
            ]
            chosen = self._chosen[key] = (picked, {c.rule.code: c.rule for c in picked})
        return chosen

    def framework_for(self, sheet: GoalSheet) -> tuple[str, str]:
        """(framework, pack) for one sheet: config first, then the pack's own, then detection."""
        cfg = self.config
        if cfg.pack == "auto":
            fw = cfg.framework if cfg.framework != "auto" else detect_framework(sheet)
            return fw, fw
        _, forced = self.rules_for(cfg.pack)
        fw = cfg.framework if cfg.framework != "auto" else forced or detect_framework(sheet)
        return fw, cfg.pack

    def check_sheet(self, sheet: GoalSheet) -> SheetResult:
        fw, pack = self.framework_for(sheet)
        facts = build_facts(sheet, fw)
        compiled, by_code = self._sheet_rules(pack, facts.doc["document_type"], sheet.unread)
        placed: list[Placed] = []
        indicators = facts.indicators
        for c in compiled:
            # A rule written out (most of a batch's) that passes every indicator is done here: the call below
            # costs more than the test on a sheet where ~80 of ~90 rules find nothing.
            if c.failing is not None and not c.rule.once_per:
                try:
                    if not c.failing(indicators):
                        continue
                except Exception:  # evaluate_placed asks again, and reports it as INT001
                    pass
            placed.extend(evaluate_placed(c, facts))
        shown, dropped = resolve_causes(placed, by_code)
        shown.sort(key=_sort_key)
        dropped.sort(key=_sort_key)
        return SheetResult(
            sheet,
            fw,
            tuple(shown),
            len(sheet.indicators),
            len(facts.not_applicable),
            superseded=tuple(dropped),
            run_facts=None if sheet.unread else _run_facts(facts),
        )

    def run_pass(self) -> RunPass:
        """The run-level rules (target ``run``) of the run's pack, ready to be given its sheets."""
        pack = "fw2015" if self.config.pack == "auto" else self.config.pack
        compiled, _ = self.rules_for(pack)
        checks = [(c.rule, RUN_CHECKS[c.rule.check or ""][0](c.rule.options))
                  for c in compiled if c.rule.target == "run"]  # fmt: skip
        return RunPass(tuple(checks))

    def check_run(self, entries: Sequence[RunEntry]) -> Iterator[tuple[int, Finding]]:
        """The run-level rules over every sheet of a run at once: (entry index, finding) pairs."""
        run = self.run_pass()
        try:
            for entry in entries:
                run.add(entry)
            yield from run.findings(entries)
        finally:
            run.close()


class RunPass:
    """The run-level rules of one run, given its sheets one by one as they are checked (a streamed run
    gives each as its file completes, so the work happens while the pool still checks the rest), then asked
    for their findings once the last sheet is in."""

    def __init__(self, checks: tuple[tuple[Rule, RunCheck], ...]) -> None:
        self._checks = checks
        self._count = 0

    def add(self, entry: RunEntry) -> None:
        for _, check in self._checks:
            check.add(self._count, entry)
        self._count += 1

    def findings(self, entries: Sequence[RunEntry]) -> Iterator[tuple[int, Finding]]:
        """(entry index, finding) pairs, made as they are asked for (a streamed run puts them on disk as
        they come); ``entries`` are the sheets given, in the same order, for the few a finding names."""
        for rule, check in self._checks:
            for hit in check.hits(entries):
                yield hit.entry, _run_finding(rule, entries[hit.entry], hit)

    def close(self) -> None:
        for _, check in self._checks:
            check.close()


@frozen
class Placed:
    """A finding with what it is about: the indicator's index in the sheet's facts, or None for the sheet."""

    index: int | None
    finding: Finding


def _run_facts(facts: SheetFacts) -> RunFacts:
    sheet = facts.sheet
    unit = sheet.header_field("实施单位") or sheet.header_field("预算单位") or sheet.header_field("主管部门") or ""
    rows = tuple(
        RunRow.of(doc["name"], doc["raw"], doc["path"], sheet.indicators[doc["index"]].location)
        for doc in facts.indicators
        if doc["in_effect"] and doc["name"]
    )
    return RunFacts(sheet.project, unit, rows, tuple((d["name"], d["raw"]) for d in facts.indicators))


def _run_finding(rule: Rule, entry: RunEntry, hit: RunHit) -> Finding:
    facts: RunFacts = entry.facts
    row = facts.effect_rows[hit.row] if hit.row is not None else None
    params = {"project": facts.project, **rule.options, **hit.params}
    path, raw = (row.path, row.raw) if row else (None, hit.key or None)
    location = row.location if row else Location(entry.source)
    return _stamped(rule, params, params, location=location, project=facts.project, path=path, raw=raw)


def _sort_key(f: Finding) -> tuple[tuple[int, int], int, str]:
    return _order(f), -Severity(f.severity).rank, f.code


def resolve_causes(placed: list[Placed], rules: dict[str, Rule]) -> tuple[list[Finding], list[Finding]]:
    """(shown, superseded): a finding goes when a finding of a rule that ``supersedes`` its code stands on
    the same indicator, or on the sheet when that rule is sheet-level. A finding dropped this way still
    drops its own follow-ons: the chain shares one root cause."""
    by_code: dict[str, list[int]] = {}
    for i, p in enumerate(placed):
        by_code.setdefault(p.finding.code, []).append(i)
    cause: dict[int, str] = {i: p.finding.superseded_by for i, p in enumerate(placed) if p.finding.superseded_by}
    for p in placed:
        rule = rules.get(p.finding.code)
        if rule is None or not (rule.supersedes or rule.supersedes_on_row):
            continue
        for code in rule.supersedes:
            for j in by_code.get(code, ()):
                # A sheet-level rule stands on the whole sheet, even when its hit is placed at a row.
                if j not in cause and (rule.target == "sheet" or p.index is None or placed[j].index == p.index):
                    cause[j] = p.finding.code
        for code in rule.supersedes_on_row if p.index is not None else ():
            for j in by_code.get(code, ()):
                if j not in cause and placed[j].index == p.index:
                    cause[j] = p.finding.code
    shown = [p.finding for i, p in enumerate(placed) if i not in cause]
    dropped = [replace(p.finding, superseded_by=cause[i]) for i, p in enumerate(placed) if i in cause]
    return shown, dropped


def _order(finding: Finding) -> tuple[int, int]:
    """Findings in reading order: by line, or by worksheet row then column."""
    loc = finding.location
    if loc.line is not None:
        return loc.line, loc.column or 0
    cell = loc.cell or "A0"
    letters = "".join(ch for ch in cell if ch.isalpha())
    return int(cell[len(letters) :] or 0), sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(letters)))


def evaluate(c: CompiledRule, facts: SheetFacts) -> list[Finding]:
    """The rule's findings on one sheet, those of a once-per-group rule's later rows included."""
    return [p.finding for p in evaluate_placed(c, facts)]


def evaluate_placed(c: CompiledRule, facts: SheetFacts) -> list[Placed]:
    rule = c.rule
    try:
        if c.spec is not None:
            hits = list(c.spec.fn(facts, rule.options))
        else:
            c.asked += 1
            if c.asked == _WRITE_OUT_AFTER:
                c.write_out()
            valid = c.predicate or c.valid  # the predicate itself when there is one: no extra call per document
            if c.failing is not None:
                hits = [Hit(i, {}) for i in c.failing(facts.indicators)]
            elif rule.target == "indicator":
                hits = [Hit(i, {}) for i, doc in enumerate(facts.indicators) if not valid(doc)]
            else:
                hits = [] if valid(facts.doc) else [Hit(None, {})]
        if rule.once_per:
            return _once_per_group(rule, facts, hits)
        return [Placed(hit.index, _finding(rule, facts, hit)) for hit in hits]
    except Exception as exc:  # a broken check must not stop the run: report it and go on
        return [Placed(None, _internal(rule, facts, exc))]


def _once_per_group(rule: Rule, facts: SheetFacts, hits: list[Hit]) -> list[Placed]:
    """One finding per group (the group's first row, with ``group_count``); the other rows' findings are
    kept as superseded by it, so the JSON report still lists every row."""
    groups: dict[tuple[Any, ...], list[Hit]] = {}
    for hit in hits:
        doc = facts.indicators[hit.index] if hit.index is not None else facts.doc
        groups.setdefault(tuple(_freeze(doc.get(k)) for k in rule.once_per), []).append(hit)
    out: list[Placed] = []
    for members in groups.values():
        count = {"group_count": len(members)}
        first, *rest = members
        out.append(Placed(first.index, _finding(rule, facts, replace(first, params={**first.params, **count}))))
        out += [
            Placed(
                h.index,
                replace(_finding(rule, facts, replace(h, params={**h.params, **count})), superseded_by=rule.code),
            )
            for h in rest
        ]
    return out


def _finding(rule: Rule, facts: SheetFacts, hit: Hit) -> Finding:
    sheet = facts.sheet
    doc = facts.indicators[hit.index] if hit.index is not None else facts.doc
    fw = facts.framework
    params = {**doc, **rule.options, **hit.params, "framework_label": fw.label_zh, "framework_label_en": fw.label_en}
    zh = {**params, **phrases(rule, params, "zh")} if rule.phrases else params
    en = {**params, **phrases(rule, params, "en")} if rule.phrases else params
    ind = sheet.indicators[hit.index] if hit.index is not None else None
    if ind is not None:
        location = ind.location
    elif hit.location is not None:
        location = hit.location
    elif rule.target == "funding" and sheet.funding is not None and sheet.funding.location is not None:
        location = sheet.funding.location
    else:
        location = sheet.location
    path = ind.path if ind else None
    raw = ind.value.raw if ind else (hit.key or None)
    return _stamped(rule, zh, en, location=location, project=sheet.project, path=path, raw=raw)


def _stamped(
    rule: Rule,
    zh: dict[str, Any],
    en: dict[str, Any],
    *,
    location: Location,
    project: str,
    path: str | None,
    raw: str | None,
) -> Finding:
    """A finding with the rule's code, severity and rendered texts: one construction for sheet and run
    hits alike."""
    suggestion = rule.suggestion
    return Finding(
        code=rule.code,
        name=rule.name,
        refs=rule.refs,
        severity=Severity(rule.severity),
        message=render(rule.message.zh, zh, "zh"),
        message_en=render(rule.message.en, en, "en"),
        location=location,
        project=project,
        indicator_path=path,
        raw_value=raw,
        fingerprint=fingerprint(rule.code, project, path, raw),
        suggestion=render(suggestion.zh, zh, "zh") if suggestion else None,
        suggestion_en=render(suggestion.en, en, "en") if suggestion else None,
        dimension=rule.dimension,
    )


def _internal(rule: Rule, facts: SheetFacts, exc: Exception) -> Finding:
    detail = f"{type(exc).__name__}: {exc}"
    return Finding(
        code="INT001",
        name="internal.check-failed",
        refs=(),
        severity=Severity.ERROR,
        message=f"规则 {rule.code}（{rule.name}）执行出错，已跳过：{detail}",
        message_en=f"rule {rule.code} ({rule.name}) failed and was skipped: {detail}",
        location=facts.sheet.location,
        project=facts.sheet.project,
        indicator_path=None,
        raw_value=None,
        fingerprint=fingerprint("INT001", facts.sheet.project, rule.code, detail),
    )

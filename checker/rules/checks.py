"""The registered checks (see registry.py). Keep each one small and driven by its options."""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from checker.facts import SheetFacts
from checker.rules.registry import Hit, RunEntry, RunHit, check, run_check
from checker.rules.runkeys import Records, recurring
from checker.text import cjk_runs
from checker.vocabulary import lexicon


@cache
def _stop_bigrams() -> frozenset[str]:
    return frozenset(lexicon().words["goal_stop_bigrams"])


@lru_cache(maxsize=8192)
def _bigrams(text: str, stop: frozenset[str]) -> frozenset[str]:
    # Remembered: every sheet asks this of each indicator name, and a batch repeats its names.
    grams: set[str] = set()
    for run in cjk_runs(text):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(grams - stop)


@check(
    "goal.coverage",
    options_schema={"type": "object", "properties": {"min_shared": {"type": "integer", "minimum": 1}},
                    "additionalProperties": False},
    params=("goal", "goal_number"),
)  # fmt: skip
def goal_coverage(facts: SheetFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    """Each numbered goal shares at least ``min_shared`` two-character words with some indicator name."""
    stop = _stop_bigrams()
    names = [_bigrams(doc["name"], stop) for doc in facts.indicators]
    if not names:
        return
    for number, goal in enumerate(facts.sheet.goals, 1):
        grams = _bigrams(goal, stop)
        if grams and not any(len(grams & name) >= options["min_shared"] for name in names):
            yield Hit(None, {"goal": goal, "goal_number": number}, key=goal)


@check(
    "cost.reconcile",
    options_schema={"type": "object", "properties": {"tolerance": {"type": "number", "minimum": 0}},
                    "additionalProperties": False},
    params=("estimate_yuan", "funding_total_yuan", "terms"),
)  # fmt: skip
def cost_reconcile(facts: SheetFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    """Unit costs × the quantities they price should not add up to more than the funding.

    Each unit cost prices one quantity: the one in its own unit (元/亩 → 亩), else the one of its dimension
    whose name shares a word with it — never every quantity of any unit. A sheet whose money caps already
    add up to the funding has reconciled its costs itself."""
    total = facts.doc["funding_total_yuan"]
    if not total:  # no budget read (or 0 this year): nothing to hold the estimate against
        return
    slack = 1 + Decimal(str(options["tolerance"]))
    cap = facts.doc["cost_total_cap_yuan"]
    if cap is not None and abs(Decimal(str(cap)) - Decimal(str(total))) <= Decimal(str(total)) * (slack - 1):
        return
    stop = _stop_bigrams()
    quantities = [
        doc
        for doc in facts.indicators
        if doc["magnitude"] is not None and doc["dimension"] and not doc["is_currency"] and not doc["is_percent"]
    ]
    estimate, terms = Decimal(0), []
    for doc in facts.indicators:
        dim = doc["dimension"] or ""
        if not (doc["is_unit_cost"] and dim.startswith("[currency] / ") and doc["magnitude"] is not None):
            continue
        qty = _priced_quantity(doc, [q for q in quantities if q["dimension"] == _per_dimension(dim)], stop)
        if qty is None:
            continue
        amount = Decimal(str(doc["magnitude"])) * Decimal(str(qty["magnitude"]))
        estimate += amount
        terms.append(f"{doc['name']} {doc['raw']} × {qty['name']} {qty['raw']} ≈ {amount:,.0f}")
    if terms and estimate > Decimal(str(total)) * slack:
        yield Hit(None, {"estimate_yuan": f"{estimate:,.0f}", "funding_total_yuan": f"{total:,}",
                         "terms": "；".join(terms)})  # fmt: skip


def _priced_quantity(cost: dict[str, Any], same_dimension: list[dict[str, Any]], stop: frozenset[str]) -> Any:
    per = (cost["unit"] or "").partition("/")[2]
    exact = [q for q in same_dimension if per and q["unit"] == per]
    if len(exact) == 1:
        return exact[0]
    words = _bigrams(cost["name"], stop)
    scored = sorted(((len(words & _bigrams(q["name"], stop)), i) for i, q in enumerate(exact or same_dimension)),
                    reverse=True)  # fmt: skip
    if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None  # no quantity names what this cost prices, or two do equally: no guess
    return (exact or same_dimension)[scored[0][1]]


def _per_dimension(dimension: str) -> str:
    """``[currency] / [length] ** 2`` → ``[length] ** 2``; several divisors become a product."""
    parts = [p.strip() for p in dimension.split(" / ")[1:]]
    return " * ".join(sorted(parts))


@check("parse.problems",
       options_schema={"type": "object", "properties": {"problem": {"type": "string", "pattern": "^PRS[0-9]{3}$"}},
                       "required": ["problem"], "additionalProperties": False},
       params=("detail_zh", "detail_en"))  # fmt: skip
def parse_problems(facts: SheetFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    """What the parser noticed while reading the sheet (a name joined across a page break, …), one rule
    per kind of problem: ``options.problem`` is the ParseProblem code the rule reports."""
    for problem in facts.sheet.problems:
        if problem.code != options["problem"]:
            continue
        index = next((i for i, ind in enumerate(facts.sheet.indicators) if ind.location == problem.location), None)
        # Reported where the parser noticed it: the row where reading stopped, the cut-off label, the marker.
        yield Hit(
            index,
            {"detail_zh": problem.message_zh, "detail_en": problem.message_en},
            key=problem.message_en,
            location=problem.location,
        )


@run_check(
    "run.boilerplate-effects",
    options_schema={"type": "object", "properties": {"min_projects": {"type": "integer", "minimum": 2}},
                    "additionalProperties": False},
    params=("count", "name", "raw"),
)  # fmt: skip
class BoilerplateEffects:
    """The same effect indicator (name and value) in ``min_projects`` or more projects of one unit: copied
    boilerplate rather than the project's own effect (IND-006 across a batch)."""

    def __init__(self, options: Mapping[str, Any]) -> None:
        self._min: int = options["min_projects"]
        # Every effect row: digest of (unit, name, raw), digest of its project, its entry and row.
        self._rows = Records("16s16sqq")

    def add(self, index: int, entry: RunEntry) -> None:
        facts = entry.facts
        if not facts.effect_rows:
            return
        unit, project = facts.unit or entry.source, _digest(facts.project)
        for r, row in enumerate(facts.effect_rows):
            self._rows.add(_digest(unit, row.name, row.raw), project, index, r)

    def hits(self, entries: Sequence[RunEntry]) -> Iterator[RunHit]:
        # Places are kept only for the keys that may recur often enough (a project counts once, so a key
        # needs at least as many rows as projects): the run's other rows cost nothing but their record.
        seen: dict[bytes, list[tuple[int, int, bytes]]] = {}
        for key, project, e, r in recurring(self._rows, len(entries), self._min):
            seen.setdefault(key, []).append((e, r, project))
        for places in seen.values():
            count = len({project for _, _, project in places})
            if count >= self._min:
                first = entries[places[0][0]].facts.effect_rows[places[0][1]]
                name, raw = first.name, first.raw
                for e, r, _ in places:
                    yield RunHit(e, r, {"count": count, "name": name, "raw": raw}, key=f"{name}\x1f{raw}")

    def close(self) -> None:
        self._rows.close()


def _digest(*parts: Any) -> bytes:
    """A small fixed-size key for what a run-level check compares across 100,000 sheets (the texts
    themselves would be kept for every sheet of the run)."""
    import hashlib
    import marshal

    # marshal writes the strings and tuples a key is made of 3x faster than repr. Version 2 exactly: it has no
    # back-references, so equal values give equal bytes whether or not they are the same objects (from
    # version 3 on, a string met twice in one key is written as a reference the second time).
    return hashlib.blake2b(marshal.dumps(parts, 2), digest_size=16).digest()


@run_check(
    "run.duplicate-projects",
    options_schema={"type": "object", "additionalProperties": False},
    params=("count", "sources"),
)
class DuplicateProjects:
    """The same project (name and every indicator) more than once in a run: a file submitted twice, or
    one project copied into another file."""

    def __init__(self, options: Mapping[str, Any]) -> None:
        self._keys = Records("16sq")  # digest of (project, sorted indicators), entry

    def add(self, index: int, entry: RunEntry) -> None:
        facts = entry.facts
        if facts.project and facts.indicators:
            self._keys.add(_digest(facts.project, tuple(sorted(facts.indicators))), index)

    def hits(self, entries: Sequence[RunEntry]) -> Iterator[RunHit]:
        seen: dict[bytes, list[int]] = {}  # digest -> entries, for the keys that may recur
        for key, e in recurring(self._keys, len(entries), 2):
            seen.setdefault(key, []).append(e)
        for copies in seen.values():
            if len(copies) > 1:
                sources = "、".join(dict.fromkeys(entries[e].source for e in copies))
                for e in copies:
                    yield RunHit(e, None, {"count": len(copies), "sources": sources})

    def close(self) -> None:
        self._keys.close()


@check(
    "weight.level1-split",
    options_schema={"type": "object", "required": ["split"], "additionalProperties": False,
                    "properties": {"split": {"type": "object", "minProperties": 1,
                                             "additionalProperties": {"type": "number", "minimum": 0}}}},
    params=("found", "expected"),
)  # fmt: skip
def level1_split(facts: SheetFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    """The points of each 一级 against the split the form states (D-10's 自评表: 产出 50 / 效益 30 / 满意度 10,
    预算执行率 10 apart). Judged only when every indicator carries points: a half-weighted table says
    nothing about its split."""
    docs = facts.indicators
    if not docs or any(doc["weight"] is None for doc in docs):
        return
    sums: dict[str, Decimal] = {}
    for doc in docs:
        sums[doc["level1"] or ""] = sums.get(doc["level1"] or "", Decimal(0)) + Decimal(str(doc["weight"]))
    split = {name: Decimal(str(points)) for name, points in options["split"].items()}
    if all(sums.get(name, Decimal(0)) == points for name, points in split.items()):
        return
    shown = [f"{name} {sums.get(name, Decimal(0)).normalize():f}" for name in split]
    yield Hit(
        None, {"found": "、".join(shown), "expected": "、".join(f"{n} {p.normalize():f}" for n, p in split.items())}
    )


_WORDS = {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}


@run_check(
    "run.core-output-missing",
    options_schema={
        "type": "object", "required": ["kinds"], "additionalProperties": False,
        "properties": {
            "min_projects": {"type": "integer", "minimum": 2},
            "min_share": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
            "kinds": {"type": "object", "minProperties": 1, "additionalProperties": {
                "type": "object", "required": ["projects", "outputs"], "additionalProperties": False,
                "properties": {"projects": _WORDS, "outputs": _WORDS}}},
        },
    },
    params=("kind", "peers", "with_output", "outputs"),
)  # fmt: skip
class CoreOutputMissing:
    """A project of a kind (named by words in its project name, as data) without the core output its peers
    in the run all but unanimously measure (REL-001 across a batch). Conservative on purpose: only when at
    least ``min_projects`` projects of the kind are in the run and ``min_share`` of them carry an output
    named by the kind's words, so a kind the run does not measure that way is never asked for it."""

    def __init__(self, options: Mapping[str, Any]) -> None:
        self._options = options
        self._kinds: Mapping[str, Any] = options["kinds"]
        self._members: dict[str, int] = dict.fromkeys(self._kinds, 0)
        self._lacking: dict[str, array[int]] = {kind: array("q") for kind in self._kinds}

    def add(self, index: int, entry: RunEntry) -> None:
        facts = entry.facts
        if not facts.indicators:
            return
        for kind, spec in self._kinds.items():  # every kind judged in the one look at the sheet
            if any(w in facts.project for w in spec["projects"]):
                self._members[kind] += 1
                if not _names_any(facts.indicators, spec["outputs"]):
                    self._lacking[kind].append(index)

    def hits(self, entries: Sequence[RunEntry]) -> Iterator[RunHit]:
        options = self._options
        for kind, spec in self._kinds.items():
            peers, missing = self._members[kind], self._lacking[kind]
            if peers < options.get("min_projects", 3):
                continue
            with_output = peers - len(missing)
            if missing and with_output >= options.get("min_share", 0.75) * peers:
                outputs = "、".join(spec["outputs"][:4])
                for e in missing:
                    params = {"kind": kind, "peers": peers, "with_output": with_output, "outputs": outputs}
                    yield RunHit(e, None, params, key=kind)

    def close(self) -> None:
        pass


def _names_any(indicators: tuple[tuple[str, str], ...], words: list[str]) -> bool:
    return any(w in name for name, _ in indicators for w in words)

"""The registered checks (see registry.py). Keep each one small and driven by its options."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from checker.facts import SheetFacts
from checker.rules.registry import Hit, RunEntry, RunHit, check, run_check
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
def boilerplate_effects(entries: Sequence[RunEntry], options: Mapping[str, Any]) -> Iterator[RunHit]:
    """The same effect indicator (name and value) in ``min_projects`` or more projects of one unit: copied
    boilerplate rather than the project's own effect (IND-006 across a batch)."""

    def keyed() -> Iterator[tuple[bytes, int, int, RunEntry]]:
        for e, entry in enumerate(entries):
            unit = entry.facts.unit or entry.source
            for r, row in enumerate(entry.facts.effect_rows):
                yield _digest(unit, row.name, row.raw), e, r, entry

    sketch = _Sketch(len(entries))
    for key, *_ in keyed():
        sketch.add(key)
    # Only the rows whose key may recur often enough are kept (a project counts once, so a key needs at
    # least as many rows as projects): the run's other rows cost nothing but the sketch.
    seen: dict[bytes, list[tuple[int, int, bytes]]] = {}  # digest of (unit, name, raw) -> (entry, row, project)
    for key, e, r, entry in keyed():
        if sketch.at_least(key, options["min_projects"]):
            seen.setdefault(key, []).append((e, r, _digest(entry.facts.project)))
    for places in seen.values():
        count = len({project for _, _, project in places})
        if count >= options["min_projects"]:
            first = entries[places[0][0]].facts.effect_rows[places[0][1]]
            name, raw = first.name, first.raw
            for e, r, _ in places:
                yield RunHit(e, r, {"count": count, "name": name, "raw": raw}, key=f"{name}\x1f{raw}")


def _digest(*parts: Any) -> bytes:
    """A small fixed-size key for what a run-level check compares across 100,000 sheets (the texts
    themselves would be kept for every sheet of the run)."""
    import hashlib

    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).digest()


class _Sketch:
    """How often each key of a run was seen, at most: a count-min sketch (two saturating one-byte counters
    per key) in a fixed space, so a run-level check can pass over 100,000 sheets once to learn which keys
    may recur, and keep places only for those on a second pass. It never says less than the true count
    (no recurring key is missed); a key it overcounts is merely kept and then counted exactly."""

    _MAX_BITS = 22  # 4 MiB of counters, whatever the run's size

    def __init__(self, entries: int) -> None:
        bits = min(self._MAX_BITS, max(12, (entries * 64).bit_length()))
        self._mask = (1 << bits) - 1
        self._counts = bytearray(1 << bits)

    def _slots(self, key: bytes) -> tuple[int, int]:
        return int.from_bytes(key[:4], "little") & self._mask, int.from_bytes(key[4:8], "little") & self._mask

    def add(self, key: bytes) -> None:
        for slot in self._slots(key):
            if self._counts[slot] < 255:
                self._counts[slot] += 1

    def at_least(self, key: bytes, n: int) -> bool:
        return min(self._counts[slot] for slot in self._slots(key)) >= min(n, 255)


@run_check(
    "run.duplicate-projects",
    options_schema={"type": "object", "additionalProperties": False},
    params=("count", "sources"),
)
def duplicate_projects(entries: Sequence[RunEntry], options: Mapping[str, Any]) -> Iterator[RunHit]:
    """The same project (name and every indicator) more than once in a run: a file submitted twice, or
    one project copied into another file."""

    def keyed() -> Iterator[tuple[bytes, int]]:
        for e, entry in enumerate(entries):
            if entry.facts.project and entry.facts.indicators:
                yield _digest(entry.facts.project, tuple(sorted(entry.facts.indicators))), e

    sketch = _Sketch(len(entries))
    for key, _ in keyed():
        sketch.add(key)
    seen: dict[bytes, list[int]] = {}  # digest of (project, sorted indicators) -> entries, if it may recur
    for key, e in keyed():
        if sketch.at_least(key, 2):
            seen.setdefault(key, []).append(e)
    for copies in seen.values():
        if len(copies) > 1:
            sources = "、".join(dict.fromkeys(entries[e].source for e in copies))
            for e in copies:
                yield RunHit(e, None, {"count": len(copies), "sources": sources})


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
def core_output_missing(entries: Sequence[RunEntry], options: Mapping[str, Any]) -> Iterator[RunHit]:
    """A project of a kind (named by words in its project name, as data) without the core output its peers
    in the run all but unanimously measure (REL-001 across a batch). Conservative on purpose: only when at
    least ``min_projects`` projects of the kind are in the run and ``min_share`` of them carry an output
    named by the kind's words, so a kind the run does not measure that way is never asked for it."""
    kinds: Mapping[str, Any] = options["kinds"]
    members: dict[str, int] = dict.fromkeys(kinds, 0)
    lacking: dict[str, list[int]] = {kind: [] for kind in kinds}
    for e, entry in enumerate(entries):  # one pass for every kind: the entries are read back from disk
        facts = entry.facts
        if not facts.indicators:
            continue
        for kind, spec in kinds.items():
            if any(w in facts.project for w in spec["projects"]):
                members[kind] += 1
                if not _names_any(facts.indicators, spec["outputs"]):
                    lacking[kind].append(e)
    for kind, spec in kinds.items():
        peers, missing = members[kind], lacking[kind]
        if peers < options.get("min_projects", 3):
            continue
        with_output = peers - len(missing)
        if missing and with_output >= options.get("min_share", 0.75) * peers:
            outputs = "、".join(spec["outputs"][:4])
            for e in missing:
                params = {"kind": kind, "peers": peers, "with_output": with_output, "outputs": outputs}
                yield RunHit(e, None, params, key=kind)


def _names_any(indicators: tuple[tuple[str, str], ...], words: list[str]) -> bool:
    return any(w in name for name, _ in indicators for w in words)

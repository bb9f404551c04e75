"""Registered Python checks, for what a JSON Schema cannot say (text similarity, cross-indicator sums).

A check is a plain generator over a sheet's facts that yields bare ``Hit``s; it knows nothing of
codes, severities or messages — the engine stamps those from the rule pack (the yamllint/jsonschema
pattern). Each check declares the schema of its options and the message parameters it supplies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import field
from typing import Any, Protocol

from checker.facts import SheetFacts
from checker.frozen import frozen
from checker.model import Location


@frozen
class Hit:
    """One place a check fired: an indicator (by index) or the sheet (None), with message parameters;
    ``location`` places a sheet-level hit somewhere more precise than the sheet's start."""

    index: int | None
    params: Mapping[str, Any] = field(default_factory=dict)
    key: str = ""
    location: Location | None = None


CheckFn = Callable[[SheetFacts, Mapping[str, Any]], Iterator[Hit]]


@frozen
class CheckSpec:
    """A registered Python check: the function, its options schema and parameters."""

    name: str
    fn: CheckFn
    options_schema: Mapping[str, Any]
    params: tuple[str, ...]


CHECKS: dict[str, CheckSpec] = {}


def check(name: str, options_schema: Mapping[str, Any], params: tuple[str, ...] = ()) -> Callable[[CheckFn], CheckFn]:
    """Register a check under ``name``; a second registration of the same name is a bug."""

    def register(fn: CheckFn) -> CheckFn:
        if name in CHECKS:
            raise RuntimeError(f"check {name!r} registered twice")
        CHECKS[name] = CheckSpec(name, fn, options_schema, params)
        return fn

    return register


def registered() -> dict[str, CheckSpec]:
    from checker.rules import checks, checks_disclosure  # noqa: F401 - importing registers the checks

    return CHECKS


@frozen
class RunHit:
    """One place a run-level check fired: a sheet of the run (by its index in the run), optionally one of
    its effect rows, with message parameters."""

    entry: int
    row: int | None
    params: Mapping[str, Any] = field(default_factory=dict)
    key: str = ""


@frozen
class RunEntry:
    """One sheet of a run as a run-level check sees it."""

    source: str
    facts: Any  # checker.findings.RunFacts


class RunCheck(Protocol):
    """A check over every sheet of a run. It is given each sheet as the run checks it (``add``, in the run's
    order, while the rest of the run is still being checked) and asked for its hits once the run is over
    (``hits``). The entries may live on disk (a streamed run reads each back when indexed): a check keeps
    small keys (digests, indices) of what it has seen, on disk when they grow with the run
    (``runkeys.Records``), and indexes ``entries`` only for what it reports."""

    def add(self, index: int, entry: RunEntry) -> None: ...

    def hits(self, entries: Sequence[RunEntry]) -> Iterator[RunHit]: ...

    def close(self) -> None: ...


RunCheckFn = Callable[[Mapping[str, Any]], RunCheck]  # made per run from its rule's options
RUN_CHECKS: dict[str, tuple[RunCheckFn, Mapping[str, Any], tuple[str, ...]]] = {}


def run_check(
    name: str, options_schema: Mapping[str, Any], params: tuple[str, ...] = ()
) -> Callable[[RunCheckFn], RunCheckFn]:
    """Register a check over every sheet of a run (target ``run``); the same name space as ``check``."""

    def register(fn: RunCheckFn) -> RunCheckFn:
        if name in RUN_CHECKS or name in CHECKS:
            raise RuntimeError(f"check {name!r} registered twice")
        RUN_CHECKS[name] = (fn, options_schema, params)
        CHECKS[name] = CheckSpec(name, _not_per_sheet, options_schema, params)
        return fn

    return register


def _not_per_sheet(facts: SheetFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    """A run-level check yields nothing sheet by sheet: the engine runs it once over the run."""
    return iter(())

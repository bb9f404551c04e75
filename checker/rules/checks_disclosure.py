"""Registered checks for a budget disclosure's document-wide findings (the DISC rules): each fires once per
document, on its first goal sheet, located at the table row or the sentence it is about."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from checker.facts import SheetFacts
from checker.facts_disclosure import disagreements, listing, unsheeted
from checker.rules.registry import Hit, check


@check(
    "disclosure.unsheeted",
    options_schema={"type": "object", "properties": {"carried_over": {"type": "boolean"}},
                    "required": ["carried_over"], "additionalProperties": False},
    params=("count", "total", "projects"),
)  # fmt: skip
def unsheeted_projects(facts: SheetFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    """Budgeted projects (this year's, or carried over) with no goal sheet in the document."""
    d = facts.sheet.disclosure
    if d is None or not facts.doc["disclosure_first"]:
        return
    lines = unsheeted(d, options["carried_over"])
    if lines:
        yield Hit(None, listing(lines), key="|".join(ln.name for ln in lines), location=lines[0].location)


@check(
    "disclosure.statements",
    options_schema={"type": "object", "additionalProperties": False},
    params=("stated", "found", "found_en"),
)  # fmt: skip
def stated_totals(facts: SheetFacts, options: Mapping[str, Any]) -> Iterator[Hit]:
    """Totals the narrative states that the tables or the goal sheets do not bear out, in one finding."""
    d = facts.sheet.disclosure
    if d is None or not facts.doc["disclosure_first"]:
        return
    found = disagreements(d)
    if found:
        # One finding for the narrative: a changed table amount upsets every total it adds into.
        params = {
            "stated": "」「".join(s.text for s, _, _ in found),
            "found": "；".join(zh for _, zh, _ in found),
            "found_en": "; ".join(en for _, _, en in found),
        }
        yield Hit(None, params, key="|".join(s.text for s, _, _ in found), location=found[0][0].location)

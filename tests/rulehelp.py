"""Helpers shared by the rule tests: run one rule over one example."""

from __future__ import annotations

from typing import Any

from checker.config import Config
from checker.findings import Finding
from checker.rules.engine import Engine
from checker.rules.examples import example_run, example_sheet
from checker.rules.loader import Rule
from checker.rules.registry import RunEntry


def run_example(rule: Rule, example: dict[str, Any]) -> tuple[list[Finding], int | None, Any]:
    pack = "auto" if rule.pack == "common" else rule.pack
    if "run" in example:
        engine = Engine(Config(pack=pack, select=(rule.code,)))
        sheets = example_run(example)
        entries = [RunEntry(f"<example {i}>", engine.check_sheet(s).run_facts) for i, s in enumerate(sheets)]
        return [f for _, f in engine.check_run(entries)], None, sheets[0]
    sheet, target = example_sheet(example)
    config = Config(
        pack=pack,
        framework=example.get("framework", "auto"),
        select=(rule.code,),
        options={rule.code: example["options"]} if "options" in example else {},
    )
    result = Engine(config).check_sheet(sheet)
    return list(result.findings), target, sheet

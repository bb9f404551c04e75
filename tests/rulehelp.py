"""Helpers shared by the rule tests: run one rule over one example."""

from __future__ import annotations

from typing import Any

from checker.config import Config
from checker.findings import Finding
from checker.rules.engine import Engine
from checker.rules.examples import example_sheet
from checker.rules.loader import Rule


def run_example(rule: Rule, example: dict[str, Any]) -> tuple[list[Finding], int | None, Any]:
    sheet, target = example_sheet(example)
    pack = "auto" if rule.pack == "common" else rule.pack
    config = Config(
        pack=pack,
        framework=example.get("framework", "auto"),
        select=(rule.code,),
        options={rule.code: example["options"]} if "options" in example else {},
    )
    result = Engine(config).check_sheet(sheet)
    return list(result.findings), target, sheet

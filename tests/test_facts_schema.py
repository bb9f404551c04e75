"""The fact documents are documented (issue 12, part 8): checker/schemas/facts.schema.json gives every key a
type and a description, every fact document built validates against it, and docs/facts.md is its render."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from checker.api import list_rules, parse_path
from checker.facts import build_facts
from checker.model import GoalSheet
from checker.report.facts_doc import SCHEMA_PATH, render_markdown
from checker.rules.examples import example_sheet, example_sheets
from tests.conftest import ROOT, SEED

SCHEMA: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
TEXTS = sorted((ROOT / "tests" / "data" / "corpus" / "texts").glob("*.txt"))
EXAMPLES = [SEED, *sorted((ROOT / "examples").glob("*.xlsx")), *sorted((ROOT / "examples").glob("*.docx"))]


def _validator(target: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"#/$defs/{target}", "$defs": SCHEMA["$defs"]})


def _problems(sheets: list[GoalSheet]) -> list[str]:
    sheet_v, indicator_v = _validator("sheet"), _validator("indicator")
    out = []
    for sheet in sheets:
        for fw in ("fw2015", "fw2021"):
            facts = build_facts(sheet, fw)
            out += [f"{sheet.project} sheet: {e.json_path} {e.message}" for e in sheet_v.iter_errors(facts.doc)]
            for doc in facts.indicators:
                out += [f"{doc['path']}: {e.json_path} {e.message}" for e in indicator_v.iter_errors(doc)]
    return out


def test_the_schema_is_valid_and_every_key_has_a_type_and_a_description() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    for target in ("sheet", "indicator"):
        definition = SCHEMA["$defs"][target]
        assert definition["additionalProperties"] is False  # an undocumented key fails validation
        for key, spec in definition["properties"].items():
            assert "type" in spec and spec.get("description"), f"{target}.{key}"


def test_every_rule_example_builds_valid_facts() -> None:
    sheets = [
        s for r in list_rules() for kind in ("pass", "fail") for ex in r.examples[kind] for s in example_sheets(ex)
    ]
    assert not _problems(sheets)


@pytest.mark.parametrize("path", [*EXAMPLES, *TEXTS], ids=lambda p: p.stem)
def test_real_sheets_build_valid_facts(path: Path) -> None:
    assert not _problems(list(parse_path(path).sheets))


@pytest.mark.slow
def test_the_real_workbook_builds_valid_facts() -> None:
    workbook = ROOT / "tests" / "data" / "corpus" / "files" / "shenzhen_baoan_songgang_xiangmuxinxi.xlsx"
    assert not _problems(list(parse_path(workbook).sheets))


def test_an_undocumented_or_mistyped_fact_is_caught() -> None:
    doc = build_facts(example_sheet({"sheet": {}})[0]).doc
    assert not list(_validator("sheet").iter_errors(doc))
    assert list(_validator("sheet").iter_errors({**doc, "cost_note_en": "（填报为不适用）"}))
    assert list(_validator("sheet").iter_errors({**doc, "goal_count": "2"}))


def test_facts_carry_data_not_wording() -> None:
    """Message text lives in the packs: no fact key is an _en twin or a ready-made note."""
    keys = [k for target in ("sheet", "indicator") for k in SCHEMA["$defs"][target]["properties"]]
    assert not [k for k in keys if k.endswith(("_en", "_note", "_rule"))]


def test_docs_facts_md_is_current() -> None:
    doc = ROOT / "docs" / "facts.md"
    assert doc.read_text(encoding="utf-8") == render_markdown(), (
        "run: python -m checker.report.facts_doc > docs/facts.md"
    )

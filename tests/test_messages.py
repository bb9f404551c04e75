"""Messages a clerk can act on (issue 12, part 6): every rule's rendered examples, and the findings on the
seed and the corpus texts, hold no empty 「」, no Python True/False/None, no internal id (fw2015), and
every warning and error carries a suggestion."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker.api import check_path, list_rules
from checker.findings import Finding
from tests.conftest import SEED
from tests.rulehelp import run_example

TEXTS = sorted((Path(__file__).parent / "data" / "corpus" / "texts").glob("*.txt"))
_PYTHON = re.compile(r"(?<![A-Za-z])(True|False|None)(?![A-Za-z])")
_INTERNAL = re.compile(r"fw20[0-9]{2}|_yuan\b|_count\b|\{[a-z_]+\}")


def problems(f: Finding) -> list[str]:
    out = []
    texts = {"message": f.message, "message_en": f.message_en, "suggestion": f.suggestion or "",
             "suggestion_en": f.suggestion_en or ""}  # fmt: skip
    for field, text in texts.items():
        if "「」" in text or "''" in text or "“”" in text:
            out.append(f"{field}: empty quotes in {text!r}")
        if _PYTHON.search(text):
            out.append(f"{field}: Python literal in {text!r}")
        if _INTERNAL.search(text):
            out.append(f"{field}: internal name in {text!r}")
    if f.severity.value in ("warning", "error") and not (f.suggestion and f.suggestion_en):
        out.append("a warning or error without a suggestion")
    return out


FAIL_EXAMPLES = [
    pytest.param(rule, example, id=f"{rule.code}-{i}")
    for rule in list_rules()
    for i, example in enumerate(rule.examples["fail"])
]


@pytest.mark.parametrize(("rule", "example"), FAIL_EXAMPLES)
def test_every_rendered_example_reads_well(rule, example) -> None:  # type: ignore[no-untyped-def]
    findings, _, _ = run_example(rule, example)
    assert findings
    assert not [p for f in findings for p in problems(f)]


def test_every_warning_and_error_rule_has_a_suggestion() -> None:
    assert not [r.code for r in list_rules() if r.severity in ("warning", "error") and r.suggestion is None]


@pytest.mark.parametrize("path", [SEED, *TEXTS], ids=lambda p: p.stem)
def test_findings_on_real_sheets_read_well(path: Path) -> None:
    report = check_path(path)
    assert not [(f.code, p) for f in report.findings for p in problems(f)]


def test_the_checker_catches_what_it_should() -> None:
    """The scan itself: each kind of fault it looks for is found in a finding made to have it."""
    base = next(iter(check_path(SEED).findings))
    from dataclasses import replace

    assert problems(replace(base, message="项目「」缺少资金"))
    assert problems(replace(base, message="资金 True"))
    assert problems(replace(base, message_en="under fw2015, cost"))
    assert problems(replace(base, severity=type(base.severity)("warning"), suggestion=None))
    assert not problems(replace(base, message="项目「示例」缺少资金", severity=type(base.severity)("note")))

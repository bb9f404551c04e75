"""Rule examples are tests: every ``fail`` example fires its rule, every ``pass`` example does not."""

from __future__ import annotations

import pytest

from checker.api import list_rules
from tests.rulehelp import run_example

CASES = [
    pytest.param(rule, kind, example, id=f"{rule.code}-{kind}-{i}")
    for rule in list_rules()
    for kind in ("fail", "pass")
    for i, example in enumerate(rule.examples[kind])
]


@pytest.mark.parametrize(("rule", "kind", "example"), CASES)
def test_example(rule, kind, example) -> None:  # type: ignore[no-untyped-def]
    findings, target, sheet = run_example(rule, example)
    assert all(f.code == rule.code for f in findings), [f.code for f in findings]
    if target is not None:
        on_target = [f for f in findings if f.location == sheet.indicators[target].location]
        if kind == "fail":
            assert on_target, f"{rule.code} did not fire on {example}"
        else:
            assert not on_target, [f.message for f in on_target]
    elif kind == "fail":
        assert findings, f"{rule.code} did not fire on {example}"
    else:
        assert not findings, [f.message for f in findings]

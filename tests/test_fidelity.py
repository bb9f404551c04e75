"""Precision and recall held by the suite (issue 12, part 9): a reviewer's reading of the corpus pages
(tests/golden/corpus_review.yaml) — the irregularities jixiao must report and the wrong findings that
must not come back. The seed's expected findings are tests/test_seed_findings.py."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from checker.api import check_path
from checker.findings import Finding
from tests.conftest import ROOT

TEXTS = ROOT / "tests" / "data" / "corpus" / "texts"
REVIEW: dict[str, dict[str, list[dict[str, Any]]]] = yaml.safe_load(
    (ROOT / "tests" / "golden" / "corpus_review.yaml").read_text(encoding="utf-8")
)


def _matches(f: Finding, entry: dict[str, Any]) -> bool:
    text = entry.get("text")
    return f.code == entry["code"] and (text is None or text in f.message or text in (f.indicator_path or ""))


@pytest.mark.parametrize("stem", sorted(REVIEW), ids=str)
def test_the_reviewer_agrees(stem: str) -> None:
    findings = list(check_path(TEXTS / f"{stem}.txt").findings)
    review = REVIEW[stem]
    missed = [e for e in review.get("expect", []) if not any(_matches(f, e) for f in findings)]
    wrong = [(e, [f.message for f in findings if _matches(f, e)]) for e in review.get("quiet", [])
             if any(_matches(f, e) for f in findings)]  # fmt: skip
    assert not missed, missed
    assert not wrong, wrong


def test_the_review_names_real_pages_and_real_rules() -> None:
    from checker.api import list_rules

    codes = {r.code for r in list_rules()}
    assert all((TEXTS / f"{stem}.txt").exists() for stem in REVIEW)
    entries = [e for review in REVIEW.values() for kind in ("expect", "quiet") for e in review.get(kind, [])]
    assert entries and all(e["code"] in codes for e in entries)

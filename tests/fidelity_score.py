"""Precision and recall of jixiao on the 19 corpus pages, computed from the reviewed golden
(tests/golden/corpus_review.yaml): ``python -m tests.fidelity_score`` prints them per page and in total.

recall    = the reviewer's expected irregularities that a finding reports / all noted ones (``expect`` and
            ``missed``, irregularities no rule reports yet);
precision = 1 - findings the review calls wrong (its ``quiet`` and ``known_wrong`` entries) / all findings.
Precision counts only the wrong findings the review names, so it is as good as the review; every page's
findings were read for it (issue 12), and it is added to whenever a page is re-read (docs/fidelity.md).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from checker.api import check_path
from checker.findings import Finding

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT / "tests" / "data" / "corpus" / "texts"
REVIEW = ROOT / "tests" / "golden" / "corpus_review.yaml"


@dataclass(frozen=True, slots=True)
class PageScore:
    stem: str
    findings: int
    wrong: int
    expected: int
    found: int


def matches(f: Finding, entry: dict[str, Any]) -> bool:
    text = entry.get("text")
    return f.code == entry["code"] and (text is None or text in f.message or text in (f.indicator_path or ""))


def review() -> dict[str, dict[str, list[dict[str, Any]]]]:
    data: dict[str, dict[str, list[dict[str, Any]]]] = yaml.safe_load(REVIEW.read_text(encoding="utf-8"))
    return data


def score_page(stem: str, entries: dict[str, list[dict[str, Any]]]) -> PageScore:
    findings = list(check_path(TEXTS / f"{stem}.txt").findings)
    quiet = entries.get("quiet", []) + entries.get("known_wrong", [])
    expect = entries.get("expect", [])
    wrong = sum(1 for f in findings if any(matches(f, e) for e in quiet))
    found = sum(1 for e in expect if any(matches(f, e) for f in findings))
    return PageScore(stem, len(findings), wrong, len(expect) + len(entries.get("missed", [])), found)


def score_all() -> list[PageScore]:
    """Every corpus page, reviewed or not: an unreviewed page's findings count in the denominator."""
    entries = review()
    return [score_page(p.stem, entries.get(p.stem, {})) for p in sorted(TEXTS.glob("*.txt"))]


def totals(scores: list[PageScore]) -> tuple[float, float]:
    findings, wrong = sum(s.findings for s in scores), sum(s.wrong for s in scores)
    expected, found = sum(s.expected for s in scores), sum(s.found for s in scores)
    return (1 - wrong / findings if findings else 1.0), (found / expected if expected else 1.0)


def main() -> int:
    scores = score_all()
    for s in scores:
        print(f"{s.stem:45} findings {s.findings:3}  wrong {s.wrong:2}  expected {s.expected:2}  found {s.found:2}")
    precision, recall = totals(scores)
    print(f"precision {precision:.1%}  recall {recall:.1%}  "
          f"({sum(s.findings for s in scores)} findings, {sum(s.expected for s in scores)} expected)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

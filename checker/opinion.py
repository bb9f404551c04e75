"""审核意见: one consolidated, numbered opinion per project, grouped by review dimension (完整性 / 可测性 /
可行性 / 合规性), each item a 问题 and a 建议, with a tier from the severity (禁止提交 / 需人工复核 /
优化建议). The wording is templates/opinion.yaml, which a finance bureau may edit."""

from __future__ import annotations

from functools import cache
from typing import Any

from checker.findings import Finding, SheetResult
from checker.frozen import frozen
from checker.resources import data_dir, yaml_load

_SEVERITY_ORDER = ("error", "warning", "note")


@cache
def template() -> dict[str, Any]:
    data: dict[str, Any] = yaml_load(data_dir("templates") / "opinion.yaml")
    return data


@frozen
class OpinionItem:
    number: int
    dimension: str
    tier: str
    code: str
    problem: str
    suggestion: str | None

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "dimension": self.dimension, "tier": self.tier, "code": self.code,
                "problem": self.problem, "suggestion": self.suggestion}  # fmt: skip


@frozen
class Opinion:
    project: str
    tier: str  # the highest tier among the items, or 无
    items: tuple[OpinionItem, ...]
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"tier": self.tier, "items": [i.to_json() for i in self.items], "text": self.text}


def _layout() -> tuple[dict[str, int], frozenset[str], dict[str, int]]:
    """(dimension -> place, codes left out, severity -> place): what sorting and grouping ask per finding
    (read from the template on each call: a bureau's template may be swapped in, as tests do)."""
    tpl = template()
    order = {d: i for i, d in enumerate(tpl["dimensions"])}
    return order, frozenset(tpl.get("leave_out", [])), {s: i for i, s in enumerate(_SEVERITY_ORDER)}


def _grouped(result: SheetResult) -> tuple[list[Finding], list[list[Finding]]]:
    """The findings the opinion speaks of, in its order, and grouped by rule (a group is one item)."""
    order, left_out, severity = _layout()
    last = len(order)
    findings = [f for f in result.findings if f.suppressed is None and f.code not in left_out]
    # Severity is a StrEnum: the member is its own key, without the ``.value`` descriptor on every finding.
    findings.sort(key=lambda f: (order.get(f.dimension or "", last), severity[f.severity]))
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.code, []).append(f)
    return findings, list(groups.values())


def opinion(result: SheetResult, lang: str = "zh") -> Opinion:
    """The opinion on one sheet's shown, unsuppressed findings (superseded ones are already left out).
    Findings of one rule make one item: its problems joined, its suggestion said once."""
    return _opinion(result, _grouped(result), lang)


def opinions(result: SheetResult) -> tuple[Opinion, str]:
    """The Chinese opinion and the English text of the same opinion (the JSON report carries both),
    sorted and grouped once."""
    grouped = _grouped(result)
    return _opinion(result, grouped, "zh"), _opinion(result, grouped, "en").text


def _opinion(result: SheetResult, grouped: tuple[list[Finding], list[list[Finding]]], lang: str) -> Opinion:
    tpl = template()
    phrases, dims, tiers = tpl["phrases"], tpl["dimensions"], tpl["tiers"]
    findings, groups = grouped
    zh = lang == "zh"
    key, sep = ("zh", "；") if zh else ("en", "; ")
    project = result.sheet.project or ("（未填写项目名称）" if zh else "(unnamed project)")
    lines = [phrases["heading"][key].format(project=project)]
    items: list[OpinionItem] = []
    current: str | None = None
    for number, group in enumerate(groups, 1):
        first = group[0]
        dimension = first.dimension or "合规性"
        if dimension != current:
            label = dims.get(dimension, {"zh": dimension, "en": dimension})
            lines.append(phrases["section"][key].format(dimension=label[key]))
            current = dimension
        problem = sep.join(dict.fromkeys((f.message if zh else f.message_en).rstrip("。.") for f in group))
        said = dict.fromkeys(s.rstrip("。.") for f in group if (s := f.suggestion if zh else f.suggestion_en))
        suggestion = sep.join(said) or None
        tier = tiers[first.severity]
        lines.append(phrases["item" if suggestion else "item_without_suggestion"][key].format(
            number=number, tier=tier[key], problem=problem, suggestion=suggestion or ""))  # fmt: skip
        items.append(OpinionItem(number, dimension, tier["zh"], first.code, problem, suggestion))
    top = min((f.severity for f in findings), key=_SEVERITY_ORDER.index, default=None)
    tier_zh = tiers[top]["zh"] if top else "无"
    count = sum(1 for item in items if item.tier == tier_zh)
    lines.append(phrases["conclusion"][tier_zh][key].format(count=count))
    return Opinion(result.sheet.project, tier_zh, tuple(items), "\n".join(lines))

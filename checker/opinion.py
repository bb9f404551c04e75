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


def _say(phrase: dict[str, str], lang: str, **params: Any) -> str:
    return phrase["zh" if lang == "zh" else "en"].format(**params)


def _tier(f: Finding, lang: str) -> str:
    return _say(template()["tiers"][f.severity.value], lang)


def opinion(result: SheetResult, lang: str = "zh") -> Opinion:
    """The opinion on one sheet's shown, unsuppressed findings (superseded ones are already left out).
    Findings of one rule make one item: its problems joined, its suggestion said once."""
    tpl = template()
    phrases, dims = tpl["phrases"], tpl["dimensions"]
    order = {d: i for i, d in enumerate(dims)}
    left_out = set(tpl.get("leave_out", []))
    findings = [f for f in result.findings if f.suppressed is None and f.code not in left_out]
    findings.sort(key=lambda f: (order.get(f.dimension or "", len(order)), _SEVERITY_ORDER.index(f.severity.value)))
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.code, []).append(f)
    zh = lang == "zh"
    project = result.sheet.project or ("（未填写项目名称）" if zh else "(unnamed project)")
    lines = [_say(phrases["heading"], lang, project=project)]
    items: list[OpinionItem] = []
    current: str | None = None
    for number, group in enumerate(groups.values(), 1):
        first = group[0]
        dimension = first.dimension or "合规性"
        if dimension != current:
            label = dims.get(dimension, {"zh": dimension, "en": dimension})
            lines.append(_say(phrases["section"], lang, dimension=_say(label, lang)))
            current = dimension
        problem = ("；" if zh else "; ").join(dict.fromkeys(f.text(lang).rstrip("。.") for f in group))
        said = dict.fromkeys(s.rstrip("。.") for f in group if (s := f.suggestion if zh else f.suggestion_en))
        suggestion = ("；" if zh else "; ").join(said) or None
        key = "item" if suggestion else "item_without_suggestion"
        lines.append(_say(phrases[key], lang, number=number, tier=_tier(first, lang), problem=problem,
                          suggestion=suggestion or ""))  # fmt: skip
        items.append(OpinionItem(number, dimension, _say(tpl["tiers"][first.severity.value], "zh"), first.code,
                                 problem, suggestion))  # fmt: skip
    top = next((s for s in _SEVERITY_ORDER if any(f.severity.value == s for f in findings)), None)
    tier = _say(tpl["tiers"][top], "zh") if top else "无"
    count = sum(1 for item in items if item.tier == tier)
    lines.append(_say(phrases["conclusion"][tier], lang, count=count))
    return Opinion(result.sheet.project, tier, tuple(items), "\n".join(lines))

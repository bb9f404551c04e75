"""Turn a rule's ``examples`` entries into GoalSheets, so the examples run as tests and show in ``explain``.

Every example starts from one complete, clean sheet (``BASE``) that no rule fires on — a test holds
that line — and changes only what the example is about.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from checker.frameworks import names
from checker.model import Direction, Funding, GoalSheet, Indicator, Location, ParseProblem
from checker.parse.values import parse_value

BASE: dict[str, Any] = {
    "project": "基层干部业务培训",
    "funding": {"total": 100, "unit": "万元", "sources": {"财政拨款": 100}},
    "goals": ["完成基层干部业务培训500人次", "培训考核合格率达到95%以上"],
    "header": {"主管部门": "示例厅", "实施单位": "示例培训中心", "实施期": "2024年1月-2024年12月"},
    "texts": {
        "项目概况": "组织基层干部业务培训。",
        "保证项目实施的制度、措施": "按培训管理办法组织实施。",
        "项目实施计划": "上半年完成需求调研，下半年分批培训。",
    },
    "year": 2024,
    "source_kind": "text",
    "indicators": [
        {"level1": "产出指标", "level2": "数量指标", "name": "培训人次", "value": "≥500人次"},
        {"level1": "产出指标", "level2": "质量指标", "name": "培训考核合格率", "value": "≥95%"},
        {"level1": "产出指标", "level2": "时效指标", "name": "培训完成时间", "value": "2024年11月30日前"},
        {"level1": "产出指标", "level2": "成本指标", "name": "人均培训成本", "value": "≤2000元/人"},
        {"level1": "产出指标", "level2": "成本指标", "name": "培训总成本", "value": "≤90万元"},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "参训干部业务考核通过率", "value": "≥90%"},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "参训学员满意度", "value": "≥90%"},
    ],
}


# The same project in the 2021 tree: 成本指标 is a 一级 with 经济成本指标 under it.
BASE_2021_INDICATORS: list[dict[str, Any]] = [
    {"level1": "成本指标", "level2": "经济成本指标", "name": "人均培训成本", "value": "≤2000元/人"},
    {"level1": "成本指标", "level2": "经济成本指标", "name": "培训总成本", "value": "≤90万元"},
    *[ind for ind in BASE["indicators"] if ind["level2"] != "成本指标"],
]


def _location(i: int) -> Location:
    return Location("<example>", line=100 + i)


def _indicator(data: dict[str, Any], i: int) -> Indicator:
    # Level names as the parser stores them (a printed 时效指标(工期指标…) is 时效指标), so an example can
    # use a real form's labels; a name no framework knows stays as written.
    known = names()
    level1, level2 = data["level1"], data["level2"]
    return Indicator(
        level1=(known.canon_level1(level1) or level1) if level1 else level1,
        level2=(known.canon_level2(level2) or level2) if level2 else level2,
        name=data["name"],
        value=parse_value(data["value"]),
        location=_location(i),
        weight=Decimal(str(data["weight"])) if "weight" in data else None,
        direction=Direction(data["direction"]) if "direction" in data else None,
        explanation=data.get("explanation"),
        written_level1=data.get("written_level1"),
        value_type=data.get("value_type"),
        long_term=parse_value(data["long_term"]) if "long_term" in data else None,
    )


# An example indicator's key → the column a form prints for it.
_COLUMN_OF = {"weight": "weight", "direction": "direction", "explanation": "explanation", "long_term": "long_term",
              "value_type": "comparator"}  # fmt: skip


def _columns(spec: dict[str, Any]) -> tuple[str, ...]:
    """The columns an example's form prints: as given, else the four every form has and those filled."""
    if "columns" in spec:
        return tuple(spec["columns"])
    filled = {_COLUMN_OF[k] for ind in spec["indicators"] for k in ind if k in _COLUMN_OF}
    return ("level1", "level2", "name", "value", *sorted(filled))


def example_sheet(example: dict[str, Any]) -> tuple[GoalSheet, int | None]:
    """The sheet an example describes, and the index of the example's own indicator (if it has one)."""
    spec = dict(BASE)
    if example.get("framework") == "fw2021":
        spec["indicators"] = BASE_2021_INDICATORS
    target: int | None = None
    if "sheet" in example:
        spec.update({k: v for k, v in example["sheet"].items() if k != "add_indicators"})
        spec["indicators"] = list(spec["indicators"]) + list(example["sheet"].get("add_indicators", []))
    if "indicator" in example:
        spec["indicators"] = [*spec["indicators"], example["indicator"]]
        target = len(spec["indicators"]) - 1
    funding = None
    if spec["funding"] is not None:
        f = spec["funding"]
        total = f.get("total")
        funding = Funding(
            total=Decimal(str(total)) if total is not None else None,
            unit=f.get("unit"),
            sources=tuple((k, Decimal(str(v))) for k, v in f.get("sources", {}).items()),
            total_raw=f.get("total_raw", str(total) if total is not None else None),
            location=Location("<example>", line=3),
            page_unit=f.get("page_unit"),
        )
    indicators = tuple(_indicator(d, i) for i, d in enumerate(spec["indicators"]))
    # A problem is its text (a PRS002 repair) or {code, text}.
    problems = tuple(
        ParseProblem(
            p.get("code", "PRS002"), p["text"], p["text"], indicators[0].location if indicators else _location(0)
        )
        for p in ({"text": q} if isinstance(q, str) else q for q in spec.get("problems", []))
    )
    sheet = GoalSheet(
        project=spec["project"],
        location=Location("<example>", line=1),
        header=tuple(spec["header"].items()),
        funding=funding,
        goals=tuple(spec["goals"]),
        texts=tuple(spec["texts"].items()),
        indicators=indicators,
        problems=problems,
        year=spec["year"],
        source_kind=spec["source_kind"],
        unread=bool(spec.get("unread", False)),
        document_type=spec.get("document_type"),
        columns=_columns(spec),
    )
    if "disclosure" in spec:
        sheet = _disclosed(sheet, spec["disclosure"])
    return sheet, target


def _disclosed(sheet: GoalSheet, spec: dict[str, Any]) -> GoalSheet:
    """The sheet inside a budget disclosure: ``lines`` of its project table (amounts in 万元, as printed) and
    the narrative's ``statements``."""
    from checker.model import WAN, BudgetLine, Disclosure, Statement
    from checker.parse.disclosure import match

    lines = tuple(
        BudgetLine(
            ln["name"],
            Decimal(ln["amount"]) * WAN,
            f"{ln['amount']}万元",
            Location("<example>", line=200 + i),
            bool(ln.get("carried_over")),
            "2024年项目支出预算表",
        )
        for i, ln in enumerate(spec.get("lines", []))
    )
    statements = tuple(
        Statement(
            st["kind"],
            Decimal(st["amount"]),
            st.get("count"),
            f"{st['kind']} {st['amount']}万元",
            Location("<example>", line=300 + i),
        )
        for i, st in enumerate(spec.get("statements", []))
    )
    (out,) = match(Disclosure(lines, statements), [sheet])
    return out


def example_run(example: dict[str, Any]) -> list[GoalSheet]:
    """The sheets of a run-level example (``run``: one change to the example sheet per sheet)."""
    return [example_sheet({"sheet": spec, **{k: v for k, v in example.items() if k == "framework"}})[0]
            for spec in example["run"]]  # fmt: skip


def example_sheets(example: dict[str, Any]) -> list[GoalSheet]:
    """Every sheet an example describes: the sheets of a run-level example, else its one sheet."""
    return example_run(example) if "run" in example else [example_sheet(example)[0]]

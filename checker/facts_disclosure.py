"""Facts for the DISC rules: a goal sheet against the budget disclosure around it (checker/parse/disclosure.py).

Sheet facts compare the sheet's 年度资金总额 with its project's row; the document facts (the budgeted
projects without a goal sheet, the narrative's totals against the tables) are set on the document's first
sheet only, so that each document-wide finding is made once.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from checker.model import WAN, BudgetLine, Disclosure, GoalSheet, Location, Statement, json_number

# Totals printed to 0.01 万元 agree when they differ by less than a rounding step.
_TOLERANCE_WAN = Decimal("0.01")


def _at(location: Location | None, key: str) -> dict[str, str]:
    """A place as data (L382, 第3页!C5, 表1!B3): the message around it is the pack's."""
    return {key: location.short() if location is not None else ""}


def _wan(yuan: Decimal) -> str:
    return f"{(yuan / WAN).quantize(Decimal('0.01'))}"


def _listing(lines: tuple[BudgetLine, ...], prefix: str) -> dict[str, Any]:
    return {
        f"{prefix}_count": len(lines),
        f"{prefix}_total": _wan(sum((ln.amount_yuan for ln in lines), Decimal(0))),
        f"{prefix}_list": "；".join(f"{ln.name}（{ln.text}）" for ln in lines),
    }


def disclosure_facts(sheet: GoalSheet) -> dict[str, Any]:
    d, line = sheet.disclosure, sheet.budget_line
    if d is None:  # the same keys, so a rule's message can always name them
        return {"disclosed": False, "disclosure_first": False, "budget_line_found": False, "budget_amount": None,
                "budget_amount_yuan": None, "budget_table": None, "budget_amount_differs": False,
                **_at(None, "budget_at"), **_at(None, "funding_at")}  # fmt: skip
    total = sheet.funding.total_yuan if sheet.funding is not None else None
    differs = line is not None and total is not None and abs(total - line.amount_yuan) > line.tolerance
    out: dict[str, Any] = {
        "disclosed": True,
        "disclosure_first": d.first == sheet.location,
        "budget_line_found": line is not None,
        "budget_amount": line.text if line else None,
        "budget_amount_yuan": json_number(line.amount_yuan) if line else None,
        "budget_table": line.table if line else None,
        "budget_amount_differs": differs,
        **_at(line.location if line else None, "budget_at"),
        **_at(sheet.funding.location if sheet.funding else None, "funding_at"),
    }
    return out


def unsheeted(d: Disclosure, carried_over: bool) -> tuple[BudgetLine, ...]:
    """The budgeted projects of one kind (this year's, or carried over) that have no goal sheet."""
    return tuple(ln for ln in d.unmatched if ln.carried_over == carried_over)


def listing(lines: tuple[BudgetLine, ...]) -> dict[str, Any]:
    return {
        "count": len(lines),
        "total": _wan(sum((ln.amount_yuan for ln in lines), Decimal(0))),
        "projects": "；".join(f"{ln.name}（{ln.text}）" for ln in lines),
    }


def disagreements(d: Disclosure) -> list[tuple[Statement, str, str]]:
    """Each total the narrative states that the tables (or the goal sheets) do not bear out, with what they
    say instead (zh, en)."""
    table_current, table_carried = d.total(carried_over=False) / WAN, d.total(carried_over=True) / WAN
    sheets_total = d.sheets_total_yuan / WAN if d.sheets_total_yuan is not None else None
    out = []
    for s in d.statements:
        if s.kind == "project_total":
            both = table_current + table_carried
            agrees = any(abs(s.amount_wan - t) < _TOLERANCE_WAN for t in (both, table_current))
            zh = f"项目支出预算表合计 {both:.2f} 万元（本年 {table_current:.2f}，上年结转 {table_carried:.2f}）"
            en = (f"the project tables add up to {both:.2f} 万元 ({table_current:.2f} this year, "
                  f"{table_carried:.2f} carried over)")  # fmt: skip
        elif s.kind == "published":
            agrees = s.count == d.sheet_count and (
                sheets_total is None or abs(s.amount_wan - sheets_total) < _TOLERANCE_WAN
            )
            amount_zh = f"，年度资金合计 {sheets_total:.2f} 万元" if sheets_total is not None else ""
            amount_en = f" funding {sheets_total:.2f} 万元 in all" if sheets_total is not None else ""
            zh = f"文件中有 {d.sheet_count} 张绩效目标表{amount_zh}"
            en = f"the document holds {d.sheet_count} goal sheets{amount_en}"
        else:  # managed: the projects of this year's table
            count = d.count(carried_over=False)
            agrees = s.count == count and abs(s.amount_wan - table_current) < _TOLERANCE_WAN
            zh = f"本年项目支出预算表列 {count} 个项目，合计 {table_current:.2f} 万元"
            en = f"this year's project table lists {count} projects, {table_current:.2f} 万元 in all"
        if not agrees:
            out.append((s, zh, en))
    return out

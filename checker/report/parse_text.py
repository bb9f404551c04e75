"""``jixiao parse --format text``: the parsed sheets as a readable tree."""

from __future__ import annotations

from decimal import Decimal

from checker.i18n import Lang, t
from checker.model import GoalSheet, Indicator, ParsedFile, ValueKind


def _amount(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,f}"


def _value(ind: Indicator, lang: Lang) -> str:
    v = ind.value
    parts = [t(str(v.kind), lang)]
    if v.kind is ValueKind.QUANTITATIVE:
        parts.append(
            " ".join(
                x for x in (v.comparator or "", f"{v.number:f}" if v.number is not None else "", v.unit or "") if x
            )
        )
        if not v.unit_known:
            parts.append(t("unknown_unit", lang))
    elif v.kind is ValueKind.RANGE and v.number is not None:
        parts.append(f"{v.number:f}–{v.high:f} {v.unit or ''}".strip())
    elif v.deadline:
        parts.append(f"≤ {v.deadline}")
    if v.reason and v.kind is ValueKind.UNPARSED:
        parts.append(v.reason)
    return "; ".join(parts)


def _year(sheet: GoalSheet, lang: Lang) -> str | None:
    by = sheet.budget_year
    if by is None:
        return None
    if by.year is None:
        return f"  {t('budget_year', lang)}: {t('not_found', lang)}"
    at = by.location.short() if by.location else ""
    where = {"option": "--year", "config": by.detail, "header": f"{by.detail} {at}"}
    source = f"{t('from_' + by.origin, lang)} {where.get(by.origin, '')}".rstrip()
    return f"  {t('budget_year', lang)}: {by.year}  ({source})"


def render_sheet(sheet: GoalSheet, index: int, lang: Lang) -> list[str]:
    if sheet.unread:  # a placeholder: what was found and why nothing was read
        return [f"{p.code} {p.location.short()}: {p.message_zh if lang == 'zh' else p.message_en}"
                for p in sheet.problems]  # fmt: skip
    lines = [f"{t('project', lang)} {index}: {sheet.project}  [{sheet.location.short()}]"]
    year = _year(sheet, lang)
    if year is not None:
        lines.append(year)
    f = sheet.funding
    if f is not None:
        sources = ", ".join(f"{name} {_amount(amount)}" for name, amount in f.sources)
        lines.append(f"  {t('funding', lang)}: {_amount(f.total)} {f.unit or ''}  ({sources})")
    for i, goal in enumerate(sheet.goals, 1):
        lines.append(f"  {t('goals', lang)} {i}: {goal}")
    lines.append(f"  {t('indicators', lang)} ({len(sheet.indicators)}):")
    last: tuple[str | None, str | None] = (None, None)
    for ind in sheet.indicators:
        if ind.level1 != last[0]:
            lines.append(f"    {ind.level1 or t('not_set', lang)}")
        if (ind.level1, ind.level2) != last:
            lines.append(f"      {ind.level2 or t('not_set', lang)}")
        last = (ind.level1, ind.level2)
        moved = f"  ({t('placed_by_name', lang)} {ind.written_level1})" if ind.written_level1 else ""
        lines.append(f"        {ind.name or t('not_set', lang)}  「{ind.value.raw}」  {_value(ind, lang)}"
                     f"  [{ind.location.short()}]{moved}")  # fmt: skip
    for problem in sheet.problems:
        msg = problem.message_zh if lang == "zh" else problem.message_en
        lines.append(f"  {problem.code} {problem.location.short()}: {msg}")
    return lines


def render(parsed: ParsedFile, lang: Lang = "zh") -> str:
    lines = [parsed.source]
    if not parsed.sheets:
        lines.append(f"  {t('no_sheets', lang)}")
    read = [s for s in parsed.sheets if not s.unread]
    for i, sheet in enumerate(read, 1):
        lines.extend(render_sheet(sheet, i, lang))
    for sheet in parsed.sheets:
        if sheet.unread:
            lines.extend(f"  {line}" for line in render_sheet(sheet, 0, lang))
    return "\n".join(lines) + "\n"

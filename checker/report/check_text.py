"""``jixiao check`` as text: file → sheet → one line per finding (位置 代码 严重程度 信息), then a summary."""

from __future__ import annotations

from collections.abc import Sequence

from checker.findings import Report, Severity

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "note": "\033[36m"}
_RESET = "\033[0m"


def _severity(sev: Severity, lang: str, colour: bool) -> str:
    word = sev.zh() if lang == "zh" else sev.value
    return f"{_COLOURS[sev.value]}{word}{_RESET}" if colour else word


def render(reports: Sequence[Report], lang: str = "zh", colour: bool = False) -> str:
    lines: list[str] = []
    totals = {s.value: 0 for s in Severity}
    sheets = 0
    for report in reports:
        lines.append(report.source)
        for result in report.sheets:
            sheets += 1
            fw = result.framework
            lines.append(f"  {'项目' if lang == 'zh' else 'project'}: {result.sheet.project}  [{fw}]")
            for f in result.findings:
                totals[f.severity.value] += 1
                where = f.location.short() or "-"
                lines.append(f"    {where:<7} {f.code:<8} {_severity(f.severity, lang, colour)}  {f.text(lang)}")
        if not report.sheets:
            lines.append("  " + ("未找到绩效目标表" if lang == "zh" else "no goal sheet found"))
    if lang == "zh":
        summary = (f"共检查 {len(reports)} 个文件、{sheets} 张绩效目标表：错误 {totals['error']}，"
                   f"警告 {totals['warning']}，提示 {totals['note']}")  # fmt: skip
    else:
        summary = (f"checked {len(reports)} file(s), {sheets} sheet(s): {totals['error']} error(s), "
                   f"{totals['warning']} warning(s), {totals['note']} note(s)")  # fmt: skip
    lines.append(summary)
    return "\n".join(lines) + "\n"

"""``--format text``: file → sheet → one line per finding (位置 代码 严重程度 信息), then what was read
(files, projects, indicator rows, what could not be read), the budget years used, and the summary line.

Suppressed and baselined findings are not listed; the summary counts them. Colour only on a TTY."""

from __future__ import annotations

from checker.findings import Severity
from checker.i18n import t
from checker.report.controls import one_line
from checker.results import RunResult

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "note": "\033[36m"}
_RESET = "\033[0m"


def _severity(sev: Severity, lang: str, colour: bool) -> str:
    word = sev.zh() if lang == "zh" else sev.value
    return f"{_COLOURS[sev.value]}{word}{_RESET}" if colour else word


def render(run: RunResult, colour: bool = False, opinions: bool = False) -> str:
    lang = run.lang
    zh = lang == "zh"
    lines: list[str] = []
    for o in run.outcomes:
        lines.append(one_line(o.path))
        if o.report is None:
            lines.append(f"  {one_line(o.error or '')}")
            continue
        for result in o.report.sheets:
            if result.sheet.unread:  # nothing was read to judge, so no framework applies
                name = f"{one_line(result.sheet.project)} " if result.sheet.project else ""
                lines.append(f"  {'项目' if zh else 'project'}: {name}{t('unread', 'zh' if zh else 'en')}")
            else:
                project = one_line(result.sheet.project)
                lines.append(f"  {'项目' if zh else 'project'}: {project}  [{result.framework}]")
            for f in result.findings:
                if not f.active:
                    continue
                where = one_line(f.location.short()) or "-"
                text = one_line(f.text(lang))
                lines.append(f"    {where:<7} {f.code:<8} {_severity(f.severity, lang, colour)}  {text}")
            if opinions and not result.sheet.unread:
                from checker.opinion import opinion

                lines += ["", *(f"    {line}" for line in opinion(result, lang).text.split("\n")), ""]
        if not o.report.sheets:
            lines.append("  " + t("no_sheets", "zh" if zh else "en"))
    coverage = run.coverage()
    lines.append(coverage.read_line(lang))
    year_line = coverage.year_line(lang)
    if year_line is not None:
        lines.append(year_line)
    s = run.summary()
    if zh:
        summary = (f"共检查 {s['files']} 个文件、{s['sheets']} 张绩效目标表：错误 {s['error']}，"
                   f"警告 {s['warning']}，提示 {s['note']}")  # fmt: skip
        extra = [f"{n} 个文件无法读取" if k == "rejected" else f"已忽略 {n}" if k == "suppressed" else f"基线内 {n}"
                 for k, n in ((k, s[k]) for k in ("rejected", "suppressed", "baselined")) if n]  # fmt: skip
    else:
        summary = (f"checked {s['files']} file(s), {s['sheets']} sheet(s): {s['error']} error(s), "
                   f"{s['warning']} warning(s), {s['note']} note(s)")  # fmt: skip
        extra = [f"{n} {k}" for k, n in ((k, s[k]) for k in ("rejected", "suppressed", "baselined")) if n]
    lines.append(summary + (f"（{'，'.join(extra)}）" if zh and extra else f" ({', '.join(extra)})" if extra else ""))
    return "\n".join(lines) + "\n"

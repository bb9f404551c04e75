"""``--format text``, in the linters' convention: one line per finding, ``path:line:col: CODE [severity] message``
(``path:sheet!cell`` for workbooks and tables) that editors and terminals turn into links, a ``help:`` line
with the suggestion, grouped per file and project; then what was read (files, projects, indicator rows,
what could not be read), the budget years used, and the summary line.

Suppressed and baselined findings are not listed; the summary counts them. ``statistics`` lists the count
per rule instead of the findings; ``quiet`` prints the findings only. Colour is the caller's decision."""

from __future__ import annotations

from collections import Counter

from checker.findings import Finding, Severity
from checker.i18n import t
from checker.model import Location
from checker.report.controls import one_line
from checker.results import RunResult

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "note": "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def _severity(sev: Severity, lang: str, colour: bool) -> str:
    word = sev.zh() if lang == "zh" else sev.value
    return f"{_COLOURS[sev.value]}{word}{_RESET}" if colour else word


def where(path: str, loc: Location) -> str:
    """``path:sheet!cell`` when the finding has a cell in a named sheet or page, ``path:line:col`` when it
    has a line, else the path alone."""
    if loc.cell is not None and (loc.sheet or loc.page is not None):
        return f"{path}:{loc.short()}"
    if loc.line is not None:
        return f"{path}:{loc.line}:{loc.column or 1}"
    if loc.cell is not None:
        return f"{path}:{loc.cell}"
    return path


def _finding(path: str, f: Finding, lang: str, colour: bool) -> list[str]:
    code = f"{_BOLD}{f.code}{_RESET}" if colour else f.code
    lines = [
        f"{one_line(where(path, f.location))}: {code} [{_severity(f.severity, lang, colour)}] {one_line(f.text(lang))}"
    ]
    suggestion = f.suggestion if lang == "zh" else f.suggestion_en
    if suggestion:
        lines.append(f"  help: {one_line(suggestion)}")
    return lines


def _statistics(run: RunResult, lang: str, colour: bool) -> list[str]:
    """Findings per rule, most first (as ``ruff --statistics``)."""
    counts = Counter((f.code, f.severity) for f in run.findings() if f.active)
    titles = {r.code: r.title.get(lang) for r in run.rules} if counts else {}
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0]))
    return [
        f"{n:>6}  {code:<8} [{_severity(sev, lang, colour)}] {one_line(titles.get(code, ''))}".rstrip()
        for (code, sev), n in ordered
    ]


def render(
    run: RunResult, *, colour: bool = False, opinions: bool = False, statistics: bool = False, quiet: bool = False
) -> str:
    lang = run.lang
    zh = lang == "zh"
    lines: list[str] = []
    for o in run.outcomes if not statistics else ():
        path = one_line(o.path)
        if o.report is None:
            lines.append(f"{path}: {one_line(o.error or '')}")
            continue
        for result in o.report.sheets:
            shown = [f for f in result.findings if f.active]
            if quiet and not shown:
                continue
            if not quiet:
                label = "项目" if zh else "project"
                if result.sheet.unread:  # nothing was read to judge, so no framework applies
                    name = f"{one_line(result.sheet.project)} " if result.sheet.project else ""
                    head = f"{path} — {label}: {name}{t('unread', 'zh' if zh else 'en')}"
                else:
                    head = f"{path} — {label}: {one_line(result.sheet.project)}  [{result.framework}]"
                lines.append(f"{_DIM}{head}{_RESET}" if colour else head)
            for f in shown:
                lines += _finding(path, f, lang, colour)
            if opinions and not result.sheet.unread:
                from checker.opinion import opinion

                lines += ["", *(f"    {line}" for line in opinion(result, lang).text.split("\n"))]
            if not quiet:
                lines.append("")
        if not o.report.sheets and not quiet:
            lines += [f"{path}: {t('no_sheets', 'zh' if zh else 'en')}", ""]
    if statistics:
        lines += [*_statistics(run, lang, colour), ""]
    if quiet:
        return "\n".join(lines) + "\n" if lines else ""
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

"""``--format text``, in the linters' convention: one line per finding, ``path:line:col: CODE [severity] message``
(``path:sheet!cell`` for workbooks and tables) that editors and terminals turn into links, a ``help:`` line
with the suggestion, grouped per file and project; then what was read (files, projects, indicator rows,
what could not be read), the budget years used, and the summary line.

Suppressed and baselined findings are not listed; the summary counts them. ``statistics`` lists the count
per rule instead of the findings; ``quiet`` prints the findings only. Colour is the caller's decision.

Streamed: each file's lines are written as soon as the file is checked; the statistics (a count per rule,
so bounded by the rules, not the files), what was read and the summary at the end."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from checker.findings import Finding, Severity
from checker.i18n import t
from checker.model import Location
from checker.report.controls import one_line

if TYPE_CHECKING:
    from collections.abc import Callable

    from checker.results import FileOutcome, RunTail

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


class TextWriter:
    def __init__(
        self,
        write: Callable[[str], Any],
        lang: str,
        *,
        colour: bool = False,
        opinions: bool = False,
        statistics: bool = False,
        quiet: bool = False,
        titles: Callable[[], dict[str, str]] | None = None,
    ) -> None:
        self._write = write
        self._lang = lang
        self._colour = colour
        self._opinions = opinions
        self._statistics = statistics
        self._quiet = quiet
        self._counts: Counter[tuple[str, Severity]] = Counter()
        self._titles = titles  # the rules' titles, asked for only when there are statistics to print

    def _lines(self, lines: list[str]) -> None:
        if lines:  # quiet: a run without a finding prints nothing at all
            self._write("".join(line + "\n" for line in lines))

    def file(self, o: FileOutcome) -> None:
        if self._statistics:
            self._counts.update((f.code, f.severity) for f in (o.report.findings if o.report else ()) if f.active)
            return
        lang, colour, quiet = self._lang, self._colour, self._quiet
        zh = lang == "zh"
        path = one_line(o.path)
        if o.report is None:
            self._lines([f"{path}: {one_line(o.error or '')}"])
            return
        lines: list[str] = []
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
            if self._opinions and not result.sheet.unread:
                from checker.opinion import opinion

                lines += ["", *(f"    {line}" for line in opinion(result, lang).text.split("\n"))]
            if not quiet:
                lines.append("")
        if not o.report.sheets and not quiet:
            lines += [f"{path}: {t('no_sheets', 'zh' if zh else 'en')}", ""]
        self._lines(lines)

    def _statistics_lines(self) -> list[str]:
        """Findings per rule, most first (as ``ruff --statistics``)."""
        lang, colour = self._lang, self._colour
        titles = self._titles() if self._counts and self._titles is not None else {}
        ordered = sorted(self._counts.items(), key=lambda kv: (-kv[1], kv[0][0]))
        return [
            f"{n:>6}  {code:<8} [{_severity(sev, lang, colour)}] {one_line(titles.get(code, ''))}".rstrip()
            for (code, sev), n in ordered
        ]

    def end(self, tail: RunTail) -> None:
        lang = self._lang
        zh = lang == "zh"
        lines: list[str] = []
        if self._statistics:
            lines += [*self._statistics_lines(), ""]
        if self._quiet:
            self._lines(lines)
            return
        coverage = tail.coverage
        lines.append(coverage.read_line(lang))
        year_line = coverage.year_line(lang)
        if year_line is not None:
            lines.append(year_line)
        s = tail.summary
        if zh:
            summary = (f"共检查 {s['files']} 个文件、{s['sheets']} 张绩效目标表：错误 {s['error']}，"
                       f"警告 {s['warning']}，提示 {s['note']}")  # fmt: skip
            extra = [f"{n} 个文件无法读取" if k == "rejected" else f"已忽略 {n}" if k == "suppressed" else f"基线内 {n}"
                     for k, n in ((k, s[k]) for k in ("rejected", "suppressed", "baselined")) if n]  # fmt: skip
        else:
            summary = (f"checked {s['files']} file(s), {s['sheets']} sheet(s): {s['error']} error(s), "
                       f"{s['warning']} warning(s), {s['note']} note(s)")  # fmt: skip
            extra = [f"{n} {k}" for k, n in ((k, s[k]) for k in ("rejected", "suppressed", "baselined")) if n]
        lines.append(
            summary + (f"（{'，'.join(extra)}）" if zh and extra else f" ({', '.join(extra)})" if extra else "")
        )
        self._lines(lines)

    def close(self) -> None:
        pass

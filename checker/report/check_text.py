"""``--format text``: file → sheet → one line per finding (位置 代码 严重程度 信息), then what was read
(files, projects, indicator rows, what could not be read), the budget years used, and the summary line.

Suppressed and baselined findings are not listed; the summary counts them. Colour only on a TTY."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checker.findings import Severity
from checker.i18n import t
from checker.report.controls import one_line

if TYPE_CHECKING:
    from collections.abc import Callable

    from checker.results import FileOutcome, RunTail

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "note": "\033[36m"}
_RESET = "\033[0m"


def _severity(sev: Severity, lang: str, colour: bool) -> str:
    word = sev.zh() if lang == "zh" else sev.value
    return f"{_COLOURS[sev.value]}{word}{_RESET}" if colour else word


class TextWriter:
    """Each file's lines written as soon as the file is checked; what was read and the summary at the end."""

    def __init__(self, write: Callable[[str], Any], lang: str, colour: bool = False, opinions: bool = False) -> None:
        self._write = write
        self._lang = lang
        self._colour = colour
        self._opinions = opinions

    def file(self, o: FileOutcome) -> None:
        lang, colour = self._lang, self._colour
        zh = lang == "zh"
        lines = [one_line(o.path)]
        if o.report is None:
            lines.append(f"  {one_line(o.error or '')}")
            self._write("".join(line + "\n" for line in lines))
            return
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
            if self._opinions and not result.sheet.unread:
                from checker.opinion import opinion

                lines += ["", *(f"    {line}" for line in opinion(result, lang).text.split("\n")), ""]
        if not o.report.sheets:
            lines.append("  " + t("no_sheets", "zh" if zh else "en"))
        self._write("".join(line + "\n" for line in lines))

    def end(self, tail: RunTail) -> None:
        lang = self._lang
        zh = lang == "zh"
        coverage = tail.coverage
        lines = [coverage.read_line(lang)]
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
        self._write("".join(line + "\n" for line in lines))

    def close(self) -> None:
        pass

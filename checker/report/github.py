"""``--format github``: workflow annotations. At most 10 errors and 10 warnings are annotated (GitHub shows
no more per step); one summary line counts the rest."""

from __future__ import annotations

from checker.report.controls import one_line
from checker.results import RunResult

MAX_PER_LEVEL = 10


def _data(text: str) -> str:
    # Every line break is escaped, and other controls (an ANSI escape, U+2028) are dropped: nothing from a
    # submitted file can start a workflow command of its own.
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return one_line(escaped)


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(run: RunResult) -> str:
    lines, shown = [], {"error": 0, "warning": 0}
    rest = 0
    for o in run.outcomes:
        if o.error:
            lines.append(f"::error file={_prop(o.path)}::{_data(o.error)}")
    for f in run.findings():
        if not f.active:
            continue
        level = f.severity.value
        if level not in shown or shown[level] >= MAX_PER_LEVEL:
            rest += 1
            continue
        shown[level] += 1
        where = f"file={_prop(f.location.file)}"
        if f.location.line is not None:
            where += f",line={f.location.line}"
        title = f"{f.code} {f.location.short()}".strip()
        lines.append(f"::{level} {where},title={_prop(title)}::{_data(f.text(run.lang))}")
    s = run.summary()
    summary = (f"jixiao: {s['files']} file(s), {s['sheets']} sheet(s): {s['error']} error(s), "
               f"{s['warning']} warning(s), {s['note']} note(s)")  # fmt: skip
    if rest:
        summary += f"; {rest} more not annotated (see --format text or sarif)"
    coverage = run.coverage()
    summary += "; " + "; ".join(filter(None, [coverage.read_line("en"), coverage.year_line("en")]))
    lines.append(f"::notice title=jixiao::{_data(summary)}")
    return "\n".join(lines) + "\n"

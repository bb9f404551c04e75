"""``--format github``: workflow annotations. At most 10 errors and 10 warnings are annotated (GitHub shows
no more per step), errors first, taken from every file in turn so that one file cannot use them all up;
one summary line counts the rest."""

from __future__ import annotations

from checker.findings import Finding
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


def _spread(findings: list[Finding], limit: int) -> list[Finding]:
    """At most ``limit`` findings, one from each file in turn (in run order), then kept in run order."""
    by_file: dict[str, list[int]] = {}
    for i, f in enumerate(findings):
        by_file.setdefault(f.location.file, []).append(i)
    chosen: list[int] = []
    queues = [iter(q) for q in by_file.values()]
    while queues and len(chosen) < limit:
        alive = []
        for q in queues:
            nxt = next(q, None)
            if nxt is not None and len(chosen) < limit:
                chosen.append(nxt)
                alive.append(q)
        queues = alive
    return [findings[i] for i in sorted(chosen)]


def render(run: RunResult) -> str:
    lines = [f"::error file={_prop(o.path)}::{_data(o.error)}" for o in run.outcomes if o.error]
    active = [f for f in run.findings() if f.active]
    rest = sum(1 for f in active if f.severity.value not in ("error", "warning"))
    for level in ("error", "warning"):
        of_level = [f for f in active if f.severity.value == level]
        shown = _spread(of_level, MAX_PER_LEVEL)
        rest += len(of_level) - len(shown)
        for f in shown:
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

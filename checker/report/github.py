"""``--format github``: workflow annotations. At most 10 errors and 10 warnings are annotated (GitHub shows
no more per step); one summary line counts the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checker.report.controls import one_line

if TYPE_CHECKING:
    from collections.abc import Callable

    from checker.results import FileOutcome, RunTail

MAX_PER_LEVEL = 10


def _data(text: str) -> str:
    # Every line break is escaped, and other controls (an ANSI escape, U+2028) are dropped: nothing from a
    # submitted file can start a workflow command of its own.
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return one_line(escaped)


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


class GithubWriter:
    """The annotations come after every file's error line; at most 20 of them, so both are held until the end
    (the errors are one line per rejected file)."""

    def __init__(self, write: Callable[[str], Any], lang: str) -> None:
        self._write = write
        self._lang = lang
        self._errors: list[str] = []
        self._annotations: list[str] = []
        self._shown = {"error": 0, "warning": 0}
        self._rest = 0

    def file(self, o: FileOutcome) -> None:
        if o.error:
            self._errors.append(f"::error file={_prop(o.path)}::{_data(o.error)}")
        for f in o.report.findings if o.report else ():
            if not f.active:
                continue
            level = f.severity.value
            if level not in self._shown or self._shown[level] >= MAX_PER_LEVEL:
                self._rest += 1
                continue
            self._shown[level] += 1
            where = f"file={_prop(f.location.file)}"
            if f.location.line is not None:
                where += f",line={f.location.line}"
            title = f"{f.code} {f.location.short()}".strip()
            self._annotations.append(f"::{level} {where},title={_prop(title)}::{_data(f.text(self._lang))}")

    def end(self, tail: RunTail) -> None:
        s = tail.summary
        summary = (f"jixiao: {s['files']} file(s), {s['sheets']} sheet(s): {s['error']} error(s), "
                   f"{s['warning']} warning(s), {s['note']} note(s)")  # fmt: skip
        if self._rest:
            summary += f"; {self._rest} more not annotated (see --format text or sarif)"
        coverage = tail.coverage
        summary += "; " + "; ".join(filter(None, [coverage.read_line("en"), coverage.year_line("en")]))
        lines = [*self._errors, *self._annotations, f"::notice title=jixiao::{_data(summary)}"]
        self._write("\n".join(lines) + "\n")

    def close(self) -> None:
        pass

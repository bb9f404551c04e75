"""Renderers: one per output format. Only renderers produce what the user reads.

``FORMATS`` is the table of ``check``'s output formats: a name, what it is for, and its writer. The CLI's
``--format`` choices and help come from it; a new format is a new entry (CONTRIBUTING.md, "Add an output
format"). Each writer imports its module when used, so a lint in one format never loads the others.

Every format is a writer fed one file at a time (``RunWriter``), so a run of any size is written in flat
memory (``checker.stream``); ``render_run`` and ``Format.render`` feed a finished ``RunResult`` through the
same writer into a buffer. There is one implementation of each format.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from checker.frozen import frozen

if TYPE_CHECKING:
    from checker.results import RunResult, RunWriter

Write = Callable[[str], Any]


@frozen
class RenderOptions:
    """What a user may ask of an output beyond the run itself; each format uses what applies to it."""

    fail_on: str = "error"  # junit: which severities fail a test case
    colour: bool = False  # text
    opinions: bool = False  # text: a 审核意见 per project
    statistics: bool = False  # text: counts per rule instead of the findings
    quiet: bool = False  # text: findings only


class WriterFactory(Protocol):
    """Makes a format's writer: where its text goes, the run's language and pack, the user's options."""

    def __call__(self, write: Write, lang: str, pack: str, options: RenderOptions, /) -> RunWriter: ...


@frozen
class Format:
    # A docstring of its own: without one, dataclasses makes one from inspect.signature, whose tokenizer
    # compiles its largest pattern on every cold check (~5 ms).
    """An output format of ``check``: its name, what it is for, and the factory of its writer."""

    name: str
    use: str  # what the format is for, in --format's help
    writer: WriterFactory

    def render(self, run: RunResult, options: RenderOptions | None = None) -> str:
        """The finished run in this format: its outcomes fed through the format's writer into a buffer."""
        out = io.StringIO()
        writer = self.writer(out.write, run.lang, run.pack, options or RenderOptions())
        try:
            for outcome in run.outcomes:
                writer.file(outcome)
            writer.end(run.tail())
        finally:
            writer.close()
        return out.getvalue()


def _text(write: Write, lang: str, pack: str, o: RenderOptions) -> RunWriter:
    from checker.report.check_text import TextWriter
    from checker.results import run_rules

    def titles() -> dict[str, str]:
        return {r.code: r.title.get(lang) for r in run_rules(pack)}

    return TextWriter(write, lang, colour=o.colour, opinions=o.opinions, statistics=o.statistics, quiet=o.quiet,
                      titles=titles)  # fmt: skip


def _json(write: Write, _lang: str, _pack: str, _: RenderOptions) -> RunWriter:
    from checker.report.json_report import JsonWriter

    return JsonWriter(write)


def _sarif(write: Write, lang: str, pack: str, _: RenderOptions) -> RunWriter:
    from checker.report.sarif import SarifWriter
    from checker.results import run_rules

    return SarifWriter(write, run_rules(pack), lang)


def _github(write: Write, lang: str, _pack: str, _: RenderOptions) -> RunWriter:
    from checker.report.github import GithubWriter

    return GithubWriter(write, lang)


def _junit(write: Write, lang: str, _pack: str, o: RenderOptions) -> RunWriter:
    from checker.report.junit import JunitWriter

    return JunitWriter(write, o.fail_on, lang)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("text", "终端 / terminal", _text),
        Format("json", "机器读取 / machines (checker/schemas/report.schema.json)", _json),
        Format("sarif", "代码扫描 / code scanning (SARIF 2.1.0)", _sarif),
        Format("github", "GitHub Actions 注释 / annotations", _github),
        Format("junit", "CI 测试报告 / CI test reports", _junit),
    )
}


def render_run(run: RunResult, fmt: str, options: RenderOptions | None = None) -> str:
    """The run in one output format (a name of ``FORMATS``)."""
    return FORMATS[fmt].render(run, options)

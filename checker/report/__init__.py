"""Renderers: one per output format. Only renderers produce what the user reads.

``FORMATS`` is the table of ``check``'s output formats: a name, what it is for, and its renderer (one
``Renderer`` signature). The CLI's ``--format`` choices and help come from it; a new format is a new entry
(CONTRIBUTING.md, "Add an output format"). Each renderer imports its module when used, so a lint in one
format never loads the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from checker.results import RunResult


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What a user may ask of an output beyond the run itself; each format uses what applies to it."""

    fail_on: str = "error"  # junit: which severities fail a test case
    colour: bool = False  # text
    opinions: bool = False  # text: a 审核意见 per project
    statistics: bool = False  # text: counts per rule instead of the findings
    quiet: bool = False  # text: findings only


class Renderer(Protocol):
    def __call__(self, run: RunResult, options: RenderOptions, /) -> str: ...


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    use: str  # what the format is for, in --format's help
    render: Renderer


def _text(run: RunResult, o: RenderOptions) -> str:
    from checker.report import check_text

    return check_text.render(run, colour=o.colour, opinions=o.opinions, statistics=o.statistics, quiet=o.quiet)


def _json(run: RunResult, _: RenderOptions) -> str:
    from checker.report import json_report
    from checker.report.controls import json_escaped

    return json_escaped(json_report.render(run))


def _sarif(run: RunResult, _: RenderOptions) -> str:
    from checker.report import sarif
    from checker.report.controls import json_escaped

    return json_escaped(sarif.render(run))


def _github(run: RunResult, _: RenderOptions) -> str:
    from checker.report import github

    return github.render(run)


def _junit(run: RunResult, o: RenderOptions) -> str:
    from checker.report import junit

    return junit.render(run, o.fail_on)


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
    return FORMATS[fmt].render(run, options or RenderOptions())

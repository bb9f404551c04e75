"""Renderers: one per output format. Only renderers produce what the user reads."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checker.results import RunResult


def render_run(
    run: RunResult,
    fmt: str,
    fail_on: str = "error",
    *,
    colour: bool = False,
    opinions: bool = False,
    statistics: bool = False,
    quiet: bool = False,
) -> str:
    """The run in one output format: text, json, sarif, github or junit (``statistics``, ``quiet``: text)."""
    if fmt == "json":
        from checker.report import json_report
        from checker.report.controls import json_escaped

        return json_escaped(json_report.render(run))
    if fmt == "sarif":
        from checker.report import sarif
        from checker.report.controls import json_escaped

        return json_escaped(sarif.render(run))
    if fmt == "github":
        from checker.report import github

        return github.render(run)
    if fmt == "junit":
        from checker.report import junit

        return junit.render(run, fail_on)
    from checker.report import check_text

    return check_text.render(run, colour=colour, opinions=opinions, statistics=statistics, quiet=quiet)

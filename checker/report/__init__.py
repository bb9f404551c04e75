"""Renderers: one per output format. Only renderers produce what the user reads.

Every ``check`` format is a writer fed one file at a time (``RunWriter``), so a run of any size is written
in flat memory (``checker.stream``); ``render_run`` feeds a finished ``RunResult`` through the same writer.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checker.results import RunResult, RunWriter


def writer_for(
    fmt: str,
    write: Callable[[str], Any],
    *,
    lang: str = "zh",
    pack: str = "auto",
    fail_on: str = "error",
    colour: bool = False,
    opinions: bool = False,
) -> RunWriter:
    """The writer of one output format: text, json, sarif, github or junit."""
    if fmt == "json":
        from checker.report.json_report import JsonWriter

        return JsonWriter(write)
    if fmt == "sarif":
        from checker.report.sarif import SarifWriter
        from checker.results import run_rules

        return SarifWriter(write, run_rules(pack), lang)
    if fmt == "github":
        from checker.report.github import GithubWriter

        return GithubWriter(write, lang)
    if fmt == "junit":
        from checker.report.junit import JunitWriter

        return JunitWriter(write, fail_on, lang)
    from checker.report.check_text import TextWriter

    return TextWriter(write, lang, colour, opinions)


def render_run(run: RunResult, fmt: str, fail_on: str = "error", colour: bool = False, opinions: bool = False) -> str:
    """The run in one output format: text, json, sarif, github or junit."""
    out = io.StringIO()
    writer = writer_for(fmt, out.write, lang=run.lang, pack=run.pack, fail_on=fail_on, colour=colour,
                        opinions=opinions)  # fmt: skip
    try:
        for outcome in run.outcomes:
            writer.file(outcome)
        writer.end(run.tail())
    finally:
        writer.close()
    return out.getvalue()

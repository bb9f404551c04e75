"""The ``jixiao`` command: adapts arguments to checker.api and maps results to exit codes.

Exit codes (architecture.md): 0 ran clean, 1 findings at or above --fail-on, 2 input/usage/config
rejected, 3 output not written, 4 internal error (crash report saved). No traceback ever reaches
the user: ``_guarded`` is the one exception boundary.
"""

from __future__ import annotations

import datetime as _dt
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from checker import __version__
from checker.errors import JixiaoError
from checker.i18n import Lang, t

app = typer.Typer(
    name="jixiao",
    help="项目支出绩效目标表检查工具 — parse, check and review performance-goal sheets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class ParseFormat(StrEnum):
    json = "json"
    text = "text"


LangOption = Annotated[Lang, typer.Option("--lang", help="输出语言 / language: zh | en")]


def _save_crash_report(exc: BaseException) -> Path:
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    fd, name = tempfile.mkstemp(prefix=f"jixiao-crash-{stamp}-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"jixiao {__version__}, Python {sys.version}\nargv: {sys.argv!r}\n\n")
        fh.write("".join(traceback.format_exception(exc)))
    return Path(name)


def _guarded(lang: Lang, work: Callable[[], int]) -> None:
    """Run a command body; turn every exception into one line and a documented exit code."""
    try:
        code = work()
    except JixiaoError as exc:
        typer.echo(f"jixiao: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except Exception as exc:  # the boundary: a bug becomes exit 4 plus a crash report
        report = _save_crash_report(exc)
        typer.echo(f"jixiao: {t('internal_error', lang)} {report}", err=True)
        raise typer.Exit(4) from None
    raise typer.Exit(code)


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help="文本 / text extracts of goal sheets", show_default=False)],
    fmt: Annotated[ParseFormat, typer.Option("--format", "-f", help="json | text")] = ParseFormat.json,
    lang: LangOption = "zh",
) -> None:
    """解析绩效目标表，输出结构化数据 / parse goal sheets into structured data."""

    def work() -> int:
        import json

        from checker.api import parse_path
        from checker.errors import InputError
        from checker.report import parse_text

        failed = False
        for path in files:
            try:
                parsed = parse_path(path)
            except InputError as exc:
                typer.echo(f"jixiao: {exc}", err=True)
                failed = True
                continue
            if fmt is ParseFormat.json:
                sys.stdout.write(json.dumps(parsed.to_json(), ensure_ascii=False) + "\n")
            else:
                sys.stdout.write(parse_text.render(parsed, lang))
        return 2 if failed else 0

    _guarded(lang, work)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jixiao {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本 / show version")
    ] = False,
) -> None:
    """项目支出绩效目标表检查工具."""


def main() -> int:
    try:
        app()
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    return 0

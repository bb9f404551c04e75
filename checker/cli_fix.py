"""``jixiao fix`` and ``jixiao check --fix``: adapt arguments to checker.fix.run and print what changed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from checker.cli import app, guarded
from checker.cli_options import LangOption, YearOption, lang_of

if TYPE_CHECKING:
    from checker.config import Config
    from checker.results import RunResult


@app.command()
def fix(
    file: Annotated[Path, typer.Argument(help="要修正的文件 / the file to fix (.xlsx or text)", show_default=False)],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="修正后的文件 / write the fixed copy here")
    ] = None,
    in_place: Annotated[
        bool, typer.Option("--in-place", help="直接改原文件，并保留 .bak 备份 / fix the file itself, keeping a .bak")
    ] = False,
    config_file: Annotated[Path | None, typer.Option("--config", help="配置文件 / config file")] = None,
    pack: Annotated[str | None, typer.Option(help="规则包 / rule pack")] = None,
    framework: Annotated[str | None, typer.Option(help="指标体系 / framework: auto, fw2015, fw2021")] = None,
    select: Annotated[list[str] | None, typer.Option(help="只修正这些规则 / only these rules")] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="不修正这些规则 / skip these rules")] = None,
    year: YearOption = None,
    lang: LangOption = None,
) -> None:
    """自动修正格式问题（全角、>=、空白、不适用、日期序号……）/ apply safe, mechanical fixes."""

    def work() -> int:
        from checker.api import fix_config
        from checker.errors import OutputError
        from checker.fix.run import fix_file
        from checker.report import fix_list

        if in_place and output is not None:
            raise OutputError("-o 与 --in-place 只能选一个 / give either -o or --in-place")
        if output is not None:  # a folder or a missing folder is refused before the file is read
            from checker.output import check_output

            check_output(output, "fixed", [file])
        config = fix_config([str(file)], config_file, pack=pack, framework=framework, select=select,
                            ignore=ignore, year=year)  # fmt: skip
        result = fix_file(file, output, in_place=in_place, config=config)
        sys.stdout.write(fix_list.render([result], lang_of(lang)))
        if result.refused:
            typer.echo(f"jixiao: {file}: {result.refused}", err=True)
            return 2
        return 0

    guarded(lang_of(lang), work)


def fix_after_check(result: RunResult, config: Config, lang: str) -> None:
    """``check --fix``: a fixed copy beside each file (never over it); the list goes to stderr."""
    from checker.batch import reports
    from checker.fix.run import fix_report_paths
    from checker.report import fix_list

    done = fix_report_paths(reports(list(result.outcomes)), config)
    sys.stderr.write(fix_list.render(done, "en" if lang == "en" else "zh"))

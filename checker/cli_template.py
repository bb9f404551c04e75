"""``jixiao template``: adapt arguments to checker.template and write the workbook atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from checker.cli import app, guarded
from checker.cli_options import LangOption, lang_of


@app.command()
def template(
    output: Annotated[Path, typer.Option("--output", "-o", help="要生成的工作簿 / the workbook to write")] = Path(
        "申报表.xlsx"
    ),
    framework: Annotated[str | None, typer.Option(help="指标体系 / framework: fw2015, fw2021")] = None,
    pack: Annotated[str | None, typer.Option(help="规则包 / rule pack (its thresholds go into the hints)")] = None,
    projects: Annotated[int, typer.Option("--projects", help="项目（工作表）数 / forms, one sheet each")] = 1,
    year: Annotated[int | None, typer.Option("--year", min=2000, max=2099, help="预算年度 / budget year")] = None,
    lang: LangOption = None,
) -> None:
    """生成填报用的绩效目标申报表模板 / write a fill-in goal-sheet workbook."""

    def work() -> int:
        from checker.template.api import write_template

        spec = write_template(output, framework=framework, pack=pack, projects=projects, year=year)
        typer.echo(
            f"jixiao: 已写入 {output}（{spec.framework_label}，{len(spec.level2)} 个二级指标）/ wrote {output}",
            err=True,
        )
        return 0

    guarded(lang_of(lang), work)

"""The library call behind ``jixiao template``."""

from __future__ import annotations

import os
from pathlib import Path

from checker.errors import OutputError
from checker.template.spec import TemplateSpec, build_spec


def write_template(
    output: str | os.PathLike[str],
    *,
    framework: str | None = None,
    pack: str | None = None,
    projects: int = 1,
    year: int | None = None,
) -> TemplateSpec:
    """Build the template and write it to ``output`` atomically; returns what was written."""
    from checker.output import write_atomic
    from checker.template.workbook import render

    target = Path(output)
    if target.suffix.lower() != ".xlsx":
        raise OutputError(f"{target}: 模板须以 .xlsx 结尾 / the template must be an .xlsx file")
    spec = build_spec(framework, pack, projects, year)
    write_atomic(target, render(spec))
    return spec

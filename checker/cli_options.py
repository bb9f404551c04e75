"""The command-line options shared by several commands, defined once, and how the CLI reads fixed values.

``check`` and ``review`` take the same selection and configuration (``SELECTION`` below lists them;
tests/test_cli_options.py checks both commands carry every one). A fixed-value option is read
case-insensitively, and a typo is refused with the known values and the nearest one, in one line.
"""

# No `from __future__ import annotations` here: typer reads every command's annotations on each start,
# and string annotations are compiled and evaluated twice per parameter (~10 ms of a cold check).

from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from checker.executors import EXECUTORS
from checker.i18n import Lang


class RulesFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class ParseFormat(StrEnum):
    json = "json"
    text = "text"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    note = "note"


class ColorMode(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


LANGS: tuple[Lang, ...] = ("zh", "en")


def lang_of(value: str | None) -> Lang:
    """The --lang value (already checked by its option) as a Lang; zh when not given."""
    return "en" if value == "en" else "zh"


def _fixed(values: Sequence[str]) -> dict[str, Any]:
    """Option settings reading one of ``values``: any case, a did-you-mean on a typo, completion offers them."""
    values = [str(v) for v in values]  # StrEnum members: their values, not their reprs

    def read(value: str | None) -> str | None:
        if value is None:
            return None
        from checker.errors import ConfigError
        from checker.suggest import one_of

        try:
            return one_of(value, values, "", "value")
        except ConfigError as exc:
            raise typer.BadParameter(str(exc).removeprefix(": ")) from None

    def complete(incomplete: str) -> list[str]:
        return [v for v in values if v.startswith(incomplete.lower())]

    return {"callback": read, "autocompletion": complete, "metavar": "|".join(values)}


def fixed(values: Sequence[str]) -> Callable[..., Any]:
    """``typer.Option`` for a fixed set of values (use with a ``str`` annotation)."""

    def option(*decls: str, help: str) -> Any:
        return typer.Option(*decls, help=help, **_fixed(values))

    return option


def _packs() -> list[str]:
    from checker.rules.loader import shipped_packs

    return ["auto", *shipped_packs()]


def _frameworks() -> list[str]:
    from checker.frameworks import framework_ids

    return ["auto", *framework_ids()]


def _starting(values: Callable[[], list[str]]) -> Callable[[str], list[str]]:
    return lambda incomplete: [v for v in values() if v.startswith(incomplete.lower())]


# -- the selection and configuration every checking command takes ----------------------------------------
ConfigOption = Annotated[Path | None, typer.Option("--config", help="配置文件 / config file")]
PackOption = Annotated[
    str | None,
    typer.Option(help="规则包 / rule pack: auto, fw2015, fw2021, shanxi …", autocompletion=_starting(_packs)),
]
FrameworkOption = Annotated[
    str | None,
    typer.Option(help="指标体系 / framework: auto, fw2015, fw2021", autocompletion=_starting(_frameworks)),
]
PackFileOption = Annotated[
    list[Path] | None, typer.Option("--pack-file", help="附加规则包 YAML / extra rule pack file")
]
SelectOption = Annotated[
    list[str] | None,
    typer.Option(help="只用这些规则（可用逗号分隔）/ only these rules: code (SAT002, SAT-002), name, prefix, ref"),
]
IgnoreOption = Annotated[list[str] | None, typer.Option(help="忽略这些规则（可用逗号分隔）/ skip these rules")]
FailOnOption = Annotated[
    str | None, fixed(list(FailOn))("--fail-on", help="退出码为 1 的最低严重程度 / lowest severity that exits 1")
]
JobsOption = Annotated[int, typer.Option("--jobs", "-j", min=0, help="并行进程数 / worker processes (0: all cores)")]
BaselineOption = Annotated[
    Path | None, typer.Option("--baseline", help="只报告基线之外的新问题 / report only new findings")
]
SuppressionsOption = Annotated[Path | None, typer.Option("--suppressions", help="忽略清单 / suppressions file")]
YearOption = Annotated[
    int | None,
    typer.Option("--year", min=2000, max=2099, help="预算年度（默认按表头）/ budget year (default: from the header)"),
]
LangOption = Annotated[str | None, fixed(LANGS)("--lang", help="输出语言 / language: zh | en")]
ExecutorOption = Annotated[
    str,
    fixed(EXECUTORS)(
        "--executor",
        help="在哪里检查 / where files are checked: process (this machine, --jobs processes) | dask (a Dask "
        "cluster; pip install 'jixiao[dask]')",
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Dask 调度器地址 / the Dask scheduler, tcp://host:8786 (default: a local cluster of --jobs workers)",
    ),
]
SendBytesOption = Annotated[
    bool,
    typer.Option(
        "--send-bytes",
        help="把文件内容发给 Dask 工作进程 / send each file's bytes to the Dask workers (they cannot see the files)",
    ),
]
ExitZeroOption = Annotated[bool, typer.Option("--exit-zero", help="有问题也返回 0 / always exit 0 after a run")]

# The parameter names of the shared set: check and review both take every one (tested by introspection).
SELECTION = (
    "config_file", "pack", "framework", "pack_file", "select", "ignore", "fail_on", "jobs", "baseline",
    "suppressions", "year", "lang", "executor", "scheduler", "send_bytes",
)  # fmt: skip

PathsArgument = Annotated[
    list[str], typer.Argument(help="文件、文件夹、通配符，或 - 读标准输入 / files, folders, globs, - for stdin")
]

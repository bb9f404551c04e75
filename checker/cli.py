"""The ``jixiao`` command: adapts arguments to checker.api and maps results to exit codes.

Exit codes (docs/architecture.md): 0 ran clean, 1 findings at or above --fail-on, 2 input/usage/config
rejected, 3 output not written, 4 internal error (crash report saved). No traceback ever reaches
the user: ``guarded`` is the one exception boundary.
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


def _new_app() -> typer.Typer:
    return typer.Typer(
        name="jixiao",
        help="项目支出绩效目标表检查工具 — parse, check and review performance-goal sheets.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )


app = _new_app()


class ParseFormat(StrEnum):
    json = "json"
    text = "text"


LangOption = Annotated[Lang, typer.Option("--lang", help="输出语言 / language: zh | en")]
YearOption = Annotated[
    int | None,
    typer.Option("--year", min=2000, max=2099, help="预算年度（默认按表头）/ budget year (default: from the header)"),
]


def _save_crash_report(exc: BaseException) -> Path:
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    fd, name = tempfile.mkstemp(prefix=f"jixiao-crash-{stamp}-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"jixiao {__version__}, Python {sys.version}\nargv: {sys.argv!r}\n\n")
        fh.write("".join(traceback.format_exception(exc)))
    return Path(name)


def _quiet_stdout() -> None:
    """The reader of our output went away (``jixiao check … | head``): that ends the run as it ends for other
    command-line tools, quietly. What is still buffered would fail again when Python flushes stdout at exit
    and print a warning, so stdout is pointed at /dev/null."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor (a test's captured stdout): nothing will be flushed
        pass


def guarded(lang: Lang, work: Callable[[], int]) -> None:
    """Run a command body; turn every exception into one line and a documented exit code."""
    # Errors already reported as one line must not be followed by library noise when Python collects
    # a half-written write-only workbook; a real bug still leaves its crash report.
    sys.unraisablehook = lambda _unraisable: None
    try:
        code = work()
    except JixiaoError as exc:
        typer.echo(f"jixiao: {exc}", err=True)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    except BrokenPipeError:
        _quiet_stdout()
        raise typer.Exit(0) from None
    except Exception as exc:  # the boundary: a bug becomes exit 4 plus a crash report
        try:
            report: Path | str = _save_crash_report(exc)
        except OSError as again:  # a full TMPDIR: the crash cannot be saved, but it is still one line
            report = f"(崩溃报告无法保存 / no crash report: {again.strerror or again})"
        typer.echo(f"jixiao: {t('internal_error', lang)} {report}", err=True)
        raise typer.Exit(4) from None
    raise typer.Exit(code)


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help="文本 / text extracts of goal sheets", show_default=False)],
    fmt: Annotated[ParseFormat, typer.Option("--format", "-f", help="json | text")] = ParseFormat.json,
    year: YearOption = None,
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
                parsed = parse_path(path, year=year, named=True)
            except InputError as exc:
                typer.echo(f"jixiao: {exc}", err=True)
                failed = True
                continue
            if fmt is ParseFormat.json:
                sys.stdout.write(json.dumps(parsed.to_json(), ensure_ascii=False) + "\n")
            else:
                sys.stdout.write(parse_text.render(parsed, lang))
        return 2 if failed else 0

    guarded(lang, work)


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    junit = "junit"


class RulesFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class FailOn(StrEnum):
    error = "error"
    warning = "warning"
    note = "note"


def _progress(done: int, total: int) -> None:
    sys.stderr.write(f"\r检查中 / checking {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


@app.command()
def check(
    paths: Annotated[
        list[str], typer.Argument(help="文件、文件夹或通配符 / files, folders, globs", show_default=False)
    ],
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="text | json | sarif | github | junit")] = (
        CheckFormat.text
    ),
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入文件 / write to this file")] = None,
    config_file: Annotated[Path | None, typer.Option("--config", help="配置文件 / config file")] = None,
    pack: Annotated[str | None, typer.Option(help="规则包 / rule pack: auto, fw2015, fw2021, shanxi …")] = None,
    framework: Annotated[str | None, typer.Option(help="指标体系 / framework: auto, fw2015, fw2021")] = None,
    pack_file: Annotated[
        list[Path] | None, typer.Option("--pack-file", help="附加规则包 YAML / extra rule pack file")
    ] = None,
    select: Annotated[
        list[str] | None, typer.Option(help="只用这些规则 / only these rules (code, name, prefix, ref)")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="忽略这些规则 / skip these rules")] = None,
    fail_on: Annotated[FailOn | None, typer.Option("--fail-on", help="退出码为 1 的最低严重程度")] = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="有问题也返回 0 / always exit 0 after a run")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="并行进程数 / worker processes (0: all cores)")] = 0,
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="只报告基线之外的新问题 / report only new findings")
    ] = None,
    write_baseline: Annotated[
        Path | None, typer.Option("--write-baseline", help="记录当前问题为基线 / record a baseline")
    ] = None,
    suppressions: Annotated[Path | None, typer.Option("--suppressions", help="忽略清单 / suppressions file")] = None,
    year: YearOption = None,
    lang: Annotated[Lang | None, typer.Option("--lang", help="输出语言 / language: zh | en")] = None,
    opinions: Annotated[
        bool, typer.Option("--opinion", help="每个项目附审核意见（text 格式）/ add a review opinion per project (text)")
    ] = False,
    fix: Annotated[
        bool, typer.Option("--fix", help="另存修正后的副本 NAME.fixed.xlsx / write fixed copies beside the files")
    ] = False,
) -> None:
    """检查绩效目标表，列出问题 / check goal sheets against the rule packs."""

    def work() -> int:
        from checker.api import stream_check, unused_configs

        result, config = stream_check(
            paths, output_format=fmt.value, output=output, config_file=config_file, pack=pack, framework=framework,
            packs=pack_file, select=select, ignore=ignore, fail_on=fail_on.value if fail_on else None, lang=lang,
            jobs=jobs or (os.cpu_count() or 1), baseline=baseline, suppressions=suppressions,
            write_baseline=write_baseline, year=year, colour=output is None and sys.stdout.isatty(), opinions=opinions,
            progress=_progress if sys.stderr.isatty() and len(paths) > 0 else None,
            keep_outcomes=fix,  # --fix needs every report; without it memory stays flat
        )  # fmt: skip
        for found in unused_configs(paths, config):
            typer.echo(f"jixiao: 未采用被检查文件夹中的配置 / not obeyed (inside the checked folder; use --config "
                       f"to apply it): {found}", err=True)  # fmt: skip
        for entry in result.unused_suppressions:
            typer.echo(f"jixiao: 未使用的忽略项 / unused suppression: {entry.describe()}", err=True)
        for stale in result.stale_baseline:
            typer.echo(f"jixiao: 基线中的问题已不存在 / baseline entry no longer occurs: {stale.code} "
                       f"{stale.project} {stale.indicator or ''}".rstrip(), err=True)  # fmt: skip
        if fix:
            from checker.cli_fix import fix_after_check
            from checker.results import RunResult

            fix_after_check(RunResult(result.outcomes, config.pack, config.lang), config, config.lang)
        if result.summary["rejected"]:
            return 2
        from checker.findings import Severity

        hit = any(rank >= Severity(config.fail_on).rank for rank in result.active_ranks)
        return 1 if hit and not exit_zero else 0

    guarded(lang or "zh", work)


@app.command()
def review(
    paths: Annotated[
        list[str], typer.Argument(help="文件、文件夹或通配符 / files, folders, globs", show_default=False)
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="审核表 / the review workbook to write")] = Path(
        "审核表.xlsx"
    ),
    previous: Annotated[Path | None, typer.Option("--previous", help="上一轮审核表 / last round's workbook")] = None,
    config_file: Annotated[Path | None, typer.Option("--config", help="配置文件 / config file")] = None,
    pack: Annotated[str | None, typer.Option(help="规则包 / rule pack")] = None,
    framework: Annotated[str | None, typer.Option(help="指标体系 / framework: auto, fw2015, fw2021")] = None,
    select: Annotated[list[str] | None, typer.Option(help="只用这些规则 / only these rules")] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="忽略这些规则 / skip these rules")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="并行进程数 / worker processes (0: all cores)")] = 0,
    year: YearOption = None,
    lang: Annotated[Lang | None, typer.Option("--lang", help="输出语言 / language: zh | en")] = None,
) -> None:
    """生成审核工作簿 / write the Excel review workbook reviewers work in."""

    def work() -> int:
        from checker.api import run_review

        count, dropped = run_review(
            paths, output, config_file=config_file, previous=previous, pack=pack, framework=framework,
            select=select, ignore=ignore, lang=lang, jobs=jobs or (os.cpu_count() or 1), year=year,
            progress=_progress if sys.stderr.isatty() else None,
        )  # fmt: skip
        typer.echo(f"jixiao: 已写入 {output}：{count} 个问题 / wrote {count} findings", err=True)
        if dropped:
            zh = f"上一轮有 {len(dropped)} 条审核结论的问题已不存在，见“说明”"
            typer.echo(f"jixiao: {zh} / {len(dropped)} earlier decisions no longer match a finding", err=True)
        return 0

    guarded(lang or "zh", work)


@app.command("import-review")
def import_review(
    workbook: Annotated[Path, typer.Argument(help="审核表 / a filled-in review workbook", show_default=False)],
    suppressions: Annotated[Path, typer.Option("--suppressions", help="忽略清单 / suppressions file")] = Path(
        "jixiao-suppressions.toml"
    ),
) -> None:
    """把审核表中的误报/接受例外转为忽略清单 / turn 误报 and 接受例外 decisions into suppressions."""

    def work() -> int:
        from checker.api import import_review as run_import

        added, skipped = run_import(workbook, suppressions)
        typer.echo(f"jixiao: {suppressions}：新增 {added} 条 / added {added} suppression(s)", err=True)
        for fp in skipped:
            typer.echo(f"jixiao: 跳过 {fp}：误报/接受例外须在审核意见中写明理由 / skipped: no reason given", err=True)
        return 0

    guarded("zh", work)


@app.command()
def rules(
    fmt: Annotated[RulesFormat, typer.Option("--format", "-f", help="text | json | markdown")] = RulesFormat.text,
    pack: Annotated[str | None, typer.Option(help="只列这个规则包 / only this pack")] = None,
    lang: LangOption = "zh",
) -> None:
    """列出全部规则 / list every rule in the packs."""

    def work() -> int:
        from checker.api import list_rules, pack_summaries
        from checker.report import rules_doc

        found = list_rules(pack)
        if fmt is RulesFormat.json:
            sys.stdout.write(rules_doc.render_json(found))
        elif fmt is RulesFormat.markdown:
            sys.stdout.write(rules_doc.render_markdown(found, pack_summaries()))
        else:
            sys.stdout.write(rules_doc.render_text(found, lang))
        return 0

    guarded(lang, work)


@app.command()
def explain(
    code: Annotated[str, typer.Argument(help="规则代码或名称 / rule code or name", show_default=False)],
    lang: LangOption = "zh",
) -> None:
    """说明一条规则：依据、理由和例子 / explain one rule: source, rationale, examples."""

    def work() -> int:
        import difflib

        from checker.api import list_rules
        from checker.errors import ConfigError
        from checker.report import rules_doc

        wanted = code.strip()
        # SAT-002 is how the catalogue writes a code and how --select accepts it: the same rule.
        as_code = wanted.upper().replace("-", "")
        rules = list_rules()
        for rule in rules:
            if wanted in (rule.code, rule.name) or as_code == rule.code:
                sys.stdout.write(rules_doc.render_explain(rule, lang))
                return 0
        near = difflib.get_close_matches(as_code, [r.code for r in rules], n=3)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise ConfigError("explain", "", f"no rule {wanted!r}{hint} (see `jixiao rules`)")

    guarded(lang, work)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", help="显示版本 / show version")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", help="与 --version 一起：依赖版本与防护状态 / with --version: environment")
    ] = False,
) -> None:
    """项目支出绩效目标表检查工具."""
    if version:
        if verbose:
            from checker.selfcheck import render

            sys.stdout.write(render())
        else:
            typer.echo(f"jixiao {__version__}")
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


def app_for(argv: list[str]) -> typer.Typer:
    """The app with only the command ``argv`` starts with, or the whole app (help, --version, typos).

    Typer builds a click command for every registered command on each start: ~10 ms of a ~250 ms
    one-file lint went to the five commands that were not run.
    """
    first = argv[0] if argv else None
    chosen = [c for c in app.registered_commands if (c.name or (c.callback and c.callback.__name__)) == first]
    if not chosen:
        return app
    one = _new_app()
    one.registered_commands = chosen
    one.registered_callback = app.registered_callback
    return one


# Commands kept in modules of their own register themselves on ``app`` when imported, behind the same
# exception boundary.
from checker import cli_fix, cli_template  # noqa: E402, F401


def _terminate(_signum: int, _frame: object) -> None:
    # SIGTERM (a CI job cancelled, `kill`) unwinds like Ctrl-C, so temporary files are removed on the way out.
    raise KeyboardInterrupt


def main() -> int:
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    try:
        app_for(sys.argv[1:])()
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    return 0

"""The ``jixiao`` command: adapts arguments to checker.api and maps results to exit codes.

Exit codes (docs/architecture.md): 0 ran clean, 1 findings at or above --fail-on, 2 input/usage/config
rejected, 3 output not written, 4 internal error (crash report saved). No traceback ever reaches
the user: ``guarded`` is the one exception boundary.
"""

# No `from __future__ import annotations` here: typer reads every command's annotations on each start,
# and string annotations are compiled and evaluated twice per parameter (~10 ms of a cold check).

import datetime as _dt
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from checker import __version__
from checker.cli_options import (
    BaselineOption,
    ColorMode,
    ConfigOption,
    ExecutorOption,
    ExitZeroOption,
    FailOnOption,
    FrameworkOption,
    IgnoreOption,
    JobsOption,
    LangOption,
    PackFileOption,
    PackOption,
    ParseFormat,
    PathsArgument,
    RulesFormat,
    SchedulerOption,
    SelectOption,
    SendBytesOption,
    SuppressionsOption,
    YearOption,
    fixed,
    lang_of,
)
from checker.errors import JixiaoError
from checker.i18n import Lang, t
from checker.report import FORMATS


class _OneLineErrors(TyperGroup):
    """A usage error (a typo in an option, a value not among the known ones) is one line on stderr, exit 2:
    the same shape as every other refusal, and nothing a script has to parse out of a box."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            code = super().main(*args, **kwargs)
        except Exception as exc:
            if type(exc).__name__ == "Abort":  # end of input at a prompt
                sys.exit(1)
            fmt = getattr(exc, "format_message", None)
            if fmt is None:  # not a usage error: _guarded already turned the command's own failures into exits
                raise
            ctx = getattr(exc, "ctx", None)
            where = ctx.command_path if ctx is not None else "jixiao"
            message = " ".join(str(fmt()).split())
            typer.echo(f"{where}: {message} (`{where} --help`)", err=True)
            sys.exit(int(getattr(exc, "exit_code", 2)))
        sys.exit(code if isinstance(code, int) else 0)


def _new_app() -> typer.Typer:
    return typer.Typer(
        name="jixiao",
        help="项目支出绩效目标表检查工具 — parse, check and review performance-goal sheets.",
        no_args_is_help=True,
        # `jixiao --install-completion` (bash, zsh, fish, PowerShell): option names and the fixed values.
        add_completion=True,
        pretty_exceptions_enable=False,
        cls=_OneLineErrors,
    )


app = _new_app()


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
    # a half-written streamed workbook; a real bug still leaves its crash report.
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
    fmt: Annotated[str, fixed(list(ParseFormat))("--format", "-f", help="json | text")] = ParseFormat.json,
    year: YearOption = None,
    lang: LangOption = None,
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
            if fmt == ParseFormat.json:
                sys.stdout.write(json.dumps(parsed.to_json(), ensure_ascii=False) + "\n")
            else:
                sys.stdout.write(parse_text.render(parsed, lang_of(lang)))
        return 2 if failed else 0

    guarded(lang_of(lang), work)


def _progress(done: int, total: int) -> None:
    sys.stderr.write(f"\r检查中 / checking {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _colour(mode: str, to_file: bool) -> bool:
    """--color auto colours a terminal unless NO_COLOR is set (https://no-color.org); always/never decide."""
    if mode == ColorMode.always:
        return True
    if mode == ColorMode.never or to_file:
        return False
    return not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def _jobs(jobs: int) -> int:
    return jobs or (os.cpu_count() or 1)


def _say_duplicates(duplicates: tuple[tuple[str, str], ...]) -> None:
    for copy, first in duplicates:
        typer.echo(f"jixiao: {copy} 与 {first} 内容相同，只检查一次 / same content as {first}: checked once", err=True)


FORMAT_HELP = "; ".join(f"{f.name}: {f.use}" for f in FORMATS.values())


@app.command()
def check(
    paths: PathsArgument,
    fmt: Annotated[str, fixed(list(FORMATS))("--format", "-f", help=FORMAT_HELP)] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入文件 / write to this file")] = None,
    config_file: ConfigOption = None,
    pack: PackOption = None,
    framework: FrameworkOption = None,
    pack_file: PackFileOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    fail_on: FailOnOption = None,
    jobs: JobsOption = 0,
    baseline: BaselineOption = None,
    suppressions: SuppressionsOption = None,
    year: YearOption = None,
    lang: LangOption = None,
    executor: ExecutorOption = "process",
    scheduler: SchedulerOption = None,
    send_bytes: SendBytesOption = False,
    exit_zero: ExitZeroOption = False,
    write_baseline: Annotated[
        Path | None, typer.Option("--write-baseline", help="记录当前问题为基线 / record a baseline")
    ] = None,
    opinions: Annotated[
        bool, typer.Option("--opinion", help="每个项目附审核意见（text 格式）/ add a review opinion per project (text)")
    ] = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="按规则统计问题数（text）/ count findings per rule (text)")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="只列问题，不打印汇总和提示 / findings only, no summary or notes")
    ] = False,
    color: Annotated[
        str, fixed(list(ColorMode))("--color", help="着色 / colour: auto (terminal, unless NO_COLOR) | always | never")
    ] = ColorMode.auto,
    fix: Annotated[
        bool, typer.Option("--fix", help="另存修正后的副本 NAME.fixed.xlsx / write fixed copies beside the files")
    ] = False,
) -> None:
    """检查绩效目标表，列出问题 / check goal sheets against the rule packs."""

    def work() -> int:
        from checker.api import stdin_paths, stream_check
        from checker.output import check_output
        from checker.report import RenderOptions

        # An input, a folder, a missing folder or a wrong extension is refused before any file is read.
        named = [*paths, config_file, baseline, suppressions, *(pack_file or [])]
        if output is not None:
            check_output(output, fmt, named)
        if write_baseline is not None:
            check_output(write_baseline, "json", named)
        options = RenderOptions(colour=_colour(color, output is not None), opinions=opinions, statistics=statistics,
                                quiet=quiet)  # fmt: skip
        with stdin_paths(paths) as given:
            result, config = stream_check(
                given, output_format=fmt, output=output, options=options, config_file=config_file, pack=pack,
                framework=framework, packs=pack_file, select=select, ignore=ignore, fail_on=fail_on, lang=lang,
                jobs=_jobs(jobs), baseline=baseline, suppressions=suppressions, write_baseline=write_baseline,
                year=year, executor=executor, scheduler=scheduler, send_bytes=send_bytes,
                progress=_progress if sys.stderr.isatty() and not quiet else None,
                keep_outcomes=fix,  # --fix needs every report; without it memory stays flat
                # Standard input is shown as "-" in every format (its temporary file's name is unique).
                shown_as={g: "-" for g, p in zip(given, paths, strict=True) if p == "-"},
            )  # fmt: skip
        from checker.api import unused_configs

        notes = not quiet
        for found in unused_configs(paths, config) if notes else ():
            typer.echo(f"jixiao: 未采用被检查文件夹中的配置 / not obeyed (inside the checked folder; use --config "
                       f"to apply it): {found}", err=True)  # fmt: skip
        if notes:
            _say_duplicates(result.duplicates)
        for entry in result.unused_suppressions if notes else ():
            typer.echo(f"jixiao: 未使用的忽略项 / unused suppression: {entry.describe()}", err=True)
        for stale in result.stale_baseline if notes else ():
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

    guarded(lang_of(lang), work)


@app.command()
def review(
    paths: PathsArgument,
    output: Annotated[Path, typer.Option("--output", "-o", help="审核表 / the review workbook to write")] = Path(
        "审核表.xlsx"
    ),
    previous: Annotated[Path | None, typer.Option("--previous", help="上一轮审核表 / last round's workbook")] = None,
    config_file: ConfigOption = None,
    pack: PackOption = None,
    framework: FrameworkOption = None,
    pack_file: PackFileOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    fail_on: FailOnOption = None,
    jobs: JobsOption = 0,
    baseline: BaselineOption = None,
    suppressions: SuppressionsOption = None,
    year: YearOption = None,
    lang: LangOption = None,
    executor: ExecutorOption = "process",
    scheduler: SchedulerOption = None,
    send_bytes: SendBytesOption = False,
    exit_zero: ExitZeroOption = False,
) -> None:
    """生成审核工作簿 / write the Excel review workbook reviewers work in (the same options as check)."""

    def work() -> int:
        from checker.api import run_review, stdin_paths
        from checker.output import check_output

        check_output(output, "xlsx", [*paths, config_file, previous, baseline, suppressions, *(pack_file or [])])
        status = _Status() if sys.stderr.isatty() else None  # a pipe or a CI log gets no \r lines
        with stdin_paths(paths) as given:
            done = run_review(
                given, output, config_file=config_file, previous=previous, pack=pack, framework=framework,
                packs=pack_file, select=select, ignore=ignore, fail_on=fail_on, lang=lang, jobs=_jobs(jobs),
                year=year, baseline=baseline, suppressions=suppressions, executor=executor, scheduler=scheduler,
                send_bytes=send_bytes, progress=status.checked if status else None,
                writing=status.written if status else None,
            )  # fmt: skip
        if status is not None:
            status.end()
        _say_duplicates(done.duplicates)
        typer.echo(f"jixiao: 已写入 {output}：{done.count} 个问题 / wrote {done.count} findings", err=True)
        if done.dropped:
            zh = f"上一轮有 {len(done.dropped)} 条审核结论的问题已不存在，见“说明”"
            typer.echo(f"jixiao: {zh} / {len(done.dropped)} earlier decisions no longer match a finding", err=True)
        for bad in done.invalid_decisions:
            typer.echo(f"jixiao: {bad}", err=True)
        # Only when asked: a reviewer's run that wrote its workbook succeeded, findings or not.
        return 1 if fail_on is not None and done.failed and not exit_zero else 0

    guarded(lang_of(lang), work)


class _Status:
    """One status line on a terminal: files checked, and rows of the workbook written (the writing goes on
    after the last file is checked, and saving a large workbook takes a while)."""

    def __init__(self) -> None:
        self.files = ""
        self.rows = ""

    def checked(self, done: int, total: int) -> None:
        self.files = f"检查 / checked {done}/{total}"
        self._show()

    def written(self, rows: int, saving: bool) -> None:
        self.rows = f"写入 / rows written {rows}" + ("，保存中 / saving…" if saving else "")
        self._show()

    def _show(self) -> None:
        sys.stderr.write("\r" + "  ".join(filter(None, (self.files, self.rows))) + "\033[K")
        sys.stderr.flush()

    def end(self) -> None:
        sys.stderr.write("\n")
        sys.stderr.flush()


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

        added, skipped, invalid = run_import(workbook, suppressions)
        typer.echo(f"jixiao: {suppressions}：新增 {added} 条 / added {added} suppression(s)", err=True)
        for fp in skipped:
            typer.echo(f"jixiao: 跳过 {fp}：误报/接受例外须在审核意见中写明理由 / skipped: no reason given", err=True)
        for bad in invalid:
            typer.echo(f"jixiao: {workbook}: {bad}", err=True)
        return 0

    guarded("zh", work)


@app.command()
def rules(
    fmt: Annotated[str, fixed(list(RulesFormat))("--format", "-f", help="text | json | markdown")] = (RulesFormat.text),
    pack: PackOption = None,
    lang: LangOption = None,
) -> None:
    """列出全部规则 / list every rule in the packs."""

    def work() -> int:
        from checker.api import list_rules, pack_summaries
        from checker.report import rules_doc

        found = list_rules(pack)
        if fmt == RulesFormat.json:
            sys.stdout.write(rules_doc.render_json(found))
        elif fmt == RulesFormat.markdown:
            sys.stdout.write(rules_doc.render_markdown(found, pack_summaries()))
        else:
            sys.stdout.write(rules_doc.render_text(found, lang_of(lang)))
        return 0

    guarded(lang_of(lang), work)


@app.command()
def explain(
    code: Annotated[str, typer.Argument(help="规则代码或名称 / rule code or name", show_default=False)],
    lang: LangOption = None,
) -> None:
    """说明一条规则：依据、理由和例子 / explain one rule: source, rationale, examples."""

    def work() -> int:
        from checker.api import list_rules
        from checker.errors import ConfigError
        from checker.report import rules_doc
        from checker.suggest import canonical_code, did_you_mean

        wanted = code.strip()
        # SAT-002 is how the catalogue writes a code and how --select accepts it: the same rule.
        as_code = canonical_code(wanted)
        rules = list_rules()
        for rule in rules:
            if wanted in (rule.code, rule.name) or as_code == rule.code:
                sys.stdout.write(rules_doc.render_explain(rule, lang_of(lang)))
                return 0
        hint = did_you_mean(as_code, [r.code for r in rules] + [r.name for r in rules])
        raise ConfigError("explain", "", f"no rule {wanted!r}{hint} (see `jixiao rules`)")

    guarded(lang_of(lang), work)


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


class Terminated(KeyboardInterrupt):
    """SIGTERM, unwinding as Ctrl-C does. A subclass, not KeyboardInterrupt itself: CPython remembers a
    KeyboardInterrupt that leaves code run from a string (``exec`` of source text: dataclasses, namedtuple
    and our value classes make methods so, on first use, during the run's lazy imports) and, however the
    run then handles it, ends the process by SIGINT after exit — status -2 instead of 130 for ~1 in 10
    SIGTERMs in the review test. It compares the exact type, so a subclass is not remembered."""


def _terminate(_signum: int, _frame: object) -> None:
    # SIGTERM (a CI job cancelled, `kill`) unwinds like Ctrl-C, so temporary files are removed on the way out.
    raise Terminated


def main() -> int:
    import atexit
    import gc
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    # At exit the interpreter runs full collections while it tears the modules down: ~30,000 objects
    # traversed several times, 70-100 ms of a ~450 ms cold check on these machines, for memory the process
    # is about to give back. Frozen objects are skipped by those collections. Registered here, the freeze
    # happens only when the process ends (a caller of main() in a longer-lived process keeps its collector),
    # after the command has finished and its outputs are closed; atexit callbacks registered earlier
    # (temporary folders, multiprocessing) still run after it.
    atexit.register(gc.freeze)
    try:
        app_for(sys.argv[1:])()
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    return 0

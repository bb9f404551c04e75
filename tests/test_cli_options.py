"""Every option of every command, found by walking the click app (not a hand-made list), given a wrong value:
refused with the documented exit code and one line, never a traceback; and check/review take one option set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from checker.cli import app
from checker.cli_options import SELECTION
from tests.conftest import ROOT

runner = CliRunner()
SMALL = str(ROOT / "examples" / "山西省信访局2024年单位预算.txt")
# Outputs are refused with exit 3 (output not written) when they name a folder; every other wrong value is 2.
OUTPUTS = {("check", "output"), ("check", "write_baseline"), ("review", "output"), ("import-review", "suppressions"),
           ("fix", "output"), ("template", "output")}  # fmt: skip
# check's options that are about its report, not about what is checked: review has its own output.
CHECK_ONLY = {"paths", "fmt", "output", "write_baseline", "opinions", "statistics", "quiet", "color", "fix"}


def _commands() -> dict[str, Any]:
    group: Any = get_command(app)
    return dict(group.commands)


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wb") / "审核表.xlsx"
    assert runner.invoke(app, ["review", SMALL, "-o", str(out), "--jobs", "1"]).exit_code == 0
    return out


def _valid_args(name: str, tmp: Path, workbook: Path) -> list[str]:
    """The least each command needs to run, so that the one wrong value is what it refuses."""
    return {
        "check": [SMALL, "--jobs", "1"],
        "review": [SMALL, "-o", str(tmp / "r.xlsx"), "--jobs", "1"],
        "parse": [SMALL],
        "import-review": [str(workbook), "--suppressions", str(tmp / "s.toml")],
        "rules": [],
        "explain": ["SAT002"],
        "fix": [SMALL, "-o", str(tmp / "fixed.txt")],
        "template": ["-o", str(tmp / "t.xlsx")],
    }[name]


def _wrong(command: str, param: Any, tmp: Path) -> tuple[str, int] | None:
    """A wrong value for ``param`` and the exit code it must give, or None for a flag (it takes no value)."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    if (command, param.name) in OUTPUTS:
        return str(tmp), 3  # a folder where a file is to be written
    kind = type(param.type).__name__
    if kind == "IntRange":
        return "-7", 2  # under every range: --jobs ≥ 0, --year ≥ 2000
    if kind == "Path" or "Path" in str(param.type):
        return str(tmp / "missing" / "none.toml"), 2
    return "zz-nonsense", 2


def _cases() -> list[tuple[str, str]]:
    return [
        (name, p.name)
        for name, cmd in _commands().items()
        for p in cmd.params
        # a flag (--quiet, --exit-zero …) takes no value, so it has no wrong one to refuse
        if not p.hidden and p.name not in ("help",) and not (getattr(p, "is_flag", False) or getattr(p, "count", False))
    ]


@pytest.mark.parametrize(("command", "param_name"), _cases())
def test_every_option_refuses_a_wrong_value(command: str, param_name: str, tmp_path: Path, workbook: Path) -> None:
    cmd = _commands()[command]
    param = next(p for p in cmd.params if p.name == param_name)
    wrong = _wrong(command, param, tmp_path)
    assert wrong is not None
    value, code = wrong
    base = _valid_args(command, tmp_path, workbook)
    if param.param_type_name == "argument":  # every command's one argument comes first in its base
        args = [value, *base[1:]]
    else:
        # Drop the valid value this option already has in the base arguments, then give the wrong one.
        opts = set(param.opts)
        args, skip = [], False
        for a in base:
            if skip:
                skip = False
                continue
            if a in opts:
                skip = True
                continue
            args.append(a)
        args += [param.opts[0], value]
    result = runner.invoke(app, [command, *args])
    said = result.stderr.strip()
    assert result.exit_code == code, (command, param_name, args, result.output)
    assert "Traceback" not in result.output and "Traceback" not in said
    assert said and "\n" not in said, said  # one line: what, where, what to do
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_walk_reaches_every_command_and_the_outputs() -> None:
    found = _cases()
    assert {c for c, _ in found} >= {"check", "review", "parse", "import-review", "rules", "explain", "fix", "template"}
    assert set(found) >= OUTPUTS  # an output renamed must be renamed here, or the walk would test it as an input


def test_fixed_values_any_case_and_did_you_mean(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["check", SMALL, "--format", "JSON", "--lang", "EN", "--fail-on", "Warning", "-j", "1"])
    assert ok.exit_code == 1 and ok.stdout.lstrip().startswith("{")
    typo = runner.invoke(app, ["check", SMALL, "--format", "jsn"])
    assert typo.exit_code == 2 and "did you mean 'json'" in typo.stderr
    assert "did you mean 'shanxi'" in runner.invoke(app, ["check", SMALL, "--pack", "shanx"]).stderr
    assert runner.invoke(app, ["rules", "--pack", "SHANXI", "--format", "json"]).exit_code == 0
    assert "did you mean 'warning'" in runner.invoke(app, ["review", SMALL, "--fail-on", "warnign"]).stderr
    assert "did you mean 'never'" in runner.invoke(app, ["check", SMALL, "--color", "nevr"]).stderr


def test_rule_codes_with_or_without_hyphen_and_comma_lists(tmp_path: Path) -> None:
    def codes(*args: str) -> set[str]:
        import json

        result = runner.invoke(app, ["check", SMALL, "--format", "json", "-j", "1", *args])
        assert result.exit_code in (0, 1), result.output
        doc = json.loads(result.stdout)
        return {f["code"] for file in doc["files"] for s in file["sheets"] for f in s["findings"]}

    assert codes("--select", "sat-002") == codes("--select", "SAT002") == {"SAT002"}
    assert codes("--select", "SAT-002,QUAL001") == {"SAT002", "QUAL001"}
    assert "SAT002" not in codes("--ignore", "sat-002, TIME")
    cfg = tmp_path / "jixiao.toml"
    cfg.write_text('select = ["SAT-002"]\n[severity]\n"SAT-002" = "error"\n', encoding="utf-8")
    result = runner.invoke(app, ["check", SMALL, "--config", str(cfg), "-j", "1"])
    assert result.exit_code == 1 and "SAT002 [错误]" in result.stdout  # the config's hyphenated key applied
    near = runner.invoke(app, ["check", SMALL, "--select", "SAT-0022"])
    assert near.exit_code == 2 and "did you mean 'SAT002'" in near.stderr


def test_output_checked_before_any_work(tmp_path: Path) -> None:
    # A file that would take a long time to check is never read: the output is refused first.
    wrong = runner.invoke(app, ["check", SMALL, "--format", "sarif", "-o", str(tmp_path / "x.xlsx")])
    assert wrong.exit_code == 3 and ".sarif" in wrong.stderr and not (tmp_path / "x.xlsx").exists()
    nowhere = runner.invoke(app, ["check", SMALL, "-o", str(tmp_path / "no" / "x.txt")])
    assert nowhere.exit_code == 3 and "does not exist" in nowhere.stderr
    assert (
        runner.invoke(app, ["check", SMALL, "-f", "sarif", "-o", str(tmp_path / "x.sarif"), "-j", "1"]).exit_code == 0
    )
    assert runner.invoke(app, ["review", SMALL, "-o", str(tmp_path / "r.csv")]).exit_code == 3


def _options(command: str) -> dict[str, Any]:
    return {p.name: p for p in _commands()[command].params}


def test_review_takes_every_selection_and_config_option_of_check() -> None:
    check, review = _options("check"), _options("review")
    for name in SELECTION:
        assert name in check and name in review, name
        assert check[name].opts == review[name].opts and check[name].multiple == review[name].multiple, name
        assert type(check[name].type) is type(review[name].type), name
    # A new option of check is either part of the shared set or says why review has none.
    assert set(check) - set(SELECTION) - {"exit_zero"} <= CHECK_ONLY
    assert "fail_on" in review and "exit_zero" in review

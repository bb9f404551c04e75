"""Run configuration: the frozen Config, and loading it from ``[tool.jixiao]`` / ``jixiao.toml``.

Layers, later wins: built-in defaults → the nearest config file walking up from the working directory
(or ``--config``; never one found from the checked files, which are untrusted) → command-line flags.
The file is validated against config.schema.json; an unknown key is an error naming the file and the key.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import field, replace
from pathlib import Path
from typing import Any, Literal

from checker.errors import ConfigError
from checker.frozen import frozen
from checker.model import BudgetYear

SCHEMA = Path(__file__).resolve().parent / "schemas" / "config.schema.json"


@frozen
class Config:
    """What to check and how.

    ``pack`` is a pack id (``auto`` picks fw2015 or fw2021 per sheet by what the sheet uses);
    ``framework`` forces an indicator tree (``auto`` detects it); ``packs`` are extra pack files laid
    over the chosen pack; ``select``/``ignore`` take codes, names, prefixes or catalogue refs;
    ``options`` and ``severity`` override per rule code; ``per_path_ignores`` maps globs to selectors.
    ``year`` is the budget year every sheet is read under (else each sheet's header says it);
    ``year_origin`` says whether it came from ``--year`` or from the config file.
    ``executor`` is where files are checked (``process``: this machine's processes, by ``--jobs``; ``dask``:
    a Dask cluster, the one at ``scheduler`` or a local one), ``send_bytes`` whether the cluster's workers
    get each file's bytes rather than its path; the three come from the command line only.
    """

    pack: str = "auto"
    framework: str = "auto"
    packs: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    lang: str = "zh"
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fail_on: str = "error"
    suppressions: str | None = None
    baseline: str | None = None
    source: str | None = None
    year: int | None = None
    year_origin: Literal["option", "config"] = "config"
    executor: str = "process"
    scheduler: str | None = None
    send_bytes: bool = False

    def given_year(self) -> BudgetYear | None:
        """The year the user gave (--year or the config), with where it came from; None to read headers."""
        if self.year is None:
            return None
        if self.year_origin == "option":
            return BudgetYear(self.year, "option", detail="--year")
        return BudgetYear(self.year, "config", detail=self.source or "")

    def ignored_for(self, path: str) -> tuple[str, ...]:
        """Selectors ignored for one file by ``per-path-ignores``."""
        if not self.per_path_ignores:  # the usual run: no resolve() of every file's path
            return ()
        posix = Path(path).resolve().as_posix()
        return tuple(s for glob, sels in self.per_path_ignores if fnmatch.fnmatch(posix, glob) for s in sels)


CONFIG_NAMES = ("jixiao.toml", "pyproject.toml")


def find_config(start: Path) -> Path | None:
    """The nearest jixiao.toml, or pyproject.toml with a [tool.jixiao] table, walking up from ``start``."""
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name == "jixiao.toml" or b"[tool.jixiao" in candidate.read_bytes()):
                return candidate
    return None


def _read(path: Path) -> dict[str, Any]:
    from checker.resources import read_toml

    data = read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("jixiao", {})
    from jsonschema import Draft202012Validator

    errors = list(Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).iter_errors(data))
    if errors:
        err = errors[0]
        where = ("[tool.jixiao]" if path.name == "pyproject.toml" else "") + err.json_path[1:]
        raise ConfigError(str(path), where or "$", err.message)
    return data


def load_config(start: Path | None = None, explicit: Path | None = None) -> Config:
    """Defaults, overlaid with the config file found from ``start`` (or the ``explicit`` one)."""
    path = explicit if explicit is not None else find_config(start or Path.cwd())
    if path is None:
        return Config()
    data = _read(path)
    base = path.parent

    def rel(p: str) -> str:
        return str((base / p).resolve()) if not Path(p).is_absolute() else p

    from checker.suggest import canonical_code, split_list

    return Config(
        pack=canonical_pack(data.get("pack", "auto"), str(path)),
        framework=canonical_framework(data.get("framework", "auto"), str(path)),
        packs=tuple(rel(p) for p in data.get("packs", [])),
        select=split_list(data.get("select", [])),
        ignore=split_list(data.get("ignore", [])),
        # Keyed by rule code as the catalogue writes it (SAT-002) or as the packs do (SAT002): one rule.
        options={canonical_code(k): v for k, v in data.get("options", {}).items()},
        severity={canonical_code(k): v for k, v in data.get("severity", {}).items()},
        lang=data.get("lang", "zh"),
        per_path_ignores=tuple(
            ((base.resolve() / glob).as_posix(), split_list(sels))
            for glob, sels in data.get("per-path-ignores", {}).items()
        ),
        fail_on=data.get("fail-on", "error"),
        suppressions=rel(data["suppressions"]) if "suppressions" in data else None,
        baseline=rel(data["baseline"]) if "baseline" in data else None,
        source=str(path),
        year=data.get("year"),
    )


def canonical_framework(value: str, where: str) -> str:
    """``auto`` or a shipped framework id, from what a user types (``FW2021``, ``2021``); anything else is a
    ConfigError naming the known ones and the nearest."""
    from checker.frameworks import framework_ids
    from checker.suggest import one_of

    typed = value.strip()
    return one_of(f"fw{typed}" if typed.isdigit() else typed, ("auto", *framework_ids()), where, "framework")


def canonical_pack(value: str, where: str) -> str:
    """``auto`` or a shipped pack id, case-insensitive; anything else is a ConfigError with the nearest."""
    from checker.resources import data_dir
    from checker.suggest import one_of

    # The pack files themselves (as rules.loader.shipped_packs lists them): config sits below the rules.
    return one_of(value, ("auto", *sorted(p.stem for p in data_dir("rules").glob("*.yaml"))), where, "pack")


def with_flags(config: Config, **flags: Any) -> Config:
    """Command-line flags override the file: only the flags actually given (not None, not empty)."""
    given = {k: v for k, v in flags.items() if v not in (None, (), [])}
    if "framework" in given:
        given["framework"] = canonical_framework(given["framework"], "--framework")
    if "pack" in given:
        given["pack"] = canonical_pack(given["pack"], "--pack")
    return replace(config, **given)

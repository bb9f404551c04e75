"""Where the shipped data lives: ``checker/_data/`` in a wheel, the repository's top level in a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from checker.errors import ConfigError

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """``rules`` or ``templates``: the installed copy if there is one, else the source tree's."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def yaml_load(path: Path) -> Any:
    """Load one YAML file with the C loader when present; a broken file is a ConfigError."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except OSError as exc:
        raise ConfigError(str(path), "", f"cannot read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(str(path), where, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None


@cache
def shipped_yaml(relative: str) -> Any:
    return yaml_load(data_dir("rules") / relative)

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
    """Load one YAML file; a broken file is a ConfigError. The parsed data is cached by content hash."""
    from checker import cache

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(str(path), "", f"cannot read: {exc.strerror or exc}") from None
    key = cache.digest(raw)
    data = cache.read_json("parsed", key)
    if data is None:
        data = _parse_yaml(path, raw)
        cache.write_json("parsed", key, data)
    return data


def _parse_yaml(path: Path, raw: bytes) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(raw.decode("utf-8"), Loader=loader)
    except UnicodeDecodeError as exc:
        raise ConfigError(str(path), f"byte {exc.start}", "not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(str(path), where, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None


def read_toml(path: Path) -> dict[str, Any]:
    """One TOML file (config, suppressions); a broken one is a ConfigError naming it."""
    import tomllib

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(str(path), "", f"cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), "", f"not valid TOML: {exc}") from None


@cache
def shipped_yaml(relative: str) -> Any:
    return yaml_load(data_dir("rules") / relative)

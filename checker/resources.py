"""Where the shipped data lives: ``checker/_data/`` in a wheel, the repository's top level in a checkout."""

from __future__ import annotations

import os
import stat
from functools import cache
from pathlib import Path
from typing import Any

from checker.errors import ConfigError

# Packs, configs, suppressions and baselines are a few hundred KiB at most.
MAX_SETTINGS_BYTES = 8 * 1024 * 1024


class NotReadable(ValueError):
    """A path that is not a regular file, or one over its size limit: the message says which."""


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes. /dev/zero would be read until memory runs
    out and a FIFO blocks forever, so anything else is refused before a byte is read; the file is opened
    without blocking and checked on the open descriptor, so it cannot be swapped after the check."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise NotReadable("is a folder, not a file / 这是文件夹，不是文件")
        if not stat.S_ISREG(info.st_mode):
            raise NotReadable("not a regular file (a device, pipe or socket) / 不是普通文件")
        if info.st_size > limit:
            raise NotReadable(f"file is {info.st_size} bytes, over the {limit}-byte limit")
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:  # grew after the check
        raise NotReadable(f"file is over the {limit}-byte limit")
    return data


_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """``rules`` or ``templates``: the installed copy if there is one, else the source tree's."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def yaml_load(path: Path, raw: bytes | None = None) -> Any:
    """Load one YAML file (``raw``: its bytes, already read); a broken file is a ConfigError. The parsed
    data is cached by content hash."""
    from checker import cache

    if raw is None:
        raw = read_settings(path, "cannot read")
    key = cache.digest(raw)
    data = cache.read_json("parsed", key, (dict, list))
    if data is None:
        data = _parse_yaml(path, raw)
        cache.write_json("parsed", key, data)
    return data


def _parse_yaml(path: Path, raw: bytes) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = raw.decode("utf-8")
        if "*" in text:  # an alias somewhere: count what it expands to before building it
            _check_expansion(path, yaml.compose(text, Loader=loader))
        return yaml.load(text, Loader=loader)
    except UnicodeDecodeError as exc:
        raise ConfigError(str(path), f"byte {exc.start}", "not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(str(path), where, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None


# Nodes a pack may expand to once aliases are followed: the shipped packs have ~10,000; a billion-laughs
# pack (nine levels of ten aliases) reached 5.7 GB before this check.
MAX_YAML_NODES = 200_000


def _check_expansion(path: Path, root: Any) -> None:
    """Count the nodes of the composed document as if every alias were copied (memoised per node, so the
    count itself stays linear) and refuse a pack past MAX_YAML_NODES."""
    import yaml

    sizes: dict[int, int] = {}

    def size(node: Any) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # a recursive alias counts once
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        sizes[id(node)] = min(total, MAX_YAML_NODES + 1)
        return sizes[id(node)]

    if root is not None and size(root) > MAX_YAML_NODES:
        raise ConfigError(
            str(path), "", f"YAML aliases expand to over {MAX_YAML_NODES} nodes (a billion-laughs document?)"
        )


def read_toml(path: Path) -> dict[str, Any]:
    """One TOML file (config, suppressions); a broken one is a ConfigError naming it."""
    import tomllib

    raw = read_settings(path, "cannot read")
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), "", f"not valid TOML: {exc}") from None


def read_settings(path: Path, what: str) -> bytes:
    """A pack, config, suppressions or baseline file, or a ConfigError naming it."""
    try:
        return read_regular(path, MAX_SETTINGS_BYTES)
    except NotReadable as exc:
        raise ConfigError(str(path), "", f"{what}: {exc}") from None
    except OSError as exc:
        raise ConfigError(str(path), "", f"{what}: {exc.strerror or exc}") from None


@cache
def shipped_yaml(relative: str) -> Any:
    return yaml_load(data_dir("rules") / relative)

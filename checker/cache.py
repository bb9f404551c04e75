"""A small persistent record of what has been validated and parsed, so a one-file lint does not
re-validate and re-parse the shipped YAML on every start (schema-validating the packs costs ~200 ms,
building them from YAML ~70 ms; hashing them ~1 ms, reading cached JSON ~3 ms).

Only successes are recorded, keyed by a SHA-256 of everything the result depends on; a changed pack
hashes differently and is validated again. The cache is best effort: an unwritable or missing
directory just means validating every time.

What the cache trusts (docs/security.md): its directory's owner. A directory owned by another user or
writable by group or others is not used at all (whoever can write it could swap a pack for an empty one).
Each entry carries the SHA-256 of its own content and is shape-checked on reading; one that does not
verify is ignored with a note, never trusted and never a crash. ``JIXIAO_NO_CACHE=1`` turns it off;
``JIXIAO_CACHE_DIR`` moves it (default: ``$XDG_CACHE_HOME/jixiao`` or ``~/.cache/jixiao``).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

from checker import __version__

_NOTED: set[str] = set()


def _note(text: str) -> None:
    if text not in _NOTED:  # once per run, not once per entry
        _NOTED.add(text)
        sys.stderr.write(f"jixiao: {text}\n")


def _trusted(root: Path) -> bool:
    try:
        info = root.stat()
    except OSError:
        return True  # not there yet: it will be made with the user's own umask
    uid = getattr(os, "geteuid", lambda: info.st_uid)()
    if info.st_uid != uid or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        _note(f"缓存目录可被他人写入，未使用 / cache folder writable by others, not used: {root}")
        return False
    return True


def directory() -> Path | None:
    if os.environ.get("JIXIAO_NO_CACHE"):
        return None
    explicit = os.environ.get("JIXIAO_CACHE_DIR")
    if explicit:
        root = Path(explicit)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        root = Path(base) / "jixiao"
    return root if _trusted(root) else None


def digest(*parts: bytes) -> str:
    h = hashlib.sha256(__version__.encode())
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def _sealed(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def read_json(kind: str, key: str, shape: type | tuple[type, ...] = object) -> Any:
    """A value stored by ``write_json`` under the same key, or None (also when the entry does not verify:
    not ``{"sha256", "value"}``, a hash that does not match the value, or a value not of ``shape``)."""
    root = directory()
    if root is None:
        return None
    entry = root / f"{kind}-sealed" / f"{key}.json"  # a folder of its own: entries written before sealing are not noted
    try:
        doc = json.loads(entry.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        doc = None
    ok = isinstance(doc, dict) and set(doc) == {"sha256", "value"} and doc["sha256"] == _sealed(doc["value"])
    if not ok or not isinstance(doc["value"], shape):
        _note(f"缓存项校验失败，已忽略 / a cache entry did not verify and was ignored: {entry}")
        return None
    return doc["value"]


def write_json(kind: str, key: str, value: Any) -> None:
    root = directory()
    if root is None:
        return
    try:
        text = json.dumps({"sha256": _sealed(value), "value": value}, ensure_ascii=False)
        (root / f"{kind}-sealed").mkdir(parents=True, exist_ok=True)
        tmp = root / f"{kind}-sealed" / f"{key}.{os.getpid()}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, root / f"{kind}-sealed" / f"{key}.json")  # atomic: a parallel reader never sees half a file
    except (OSError, TypeError, ValueError):
        pass


def seen(kind: str, key: str) -> bool:
    root = directory()
    return root is not None and (root / kind / key).is_file()


def remember(kind: str, key: str) -> None:
    root = directory()
    if root is None:
        return
    try:
        (root / kind).mkdir(parents=True, exist_ok=True)
        (root / kind / key).touch()
    except OSError:
        pass  # a read-only home or a full disk only costs the next run some time

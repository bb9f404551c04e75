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


# An entry is the JSON text {"sha256": seal, "value": value} laid out as write_json writes it, the seal
# being the SHA-256 of the value's text as it stands there. So reading checks the seal on those characters
# and decodes the value once: sealing a canonical re-encoding of the decoded value (as before) took half the
# time of loading the packs on a cold check. Any other text (edited, swapped, cut) does not verify.
_HEAD, _MIDDLE = '{"sha256": "', '", "value": '
_UNSEALED = object()


def _folder(kind: str) -> str:
    return f"{kind}-sealed2"


def _unsealed(text: str) -> Any:
    """The value of an entry whose seal verifies, else ``_UNSEALED``."""
    start = len(_HEAD) + 64 + len(_MIDDLE)
    head, value_text = text[:start], text[start:-1]
    if not (head.startswith(_HEAD) and head.endswith(_MIDDLE) and text.endswith("}")):
        return _UNSEALED
    if hashlib.sha256(value_text.encode("utf-8")).hexdigest() != head[len(_HEAD) : len(_HEAD) + 64]:
        return _UNSEALED
    return json.loads(value_text)


def read_json(kind: str, key: str, shape: type | tuple[type, ...] = object) -> Any:
    """A value stored by ``write_json`` under the same key, or None (also when the entry does not verify:
    not ``{"sha256", "value"}``, a hash that does not match the value, or a value not of ``shape``)."""
    root = directory()
    if root is None:
        return None
    # A folder of its own per layout: entries written before this one (unsealed, or sealed over a re-encoding)
    # are not read, so they are not noted either.
    entry = root / _folder(kind) / f"{key}.json"
    try:
        value = _unsealed(entry.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        value = _UNSEALED
    if value is _UNSEALED or not isinstance(value, shape):
        _note(f"缓存项校验失败，已忽略 / a cache entry did not verify and was ignored: {entry}")
        return None
    return value


def write_json(kind: str, key: str, value: Any) -> None:
    root = directory()
    if root is None:
        return
    try:
        value_text = json.dumps(value, ensure_ascii=False)
        seal = hashlib.sha256(value_text.encode("utf-8")).hexdigest()
        text = f"{_HEAD}{seal}{_MIDDLE}{value_text}}}"  # the JSON text {"sha256": seal, "value": value}
        (root / _folder(kind)).mkdir(parents=True, exist_ok=True)
        tmp = root / _folder(kind) / f"{key}.{os.getpid()}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, root / _folder(kind) / f"{key}.json")  # atomic: a parallel reader never sees half a file
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

"""A small persistent record of what has been validated and parsed, so a one-file lint does not
re-validate and re-parse the shipped YAML on every start (schema-validating the packs costs ~200 ms,
building them from YAML ~70 ms; hashing them ~1 ms, reading cached JSON ~3 ms).

Only successes are recorded, keyed by a SHA-256 of everything the result depends on; a changed pack
hashes differently and is validated again. The cache is best effort: an unwritable or missing
directory just means validating every time. ``JIXIAO_NO_CACHE=1`` turns it off;
``JIXIAO_CACHE_DIR`` moves it (default: ``$XDG_CACHE_HOME/jixiao`` or ``~/.cache/jixiao``).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from checker import __version__


def directory() -> Path | None:
    if os.environ.get("JIXIAO_NO_CACHE"):
        return None
    explicit = os.environ.get("JIXIAO_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jixiao"


def digest(*parts: bytes) -> str:
    h = hashlib.sha256(__version__.encode())
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def read_json(kind: str, key: str) -> Any:
    """A value stored by ``write_json`` under the same key, or None."""
    root = directory()
    if root is None:
        return None
    try:
        return json.loads((root / kind / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(kind: str, key: str, value: Any) -> None:
    root = directory()
    if root is None:
        return
    try:
        text = json.dumps(value, ensure_ascii=False)
        (root / kind).mkdir(parents=True, exist_ok=True)
        tmp = root / kind / f"{key}.{os.getpid()}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, root / kind / f"{key}.json")  # atomic: a parallel reader never sees half a file
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

"""Readers: one per input kind, all behind ``read(path) -> RawDocument``."""

from __future__ import annotations

import os
from pathlib import Path

from checker.errors import InputError
from checker.readers.raw import RawCell, RawDocument, RawRow, RawTable

TEXT_SUFFIXES = frozenset({".txt", ".text", ".csv", ".tsv", ".md", ""})

__all__ = ["RawCell", "RawDocument", "RawRow", "RawTable", "read"]


def _read_bytes(path: Path, limit: int) -> bytes:
    shown = str(path)
    try:
        if path.is_dir():
            raise InputError(shown, "is a folder, not a file")
        size = path.stat().st_size
        if size > limit:
            raise InputError(shown, f"file is {size} bytes, over the {limit}-byte limit")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(shown, "file not found", "检查路径 / check the path") from None
    except PermissionError:
        raise InputError(shown, "permission denied") from None
    except OSError as exc:
        raise InputError(shown, f"cannot read: {exc.strerror or exc}") from None


def read(path: str | os.PathLike[str]) -> RawDocument:
    """Read one file into a RawDocument, choosing the reader by content and suffix."""
    from checker.readers import text

    p = Path(path)
    data = _read_bytes(p, text.MAX_TEXT_BYTES)
    if not data.strip():
        raise InputError(str(p), "file is empty", "没有可检查的内容 / nothing to check")
    if p.suffix.lower() in TEXT_SUFFIXES or not data.startswith((b"PK", b"\xd0\xcf")):
        return text.read_text(data, str(p))
    raise InputError(str(p), f"unsupported file type {p.suffix!r}", "支持 .txt 文本 / text files are supported")

"""Readers: one per input kind, all behind ``read(path) -> RawDocument``."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from checker.errors import InputError
from checker.frozen import frozen
from checker.readers.raw import RawCell, RawDocument, RawRow, RawTable

__all__ = [
    "MAX_TEXT_BYTES", "READERS", "SUFFIXES", "RawCell", "RawDocument", "RawRow", "RawTable", "Reader", "choose", "read"
]  # fmt: skip

# The most bytes any file may have, a text as much as a package. Here rather than in readers/text.py, so
# reading a workbook does not import the text reader (its patterns cost a cold check ~10 ms).
MAX_TEXT_BYTES = 64 * 1024 * 1024


def _read_bytes(path: Path, limit: int) -> bytes:
    from checker.resources import NotReadable, read_regular

    shown = str(path)
    try:
        return read_regular(path, limit)
    except NotReadable as exc:
        raise InputError(shown, str(exc)) from None
    except FileNotFoundError:
        raise InputError(shown, "file not found", "检查路径 / check the path") from None
    except PermissionError:
        raise InputError(shown, "permission denied") from None
    except OSError as exc:
        raise InputError(shown, f"cannot read: {exc.strerror or exc}") from None


_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _is_docx(data: bytes, suffix: str) -> bool:
    # A package named .docx, or an unnamed one holding a Word body (a workbook name wins over content).
    return data.startswith(_ZIP) and (
        suffix == ".docx" or (suffix not in (".xlsx", ".xlsm") and b"word/document.xml" in data)
    )


def _is_html(data: bytes, suffix: str) -> bool:
    # Also the "Excel" files many systems export, which are web pages under an .xls name.
    from checker.readers.html import looks_like_html

    return suffix in (".html", ".htm") or looks_like_html(data)


@frozen
class Reader:
    """One input kind: the suffixes it is named by, how its bytes are recognised, and where its reader is
    (``checker.readers.<module>.<function>(data, shown) -> RawDocument``, imported only when chosen)."""

    kind: str
    suffixes: frozenset[str]
    claims: Callable[[bytes, str], bool]  # (bytes, lower-case suffix) → this reader takes the file
    module: str
    function: str
    binary: bool = True  # a file with one of these suffixes that no reader claims is misnamed, not text

    def load(self) -> Callable[[bytes, str], RawDocument]:
        import importlib

        reader: Callable[[bytes, str], RawDocument] = getattr(
            importlib.import_module(f"checker.readers.{self.module}"), self.function
        )
        return reader


# The reader table, tried in order: content first (the signature in the bytes), so a file's name never makes
# jixiao parse it as something it is not; the last entry takes any text.
READERS: tuple[Reader, ...] = (
    Reader("docx", frozenset({".docx"}), _is_docx, "docx", "read_docx"),
    Reader("xlsx", frozenset({".xlsx", ".xlsm"}), lambda data, _: data.startswith(_ZIP), "xlsx", "read_xlsx"),
    # PDF readers accept a header anywhere in the first kilobyte, and so do we.
    Reader("pdf", frozenset({".pdf"}), lambda data, _: b"%PDF-" in data[:1024], "pdf", "read_pdf"),
    Reader("xls", frozenset({".xls"}), lambda data, _: data.startswith(_OLE), "xls", "read_legacy"),
    Reader("html", frozenset({".html", ".htm"}), _is_html, "html", "read_html", binary=False),
    Reader("text", frozenset({".txt", ".text", ".tsv"}), lambda data, _: True, "text", "read_text", binary=False),
)
SUFFIXES = frozenset(suffix for reader in READERS for suffix in reader.suffixes)


def read(path: str | os.PathLike[str]) -> RawDocument:
    """Read one file into a RawDocument, choosing the reader by content first, then by suffix."""
    return read_data(read_bytes(path), path)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, under the size cap; InputError when it cannot be read."""
    return _read_bytes(Path(path), MAX_TEXT_BYTES)


def read_data(data: bytes, path: str | os.PathLike[str]) -> RawDocument:
    """``data`` (the bytes of ``path``) as a RawDocument: one read when the caller needs the bytes too."""
    import hashlib
    from dataclasses import replace

    p = Path(path)
    shown = str(p)
    if not data.strip():
        raise InputError(shown, "file is empty", "没有可检查的内容 / nothing to check")
    # The digest of exactly these bytes: re-reading the file later could hash a newer version.
    return replace(choose(data, p.suffix.lower(), shown).load()(data, shown), sha256=hashlib.sha256(data).hexdigest())


def choose(data: bytes, suffix: str, shown: str) -> Reader:
    """The reader for these bytes; an InputError when the name promises a binary kind the bytes are not."""
    for reader in READERS[:-1]:
        if reader.claims(data, suffix):
            return reader
    if suffix == ".pdf":
        raise InputError(
            shown, "not a PDF file (wrong content for its name)", "文件可能已损坏 / the file may be damaged"
        )
    if suffix in _BINARY_SUFFIXES:
        from checker.readers.sniff import misnamed

        raise misnamed(data, suffix, shown)
    return READERS[-1]


_BINARY_SUFFIXES = frozenset(s for reader in READERS if reader.binary for s in reader.suffixes)

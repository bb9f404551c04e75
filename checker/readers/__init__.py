"""Readers: one per input kind, all behind ``read(path) -> RawDocument``."""

from __future__ import annotations

import os
from pathlib import Path

from checker.errors import InputError
from checker.readers.raw import RawCell, RawDocument, RawRow, RawTable

__all__ = ["RawCell", "RawDocument", "RawRow", "RawTable", "read"]


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


SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".docx", ".pdf", ".html", ".htm", ".txt", ".text", ".tsv"})
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read(path: str | os.PathLike[str]) -> RawDocument:
    """Read one file into a RawDocument, choosing the reader by content first, then by suffix."""
    return read_data(read_bytes(path), path)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, under the size cap; InputError when it cannot be read."""
    from checker.readers import text

    return _read_bytes(Path(path), text.MAX_TEXT_BYTES)


def read_data(data: bytes, path: str | os.PathLike[str]) -> RawDocument:
    """``data`` (the bytes of ``path``) as a RawDocument: one read when the caller needs the bytes too."""
    import hashlib
    from dataclasses import replace

    p = Path(path)
    shown = str(p)
    if not data.strip():
        raise InputError(shown, "file is empty", "没有可检查的内容 / nothing to check")
    # The digest of exactly these bytes: re-reading the file later could hash a newer version.
    return replace(_dispatch(data, p, shown), sha256=hashlib.sha256(data).hexdigest())


def _dispatch(data: bytes, p: Path, shown: str) -> RawDocument:
    from checker.readers import text

    suffix = p.suffix.lower()
    if data.startswith(_ZIP):
        if suffix == ".docx" or (suffix not in (".xlsx", ".xlsm") and b"word/document.xml" in data):
            from checker.readers.docx import read_docx

            return read_docx(data, shown)
        from checker.readers.xlsx import read_xlsx

        return read_xlsx(data, shown)
    if b"%PDF-" in data[:1024]:  # readers accept a PDF header anywhere in the first kilobyte
        from checker.readers.pdf import read_pdf

        return read_pdf(data, shown)
    if data.startswith(_OLE):
        from checker.readers.sniff import check_ole

        check_ole(data, suffix, shown)
        from checker.readers.xls import read_xls

        return read_xls(data, shown)
    from checker.readers.html import looks_like_html

    if suffix in (".html", ".htm") or looks_like_html(data):
        # Also the "Excel" files many systems export, which are web pages under an .xls name.
        from checker.readers.html import read_html

        return read_html(data, shown)
    if suffix in (".xlsx", ".xlsm", ".xls", ".docx"):
        from checker.readers.sniff import misnamed

        raise misnamed(data, suffix, shown)
    if suffix == ".pdf":
        raise InputError(
            shown, "not a PDF file (wrong content for its name)", "文件可能已损坏 / the file may be damaged"
        )
    return text.read_text(data, shown)

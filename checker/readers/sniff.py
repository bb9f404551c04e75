"""What a file really is when its name says otherwise: a message that names it and says what to do.

An OLE compound file holds an encrypted xlsx (Office puts the whole package in an ``EncryptedPackage``
stream), a legacy Word document (``WordDocument``) or a legacy workbook (``Workbook``/``Book``); the
stream names stand in the OLE directory in UTF-16 LE, so a byte search finds them without a parser.
"""

from __future__ import annotations

from checker.errors import InputError


def _stream(name: str) -> bytes:
    return name.encode("utf-16-le")


def ole_kind(data: bytes) -> str:
    """``encrypted``, ``doc`` or ``xls`` (the default: xlrd says more if it is none of them)."""
    if _stream("EncryptedPackage") in data or _stream("EncryptionInfo") in data:
        return "encrypted"
    if _stream("WordDocument") in data:
        return "doc"
    return "xls"


def check_ole(data: bytes, suffix: str, shown: str) -> None:
    """Raise InputError for an OLE file that is not a legacy workbook."""
    kind = ole_kind(data)
    if kind == "encrypted":
        raise InputError(
            shown, "加密（设有打开密码）的 Office 文件 / a password-protected (encrypted) Office file",
            "请在 Excel/WPS 中取消密码后另存为 .xlsx / remove the password and save as .xlsx",
        )  # fmt: skip
    if kind == "doc" or suffix in (".doc", ".docx"):
        raise InputError(
            shown, "旧版 Word .doc 文档（不是 .docx）/ a legacy Word .doc document, not .docx",
            "请用 Word/WPS 另存为 .docx / save it as .docx",
        )  # fmt: skip


def misnamed(data: bytes, suffix: str, shown: str) -> InputError:
    """The error for bytes that are no package under an .xls/.xlsx/.docx name."""
    from checker.readers.text import decode

    head = data[:2048].lstrip().lower()
    if not any(tag in head for tag in (b"<html", b"<!doctype html", b"<table")):
        try:
            text = decode(data, shown)
        except InputError:
            text = None
        if text is not None:
            lines = text[:20_000].splitlines()[:20]
            sep = "," if sum(line.count(",") for line in lines) >= len(lines) else "\t"
            if lines and all(sep in line for line in lines if line.strip()):
                what = "CSV" if sep == "," else "tab-separated text"
                return InputError(
                    shown, f"这是一个{what}文本文件，不是 {suffix} 文件 / a {what} file named {suffix}",
                    "请在 Excel/WPS 中打开并另存为 .xlsx，或改名为 .txt / open it in Excel or WPS and save as .xlsx",
                )  # fmt: skip
            return InputError(
                shown, f"这是一个文本文件，不是 {suffix} 文件 / a text file named {suffix}",
                "请改名为 .txt 后再检查 / rename it to .txt",
            )  # fmt: skip
    return InputError(
        shown, f"not a {suffix} file (wrong content for its name)", "文件可能已损坏 / the file may be damaged"
    )

"""Write fixes into a copy of a text file: the same encoding, BOM and line ends, only the fixed values changed."""

from __future__ import annotations

from checker.fix.plan import Fix
from checker.lazyre import lazy

_LINE = lazy(r"(\r\n|\r|\n)")  # the text reader's line ends (checker/readers/text.py)


def encoding_of(data: bytes, text: str) -> str | None:
    """The encoding that gives back exactly ``data`` from ``text`` as the reader decoded it, or None."""
    for enc in ("utf-8-sig", "utf-8", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        try:
            if text.encode(enc) == data:
                return enc
        except UnicodeEncodeError:
            continue
    return None


def patch(text: str, fixes: list[Fix]) -> tuple[str, list[Fix], list[tuple[Fix, str]]]:
    """``text`` with each fix made on its line: (text, applied, [(skipped, why)])."""
    parts = _LINE.split(text)  # lines at even indexes, their ends at odd ones
    applied: list[Fix] = []
    skipped: list[tuple[Fix, str]] = []
    for fix in fixes:
        line = fix.location.line
        index = 2 * (line - 1) if line else -1
        if not 0 <= index < len(parts):
            skipped.append((fix, "没有这一行 / no such line"))
            continue
        # A tab separates columns in a text file: a value holding one was joined from several cells.
        if "\t" in fix.before or parts[index].count(fix.before) != 1:
            skipped.append((fix, "该值在这一行中不止一处或找不到 / the value is not written once on its line"))
            continue
        parts[index] = parts[index].replace(fix.before, fix.after)
        applied.append(fix)
    return "".join(parts), applied, skipped

"""Text from a submitted file on its way into output written for machines or a terminal.

A project or sheet name can hold anything a cell can: U+007F made the suppressions TOML unreadable, an ANSI
escape would reach the reviewer's terminal, a newline in a sheet name would start a line of its own in a
workflow log. Every renderer passes submitted text through ``one_line`` (or ``xml_text``) first.
"""

from __future__ import annotations

import re

from checker.lazyre import lazy

# C0 and C1 controls, DEL, and the line and paragraph separators; an ESC takes its CSI sequence with it.
_CONTROLS = lazy("\x1b\\[[0-9;?]*[ -/]*[@-~]|[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_XML_BAD = lazy("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def one_line(text: str) -> str:
    """Controls (and whole ANSI escape sequences) become one space: what is left prints on one line."""
    return _CONTROLS.sub(" ", text)


def xml_text(text: str) -> str:
    """What XML 1.0 may hold (no C0 but tab and line breaks, no DEL/C1, no lone surrogates)."""
    return _XML_BAD.sub(" ", text)


def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes, plus DEL and the C1 controls, which TOML forbids raw."""
    import json

    return re.sub("[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


_JSON_RAW = lazy("[\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def json_escaped(text: str) -> str:
    """JSON text with DEL, the C1 controls, U+2028/9 and lone surrogates escaped too (the encoder escapes
    only C0): they can stand only inside strings, where ``\\uXXXX`` means the same character. A lone
    surrogate is how Python holds a file name's bytes that are not UTF-8 (``os.fsdecode``); raw, it cannot
    be written as UTF-8 at all, escaped it reads back as the same name."""
    if not _may_hold_json_raw(text):
        return text
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# Bytes whose presence in UTF-8 text is needed for what _JSON_RAW finds: DEL is 7F, a C1 control C2 80–C2 9F,
# U+2028/9 E2 80 A8/A9 (a lone surrogate fails the strict encoding itself).
_RAW_BYTES = (b"\x7f", b"\xc2", b"\xe2\x80\xa8", b"\xe2\x80\xa9")


def _may_hold_json_raw(text: str) -> bool:
    """False when ``text`` surely holds nothing ``json_escaped`` escapes. A file's entry is ~10,000
    characters, nearly always without any, and the pattern's scan costs ~60 instructions a character; the
    UTF-8 codec and four byte searches rule them out at a quarter of that."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return any(raw in data for raw in _RAW_BYTES)

"""Exceptions that cross the library boundary, each mapped to one documented exit code."""

from __future__ import annotations


class JixiaoError(Exception):
    """Base class: something the user can fix, reported as one line."""

    exit_code = 2


class InputError(JixiaoError):
    """An input file was rejected: missing, unreadable, unsafe, over limits or not a goal sheet."""

    def __init__(self, path: str, what: str, hint: str = "") -> None:
        self.path = path
        self.what = what
        self.hint = hint
        super().__init__(self.line())

    def line(self) -> str:
        text = f"{self.path}: {self.what}"
        return f"{text} — {self.hint}" if self.hint else text


class ConfigError(JixiaoError):
    """A rule pack, framework file or config file is broken (names the file and the JSON path)."""

    def __init__(self, path: str, where: str, what: str) -> None:
        self.path = path
        self.where = where
        self.what = what
        super().__init__(f"{path}: {where}: {what}" if where else f"{path}: {what}")


class OutputError(JixiaoError):
    """The output could not be written (locked, would overwrite an input, disk)."""

    exit_code = 3

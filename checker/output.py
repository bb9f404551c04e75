"""Writing output files safely: never over an input, never half a file, a clear line when locked."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TextIO

from checker.errors import OutputError


def _identity(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """(device, inode) of an existing file, links followed, as ``os.path.samefile`` compares them."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def ensure_not_input(target: Path, inputs: Iterable[str | os.PathLike[str]]) -> None:
    """Refuse, before anything is written, an output that is one of the inputs (links and other spellings too).

    An input that exists is compared by identity, one ``stat`` each: resolving every path of a 100,000-file
    run was a tenth of a second per 1,000 files, spent before the first file is checked. Only an input that
    does not exist is compared by its resolved spelling (the output would be created under its name)."""
    same = _identity(target)
    resolved: Path | None = None
    for item in inputs:
        found = _identity(item)
        if found is not None and found != same:
            continue
        if found is None:
            resolved = resolved or target.resolve()
            if Path(item).resolve() != resolved:
                continue
        raise OutputError(
            f"{target}: 输出文件就是输入文件之一，未写入 / the output is one of the inputs; nothing written"
        )


def _failed(target: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"{target}: 无法写入（{exc.strerror or exc}），请检查磁盘空间与路径 / cannot write: check the disk and the path"
    )


def _special(target: Path) -> bool:
    """An existing target that is not a regular file (/dev/null, /dev/stdout, a FIFO): renaming a temp file
    over it would replace the device node itself (as root), so such targets are written in place."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _check_target(target: Path) -> None:
    if str(target) in ("", ".") or target.is_dir():
        raise OutputError(f"{target or '.'}: 这是一个文件夹，请给出文件名 / this is a folder: give a file name")


def write_atomic(target: Path, data: bytes, inputs: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Write ``data`` to a temporary file beside the target, flush it to disk, then move it into place."""
    _check_target(target)
    if _special(target):
        ensure_not_input(target, inputs)
        try:
            with open(target, "wb") as fh:
                fh.write(data)
                fh.flush()
        except OSError as exc:
            raise _failed(target, exc) from None
        return
    with atomic_path(target, inputs) as tmp:
        tmp.write_bytes(data)


def _cleanup(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)


@contextlib.contextmanager
def atomic_path(target: Path, inputs: Iterable[str | os.PathLike[str]] = ()) -> Iterator[Path]:
    """A temporary path beside ``target`` to write to; moved into place only if the block succeeds.

    On any failure the previous ``target`` is untouched and the temporary file is removed.
    """
    _check_target(target)
    ensure_not_input(target, inputs)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(target.name), suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write here ({exc.strerror or exc})") from None
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(target))  # mkstemp makes 0600; a shared workbook needs the usual mode
        _replace(tmp, target)
    except OSError as exc:  # a full disk or a vanished folder is the output's problem, not a bug
        _cleanup(tmp)
        raise _failed(target, exc) from None
    except BaseException:
        _cleanup(tmp)
        raise


# A file name may be 255 bytes; the temp name adds a dot, eight random characters and ".tmp" to the
# target's, so a long Chinese name (3 bytes a character) would be refused for the temp file alone.
_NAME_BYTES = 255 - len(".") - 8 - len(".tmp") - 8


def _temp_prefix(name: str) -> str:
    raw = name.encode("utf-8")[:_NAME_BYTES]
    return "." + raw.decode("utf-8", "ignore") + "."


def _mode_for(target: Path) -> int:
    """The existing file's mode, or what a plain open() would give (0666 less the umask)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _replace(tmp: str, target: Path) -> None:
    lock = target.parent / f"~${target.name}"
    try:
        os.replace(tmp, target)
    except IsADirectoryError:
        raise OutputError(f"{target}: 这是一个文件夹，请给出文件名 / this is a folder: give a file name") from None
    except PermissionError:
        hint = "（Excel/WPS 正打开此文件）" if lock.exists() else ""
        raise OutputError(
            f"{target}: 文件被占用或无权限{hint}，请关闭后重试 / the file is open or read-only: close it and retry"
        ) from None


@contextlib.contextmanager
def text_output(target: Path | None, inputs: Iterable[str | os.PathLike[str]], stdout: TextIO) -> Iterator[TextIO]:
    """Where a streamed output goes: ``stdout`` as it is written, or a file written atomically (a run that
    fails part-way leaves the previous file, never half of one). A special file (/dev/stdout) is written
    in place."""
    if target is None:
        yield stdout
        stdout.flush()
        return
    _check_target(target)
    if _special(target):
        ensure_not_input(target, inputs)
        try:
            with open(target, "w", encoding="utf-8", newline="", errors=_NAMES) as fh:
                yield fh
        except OSError as exc:
            raise _failed(target, exc) from None
        return
    with atomic_path(target, inputs) as tmp, open(tmp, "w", encoding="utf-8", newline="", errors=_NAMES) as fh:
        yield fh


# A file name's bytes that are not UTF-8 come as lone surrogates (os.fsdecode): a text report writes them back
# as those bytes, as the terminal shows them (JSON and SARIF escape them, JUnit replaces them).
_NAMES = "surrogateescape"


# The extensions each output is written under; a name with another format's extension is refused (a SARIF
# log under report.xlsx opens as garbage), a name with none or an unrelated one is taken as given.
SUFFIXES = {
    "text": (".txt", ".log", ".md"),
    "github": (".txt", ".log"),
    "json": (".json",),
    "sarif": (".sarif", ".json"),
    "junit": (".xml",),
    "xlsx": (".xlsx", ".xlsm"),
    "toml": (".toml",),
}
_TAKEN = {*(s for group in SUFFIXES.values() for s in group), ".xls", ".docx", ".pdf", ".html", ".htm", ".csv"}


def check_output(target: Path, fmt: str, inputs: Iterable[str | os.PathLike[str] | None] = ()) -> None:
    """Refuse, before any work, an output that cannot be right: one of the files named as inputs, a folder,
    a folder that does not exist, or a name whose extension belongs to another format (for a ``fmt`` with
    extensions of its own in SUFFIXES)."""
    _check_target(target)
    ensure_not_input(target, [p for p in inputs if p is not None and str(p) != "-"])
    if _special(target):
        return
    suffix = target.suffix.lower()
    wanted = SUFFIXES.get(fmt, ())
    if wanted and (suffix in _TAKEN or fmt == "xlsx") and suffix not in wanted:  # a format of its own
        raise OutputError(
            f"{target}: {fmt} 输出应以 {' 或 '.join(wanted)} 结尾 / a {fmt} output is named *{wanted[0]}"
            f" (e.g. {target.with_suffix(wanted[0]).name})"
        )
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{target}: 文件夹 {folder} 不存在 / the folder {folder} does not exist")


class Sink:
    """A streamed output's ``write`` (text), and ``utf8`` for text already encoded as UTF-8 when the stream
    would write those very bytes: a UTF-8 stream over a byte buffer that does not translate line ends.
    A JSON report's entries are spooled as UTF-8; decoding them and encoding them again on the way out
    was a sixth of a batch parent's instructions, all of it after the last file (1,000 files, 14 MB)."""

    __slots__ = ("_stream", "utf8")

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.utf8: Callable[[bytes], Any] | None = None
        buffer = getattr(stream, "buffer", None)
        encoding = getattr(stream, "encoding", None)
        if buffer is not None and encoding and os.linesep == "\n" and _is_utf8(encoding):

            def utf8(data: bytes) -> None:
                stream.flush()  # what was written as text goes first
                buffer.write(data)

            self.utf8 = utf8

    def __call__(self, text: str) -> Any:
        return self._stream.write(text)


def _is_utf8(encoding: str) -> bool:
    import codecs

    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


@contextlib.contextmanager
def renamed(write: Callable[[str], Any], names: Mapping[str, str]) -> Iterator[Callable[[str], Any]]:
    """``write`` with each path of ``names`` printed as its new name (standard input's temporary file as
    ``-``). The text is passed on a line at a time, so a name split across two writes is still replaced;
    the last, unfinished line is passed on when the block ends."""
    if not names:
        yield write
        return
    held: list[str] = []

    def renaming(text: str) -> None:
        end = text.rfind("\n")
        if end < 0:
            held.append(text)
            return
        whole = "".join([*held, text[: end + 1]])
        held[:] = [text[end + 1 :]] if end + 1 < len(text) else []
        write(_renamed(whole, names))

    yield renaming
    if held:
        write(_renamed("".join(held), names))


def _renamed(text: str, names: Mapping[str, str]) -> str:
    for old, new in names.items():
        text = text.replace(old, new)
    return text

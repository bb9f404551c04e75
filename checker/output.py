"""Writing output files safely: never over an input, never half a file, a clear line when locked."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from checker.errors import OutputError


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def ensure_not_input(target: Path, inputs: Iterable[str | os.PathLike[str]]) -> None:
    """Refuse, before anything is written, an output that is one of the inputs (links and other spellings too)."""
    resolved = target.resolve()
    for item in inputs:
        p = Path(item)
        if p.resolve() == resolved or _same_file(p, target):
            raise OutputError(
                f"{target}: 输出文件就是输入文件之一，未写入 / the output is one of the inputs; nothing written"
            )


def write_atomic(target: Path, data: bytes, inputs: Iterable[str | os.PathLike[str]] = ()) -> None:
    """Write ``data`` to a temporary file beside the target, flush it to disk, then move it into place."""
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
    ensure_not_input(target, inputs)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write here ({exc.strerror or exc})") from None
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(target))  # mkstemp makes 0600; a shared workbook needs the usual mode
        _replace(tmp, target)
    except BaseException:
        _cleanup(tmp)
        raise


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
    except PermissionError:
        hint = "（Excel/WPS 正打开此文件）" if lock.exists() else ""
        raise OutputError(
            f"{target}: 文件被占用或无权限{hint}，请关闭后重试 / the file is open or read-only: close it and retry"
        ) from None

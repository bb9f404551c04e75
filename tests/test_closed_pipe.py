"""Output to a reader that has gone away (`jixiao check … | head`): the run ends quietly with exit 0."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXAMPLES = [str(p) for p in sorted((ROOT / "examples").glob("*.*")) if p.suffix in (".txt", ".xlsx", ".docx")]


def _to_closed_pipe(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    """Run jixiao with stdout a pipe whose reading end is already closed: every write fails at once with
    EPIPE, as the writes after `head` has exited do (and deterministically, whatever the pipe's buffer)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([sys.executable, "-m", "checker", *args], stdout=write_end,
                              stderr=subprocess.PIPE, cwd=ROOT, timeout=120)  # fmt: skip
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    "args",
    [
        ["check", *EXAMPLES, "--format", "text", "--jobs", "1"],
        ["check", *EXAMPLES, "--format", "json", "--jobs", "2"],
        ["check", *EXAMPLES, "--format", "sarif", "--jobs", "1"],
        ["rules"],
        ["parse", EXAMPLES[0]],
    ],
    ids=["check-text", "check-json-pool", "check-sarif", "rules", "parse"],
)
def test_closed_pipe_ends_quietly(args: list[str]) -> None:
    before = set(Path(tempfile.gettempdir()).glob("jixiao-crash-*"))
    done = _to_closed_pipe(args)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""  # no crash line, no "Exception ignored" from the flush at exit
    assert set(Path(tempfile.gettempdir()).glob("jixiao-crash-*")) == before

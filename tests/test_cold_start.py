"""The cold ``jixiao`` process (issue 16's cold-start goal): what a start-up saving must keep true.

Each test here is cheap (one short subprocess at most): CI's time is tight."""

from __future__ import annotations

import subprocess
import sys

# Registered before main(), so it runs after main()'s own exit callback (atexit is last-in, first-out):
# by then the heap must be frozen, or the interpreter's teardown collections traverse all of it again.
_PROBE = """
import atexit, gc, sys
atexit.register(lambda: print("frozen at exit", gc.get_freeze_count() > 1000, flush=True))
from checker.cli import main
sys.argv = ["jixiao", "--version"]
print("exit", main(), "frozen during the run", gc.get_freeze_count() > 0, flush=True)
"""


def test_the_process_freezes_its_heap_only_at_exit() -> None:
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("jixiao ")  # the command ran and printed its version
    assert lines[1:] == ["exit 0 frozen during the run False", "frozen at exit True"]

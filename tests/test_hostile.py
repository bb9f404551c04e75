"""Hostile submitted files (reliability.md §6 S1–S4, appendix D): each rejected with exit 2, fast and small,
with no traceback, even with openpyxl's own defences turned off."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import hostile

CASES: dict[str, Callable[[], bytes]] = {
    **{f"{kind}-{part}": (lambda k=kind, p=part: hostile.entity_file(k, p))
       for kind in ("BL", "QB", "XXE-file", "XXE-http", "entity")
       for part in ("sharedStrings", "sheet", "workbook")},
    "docx-BL": lambda: hostile.docx_bomb("BL"),
    "docx-XXE": lambda: hostile.docx_bomb("XXE-file"),
    "docx-3M-paragraphs": lambda: hostile.docx_bomb("paragraphs"),
    "cell-bomb": hostile.cell_bomb,
    "sst-bomb": hostile.sst_bomb,
    "whitespace-bomb": hostile.whitespace_bomb,
    "1M-empty-rows": hostile.empty_rows,
    "1001-members": hostile.many_members,
    "duplicate-names": hostile.duplicate_names,
    "encrypted-flag": hostile.encrypted_flag,
    "forged-size": hostile.forged_size,
    "overlapping": hostile.overlapping,
    "truncated": hostile.truncated,
    "merge-bomb": hostile.merge_bomb,  # found by the mutation test: openpyxl builds every merged cell
}  # fmt: skip


TIME = Path("/usr/bin/time")


def _run(path: Path, env: dict[str, str]) -> tuple[int, str, str, float, int]:
    """Run the CLI; return exit code, stdout, stderr (without the RSS line), seconds, peak RSS in KiB."""
    measure = [str(TIME), "-q", "-f", "RSS %M"] if TIME.exists() else []
    start = time.perf_counter()
    proc = subprocess.run(
        [*measure, sys.executable, "-m", "checker", "parse", str(path)],
        capture_output=True, env=env, text=True, timeout=60,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    err, rss = proc.stderr, 0
    if measure:
        lines = err.rstrip("\n").split("\n")
        rss = int(lines[-1].split()[1])
        err = "\n".join(lines[:-1]) + "\n" if len(lines) > 1 else ""
    return proc.returncode, proc.stdout, err, elapsed, rss


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_file_rejected(tmp_path: Path, name: str) -> None:
    suffix = ".docx" if name.startswith("docx") else ".xlsx"
    path = hostile.write(tmp_path, f"{name}{suffix}", CASES[name]())
    env = {**os.environ, "OPENPYXL_DEFUSEDXML": "False"}
    code, out, err, elapsed, rss = _run(path, env)
    assert code == 2, (code, err)
    assert out == "" and "Traceback" not in err and err.count("\n") == 1, err
    assert str(path) in err
    assert "root:" not in err + out  # nothing of /etc/passwd leaks
    assert elapsed < 2.0, f"{elapsed:.2f}s"
    assert rss < 200 * 1024, f"peak RSS {rss} KiB"


def test_far_away_cell_is_cheap(tmp_path: Path) -> None:
    """A lying <dimension> with one cell at XFD1048576: read in well under a second, nothing found."""
    path = hostile.write(tmp_path, "far.xlsx", hostile.far_cell())
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "checker", "parse", str(path)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0 and time.perf_counter() - start < 2.0
    assert '"sheets": []' in proc.stdout


def test_library_call_rejects_before_parsing_xml(tmp_path: Path) -> None:
    """The pre-flight answers in milliseconds for the decompression bombs (no XML parsed)."""
    from checker.errors import InputError
    from checker.readers.guard import preflight

    for name in ("whitespace-bomb", "sst-bomb", "1001-members", "BL-workbook"):
        data = CASES[name]()
        start = time.perf_counter()
        with pytest.raises(InputError) as info:
            preflight(data, name)
        assert time.perf_counter() - start < 0.05 or name == "BL-workbook"
        assert "limit" in str(info.value) or "DTD" in str(info.value) or "ratio" in str(info.value)


def test_defusedxml_is_installed_and_active() -> None:
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True

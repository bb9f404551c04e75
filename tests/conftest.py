from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# One private temporary folder for the whole run, removed at its end: crash reports that tests provoke,
# the validation/parse cache (kept out of the user's home and shared by subprocesses) and every temp file
# the code under test makes land there, so a run leaves nothing in the system's temporary folder.
_SYSTEM_TMP = Path(tempfile.gettempdir())
_BEFORE = {p.name for p in _SYSTEM_TMP.glob("jixiao-*")}
_PRIVATE_TMP = tempfile.mkdtemp(prefix="jixiao-tests-")
os.environ["TMPDIR"] = _PRIVATE_TMP
tempfile.tempdir = _PRIVATE_TMP
os.environ.setdefault("JIXIAO_CACHE_DIR", os.path.join(_PRIVATE_TMP, "cache"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    import shutil

    shutil.rmtree(_PRIVATE_TMP, ignore_errors=True)
    # Another pytest session running beside this one (a second checkout, a helper) has its own private
    # folder: only what the code under test would make counts as left behind.
    now = {p.name for p in _SYSTEM_TMP.glob("jixiao-*") if not p.name.startswith("jixiao-tests-")}
    left = sorted(now - _BEFORE)
    if left and exitstatus == 0:
        session.exitstatus = 1
        print(f"\nthe tests left files in {_SYSTEM_TMP}: {left}")


SEED = ROOT / "examples" / "山西省信访局2024年单位预算.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_sheets():  # type: ignore[no-untyped-def]
    from checker.api import parse_path

    return parse_path(SEED).sheets


# CI runs a fixed, reproducible set of examples (a red CI must mean a real regression, not a new
# random draw); local runs explore new examples every time.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

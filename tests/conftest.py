from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Keep the validation/parse cache of the test run out of the user's home, shared by subprocesses.
os.environ.setdefault("JIXIAO_CACHE_DIR", tempfile.mkdtemp(prefix="jixiao-test-cache-"))
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

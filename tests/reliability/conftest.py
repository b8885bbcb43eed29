from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import (  # noqa: F401  (shared fixtures)
    dc,
    no_bot_left_running,
    tg,
    world,
)
from tests.reliability import test_fuzz
from tests.reliability.figures import record


@pytest.fixture(scope="session", autouse=True)
def fuzz_figures() -> Iterator[None]:
    """Each worker records the cases it ran; the document adds the workers up."""
    yield
    if test_fuzz.SEEN["cases"]:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        record(f"fuzz-{worker}", **test_fuzz.SEEN)

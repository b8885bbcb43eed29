from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reliability import test_fuzz
from tests.reliability.figures import record


@pytest.fixture(scope="session", autouse=True)
def fuzz_figures(worker_id: str) -> Iterator[None]:
    """Each worker records the cases it ran; the document adds the workers up."""
    yield
    if test_fuzz.SEEN["cases"]:
        record(f"fuzz-{worker_id}", **test_fuzz.SEEN)

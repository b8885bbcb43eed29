from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.harness import FakeClock, Harness

# A Monday morning: 3 Dec 2026 is the Thursday after next.
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
async def bot(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Harness]:
    harness = await Harness(tmp_path / "muster.db", clock).start()
    try:
        yield harness
    finally:
        await harness.stop()


# The longest tests start first, so that the others share the remaining workers
# meanwhile instead of leaving one worker running a long test alone at the end.
LONGEST_FIRST = ("test_crash_safety.py", "test_fuzz.py", "test_large_inputs.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)

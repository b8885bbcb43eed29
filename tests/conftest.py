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

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.conftest import NOW
from tests.e2e.telegram_world import GROUP, ORGANISER, InProcess
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import FakeClock


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram(admins={GROUP: {ORGANISER}})
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def world(tg: FakeTelegram, tmp_path: Path) -> AsyncIterator[InProcess]:
    running = await InProcess(tg, FakeClock(NOW), tmp_path / "muster.db").start()
    try:
        yield running
    finally:
        await running.stop()

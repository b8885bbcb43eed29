from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.conftest import NOW
from tests.e2e.discord_world import DiscordWorld
from tests.e2e.telegram_world import GROUP, ORGANISER, InProcess
from tests.fakes.discord_api import FakeDiscord
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


@pytest.fixture
async def dc() -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def discord_world(dc: FakeDiscord, tmp_path: Path) -> AsyncIterator[DiscordWorld]:
    running = await DiscordWorld(dc, FakeClock(NOW), tmp_path / "muster.db").start()
    try:
        yield running
    finally:
        await running.stop()

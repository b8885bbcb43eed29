from __future__ import annotations

import io
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot import logs
from tests.conftest import NOW
from tests.e2e.both_world import BothWorld
from tests.e2e.discord_world import DiscordWorld
from tests.e2e.processes import reap
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


@pytest.fixture
async def both(tg: FakeTelegram, dc: FakeDiscord, tmp_path: Path) -> AsyncIterator[BothWorld]:
    running = await BothWorld(tg, dc, FakeClock(NOW), tmp_path / "muster.db").start()
    try:
        yield running
    finally:
        await running.stop()


MEMBER_NAMES = ("Olive Organiser", "Amy Jones", "Ben Ng", "Member Number")


@pytest.fixture(autouse=True)
def debug_logs_hold_no_secrets() -> Iterator[None]:
    """Every end-to-end test runs with DEBUG logging as `muster` configures it; afterwards
    the log must hold neither platform token nor a member's name."""
    buffer = io.StringIO()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    logs.configure("DEBUG", [FakeTelegram.token, FakeDiscord.token], stream=buffer)
    try:
        yield
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
        text = buffer.getvalue()
        assert text, "nothing was logged: the check would prove nothing"
        for secret in (FakeTelegram.token, FakeDiscord.token, FakeTelegram.token.split(":")[1]):
            assert secret not in text
        for name in MEMBER_NAMES:
            assert name not in text, name


@pytest.fixture(autouse=True)
async def no_bot_left_running() -> AsyncIterator[None]:
    yield
    await reap()

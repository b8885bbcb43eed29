"""Muster keeps within Telegram's published limits by itself: against a Bot API that
answers 429 past 30 messages a second, 1 a second per chat and 20 a minute per group,
a fan-out and a chatty group get no 429 at all."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator

import pytest

from bot.messaging import Card, ChatRef, Invocation
from bot.platforms.telegram import TelegramMessenger
from tests.fakes.telegram_api import FakeTelegram


class Silent:
    """Takes updates and says nothing; counts the 429s the adapter reports."""

    def __init__(self) -> None:
        self.limited = 0

    async def handle(self, inv: Invocation) -> None:
        return None

    def rate_limited(self, platform: str) -> None:
        assert platform == "telegram"
        self.limited += 1


@pytest.fixture
async def strict() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram(enforce_limits=True)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


async def test_a_fan_out_and_a_busy_group_get_no_429(strict: FakeTelegram) -> None:
    messenger = TelegramMessenger(strict.token, Silent(), base_url=strict.base_url)
    await messenger.start()
    try:
        chats = [ChatRef("telegram", str(-2000 - i)) for i in range(45)]
        busy = ChatRef("telegram", "-1999")
        sends = [messenger.send(c, Card.text(f"to {c.id}")) for c in chats]
        sends += [messenger.send(busy, Card.text(f"busy {i}")) for i in range(3)]
        await asyncio.gather(*sends)
    finally:
        await messenger.stop()
    assert strict.limited == 0
    assert len(strict.sent) == 48
    times = sorted(m.at for m in strict.sent)
    assert all(b - a >= 1.0 for a, b in zip(times, times[30:], strict=False))
    busy_times = [m.at for m in strict.history(-1999)]
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(busy_times))


async def test_the_fake_does_refuse_a_burst(strict: FakeTelegram) -> None:
    """The check above means something: an unpaced burst is refused."""
    inbound = Silent()
    messenger = TelegramMessenger(
        strict.token,
        inbound,
        base_url=strict.base_url,
        overall_rate_per_second=10_000,
        group_rate_per_minute=10_000,
        chat_interval=0,
    )
    await messenger.start()
    try:
        await messenger.send(ChatRef("telegram", "-5"), Card.text("one"))
        await messenger.send(ChatRef("telegram", "-5"), Card.text("two"))
    finally:
        await messenger.stop()
    assert strict.limited >= 1
    assert inbound.limited == strict.limited  # each reported, for the operator's metrics
    assert [m.text for m in strict.history(-5)] == ["one", "two"]  # retried after the wait

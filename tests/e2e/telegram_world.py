"""Muster with the real python-telegram-bot client against the local fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.app import App
from bot.platforms.telegram import TelegramMessenger
from tests.e2e.processes import track
from tests.fakes.telegram_api import FakeTelegram, Message
from tests.harness import FakeClock, eventually, ready, spawn_muster, start_app, started

GROUP = -1001
ORGANISER = 1
MEMBER_BASE = 100


def telegram_adapter(tg: FakeTelegram) -> Callable[[App], TelegramMessenger]:
    """Muster's Telegram adapter pointed at the fake, with no rate limits of its own."""
    return lambda app: TelegramMessenger(
        tg.token,
        app.dispatcher,
        base_url=tg.base_url,
        group_rate_per_minute=10_000,
        overall_rate_per_second=10_000,
        chat_interval=0,
    )


@dataclass
class InProcess:
    """The whole app in this process, with a controlled clock."""

    tg: FakeTelegram
    clock: FakeClock
    path: Path
    app: App | None = None

    async def start(self) -> InProcess:
        self.app = await start_app(self.path, self.clock, 0.5, telegram_adapter(self.tg))
        return self

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.stop()
            self.app = None

    def group(self) -> list[Message]:
        return self.tg.history(GROUP)

    async def say(
        self,
        text: str,
        user: int = ORGANISER,
        name: str = "Olive Organiser",
        chat: int = GROUP,
        **kwargs: object,
    ) -> list[Message]:
        """Send a line and wait until the bot has answered it somewhere."""
        before = len(self.tg.sent)
        self.tg.say(chat, user, name, text, **kwargs)  # type: ignore[arg-type]
        await eventually(lambda: len(self.tg.sent) > before)
        await asyncio.sleep(0.1)  # a command may answer in several messages
        return self.tg.sent[before:]

    async def settle(self) -> None:
        assert self.app is not None
        await asyncio.sleep(0.1)
        await self.app.live.idle()


async def spawn(tg: FakeTelegram, db: Path, log: Path, **env: str) -> asyncio.subprocess.Process:
    """A real `muster run` process serving the fake Telegram, once it has started
    (and sent what it owed at start) and, unless by webhook, asked for updates."""
    starts = started(log)
    proc = track(
        await spawn_muster(
            db,
            log,
            MUSTER_TELEGRAM_TOKEN=tg.token,
            MUSTER_TELEGRAM_BASE_URL=tg.base_url,
            MUSTER_EDIT_INTERVAL="0.5",
            MUSTER_TELEGRAM_GROUP_RATE="10000",
            MUSTER_LOG_LEVEL="DEBUG",
            **env,
        )
    )
    if "MUSTER_TELEGRAM_WEBHOOK_URL" not in env:
        polls = tg.count("getupdates")
        await eventually(lambda: tg.count("getupdates") > polls, timeout=30)
    await ready(log, starts + 1)
    return proc

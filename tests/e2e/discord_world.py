"""Muster with the real discord.py client against the local fake Discord."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.app import App
from bot.platforms.discord import DiscordMessenger
from tests.e2e.telegram_world import eventually
from tests.fakes.discord_api import CHANNEL_ID, FakeDiscord, Sent
from tests.harness import FakeClock, start_app

CHANNEL = str(CHANNEL_ID)


def discord_adapter(dc: FakeDiscord) -> Callable[[App], DiscordMessenger]:
    # The fake sends its one server's GUILD_CREATE at once over loopback: no need for the
    # client's two seconds of waiting for more.
    return lambda app: DiscordMessenger(
        dc.token, app.dispatcher, api_base=dc.api_base, guild_ready_timeout=0.2
    )


@dataclass
class DiscordWorld:
    dc: FakeDiscord
    clock: FakeClock
    path: Path
    app: App | None = None

    async def start(self) -> DiscordWorld:
        self.app = await start_app(self.path, self.clock, 0.5, discord_adapter(self.dc))
        return self

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.stop()
            self.app = None

    async def run(self, name: str, **options: object) -> list[Sent]:
        """Use a slash command and wait until the interaction is fully answered."""
        before = len(self.dc.messages)
        calls = len(self.dc.calls)
        kw = {
            k: options.pop(k)
            for k in ("user", "user_name", "organiser", "dm", "roles", "channel", "file", "locale")
            if k in options
        }
        token = await self.dc.command(name, options, **kw)  # type: ignore[arg-type]
        await eventually(lambda: self.dc.callback_types(token))
        await eventually(lambda: not self.messenger().busy)  # the answer is complete
        await self.quiet(calls)
        return self.dc.messages[before:]

    def messenger(self) -> DiscordMessenger:
        assert self.app is not None
        found = self.app.messengers.for_platform("discord")
        assert isinstance(found, DiscordMessenger)
        return found

    async def quiet(self, calls: int) -> None:
        """Wait until the bot stops calling the API (its answer is complete)."""
        await asyncio.sleep(0.1)
        last = -1
        while last != len(self.dc.calls):
            last = len(self.dc.calls)
            await asyncio.sleep(0.15)

    def channel(self) -> list[Sent]:
        return self.dc.in_channel(CHANNEL)

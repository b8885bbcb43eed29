"""One Muster process serving Telegram and Discord at once, each against its fake."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.app import App
from tests.e2e.discord_world import DiscordWorld, discord_adapter
from tests.e2e.telegram_world import InProcess, telegram_adapter
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import FakeClock, start_app


@dataclass
class BothWorld:
    tg: FakeTelegram
    dc: FakeDiscord
    clock: FakeClock
    path: Path
    app: App | None = None

    async def start(self) -> BothWorld:
        self.app = await start_app(
            self.path, self.clock, 0.5, telegram_adapter(self.tg), discord_adapter(self.dc)
        )
        return self

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.stop()
            self.app = None

    @property
    def telegram(self) -> InProcess:
        """The Telegram side's helpers, on this same app."""
        return InProcess(self.tg, self.clock, self.path, self.app)

    @property
    def discord(self) -> DiscordWorld:
        return DiscordWorld(self.dc, self.clock, self.path, self.app)

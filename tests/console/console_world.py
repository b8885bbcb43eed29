"""The console adapter driven line by line, in process, with a controlled clock."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.platforms.console import ConsoleChat, ConsoleMessenger
from tests.harness import FakeClock, Harness


@dataclass
class Console:
    path: Path
    clock: FakeClock
    out: io.StringIO = field(default_factory=io.StringIO)
    harness: Harness | None = None
    chat: ConsoleChat | None = None

    async def start(self) -> Console:
        messenger = ConsoleMessenger(self.out, self.path.parent / "files")
        self.harness = Harness(self.path, self.clock)
        self.harness.messenger = messenger  # type: ignore[assignment]
        await self.harness.start()
        self.chat = ConsoleChat(messenger, "You", io.StringIO(""))
        return self

    async def stop(self) -> None:
        if self.harness is not None:
            await self.harness.stop()

    async def type(self, *lines: str) -> str:
        """Type lines as a person would; returns what the console printed meanwhile."""
        assert self.harness is not None and self.chat is not None
        start = len(self.out.getvalue())
        for line in lines:
            inv = self.chat.parse(line)
            if inv is not None:
                await self.harness.running.dispatcher.handle(inv)
                await self.harness.settle()
        return self.out.getvalue()[start:]

    async def tick(self, **kwargs: float) -> str:
        assert self.harness is not None
        start = len(self.out.getvalue())
        self.clock.advance(**kwargs)
        await self.harness.running.scheduler.run_due()
        await self.harness.settle()
        return self.out.getvalue()[start:]

    def button(self, label: str, text: str | None = None) -> str:
        """The number of the latest button with this label (in `text`, or anywhere)."""
        found = re.findall(r"\[(\d+)\] " + re.escape(label), text or self.out.getvalue())
        assert found, f"no button {label!r}"
        return str(found[-1])

    def files(self) -> Path:
        return self.path.parent / "files"

"""A Muster app on a real database with a controlled clock and a recording platform."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import READY, App
from bot.config import Settings
from bot.domain.events import parse_new_event
from bot.messaging import ChatRef, Invocation, MessageRef, Messenger, Press, UserRef
from bot.services import delivery
from bot.storage import chats, links
from bot.storage import events as event_store
from bot.storage.database import Database
from tests import databases
from tests.fakes.recording import Out, RecordingMessenger

ROOT = Path(__file__).resolve().parent.parent
GROUP = ChatRef("test", "group-1")


# Tests play tireless organisers: each member's budget of actions is lifted, except in
# the tests of that budget (tests/security/test_fairness.py), which set it.
NO_MEMBER_LIMIT = 0.0


def settings_for(
    url: str, edit_interval: float, member_rate: float = NO_MEMBER_LIMIT, **extra: Any
) -> Settings:
    """Settings of a test app: its own database, the shipped seeds, no .env."""
    return Settings(
        database_url=url,
        edit_interval=edit_interval,
        seeds_dir=ROOT / "seeds",
        member_rate=member_rate,
        _env_file=None,  # type: ignore[call-arg]
        **extra,
    )


async def start_app(
    db: Path,
    clock: FakeClock,
    edit_interval: float,
    *adapters: Callable[[App], Messenger],
    member_rate: float = NO_MEMBER_LIMIT,
    **settings: Any,
) -> App:
    """A started test app on its own database (`tests/databases.py`), serving the
    adapters given. A new database starts as a copy of one migrated once per process."""
    url = await databases.migrated(db)
    app = App(settings_for(url, edit_interval, member_rate, **settings), clock)
    await app.prepare()
    for adapter in adapters:
        app.messengers.add(adapter(app))
    await app.start()
    return app


async def write_events(
    db: Database, chat: ChatRef, lines: list[str], now: datetime, space: str = ""
) -> list[int]:
    """Events written as /newevent writes them (their announcements due at `now`), many
    at once without a command each: a backlog for the scheduler to work through."""
    made = []
    async with db.write() as session:
        row = await chats.get_or_create(session, chat, chat.id, "Europe/London", now, space)
        tz = ZoneInfo(row.timezone)
        for line in lines:
            event = await event_store.create(
                session, row, parse_new_event(line, tz, now), None, now
            )
            await delivery.plan(session, event, await links.circle_of(session, row), now)
            made.append(event.id)
    return made


def muster_env(db: Path, **extra: str) -> dict[str, str]:
    """The environment of a real `muster` process under test: no MUSTER_* of ours leaks in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MUSTER_")}
    env.update(
        {
            "MUSTER_DATABASE_URL": databases.url_for(db),
            "MUSTER_SEEDS_DIR": str(ROOT / "seeds"),
            "MUSTER_MEMBER_RATE": str(NO_MEMBER_LIMIT),
            **extra,  # a test's or a benchmark's own settings win
        }
    )
    return env


async def spawn_muster(db: Path, log: Path, **env: str) -> asyncio.subprocess.Process:
    """A real `muster run` process on `db`, its output appended to `log`."""
    with log.open("ab") as handle:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            env=muster_env(db, **env),
            cwd=db.parent,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=handle,
            stderr=handle,
        )


async def eventually(check: Callable[[], object], timeout: float = 15.0) -> None:
    """Wait for something a member would see; fail with what was there instead."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting for the bot")
        await asyncio.sleep(0.02)


def started(log: Path) -> int:
    """How many processes on this log have finished starting."""
    return log.read_text(errors="replace").count(READY) if log.exists() else 0


async def ready(log: Path, starts: int) -> None:
    """Wait until the `starts`-th process on this log has finished starting: what was
    owed when it started has been sent."""
    await eventually(lambda: started(log) >= starts, timeout=60)


def command(line: str, user: str = "org", chat: ChatRef = GROUP) -> Invocation:
    """A command line as a platform hands it to the dispatcher, from `user` in `chat`."""
    assert line.startswith("/")
    name, _, args = line[1:].partition(" ")
    return Invocation(
        chat=chat,
        user=UserRef(chat.platform, user),
        user_name=user.capitalize(),
        chat_title="Branch",
        command=name,
        args=args.strip(),
    )


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when.astimezone(UTC)

    def advance(self, **kwargs: float) -> None:
        self._now += timedelta(**kwargs)


@dataclass
class Harness:
    path: Path
    clock: FakeClock
    messenger: RecordingMessenger = field(default_factory=RecordingMessenger)
    app: App | None = None
    member_rate: float = NO_MEMBER_LIMIT
    _presses: int = 0

    async def start(self) -> Harness:
        self.app = await start_app(
            self.path,
            self.clock,
            0.0,
            lambda _: self.messenger,
            member_rate=self.member_rate,
            # Where its calendar links would point (no port is served here).
            public_url="https://muster.example",
        )
        return self

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.stop()
            self.app = None

    async def restart(self, messenger: RecordingMessenger | None = None) -> None:
        await self.stop()
        if messenger is not None:
            self.messenger = messenger
        await self.start()

    @property
    def running(self) -> App:
        assert self.app is not None
        return self.app

    def mark(self) -> int:
        return len(self.messenger.log)

    def since(self, mark: int) -> list[Out]:
        return self.messenger.log[mark:]

    async def say(
        self,
        text: str,
        user: str = "org",
        name: str | None = None,
        *,
        private: bool = False,
        chat: ChatRef = GROUP,
        **extra: Any,
    ) -> list[Out]:
        """Send a command line as `user`; returns what the platform was asked to do.

        `extra` sets further fields of the Invocation, as an adapter would (mentions,
        the message replied to, the member's handle)."""
        assert text.startswith("/")
        command, _, args = text[1:].partition(" ")
        inv = Invocation(
            chat=ChatRef(chat.platform, "dm-" + user) if private else chat,
            user=UserRef("test", user),
            user_name=name or user.capitalize(),
            is_private=private,
            chat_title="Test group",
            command=command,
            args=args.strip(),
            **extra,
        )
        mark = self.mark()
        await self.running.dispatcher.handle(inv)
        await self.settle()
        return self.since(mark)

    async def press(
        self,
        action: str,
        user: str = "org",
        name: str | None = None,
        chat: ChatRef = GROUP,
        language: str | None = None,
    ) -> list[Out]:
        self._presses += 1
        inv = Invocation(
            chat=chat,
            user=UserRef("test", user),
            user_name=name or user.capitalize(),
            chat_title="Test group",
            action=action,
            press=Press(str(self._presses), MessageRef(chat, "0")),
            language=language,
        )
        mark = self.mark()
        await self.running.dispatcher.handle(inv)
        await self.settle()
        return self.since(mark)

    async def settle(self) -> None:
        """Let the coalesced edits this action scheduled be made."""
        await self.running.live.idle()

    async def tick(self, **kwargs: float) -> list[Out]:
        """Move the clock and run what fell due."""
        self.clock.advance(**kwargs)
        mark = self.mark()
        await self.running.scheduler.run_due()
        return self.since(mark)


def one_line(outs: list[Out]) -> str:
    """The single one-line answer a bad input must get."""
    answers = [o for o in outs if o.kind in ("answer", "toast")]
    assert len(outs) == 1 and len(answers) == 1, [o.kind + ": " + o.text for o in outs]
    text = answers[0].text
    assert "\n" not in text and len(text) < 300, text
    assert "Traceback" not in text
    return text

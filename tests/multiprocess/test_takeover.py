"""Roles one process holds at a time, among several on one PostgreSQL database: taking
Telegram's updates by long polling, holding Discord's gateway (or a set of its shards).
Exactly one process takes the updates; when it is killed with SIGKILL another takes
over, and the gap from the kill to the next update handled is recorded (the figure is
in docs/reliability.md; `bench/` times it against its bound)."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from tests.e2e.discord_world import CHANNEL
from tests.e2e.processes import track
from tests.e2e.telegram_world import GROUP, ORGANISER
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import eventually, ready, spawn_muster, started
from tests.reliability.figures import record

pytestmark = pytest.mark.postgresql_only

PROCESSES = 3
TAKEOVERS = 2  # the holder is killed twice: the last of three takes the role
TOOK = "this process took the role"


class Group:
    """Processes on one database, each with its own log, told apart by who holds what."""

    def __init__(self, db: Path, tmp: Path, **env: str) -> None:
        self.db, self.tmp, self.env = db, tmp, env
        self.procs: list[asyncio.subprocess.Process] = []
        self.logs: list[Path] = []

    async def start(self, n: int, **env: str) -> None:
        for _ in range(n):
            log = self.tmp / f"muster-{len(self.logs)}.log"
            self.logs.append(log)
            proc = await spawn_muster(self.db, log, MUSTER_LOG_LEVEL="INFO", **self.env, **env)
            self.procs.append(track(proc))
            await ready(log, started(log) or 1)

    def holders(self, role: str) -> list[int]:
        """The processes alive that took `role`."""
        return [
            n
            for n, (proc, log) in enumerate(zip(self.procs, self.logs, strict=True))
            if proc.returncode is None and f"{role}: {TOOK}" in log.read_text(errors="replace")
        ]

    async def kill(self, n: int) -> float:
        killed_at = time.monotonic()
        self.procs[n].kill()
        await self.procs[n].wait()
        return killed_at

    async def stop(self) -> list[int | None]:
        for proc in self.procs:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
        return [await asyncio.wait_for(p.wait(), 60) for p in self.procs if p.returncode != -9]


def on_discord(dc: FakeDiscord, tmp_path: Path) -> Group:
    env = {"MUSTER_DISCORD_TOKEN": dc.token, "MUSTER_DISCORD_API_BASE": dc.api_base}
    return Group(tmp_path / "muster.db", tmp_path, **env)


async def take_over(
    group: Group, role: str, ask: Callable[[], Awaitable[Callable[[], bool]]]
) -> list[float]:
    """Kill the holder of `role` TAKEOVERS times; each time ask at once for something and
    time the answer: the gap from the kill to the next update handled."""
    gaps: list[float] = []
    for _ in range(TAKEOVERS):
        [holder] = group.holders(role)
        killed_at = await group.kill(holder)
        answered = await ask()
        await eventually(answered, timeout=60)
        gaps.append(round(time.monotonic() - killed_at, 2))
        await eventually(lambda: len(group.holders(role)) == 1, timeout=30)
        assert group.holders(role) != [holder]
    return gaps


async def test_one_process_polls_and_another_takes_over_when_it_dies(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    group = Group(
        tmp_path / "muster.db",
        tmp_path,
        MUSTER_TELEGRAM_TOKEN=tg.token,
        MUSTER_TELEGRAM_BASE_URL=tg.base_url,
        MUSTER_TELEGRAM_GROUP_RATE="10000",
    )
    try:
        await group.start(PROCESSES)
        assert len(group.holders("telegram-updates")) == 1  # exactly one polls
        tg.say(GROUP, ORGANISER, "Olive Organiser", "/newevent Rally | tomorrow 19:00 | Square")
        await eventually(lambda: any(m.buttons() for m in tg.history(GROUP)), timeout=30)

        async def ask() -> Callable[[], bool]:
            before = len(tg.history(GROUP))
            tg.say(GROUP, ORGANISER, "Olive Organiser", "/events")
            return lambda: len(tg.history(GROUP)) > before

        gaps = await take_over(group, "telegram-updates", ask)
        await asyncio.sleep(1.0)
        # Each /events was answered once: one process took each update.
        lists = [m for m in tg.history(GROUP) if m.visible.startswith("Upcoming")]
        assert len(lists) == TAKEOVERS, [m.visible for m in tg.history(GROUP)]
    finally:
        codes = await group.stop()
    assert codes == [0]
    record("takeover-telegram", processes=PROCESSES, kills=TAKEOVERS, gaps_seconds=gaps)


async def test_one_process_holds_the_gateway_and_another_takes_over_when_it_dies(
    dc: FakeDiscord, tmp_path: Path
) -> None:
    group = on_discord(dc, tmp_path)
    try:
        await group.start(PROCESSES)
        assert len(group.holders("discord-gateway")) == 1
        assert dc.identifies == 1  # one gateway connection among three processes
        await dc.command("newevent", {"details": "Rally | tomorrow 19:00 | Square"})
        await eventually(lambda: any("Rally · #1" in m.text for m in dc.in_channel(CHANNEL)))

        async def ask() -> Callable[[], bool]:
            await eventually(lambda: not dc.identified.is_set())  # the fake saw it go
            token = await dc.command("events", {})
            return lambda: bool(dc.answers(token))

        gaps = await take_over(group, "discord-gateway", ask)
        assert dc.identifies == 1 + TAKEOVERS
    finally:
        codes = await group.stop()
    assert codes == [0]
    record("takeover-discord", processes=PROCESSES, kills=TAKEOVERS, gaps_seconds=gaps)


async def test_shards_run_in_different_processes(dc: FakeDiscord, tmp_path: Path) -> None:
    """Two processes, shard 0 of 2 and shard 1 of 2: each holds its own connection, and
    the server's interactions reach only the shard that owns it."""
    group = on_discord(dc, tmp_path)
    try:
        await group.start(1, MUSTER_DISCORD_SHARDS="0/2")
        await group.start(1, MUSTER_DISCORD_SHARDS="1/2")
        assert sorted(s for s in dc.shards if s is not None) == [(0, 2), (1, 2)]
        assert group.holders("discord-gateway:0/2") == [0]
        assert group.holders("discord-gateway:1/2") == [1]
        await dc.command("newevent", {"details": "Rally | tomorrow 19:00 | Square"})
        await eventually(lambda: any("Rally · #1" in m.text for m in dc.in_channel(CHANNEL)))
        await asyncio.sleep(1.0)
        cards = [m for m in dc.in_channel(CHANNEL) if "Rally · #1" in m.text]
        assert len(cards) == 1  # handled by one shard's process, posted once
    finally:
        codes = await group.stop()
    assert codes == [0, 0]

"""The real `muster run` process on Discord: SIGKILL, restart, SIGTERM, logs."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.e2e.discord_world import CHANNEL
from tests.e2e.processes import track
from tests.e2e.telegram_world import eventually
from tests.e2e.test_telegram_process import move_reminder
from tests.fakes.discord_api import FakeDiscord
from tests.harness import ready, spawn_muster, started


async def spawn(
    dc: FakeDiscord, db: Path, log: Path, *, until_ready: bool = True
) -> asyncio.subprocess.Process:
    """A real `muster run` process serving the fake Discord: connected, and unless told
    otherwise started (what it owed at start is sent)."""
    dc.identified.clear()
    starts = started(log)
    proc = track(
        await spawn_muster(
            db,
            log,
            MUSTER_DISCORD_TOKEN=dc.token,
            MUSTER_DISCORD_API_BASE=dc.api_base,
            MUSTER_LOG_LEVEL="DEBUG",
        )
    )
    await asyncio.wait_for(dc.identified.wait(), 60)
    if until_ready:
        await ready(log, starts + 1)
    return proc


def reminders(dc: FakeDiscord) -> list[str]:
    return [m.text for m in dc.in_channel(CHANNEL) if "Reminder" in m.text]


async def test_sigkill_restart_posts_a_missed_reminder_once_and_sigterm_exits_zero(
    dc: FakeDiscord, tmp_path: Path
) -> None:
    db, log = tmp_path / "muster.db", tmp_path / "muster.log"
    proc = await spawn(dc, db, log)
    await dc.command("newevent", {"details": "Rally | in 3 hours | Square | remind=1h"})
    await eventually(lambda: any("Rally · #1" in m.text for m in dc.in_channel(CHANNEL)))
    proc.kill()
    await proc.wait()
    move_reminder(db, datetime.now(UTC) - timedelta(minutes=1))
    proc = await spawn(dc, db, log)
    # On PostgreSQL, where processes share the outbox, a claim the killed process may
    # have held in this channel (the announcement, killed before its record) holds the
    # channel until its lease runs out.
    await eventually(lambda: len(reminders(dc)) == 1, timeout=40)
    proc.kill()  # at once: even mid-record, the nonce keeps the resend from posting
    await proc.wait()
    proc = await spawn(dc, db, log)  # started: what it owed at start is sent
    assert len(reminders(dc)) == 1
    assert dc.command_puts == 1  # the table did not change between starts
    proc.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), 30) == 0
    text = log.read_text()
    assert dc.token not in text
    assert "Olive" not in text

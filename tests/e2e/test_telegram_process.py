"""The real `muster run` process on Telegram: kills, restarts, SIGTERM, and logs."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.databases import query
from tests.e2e.telegram_world import GROUP, ORGANISER, eventually, spawn
from tests.fakes.telegram_api import FakeTelegram


def reminders(tg: FakeTelegram) -> list[str]:
    return [m.visible for m in tg.history(GROUP) if "Reminder" in m.visible]


def reminder_status(db: Path, purpose: str = "remind") -> str:
    rows = query(db, "SELECT status FROM outbox WHERE purpose = :p", p=purpose)
    return str(rows[0][0]) if rows else ""


def move_reminder(db: Path, due: datetime) -> None:
    """Time passes while the bot is down: the reminder's moment comes closer."""
    changed = query(
        db, "UPDATE outbox SET due_at = :due WHERE purpose = 'remind' RETURNING id", due=due
    )
    assert len(changed) == 1


async def test_killed_and_restarted_a_reminder_is_posted_once(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    db, log = tmp_path / "muster.db", tmp_path / "muster.log"
    proc = await spawn(tg, db, log)
    tg.say(GROUP, ORGANISER, "Olive", "/newevent Rally | in 3 hours | Square | remind=1h")
    await eventually(lambda: any("Rally · #1" in m.visible for m in tg.history(GROUP)))
    await eventually(lambda: reminder_status(db, "announce") == "sent")  # see below
    proc.kill()  # SIGKILL: no goodbye
    await proc.wait()

    # Down while the reminder fell due: after restart it is posted, late, once.
    move_reminder(db, datetime.now(UTC) - timedelta(minutes=5))
    proc = await spawn(tg, db, log)
    await eventually(lambda: len(reminders(tg)) == 1)
    # Telegram has no idempotency key: between its answer and our commit (a few ms) a
    # kill would leave the delivery "sending", and it is sent again rather than lost.
    # Kill once the send is recorded, which is where a crash costs nothing.
    await eventually(lambda: reminder_status(db) == "sent")
    proc.kill()
    await proc.wait()

    proc = await spawn(tg, db, log)  # started: what it owed at start is sent
    assert len(reminders(tg)) == 1
    assert (
        sum("Rally · #1" in m.visible and "Reminder" not in m.visible for m in tg.history(GROUP))
        == 1
    )  # announced once, too
    proc.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), 30) == 0


async def test_a_reminder_falls_due_while_running(tg: FakeTelegram, tmp_path: Path) -> None:
    db, log = tmp_path / "muster.db", tmp_path / "muster.log"
    proc = await spawn(tg, db, log)
    tg.say(GROUP, ORGANISER, "Olive", "/newevent Rally | in 3 hours | Square | remind=1h")
    await eventually(lambda: any("Rally · #1" in m.visible for m in tg.history(GROUP)))
    proc.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), 30) == 0
    # Due a few seconds after the restart: long enough for a start on a loaded machine.
    move_reminder(db, datetime.now(UTC) + timedelta(seconds=6))
    proc = await spawn(tg, db, log)  # started
    assert reminders(tg) == []  # not early…
    await eventually(lambda: len(reminders(tg)) == 1, timeout=20)  # …but on time
    proc.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), 30) == 0


async def test_sigterm_then_restart_handles_each_update_once(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    db, log = tmp_path / "muster.db", tmp_path / "muster.log"
    proc = await spawn(tg, db, log)
    tg.say(GROUP, ORGANISER, "Olive", "/newevent Social | tomorrow 19:00 | Pub")
    await eventually(lambda: any("Social · #1" in m.visible for m in tg.history(GROUP)))
    proc.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), 30) == 0
    # While it is down, members keep talking.
    tg.say(GROUP, 501, "Amy", "/rsvp 1 yes")
    tg.say(GROUP, 502, "Ben", "/rsvp 1 maybe")
    proc = await spawn(tg, db, log)
    await eventually(lambda: sum("You" in m.visible for m in tg.history(GROUP)) >= 2)
    await eventually(lambda: tg.pending_updates == 0)  # their updates are acknowledged
    proc.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), 30) == 0
    proc = await spawn(tg, db, log)
    tg.say(GROUP, ORGANISER, "Olive", "/events")
    await eventually(lambda: any("Upcoming events" in m.visible for m in tg.history(GROUP)))
    listing = [m.visible for m in tg.history(GROUP) if "Upcoming events" in m.visible][-1]
    assert "Social · 1 going, 1 maybe" in listing
    answers = [m.visible for m in tg.history(GROUP) if m.visible.startswith("You")]
    assert len(answers) == 2  # each RSVP answered once, none replayed
    proc.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), 30) == 0
    text = log.read_text()
    assert tg.token not in text and tg.token.split(":")[1] not in text
    assert "Amy" not in text and "/rsvp" not in text

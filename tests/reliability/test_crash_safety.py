"""SIGKILL at random moments, 50 times, during 1,000 RSVP presses from 100 members while
reminders fall due. After the last restart: every acknowledged press is in the database
and every reminder and announcement was posted exactly once.

Runs the real `muster run` process on Discord, where the delivery key travels as the
message nonce, so even a kill between Discord's answer and our record costs nothing.
"""

from __future__ import annotations

import asyncio
import random
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.databases import query
from tests.e2e.discord_world import CHANNEL
from tests.e2e.telegram_world import eventually
from tests.e2e.test_discord_process import spawn
from tests.fakes.discord_api import FakeDiscord
from tests.reliability.figures import record

KILLS = 50
PRESSES = 1000
MEMBERS = 100
EVENTS = 4
OFFSETS = ("1h", "2h", "30m")
ANSWERS = ("going", "maybe", "no")
# How the bot acknowledges a press, to the member alone.
ACKS = ("You're going", "You might go", "You can't go", "You had already")


def spread_reminders(db: Path, start: datetime, step: float) -> int:
    """Make the reminders fall due one after another during the run."""
    ids = [r[0] for r in query(db, "SELECT id FROM outbox WHERE purpose = 'remind' ORDER BY id")]
    for n, delivery_id in enumerate(ids):
        due = start + timedelta(seconds=step * (n + 1))
        query(db, "UPDATE outbox SET due_at = :due WHERE id = :id", due=due, id=delivery_id)
    return len(ids)


def stored_answers(db: Path) -> dict[tuple[str, int], str]:
    rows = query(
        db,
        "SELECT m.platform_user_id, r.event_id, r.answer FROM rsvps r"
        " JOIN members m ON m.id = r.member_id",
    )
    return {(user, event): answer for user, event, answer in rows}


async def test_fifty_kills_lose_no_acknowledged_press_and_repeat_no_reminder(
    dc: FakeDiscord, tmp_path: Path
) -> None:
    chance = random.Random(20261123)
    db, log = tmp_path / "muster.db", tmp_path / "muster.log"
    proc = await spawn(dc, db, log)
    for i in range(EVENTS):
        await dc.command(
            "newevent", {"details": f"Stall {i} | in 3 hours | Market | remind={','.join(OFFSETS)}"}
        )
    await eventually(
        lambda: len([m for m in dc.in_channel(CHANNEL) if m.buttons()]) == EVENTS, timeout=60
    )
    cards = {int(m.buttons()[0][1].split(":")[2]): m for m in dc.in_channel(CHANNEL) if m.buttons()}
    await eventually(lambda: _statuses(db, "announce") == {"sent"})
    proc.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), 30) == 0
    reminders_due = spread_reminders(db, datetime.now(UTC), step=2.5)

    presses: list[tuple[str, int, str, str]] = []  # member, event, answer, token

    async def press_all() -> None:
        for _ in range(PRESSES):
            member = str(10_000 + chance.randrange(MEMBERS))
            event = chance.randrange(1, EVENTS + 1)
            answer = chance.choice(ANSWERS)
            token = await dc.press(
                cards[event], f"rsvp:{answer}:{event}", user=member, user_name=f"Member {member}"
            )
            presses.append((member, event, answer, token))
            await asyncio.sleep(0.06)

    proc = await spawn(dc, db, log)
    pressing = asyncio.create_task(press_all())
    kills = 0
    try:
        for _ in range(KILLS):
            # A kill at a random moment: this wait is the test's chaos, not a guess.
            await asyncio.sleep(chance.uniform(0.05, 1.2))
            proc.kill()
            await proc.wait()
            kills += 1
            # Killed again from the moment it connects: start-up is a moment like any.
            proc = await spawn(dc, db, log, until_ready=False)
        await asyncio.wait_for(pressing, 300)
        # The last process runs until every reminder has fallen due and been posted.
        await eventually(lambda: _statuses(db, "remind") == {"sent"}, timeout=120)
    finally:
        pressing.cancel()
        if proc.returncode is None:  # a failure above may have left it dead already
            proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), 30)

    acked = [(m, e, a, t) for m, e, a, t in presses if _acknowledged(dc, t)]
    stored = stored_answers(db)
    lost = 0
    for member, event, _answer, _token in acked:
        mine = [p for p in presses if p[0] == member and p[1] == event]
        last_acked = max(i for i, p in enumerate(mine) if _acknowledged(dc, p[3]))
        possible = {p[2] for p in mine[last_acked:]}  # later presses may have landed unacked
        if stored.get((member, event)) not in possible:
            lost += 1
    assert lost == 0

    posted = [m.text for m in dc.in_channel(CHANNEL) if "Reminder" in m.text]
    expected = {f"Stall {i}" for i in range(EVENTS)}
    leads = [t.split("\n\n")[1] if "\n\n" in t else t for t in posted]
    assert len(posted) == reminders_due, leads
    assert len(set(leads)) == reminders_due  # none twice
    announcements = [m for m in dc.in_channel(CHANNEL) if m.buttons() and "Reminder" not in m.text]
    assert sorted(m.embeds[0]["title"] for m in announcements) == sorted(expected)
    record(
        "crash-safety",
        kills=kills,
        presses_sent=len(presses),
        presses_acknowledged=len(acked),
        acknowledged_lost=lost,
        reminders_due=reminders_due,
        reminders_posted=len(posted),
        reminders_posted_twice=len(posted) - len(set(leads)),
        announcements=len(announcements),
        resends_absorbed_by_nonce=dc.nonce_hits,
    )


def _acknowledged(dc: FakeDiscord, token: str) -> bool:
    return any(m.content.startswith(ACKS) for m in dc.answers(token))


def _statuses(db: Path, purpose: str) -> set[str]:
    return {r[0] for r in query(db, "SELECT status FROM outbox WHERE purpose = :p", p=purpose)}

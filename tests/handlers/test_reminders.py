"""Reminders: posted at their offsets, exactly once, across restarts and crashes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.storage.tables import Outbox
from tests.fakes.recording import RecordingMessenger
from tests.harness import Harness

LONDON_MEETING = "/newevent Branch meeting | 2026-10-29 19:30 | Library | remind=7d,1d,2h"


async def ledger(bot: Harness) -> list[Outbox]:
    async with bot.running.db.read() as session:
        rows = await session.scalars(
            select(Outbox)
            .where(Outbox.chat_id.is_not(None), Outbox.purpose != "private_reminders")
            .order_by(Outbox.id)
        )
        return list(rows)


def reminders(outs: list) -> list[str]:  # type: ignore[type-arg]
    return [
        line for o in outs if o.kind == "send" for line in o.text.split("\n") if "Reminder" in line
    ]


async def test_reminders_fall_at_the_right_instants_across_the_october_change(
    bot: Harness,
) -> None:
    bot.clock.set(datetime(2026, 10, 20, 12, 0, tzinfo=UTC))
    await bot.say(LONDON_MEETING)
    due = {d.offset_minutes: d.due_at for d in await ledger(bot) if d.purpose == "remind"}
    assert due == {
        7 * 1440: datetime(2026, 10, 22, 18, 30, tzinfo=UTC),  # 19:30 BST
        1440: datetime(2026, 10, 28, 19, 30, tzinfo=UTC),  # 19:30 GMT
        120: datetime(2026, 10, 29, 17, 30, tzinfo=UTC),  # 17:30 GMT
    }
    bot.clock.set(datetime(2026, 10, 22, 18, 29, tzinfo=UTC))
    assert reminders(await bot.tick(seconds=0)) == []
    posted = await bot.tick(minutes=1)
    assert len(reminders(posted)) == 1
    card = next(o for o in posted if o.kind == "send")
    assert "⏰ Reminder: Branch meeting is in 7 days." in card.text
    assert "Going 0 · Maybe 0 · Can't go 0" in card.text
    assert card.card is not None and card.card.buttons[0][0].action == "rsvp:going:1"
    bot.clock.set(datetime(2026, 10, 28, 19, 30, tzinfo=UTC))
    assert len(reminders(await bot.tick(seconds=0))) == 1
    bot.clock.set(datetime(2026, 10, 29, 17, 30, tzinfo=UTC))
    assert "is in 2 hours" in reminders(await bot.tick(seconds=0))[0]
    assert reminders(await bot.tick(hours=5)) == []


async def test_reminders_carry_current_counts(bot: Harness) -> None:
    await bot.say("/newevent Stall | tomorrow 10:00 | Market | remind=2h")
    await bot.press("rsvp:going:1", user="amy")
    await bot.press("rsvp:maybe:1", user="ben")
    bot.clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    [card] = [o for o in await bot.tick(seconds=0) if o.kind == "send"]
    assert "Going 1 · Maybe 1 · Can't go 0" in card.text


async def test_default_offsets_come_from_the_groups_settings(bot: Harness) -> None:
    await bot.say("/settings remind=3d,30m")
    await bot.say("/newevent Social | Thu 3 Dec 19:30 | Pub")
    offsets = sorted(d.offset_minutes for d in await ledger(bot) if d.purpose == "remind")
    assert offsets == [30, 3 * 1440]


async def test_a_restart_does_not_resend(bot: Harness) -> None:
    await bot.say("/newevent Meeting | tomorrow 19:00 | Hall | remind=2h")
    bot.clock.set(datetime(2026, 11, 24, 17, 0, tzinfo=UTC))
    assert len(reminders(await bot.tick(seconds=0))) == 1
    fresh = RecordingMessenger()
    await bot.restart(fresh)
    assert reminders(fresh.log) == []
    assert reminders(await bot.tick(minutes=30)) == []
    assert [d.status for d in await ledger(bot)] == ["sent", "sent"]


async def test_a_crash_before_sending_sends_once_after_restart(bot: Harness) -> None:
    await bot.say("/newevent Meeting | tomorrow 19:00 | Hall | remind=2h")
    bot.clock.set(datetime(2026, 11, 24, 17, 0, tzinfo=UTC))
    stuck = asyncio.Event()
    bot.messenger.hang = stuck  # the platform call never returns…
    run = asyncio.create_task(bot.running.scheduler.run_due())
    while not [d for d in await ledger(bot) if d.status == "sending"]:
        await asyncio.sleep(0.01)
    run.cancel()  # …and the process dies mid-send.
    await asyncio.gather(run, return_exceptions=True)
    assert reminders(bot.messenger.log) == []
    fresh = RecordingMessenger()
    await bot.restart(fresh)
    assert len(reminders(fresh.log)) == 1
    await bot.restart(RecordingMessenger())
    assert reminders(bot.messenger.log) == []


async def test_missed_while_down_is_sent_late_if_the_event_has_not_started(
    bot: Harness,
) -> None:
    await bot.say("/newevent Meeting | tomorrow 19:00 | Hall | remind=1d,2h")
    await bot.stop()
    bot.clock.set(datetime(2026, 11, 24, 18, 0, tzinfo=UTC))  # both fell due while down
    await bot.start()
    late = reminders(bot.messenger.log)
    assert len(late) == 2
    statuses = sorted(d.status for d in await ledger(bot))
    assert statuses == ["sent", "sent", "sent"]


async def test_missed_while_down_is_skipped_once_the_event_started(bot: Harness) -> None:
    await bot.say("/newevent Meeting | tomorrow 19:00 | Hall | remind=2h")
    await bot.stop()
    bot.clock.set(datetime(2026, 11, 24, 19, 30, tzinfo=UTC))
    await bot.start()
    assert reminders(bot.messenger.log) == []
    assert [d.status for d in await ledger(bot) if d.purpose == "remind"] == ["skipped"]


async def test_cancel_removes_pending_reminders(bot: Harness) -> None:
    await bot.say("/newevent Meeting | tomorrow 19:00 | Hall | remind=1d,2h")
    await bot.say("/cancelevent 1")
    assert [d.status for d in await ledger(bot) if d.purpose == "remind"] == ["cancelled"] * 2
    assert reminders(await bot.tick(days=2)) == []


async def test_a_failed_send_is_retried_with_backoff_not_lost(bot: Harness) -> None:
    await bot.say("/newevent Meeting | tomorrow 19:00 | Hall | remind=2h")
    bot.clock.set(datetime(2026, 11, 24, 17, 0, tzinfo=UTC))
    bot.messenger.failures = 2
    assert reminders(await bot.tick(seconds=0)) == []
    assert reminders(await bot.tick(seconds=2)) == []
    assert len(reminders(await bot.tick(seconds=4))) == 1
    assert reminders(await bot.tick(seconds=60)) == []


async def test_an_event_created_late_gets_only_the_reminders_still_ahead(bot: Harness) -> None:
    await bot.say("/newevent Rally | in 3 hours | Square | remind=7d,1d,2h")
    assert [d.offset_minutes for d in await ledger(bot) if d.purpose == "remind"] == [120]


async def test_the_wake_up_fires_by_itself(bot: Harness) -> None:
    """APScheduler wakes the process at the next due instant, with no one calling."""
    from bot.clock import SystemClock

    real = SystemClock()
    bot.clock = real  # type: ignore[assignment]
    bot.running.scheduler.clock = real
    bot.running.dispatcher.clock = real
    await bot.say("/newevent Rally | in 2 hours | Square | remind=119m")
    async with bot.running.db.write() as session:
        row = (await session.scalars(select(Outbox).where(Outbox.purpose == "remind"))).one()
        row.due_at = real.now() + timedelta(seconds=0.5)
    assert await bot.running.scheduler.run_due() == 0  # not yet due: a wake-up is set
    for _ in range(100):
        if reminders(bot.messenger.log):
            break
        await asyncio.sleep(0.05)
    assert len(reminders(bot.messenger.log)) == 1

"""Weekly 19:30 meetings across the 2026 clock changes, in London and in Berlin, with a
controlled clock: the local time never moves, and reminders fall at the right instants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.storage.tables import Event, Outbox
from tests.harness import Harness
from tests.reliability.figures import record

CASES = {
    # zone: (a Thursday some weeks before the spring change, weeks to cover)
    "Europe/London": datetime(2026, 3, 12, 9, 0, tzinfo=UTC),
    "Europe/Berlin": datetime(2026, 3, 12, 9, 0, tzinfo=UTC),
}


@pytest.mark.parametrize("zone", sorted(CASES))
@pytest.mark.parametrize("season", ["spring", "autumn"])
async def test_weekly_meetings_keep_their_local_time(bot: Harness, zone: str, season: str) -> None:
    start = CASES[zone] if season == "spring" else datetime(2026, 10, 8, 9, 0, tzinfo=UTC)
    bot.clock.set(start)
    tz = ZoneInfo(zone)
    await bot.say(f"/settings timezone={zone} remind=7d,1d,2h")
    first = start.astimezone(tz).date() + timedelta(days=(3 - start.weekday()) % 7 or 7)
    weeks = [first + timedelta(weeks=n) for n in range(5)]  # spans the change
    for day in weeks:
        await bot.say(f"/newevent Branch meeting | {day.isoformat()} 19:30 | Hall")
    async with bot.running.db.read() as session:
        events = list(await session.scalars(select(Event).order_by(Event.starts_at)))
        reminders = list(await session.scalars(select(Outbox).where(Outbox.purpose == "remind")))
    local = [e.starts_at.astimezone(tz) for e in events]
    assert [t.strftime("%a %H:%M") for t in local] == ["Thu 19:30"] * 5
    offsets = {e.starts_at.astimezone(tz).utcoffset() for e in events}
    assert len(offsets) == 2, "the five weeks should straddle a clock change"
    by_event = {e.id: e for e in events}
    checked = 0
    for reminder in reminders:
        event_start = by_event[reminder.event_id].starts_at
        local_due = reminder.due_at.astimezone(tz)
        if reminder.offset_minutes % 1440 == 0:  # days: same wall time, days before
            days = reminder.offset_minutes // 1440
            assert local_due.strftime("%H:%M") == "19:30"
            assert local_due.date() == event_start.astimezone(tz).date() - timedelta(days=days)
        else:  # hours: elapsed time
            assert event_start - reminder.due_at == timedelta(minutes=reminder.offset_minutes)
        checked += 1
    # Walk the clock through every due instant: each reminder posts once, at its time.
    posted = 0
    for reminder in sorted(reminders, key=lambda r: r.due_at):
        bot.clock.set(reminder.due_at - timedelta(seconds=1))
        early = await bot.tick(seconds=0)
        assert not [
            o
            for o in early
            if "Reminder" in o.text
            and o.kind == "send"
            and f"#{reminder.event_id}" in o.text
            and _is(o.text, reminder)
        ]
        bot.clock.set(reminder.due_at)
        outs = [o for o in await bot.tick(seconds=0) if o.kind == "send" and "Reminder" in o.text]
        assert any(_is(o.text, reminder) for o in outs), (reminder.offset_minutes, reminder.due_at)
        posted += len(outs)
    assert posted == len(reminders)
    record(
        f"dst-{zone.replace('/', '-')}-{season}",
        meetings=5,
        reminders=len(reminders),
        reminders_checked=checked,
        posted=posted,
    )


def _is(text: str, reminder: Outbox) -> bool:
    words = {10080: "in 7 days", 1440: "tomorrow", 120: "in 2 hours"}
    return f"#{reminder.event_id}" in text and words[reminder.offset_minutes] in text

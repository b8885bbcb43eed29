"""A repeat rule can neither stall the bot nor flood the database or a chat.

Finding a rule's dates is bounded in date and in work (a rule that never occurs made
dateutil walk to the year 9999: 4–8 s of a frozen loop), runs in a worker thread before
the transaction, and a rule can make at most one date a day, a few weeks ahead, within
the group's quota of upcoming events.
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta

import pytest
from dateutil.rrule import rrulestr
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.domain import recurrence
from bot.domain.errors import UserError
from bot.domain.recurrence import parse_repeat, walls
from bot.messaging import ChatRef
from bot.storage import series as series_store
from bot.storage.tables import Event, Outbox
from tests.harness import Harness, one_line
from tests.reliability.figures import record

START = datetime(2026, 12, 3, 19, 30)
NEVER = "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        (NEVER, "gives no date in the next two years"),
        ("RRULE:FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=31", "gives no date in the next two years"),
        ("RRULE:FREQ=DAILY;INTERVAL=0", "INTERVAL is a whole number from 1 to 99"),
        ("RRULE:FREQ=DAILY;BYHOUR=0,1,2,3", "BYHOUR is not taken"),
        ("RRULE:FREQ=DAILY;BYMINUTE=0,5,10", "BYMINUTE is not taken"),
        ("RRULE:FREQ=DAILY;BYSECOND=1,2", "BYSECOND is not taken"),
        ("RRULE:FREQ=HOURLY", "repeats DAILY, WEEKLY, MONTHLY or YEARLY"),
        ("RRULE:FREQ=MINUTELY;INTERVAL=1", "repeats DAILY, WEEKLY, MONTHLY or YEARLY"),
        ("RRULE:FREQ=DAILY;BYEASTER=0", "BYEASTER is not a part of a repeat I take"),
        ("RRULE:FREQ=DAILY;COUNT", "cannot be read"),
    ],
)
def test_rules_that_flood_or_never_occur_are_refused_with_a_reason(rule: str, reason: str) -> None:
    with pytest.raises(UserError) as refused:
        parse_repeat(rule, START)
    assert reason in refused.value.line()


@settings(max_examples=60, deadline=None)
@given(
    freq=st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]),
    interval=st.integers(1, 5),
    extra=st.sampled_from(
        ["", ";BYDAY=MO,TH", ";BYMONTHDAY=29", ";BYMONTH=2", ";BYDAY=-1FR", ";BYSETPOS=1"]
    ),
    day=st.integers(0, 3000),
)
def test_the_bounded_walk_finds_exactly_what_dateutil_finds(
    freq: str, interval: int, extra: str, day: int
) -> None:
    """The 400-year shift that bounds the walk changes no date: leap days and weekdays
    repeat with the Gregorian cycle."""
    if extra == ";BYSETPOS=1":
        extra = ";BYDAY=MO,TU;BYSETPOS=1"
    rule = f"FREQ={freq};INTERVAL={interval}{extra}"
    start = START + timedelta(days=day)
    until = start + timedelta(days=800)
    expected = rrulestr(rule, dtstart=start).between(start, until, inc=True)[:50]
    assert walls(rule, start, until, 50) == expected


def test_a_rule_that_never_occurs_is_walked_a_bounded_way() -> None:
    """dateutil stops at the year 9999; the window is moved within 400 years of it, so
    the walk past the window is at most 400 years, whatever the start."""
    for year in (1970, 2026, 2399, 2400, 9000):
        start = datetime(year, 3, 1, 19, 30)
        assert walls(NEVER[6:], start, start + recurrence.FIRST_WITHIN, 1) == []
        shift = (9998 - (start + recurrence.FIRST_WITHIN).year) // 400 * 400
        assert 9999 - ((start + recurrence.FIRST_WITHIN).year + shift) <= 401


async def test_an_impossible_rule_is_refused_while_other_groups_are_answered(
    bot: Harness,
) -> None:
    other = ChatRef("test", "other-group")
    await bot.say("/newevent Meeting | Thu 3 Dec 19:30 | Hall", chat=other)
    recurrence._walls.cache_clear()
    started = time.perf_counter()
    mark = bot.mark()
    await asyncio.gather(
        bot.say(f"/newevent Stall | Thu 3 Dec 19:30 | Market | repeat={NEVER}"),
        bot.say("/events", user="amy", chat=other),
    )
    took = time.perf_counter() - started
    said = {o.target.id: o.text for o in bot.since(mark)}
    assert "gives no date in the next two years" in said["group-1"]
    assert "Meeting" in said["other-group"]
    # The rule was walked once, in the worker thread before the transaction; the
    # handler found nothing left to walk (the refusal came from the thread).
    assert recurrence._walls.cache_info().misses == 1
    record("rule-bounds", impossible_rule_refused_seconds=round(took, 3))


async def test_a_possible_rule_is_walked_before_the_transaction(bot: Harness) -> None:
    recurrence._walls.cache_clear()
    await bot.say("/newevent Stall | Thu 3 Dec 19:30 | Market | repeat=weekly")
    info = recurrence._walls.cache_info()
    assert info.hits >= 1  # the handler's walk was the worker's, remembered


async def test_a_daily_series_is_made_a_few_weeks_ahead_only(bot: Harness) -> None:
    outs = await bot.say("/newevent Phone bank | tomorrow 18:00 | Office | repeat=RRULE:FREQ=DAILY")
    assert not any(o.kind == "answer" and "Sorry" in o.text for o in outs)
    async with bot.running.db.read() as session:
        made = await session.scalar(select(func.count()).select_from(Event))
        days = await session.scalar(select(func.count(func.distinct(func.date(Event.starts_at)))))
    assert made == days  # one a day
    assert made is not None and made <= series_store.MAX_AHEAD


async def test_the_groups_quota_of_upcoming_events_holds(bot: Harness) -> None:
    """Fifteen daily series of 35 dates each would make 525 events: 500 are made."""
    for n in range(14):
        await bot.say(
            f"/newevent Canvass {n} | tomorrow 10:00 | Ward {n} | repeat=RRULE:FREQ=DAILY"
        )
    last = await bot.say("/newevent Canvass 14 | tomorrow 10:00 | Ward | repeat=RRULE:FREQ=DAILY")
    told = [o.text for o in last if o.kind == "answer"]
    assert told and told[0].startswith("Made 10 dates: the group now holds 500 upcoming")
    async with bot.running.db.read() as session:
        made = await session.scalar(select(func.count()).select_from(Event))
        owed = await session.scalar(select(func.count()).select_from(Outbox))
    assert made == series_store.UPCOMING_QUOTA
    refusal = one_line(await bot.say("/newevent One more | tomorrow 11:00 | Hall"))
    assert "has 500 upcoming events already" in refusal
    record("quota", events_made=made, deliveries_owed=owed)

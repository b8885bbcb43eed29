"""The daily retention job covers everything, on the schedule of answers: private
notices (a reminder reveals who said Going), sign-ups of closed sheets, memberships of
groups not used since, authors of old records and audit entries, spent link codes, and
members with nothing left."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.storage.tables import (
    AuditEntry,
    ChatMember,
    Event,
    LinkCode,
    Member,
    Outbox,
    Rsvp,
    Signup,
)
from tests.harness import Harness
from tests.reliability.figures import record


async def count(bot: Harness, column: object, *where: object) -> int:
    async with bot.running.db.read() as session:
        found = await session.scalar(select(func.count(column)).where(*where))  # type: ignore[arg-type]
    return int(found or 0)


async def test_retention_takes_what_is_old_everywhere(bot: Harness) -> None:
    await bot.say("/newevent Dinner | tomorrow 19:00 | Cafe | capacity=1")
    await bot.say("/newsignup Stall | slots=Morning:2 | deadline=tomorrow 18:00")
    await bot.press("rsvp:going:1", user="ben", name="Ben Ng")
    await bot.press("rsvp:going:1", user="amy", name="Amy Jones")  # waiting
    await bot.press("rsvp:no:1", user="ben", name="Ben Ng")  # Amy is moved in: a notice
    await bot.say("/signup 1 1", user="amy", name="Amy Jones")
    await bot.say("/link")  # a code that will expire
    await bot.say("/start", user="cal", name="Cal Ode", private=True)  # only read the notice
    assert (
        await count(bot, Outbox.id, Outbox.member_id.is_not(None)) >= 1
        and await count(bot, LinkCode.id) == 1
    )
    assert await count(bot, Signup.id) == 1 and await count(bot, ChatMember.id) == 3
    assert not any((await bot.running.apply_retention()).values())  # nothing old yet

    bot.clock.set(datetime(2027, 11, 30, 12, 0, tzinfo=UTC))  # over a year later
    done = await bot.running.apply_retention()
    record("retention", **done)
    assert await count(bot, Outbox.id, Outbox.member_id.is_not(None)) == 0
    assert await count(bot, Signup.id) == 0
    assert await count(bot, ChatMember.id) == 0
    assert await count(bot, LinkCode.id) == 0
    assert await count(bot, AuditEntry.id, AuditEntry.actor_id.is_not(None)) == 0
    assert await count(bot, AuditEntry.id) > 0  # what was done stays, without who
    assert await count(bot, Event.id, Event.created_by.is_not(None)) == 0
    assert await count(bot, Rsvp.id, Rsvp.member_id.is_not(None)) == 0
    assert await count(bot, Rsvp.id) == 2  # the answers stay as numbers
    assert await count(bot, Member.id) == 0  # nobody has anything left
    assert done["members"] == 4  # the organiser, Amy, Ben and Cal


async def test_a_member_still_active_is_kept(bot: Harness) -> None:
    await bot.say("/iam clp=Harborough", user="amy", name="Amy Jones")
    bot.clock.set(datetime(2027, 11, 1, tzinfo=UTC))
    await bot.say("/iam clp=Harborough", user="amy", name="Amy Jones", private=True)
    bot.clock.set(datetime(2027, 11, 30, tzinfo=UTC))
    await bot.running.apply_retention()
    assert await count(bot, Member.id, Member.platform_user_id == "amy") == 1

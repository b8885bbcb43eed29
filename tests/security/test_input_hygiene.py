"""Only what the member meant is executed, and text from members is clean: link codes
cannot be guessed, and invisible or control characters cannot disguise a title, a place
or a name, or break a calendar file."""

from __future__ import annotations

from icalendar import Calendar
from sqlalchemy import func, select

from bot.messaging import ChatRef, Invocation, UserRef
from bot.storage.tables import AuditEntry, Event, LinkCode, Member
from tests.fakes.recording import Out
from tests.harness import Harness, one_line

OTHER = ChatRef("test", "other-chat")
RLO, ZWSP, ZWJ, LRI = "\u202e", "\u200b", "\u200d", "\u2066"


async def test_link_codes_cannot_be_guessed(bot: Harness) -> None:
    outs = await bot.say("/link", chat=OTHER)
    code = next(o.text for o in outs if o.kind == "private").split()[2]
    answers = [one_line(await bot.say(f"/link WRONG{n:03d}")) for n in range(5)]
    assert all(a.startswith("That code is unknown, used or expired") for a in answers)
    # The sixth try, even with the right code, is refused: the chat must wait.
    refused = one_line(await bot.say(f"/link {code}"))
    assert "Too many wrong link codes were tried in this chat" in refused
    async with bot.running.db.read() as session:
        failures = await session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "link-failed")
        )
    assert failures == 5  # each wrong try is in the audit log
    bot.clock.advance(minutes=11)
    outs = await bot.say("/link", chat=OTHER)  # a new code: the old one is gone
    fresh = next(o.text for o in outs if o.kind == "private").split()[2]
    async with bot.running.db.read() as session:
        codes = list(await session.scalars(select(LinkCode.code)))
    assert codes == [fresh]
    linked = await bot.say(f"/link {fresh}")
    assert "Linked." in linked[0].text


async def test_invisible_characters_are_stripped_from_titles_places_and_names(
    bot: Harness,
) -> None:
    await bot.say(f"/newevent Branch{ZWSP} meet{RLO}ing | Thu 3 Dec 19:30 | Hall{ZWJ} E2 0HL")
    await bot.say("/iam branch=Bow", user="eve", name=f"Amy{LRI} Jones{RLO}")
    async with bot.running.db.read() as session:
        event = (await session.scalars(select(Event))).one()
        eve = await session.scalar(select(Member).where(Member.platform_user_id == "eve"))
    assert event.title == "Branch meeting" and event.location == "Hall E2 0HL"
    assert eve is not None and eve.display_name == "Amy Jones"


async def test_a_chat_title_with_control_characters_cannot_break_the_calendar(
    bot: Harness,
) -> None:
    evil = ChatRef("test", "evil")

    async def say(command: str, args: str = "") -> list[Out]:
        # The platform reports a title with a line break and a header of its own.
        inv = Invocation(
            chat=evil,
            user=UserRef("test", "org"),
            user_name="Org",
            chat_title="Branch\r\nX-INJECTED:1\x00",
            command=command,
            args=args,
        )
        mark = bot.mark()
        await bot.running.dispatcher.handle(inv)
        return bot.since(mark)

    await say("newevent", "Meeting | Thu 3 Dec 19:30 | Hall")
    [file] = [o for o in await say("calendar") if o.kind == "file"]
    assert file.file is not None
    calendar = Calendar.from_ical(file.file.data)
    assert str(calendar["X-WR-CALNAME"]) == "Branch X-INJECTED:1"
    assert b"\nX-INJECTED" not in file.file.data
    assert "\n" not in file.file.caption and file.file.name == "muster-events.ics"


async def test_a_nul_anywhere_is_taken_out_before_anything_reads_it(bot: Harness) -> None:
    """PostgreSQL refuses NUL in text and fails the whole transaction: a NUL in a code, a
    title or a name must get the answer its text without it gets, on either database."""
    assert "unknown, used or expired" in one_line(await bot.say("/link AB\x00CD"))
    await bot.say("/newevent Stall\x00 day | Thu 3 Dec 10:00 | Market\x00 Square")
    await bot.say("/iam branch=Bow\x00", user="eve", name="Eve\x00 Jones")
    going = await bot.say("/rsvp 1\x00 yes", user="eve", name="Eve\x00 Jones")
    assert any("going" in o.text for o in going), [o.text for o in going]
    async with bot.running.db.read() as session:
        event = (await session.scalars(select(Event))).one()
        eve = await session.scalar(select(Member).where(Member.platform_user_id == "eve"))
    assert (event.title, event.location) == ("Stall day", "Market Square")
    assert eve is not None and eve.display_name == "Eve Jones"

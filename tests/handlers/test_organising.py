"""The finer rules of organising: who is told what privately, exactly once; what edits,
links, check-in and waiting lists refuse; what erasure and retention take away."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from icalendar import Calendar
from sqlalchemy import func, select

from bot.domain.outbox import Purpose
from bot.messaging import ChatRef
from bot.storage.tables import Attendance, ChatMember, Outbox
from tests.fakes.recording import Out, RecordingMessenger
from tests.harness import Harness, one_line

OTHER = ChatRef("test", "group-2")
MEETING = "/newevent Branch meeting | Thu 3 Dec 7.30pm | Library"


def private_to(outs: list[Out], user: str) -> list[str]:
    return [o.text for o in outs if o.kind == "private" and o.target.id == user]


async def opt_in(bot: Harness, user: str) -> None:
    await bot.say("/settings reminders=on", user=user, private=True)


async def test_private_reminders_go_once_to_those_going_who_asked(bot: Harness) -> None:
    await bot.say(MEETING + " | remind=1d,2h")
    await bot.press("rsvp:going:1", user="amy")
    await bot.press("rsvp:going:1", user="ben")  # going, but did not ask
    await bot.press("rsvp:maybe:1", user="cat")
    await opt_in(bot, "amy")
    await opt_in(bot, "cat")  # asked, but only maybe
    bot.clock.set(datetime(2026, 12, 2, 19, 30, tzinfo=UTC))
    day_before = await bot.tick(seconds=0)
    assert [o.kind for o in day_before] == ["send"]  # the 1d reminder: group only
    bot.clock.set(datetime(2026, 12, 3, 17, 30, tzinfo=UTC))
    outs = await bot.tick(seconds=0)
    [text] = private_to(outs, "amy")
    assert text.startswith("⏰ Reminder: you said you're going to Branch meeting")
    assert private_to(outs, "ben") == [] and private_to(outs, "cat") == []
    await bot.restart(RecordingMessenger())
    assert private_to(await bot.tick(minutes=5), "amy") == []


async def test_a_member_who_changed_to_no_gets_no_private_reminder(bot: Harness) -> None:
    await bot.say(MEETING + " | remind=2h")
    await bot.press("rsvp:going:1", user="amy")
    await opt_in(bot, "amy")
    await bot.press("rsvp:no:1", user="amy")
    bot.clock.set(datetime(2026, 12, 3, 17, 30, tzinfo=UTC))
    assert private_to(await bot.tick(seconds=0), "amy") == []


async def test_change_and_cancel_notices_reach_only_those_coming_who_asked(bot: Harness) -> None:
    await bot.say(MEETING)
    for user, answer in (("amy", "going"), ("ben", "maybe"), ("cat", "no"), ("dan", "going")):
        await bot.press(f"rsvp:{answer}:1", user=user)
    for user in ("amy", "ben", "cat"):
        await opt_in(bot, user)
    outs = await bot.say("/editevent 1 title=Branch AGM")
    assert not any(o.kind == "private" for o in outs)  # a new title is not news to send
    outs = await bot.say("/editevent 1 where=Town Hall")
    assert [o.kind for o in outs].count("send") == 1
    [notice] = [o.text for o in outs if o.kind == "send"]
    assert "✏️ Changed: Branch AGM has a new place. 3 who said Going or Maybe" in notice
    assert [u for u in ("amy", "ben", "cat", "dan") if private_to(outs, u)] == ["amy", "ben"]
    outs = await bot.say("/cancelevent 1 Flooded")
    assert [u for u in ("amy", "ben", "cat", "dan") if private_to(outs, u)] == ["amy", "ben"]
    assert any(
        "❌ Cancelled: Branch AGM (#1) — Flooded" in o.text for o in outs if o.kind == "send"
    )


async def test_moving_a_meeting_owes_its_reminders_again(bot: Harness) -> None:
    await bot.say("/newevent Stall | Wed 25 Nov 10:00 | Market | remind=1d")
    bot.clock.set(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    assert len([o for o in await bot.tick(seconds=0) if "Reminder" in o.text]) == 1
    await bot.say("/editevent 1 when=Sat 28 Nov 10:00")
    bot.clock.set(datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
    assert len([o for o in await bot.tick(seconds=0) if "Reminder" in o.text]) == 1
    assert [o for o in await bot.tick(hours=1) if "Reminder" in o.text] == []


async def test_edit_refusals_are_one_line_and_change_nothing(bot: Harness) -> None:
    await bot.say(MEETING)
    await bot.say("/newevent Old | tomorrow 9:00 | Hall")
    for line, reason in [
        ("/editevent 1", "What changes? Give them as key=value."),
        ("/editevent 1 colour=red", "Unknown option"),
        ("/editevent 1 title=", "cannot be empty"),
        ("/editevent 1 when=yesterday 9:00", "past"),
        ("/editevent 1 capacity=lots", "Capacity"),
        ("/editevent 1 repeat=weekly", "can only be ended"),
        ("/editevent 1 repeat=none", "does not repeat"),
        ("/editevent 1 motion=nope", "There is no motion"),
        ("/editevent 9 title=X", "There is no event #9"),
    ]:
        assert reason in one_line(await bot.say(line)), line
    assert "organisers" in one_line(await bot.say("/editevent 1 title=Mine", user="amy"))
    bot.clock.set(datetime(2026, 11, 24, 9, 30, tzinfo=UTC))
    assert "already started" in one_line(await bot.say("/editevent 2 title=Late"))
    [card] = await bot.say("/event 1")
    assert "Branch meeting" in card.text and "Library" in card.text


async def test_more_places_move_the_waiting_list_in(bot: Harness) -> None:
    await bot.say(MEETING + " | capacity=1")
    await bot.press("rsvp:going:1", user="amy")
    [toast] = [o.text for o in await bot.press("rsvp:going:1", user="ben") if o.kind == "toast"]
    assert toast.startswith("You're number 1 on the waiting list for Branch meeting.")
    assert "To be told privately when a place frees: open the test start link." in toast
    again = [o.text for o in await bot.press("rsvp:waiting:1", user="ben") if o.kind == "toast"]
    assert again[0].startswith("You're number 1 on the waiting list for Branch meeting.")
    outs = await bot.say("/rsvp 1 wait", user="cat")
    assert [o.text for o in outs if o.kind == "answer"] == [
        "You're number 2 on the waiting list for Branch meeting."
    ]
    outs = await bot.say("/editevent 1 capacity=2")
    assert private_to(outs, "ben") and not private_to(outs, "cat")
    assert "A place came free: you're now going to Branch meeting" in private_to(outs, "ben")[0]
    [card] = await bot.say("/event 1")
    assert "Going 2/2 · Maybe 0 · Can't go 0 · Waiting list 1" in card.text
    assert card.card is not None and card.card.buttons[0][0].label == "Join waiting list"


async def test_ending_a_series_cancels_its_later_dates(bot: Harness) -> None:
    await bot.say(MEETING + " | repeat=weekly")
    outs = await bot.say("/editevent 2 repeat=none")
    assert "The series ends here: 2 later dates cancelled." in one_line(outs)
    [listing] = await bot.say("/events")
    assert [line.split()[0] for line in listing.text.splitlines() if line.startswith("#")] == [
        "#1",
        "#2",
    ]
    bot.clock.set(datetime(2027, 1, 20, 12, 0, tzinfo=UTC))
    assert await bot.running.extend_series() == 0


async def test_link_codes_expire_are_single_use_and_rights_stay_per_chat(bot: Harness) -> None:
    [code_out] = [o for o in await bot.say("/link") if "Link code" in o.text]
    code = code_out.text.split("Link code: ")[1].split()[0]
    assert "unknown, used or expired" in one_line(await bot.say(f"/link {code}"))  # own chat
    [code_out] = [o for o in await bot.say("/link") if "Link code" in o.text]
    code = code_out.text.split("Link code: ")[1].split()[0]
    bot.clock.advance(minutes=11)
    assert "expired" in one_line(await bot.say(f"/link {code}", chat=OTHER))
    [code_out] = [o for o in await bot.say("/link") if "Link code" in o.text]
    code = code_out.text.split("Link code: ")[1].split()[0]
    assert "organisers" in one_line(await bot.say(f"/link {code}", user="amy", chat=OTHER))
    outs = await bot.say(f"/link {code.lower()}", chat=OTHER)
    assert "Linked." in outs[0].text
    outs = await bot.say(MEETING, chat=OTHER)
    assert {o.target.id for o in outs if o.kind == "send"} == {"group-1", "group-2"}
    await bot.press("rsvp:going:1", user="amy")
    await bot.press("rsvp:going:1", user="ben", chat=OTHER)
    [card] = await bot.say("/event 1")
    assert "Going 2" in card.text
    for line in ("/editevent 1 title=X", "/cancelevent 1", "/checkin 1", "/attendees 1"):
        assert "comes from a linked chat" in one_line(await bot.say(line)), line


async def test_check_in_opens_for_the_event_only(bot: Harness) -> None:
    await bot.say("/newevent Rally | tomorrow 18:00 | Square | ends=20:00")
    await bot.say("/checkin 1")
    assert "opens at Tue 24 Nov 17:30" in one_line(await bot.press("checkin:here:1", user="amy"))
    bot.clock.set(datetime(2026, 11, 24, 19, 0, tzinfo=UTC))
    assert "checked in" in one_line(await bot.press("checkin:here:1", user="amy"))
    bot.clock.set(datetime(2026, 11, 24, 20, 0, tzinfo=UTC))
    assert "has closed" in one_line(await bot.press("checkin:here:1", user="ben"))
    assert "over" in one_line(await bot.say("/checkin 1"))
    assert "There is no event #9" in one_line(await bot.press("checkin:here:9", user="ben"))


async def test_a_moved_date_of_a_series_is_an_override_in_the_calendar(bot: Harness) -> None:
    await bot.say(MEETING + " | repeat=weekly")
    await bot.say("/editevent 3 when=Fri 18 Dec 7pm")
    [file] = [o for o in await bot.say("/calendar", user="amy") if o.kind == "file"]
    assert file.file is not None and file.target.id == "amy"
    cal = Calendar.from_ical(file.file.data)
    [moved] = [e for e in cal.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert moved.decoded("RECURRENCE-ID").day == 17
    assert moved.decoded("DTSTART").day == 18 and moved.decoded("DTSTART").hour == 19


async def test_erasure_and_retention_take_attendance_too(bot: Harness) -> None:
    await bot.say("/newevent Rally | tomorrow 18:00 | Square")
    await bot.press("rsvp:going:1", user="amy", name="Amy")
    bot.clock.set(datetime(2026, 11, 24, 18, 0, tzinfo=UTC))
    await bot.say("/checkin 1")
    await bot.press("checkin:here:1", user="amy", name="Amy")
    await bot.press("checkin:here:1", user="ben", name="Ben")
    [file] = [o for o in await bot.say("/mydata", user="amy") if o.kind == "file"]
    assert file.file is not None
    held = json.loads(file.file.data)
    assert [a["event"] for a in held["attended"]] == ["Rally"]
    assert [g["group"] for g in held["groups"]] == ["Test group"]
    outs = await bot.say("/forgetme", user="amy")
    [ask] = [o for o in outs if o.card and o.card.buttons]
    assert ask.card is not None
    await bot.press(ask.card.buttons[0][0].action, user="amy")
    async with bot.running.db.read() as session:
        came = list(await session.scalars(select(Attendance.member_id)))
        memberships = await session.scalar(select(func.count(ChatMember.id)))
        notices = await session.scalar(
            select(func.count(Outbox.id)).where(
                Outbox.member_id.is_not(None), Outbox.purpose != Purpose.AFTER_MEETING
            )
        )
    assert len(came) == 2 and came.count(None) == 1  # Amy's visit is only a number now
    assert memberships == 2 and notices == 0  # Ben and the organiser remain; Amy's go
    bot.clock.set(datetime(2027, 12, 1, tzinfo=UTC))
    await bot.running.apply_retention()
    async with bot.running.db.read() as session:
        assert list(await session.scalars(select(Attendance.member_id))) == [None, None]


async def test_a_refused_press_does_not_hide_the_member_from_the_group(bot: Harness) -> None:
    """The refusal rolls its transaction back, the group membership with it; the next
    press of the same member must record it again."""
    await bot.say(MEETING + " | capacity=1")
    await bot.press("rsvp:going:1", user="amy")
    assert "full" in one_line(await bot.say("/rsvp 1 yes", user="ben"))
    await bot.press("rsvp:maybe:1", user="ben")
    async with bot.running.db.read() as session:
        members = await session.scalar(select(func.count(ChatMember.id)))
    assert members == 3  # the organiser, Amy and Ben

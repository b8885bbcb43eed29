"""Organising depth through the console: series, edits, deadlines, check-in, motions,
linked chats, calendars, waiting lists, members' facts, private reminders, nudges."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.conftest import NOW
from tests.console.console_world import Console
from tests.harness import FakeClock

SERIES = "/newevent Branch meeting | Thu 3 Dec 7.30pm | Library | repeat=weekly"


@pytest.fixture
async def console(tmp_path: Path) -> AsyncIterator[Console]:
    running = await Console(tmp_path / "c.db", FakeClock(NOW)).start()
    try:
        yield running
    finally:
        await running.stop()


def listing(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("#")]


async def test_a_weekly_series_has_its_own_dates_each_cancelled_or_moved_alone(
    console: Console,
) -> None:
    out = await console.type(SERIES)
    assert out.count("Branch meeting · #") == 1  # later dates are announced later
    assert "🔁 Repeats every week" in out
    assert listing(await console.type("/events")) == [
        "#1 Thu 3 Dec 19:30 · Branch meeting · 0 going, 0 maybe",
        "#2 Thu 10 Dec 19:30 · Branch meeting · 0 going, 0 maybe",
        "#3 Thu 17 Dec 19:30 · Branch meeting · 0 going, 0 maybe",
        "#4 Thu 24 Dec 19:30 · Branch meeting · 0 going, 0 maybe",
    ]
    await console.type("/rsvp 1 yes")
    assert "Cancelled #2" in await console.type("/cancelevent 2 Room booked")
    assert "Updated #3" in await console.type("/editevent 3 when=Fri 18 Dec 7pm")
    assert listing(await console.type("/events")) == [
        "#1 Thu 3 Dec 19:30 · Branch meeting · 1 going, 0 maybe",
        "#3 Fri 18 Dec 19:00 · Branch meeting · 0 going, 0 maybe",
        "#4 Thu 24 Dec 19:30 · Branch meeting · 0 going, 0 maybe",
    ]
    # Each date is announced when the one before it starts; a cancelled one never is.
    console.clock.set(datetime(2026, 12, 3, 19, 30, tzinfo=UTC))
    assert "Branch meeting · #" not in await console.tick(seconds=0)
    console.clock.set(datetime(2026, 12, 10, 19, 30, tzinfo=UTC))
    assert "Branch meeting · #3" in await console.tick(seconds=0)
    # Across the spring clock change the meeting stays at 19:30 London time.
    console.clock.set(datetime(2027, 3, 20, 12, 0, tzinfo=UTC))
    assert console.harness is not None
    await console.harness.running.extend_series()
    lines = listing(await console.type("/events"))
    assert "Thu 25 Mar 19:30 · Branch meeting" in lines[0]
    assert "Thu 1 Apr 19:30 · Branch meeting" in lines[1]
    # The series is still one series: a cancelled or moved date was not made again.
    assert all(not line.startswith(("#2 ", "#3 ")) for line in lines)


async def test_an_edit_updates_the_card_tells_those_coming_and_moves_reminders(
    console: Console,
) -> None:
    await console.type("/newevent Branch meeting | Thu 3 Dec 7.30pm | Library | remind=1d")
    out = await console.type("/as Amy", "1", "/my")
    assert "You're going to Branch meeting." in out
    await console.type(console.button("Remind me privately: off", out))
    out = await console.type("/as", "/editevent 1 when=Fri 4 Dec 7pm where=Town Hall")
    assert "✏️ Changed: Branch meeting has a new time and place." in out
    assert "1 who said Going or Maybe, please take note." in out
    assert "── message 1 updated ──" in out and "Fri 4 Dec 2026, 19:00" in out
    assert re.search(r"privately to you, message \d+ ──\nBranch meeting\n\n✏️ Changed", out)
    # The reminder moves with the meeting: none the day before the old date.
    console.clock.set(datetime(2026, 12, 2, 19, 30, tzinfo=UTC))
    assert "Reminder" not in await console.tick(seconds=0)
    console.clock.set(datetime(2026, 12, 3, 19, 0, tzinfo=UTC))
    assert "⏰ Reminder: Branch meeting is tomorrow." in await console.tick(seconds=0)
    out = await console.type("/cancelevent 1 Hall flooded")
    assert "❌ Cancelled: Branch meeting (#1) — Hall flooded" in out
    assert out.count("❌ Cancelled: Branch meeting") == 2  # in the group, and privately


async def test_a_deadline_counts_down_takes_no_answers_and_reminds(console: Console) -> None:
    out = await console.type("/newevent CLP nominations close | 26 Nov | remind=1d")
    assert "Deadline · #1" in out and "[1]" not in out
    assert "CLP nominations close · closes in 3 days" in await console.type("/events")
    console.clock.set(datetime(2026, 11, 25, 23, 59, tzinfo=UTC))
    assert "⏰ Reminder: CLP nominations close is tomorrow." in await console.tick(seconds=0)


async def test_check_in_and_who_came(console: Console) -> None:
    await console.type("/newevent Rally | tomorrow 18:00 | Square")
    out = await console.type("/as Amy", "1", "/as Ben", "1")
    assert "You're going to Rally." in out
    console.clock.set(datetime(2026, 11, 24, 17, 45, tzinfo=UTC))
    out = await console.type("/as", "/checkin 1")
    assert "✅ Check-in is open for Rally until Tue 24 Nov 21:00" in out
    here = console.button("I'm here", out)
    out = await console.type("/as Amy", here, here, "/as Cat", here)
    assert out.count("Welcome to Rally! You're checked in.") == 2
    assert "You're already checked in at Rally." in out
    out = await console.type("/as", "/attendees 1")
    assert "Said yes and came (1): Amy" in out
    assert "Said yes but didn't come (1): Ben" in out
    assert "Came without saying yes (1): Cat" in out
    assert "#1: Going 2 · Maybe 0 · Can't go 0 · came 2" in out
    await console.type("/checkin 1 Ben")
    await console.type("/export 1")
    rows = (console.files() / "event-1-rsvps.csv").read_text().splitlines()
    assert rows[0].endswith(",came")
    assert [r.split(",")[2] + ":" + r.split(",")[-1] for r in rows[1:]] == [
        "Amy:yes",
        "Ben:yes",
        "Cat:yes",
    ]


async def test_a_groups_own_motion_its_status_and_the_tally(
    console: Console, tmp_path: Path
) -> None:
    await console.type("/settings branch=Lutterworth clp=Harborough")
    out = await console.type("/newmotion buses | Save our buses | The {branch} branch backs buses.")
    assert "Added this group's motion:" in out and "The Lutterworth branch backs buses." in out
    (tmp_path / "leaflets.txt").write_text("{clp} will deliver leaflets.\n")
    out = await console.type(f"/newmotion leaflets | Leaflets < {tmp_path / 'leaflets.txt'}")
    assert "Harborough will deliver leaflets." in out
    await console.type("/newevent Branch meeting | Thu 3 Dec 7.30pm | Library | remind=2h")
    await console.type("/editevent 1 motion=buses")
    out = await console.type("/motionstatus buses submitted Sent to the secretary")
    assert "Save our buses: submitted here (23 Nov 2026, recorded by You)" in out
    assert "Status here: submitted (23 Nov)" in out  # the meeting's card follows
    console.clock.set(datetime(2026, 12, 3, 17, 30, tzinfo=UTC))
    reminder = await console.tick(seconds=0)
    assert "⏰ Reminder" in reminder and "Status here: submitted" in reminder
    await console.type("/chat Market Harborough", "/settings clp=Harborough")
    await console.type("/motionstatus mandatory-reselection passed")
    await console.type("/chat Lutterworth", "/settings clp=Harborough")
    await console.type("/motionstatus mandatory-reselection passed")
    await console.type("/chat", "/motionstatus mandatory-reselection submitted")
    out = await console.type("/motiontally mandatory-reselection")
    assert "submitted in 1 group (1 CLP), passed in 2 groups (1 CLP)." in out
    assert "is not a status" in await console.type("/motionstatus buses won")


async def test_linked_chats_share_events_and_counts(console: Console) -> None:
    out = await console.type("/link")
    code = re.search(r"Link code: (\w+)", out)
    assert code is not None
    out = await console.type("/chat Second branch", f"/link {code.group(1)}")
    assert "Linked." in out and "Local group (Console)" in out
    assert "unknown, used or expired" in await console.type(f"/link {code.group(1)}")
    out = await console.type("/newevent Rally | tomorrow 18:00 | Square")
    assert "── message" in out and "in second-branch ──" in out
    assert out.count("Rally · #1") == 2  # posted in both chats
    buttons = re.findall(r"\[(\d+)\] Going", out)
    out = await console.type("/as Amy", buttons[0], "/as Ben", buttons[1])
    assert out.count("Going 2 · Maybe 0") >= 2  # both copies show both answers
    assert "Only this group's organisers" not in await console.type("/as", "/chat", "/event 1")
    assert "comes from a linked chat" in await console.type("/cancelevent 1")
    out = await console.type("/unlink")
    assert "Unlinked from Second branch (Console)." in out
    out = await console.type("/newevent Social | in 3 days | Pub")
    assert "in second-branch" not in out
    assert "There is no event #1" in await console.type("/event 1")


async def test_calendar_file_has_series_timezones_and_no_cancelled_dates(
    console: Console,
) -> None:
    await console.type(SERIES, "/cancelevent 2", "/newevent Rally | tomorrow 18:00 | Square")
    await console.type("/newevent Picnic | Sat 28 Nov 13:00 | Park", "/cancelevent 6")
    out = await console.type("/calendar")
    assert "muster-events.ics" in out and "4 upcoming events" in out
    cal = Calendar.from_ical((console.files() / "muster-events.ics").read_bytes())
    zones = [c for c in cal.walk("VTIMEZONE")]
    assert [str(z["TZID"]) for z in zones] == ["Europe/London"]
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"Branch meeting", "Rally"}  # the cancelled picnic is left out
    series = events["Branch meeting"]
    start = series.decoded("DTSTART")
    assert (start.hour, start.minute, str(start.tzinfo)) == (19, 30, "Europe/London")
    assert series["RRULE"]["FREQ"] == ["WEEKLY"]
    exdate = series["EXDATE"].dts[0].dt
    assert (exdate.day, exdate.month, exdate.hour) == (10, 12, 19)
    rally = events["Rally"].decoded("DTSTART")
    assert (rally.day, rally.hour) == (24, 18)


async def test_a_full_event_and_a_full_slot_have_waiting_lists(console: Console) -> None:
    out = await console.type("/newevent Dinner | Fri 4 Dec 19:00 | Cafe | capacity=1")
    going = console.button("Going", out)
    out = await console.type("/as Amy", going, "/as Ben", going)
    assert "You're number 1 on the waiting list for Dinner." in out  # one tap
    assert "Dinner is full (1 place)" in (await console.type("/rsvp 1 yes"))
    out = await console.type("/as Amy", console.button("Can't go", out))
    assert "A place came free: you're now going to Dinner" in out
    out = await console.type("/as", "/attendees 1")
    assert "Going (1): Ben" in out
    out = await console.type("/newsignup Stall | slots=Morning:1")
    await console.type("/as Amy", "/signup 1 1")
    out = await console.type("/as Ben", "/signup 1 1")
    assert "is full" in out and "/signup 1 1 wait" in out
    out = await console.type("/signup 1 1 wait")
    assert "number 1 on its waiting list" in out
    out = await console.type("/as Amy", "/unsignup 1")
    assert "A place came free: you're now down for Stall (Morning)." in out
    assert "#1 Stall — Morning: full" in await console.type("/signups")


async def test_members_are_asked_to_reconfirm_old_facts_once_a_month(console: Console) -> None:
    await console.type("/as Amy", "/iam clp=Harborough branch=Lutterworth")
    await console.type("/as Ben", "/iam branch=Market Harborough", "/as Cat", "/events")
    assert console.harness is not None
    app = console.harness.running
    assert await app.ask_to_reconfirm() == 0  # fresh facts are not asked about
    console.clock.set(datetime(2027, 6, 1, 9, 0, tzinfo=UTC))
    start = len(console.out.getvalue())
    assert await app.ask_to_reconfirm() == 2
    out = console.out.getvalue()[start:]
    assert "Are your membership facts still right? CLP: Harborough · Branch: Lutterworth" in out
    assert await app.ask_to_reconfirm() == 0  # at most once a month
    out = await console.type("/as Amy", console.button("Still right", out))
    assert "Confirmed." in out
    out = await console.type("/as", "/attendees")
    assert "Members who have used Muster here: 2" in out
    assert "• Lutterworth: 1" in out and "• Market Harborough: 1" in out
    assert "Facts unconfirmed (over 6 months old): 1" in out
    console.clock.set(datetime(2027, 7, 2, 9, 0, tzinfo=UTC))
    assert await app.ask_to_reconfirm() == 1  # Ben, a month later; Amy confirmed


async def test_a_member_going_can_have_a_private_reminder_too(console: Console) -> None:
    await console.type("/newevent Stall | Thu 3 Dec 10:00 | Market | remind=1d,2h")
    out = await console.type("/as Amy", "1", "/my")
    out = await console.type(console.button("Remind me privately: off", out))
    assert "Private reminders on" in out
    console.clock.set(datetime(2026, 12, 3, 8, 0, tzinfo=UTC))
    out = await console.tick(seconds=0)
    assert "⏰ Reminder: Stall is in 2 hours." in out
    assert "privately to you" in out
    assert "you said you're going to Stall, Thu 3 Dec 2026, 10:00 (GMT) at Market." in out


async def test_an_organiser_nudges_those_who_have_not_answered_once(console: Console) -> None:
    await console.type("/newevent Branch meeting | Thu 3 Dec 7.30pm | Library")
    out = await console.type("/as Ben", "/iam branch=Lutterworth", "/my")
    await console.type(console.button("I agree", out))  # Ben consented, privately
    await console.type("/as Cat", "/iam branch=Lutterworth")  # used the bot, never consented
    await console.type("/as Dan", "1")  # Dan answered
    out = await console.type("/as", "/attendees 1 nudge")
    assert "Nudged 1 member privately about #1." in out
    assert "Will you come to Branch meeting (Thu 3 Dec 2026, 19:30 (GMT))?" in out
    out = await console.type("/attendees 1 nudge")
    assert "Nudged 0 members privately about #1; 1 had been nudged before." in out
    assert "Will you come" not in out

"""Organising depth on the real clients: edits, check-in, calendars on Telegram and on
Discord, and a Telegram group linked with a Discord channel."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

from icalendar import Calendar

from tests.e2e.both_world import BothWorld
from tests.e2e.discord_world import CHANNEL, DiscordWorld
from tests.e2e.telegram_world import GROUP, ORGANISER, InProcess, eventually
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.telegram_api import FakeTelegram

MEETING = "Branch meeting | Thu 3 Dec 7.30pm | Library | remind=1d"
SERIES = "Branch meeting | Thu 3 Dec 7.30pm | Library | repeat=weekly"
AMY, BEN = 201, 202


def _calendar(data: bytes) -> Calendar:
    cal = Calendar.from_ical(bytes(data))
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Europe/London"]
    return cal


def _series_start(cal: Calendar) -> tuple[int, int, str, list[str]]:
    [master] = [e for e in cal.walk("VEVENT") if "RRULE" in e]
    start = master.decoded("DTSTART")
    return start.hour, start.minute, str(start.tzinfo), master["RRULE"]["FREQ"]


# --- Telegram ---------------------------------------------------------------------------


async def test_telegram_edit_updates_the_card_and_tells_the_member_privately(
    world: InProcess, tg: FakeTelegram
) -> None:
    outs = await world.say("/newevent " + MEETING)
    [card] = [m for m in outs if m.chat_id == GROUP and m.buttons()]
    tg.press(GROUP, AMY, "Amy Jones", card.message_id, "rsvp:going:1")
    await eventually(lambda: len(tg.toasts) == 1)
    await world.say("/settings reminders=on", user=AMY, name="Amy Jones", chat=AMY)
    assert any("Private reminders on" in m.visible for m in tg.history(AMY))
    outs = await world.say("/editevent 1 when=Fri 4 Dec 7pm where=Town Hall")
    await world.settle()
    changed = [m for m in world.group() if "✏️ Changed" in m.visible]
    assert len(changed) == 1
    assert "new time and place. 1 who said Going or Maybe, please take note." in changed[0].visible
    edited = tg.find(GROUP, card.message_id)
    assert edited is not None and "Fri 4 Dec 2026, 19:00" in edited.visible
    assert "Town Hall" in edited.visible and edited.edits >= 1
    await eventually(lambda: any("✏️ Changed" in m.visible for m in tg.history(AMY)))
    assert not any("✏️ Changed" in m.visible for m in tg.history(ORGANISER))


async def test_telegram_check_in_attendees_and_export(world: InProcess, tg: FakeTelegram) -> None:
    outs = await world.say("/newevent Rally | tomorrow 18:00 | Square")
    [card] = [m for m in outs if m.chat_id == GROUP and m.buttons()]
    tg.press(GROUP, AMY, "Amy Jones", card.message_id, "rsvp:going:1")
    tg.press(GROUP, BEN, "Ben Ng", card.message_id, "rsvp:going:1")
    await eventually(lambda: len(tg.toasts) == 2)
    world.clock.set(datetime(2026, 11, 24, 17, 50, tzinfo=UTC))
    outs = await world.say("/checkin 1")
    [open_] = [m for m in outs if m.buttons()]
    assert open_.buttons() == [[("I'm here", "checkin:here:1")]]
    tg.press(GROUP, AMY, "Amy Jones", open_.message_id, "checkin:here:1")
    await eventually(lambda: len(tg.toasts) == 3)
    assert tg.toasts[-1][1] == "Welcome to Rally! You're checked in."
    await world.say("/attendees 1")
    private = "\n".join(m.visible for m in tg.history(ORGANISER))
    assert "Said yes and came (1): Amy Jones" in private
    assert "Said yes but didn't come (1): Ben Ng" in private
    await world.say("/export 1")
    [doc] = [m for m in tg.history(ORGANISER) if m.document]
    assert doc.document is not None
    rows = list(csv.reader(io.StringIO(doc.document[1].decode())))
    assert [(r[2], r[6]) for r in rows[1:]] == [("Amy Jones", "yes"), ("Ben Ng", "no")]


async def test_telegram_calendar_is_an_ics_document(world: InProcess, tg: FakeTelegram) -> None:
    await world.say("/newevent " + SERIES)
    await world.say("/calendar", user=AMY, name="Amy Jones")
    [doc] = [m for m in tg.history(AMY) if m.document]
    assert doc.document is not None and doc.document[0] == "muster-events.ics"
    assert _series_start(_calendar(doc.document[1])) == (19, 30, "Europe/London", ["WEEKLY"])


# --- Discord ----------------------------------------------------------------------------


async def test_discord_edit_updates_the_card_and_tells_the_member_privately(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    await discord_world.run("newevent", details=MEETING)
    [card] = [m for m in discord_world.channel() if m.buttons()]
    await dc.press(card, "rsvp:going:1", user="2001", user_name="Amy Jones")
    await discord_world.run("settings", changes="reminders=on", user="2001", dm=True)
    await discord_world.run("editevent", id=1, changes="when=Fri 4 Dec 7pm where=Town Hall")
    await eventually(lambda: "Fri 4 Dec 2026, 19:00" in card.text and "Town Hall" in card.text)
    changed = [m for m in discord_world.channel() if "✏️ Changed" in m.text]
    assert len(changed) == 1 and "new time and place" in changed[0].text
    await eventually(lambda: any("✏️ Changed" in m.text for m in dc.in_channel("72001")))


async def test_discord_check_in_attendees_and_export(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    await discord_world.run("newevent", details="Rally | tomorrow 18:00 | Square")
    [card] = [m for m in discord_world.channel() if m.buttons()]
    await dc.press(card, "rsvp:going:1", user="2001", user_name="Amy Jones")
    await dc.press(card, "rsvp:going:1", user="2002", user_name="Ben Ng")
    discord_world.clock.set(datetime(2026, 11, 24, 17, 50, tzinfo=UTC))
    await discord_world.run("checkin", id=1)
    [open_] = [m for m in discord_world.channel() if ("I'm here", "checkin:here:1") in m.buttons()]
    token = await dc.press(open_, "checkin:here:1", user="2001", user_name="Amy Jones")
    await eventually(lambda: any("You're checked in" in m.text for m in dc.answers(token)))
    seen = await discord_world.run("attendees", id=1)
    private = "\n".join(m.text for m in seen if m.ephemeral)
    assert "Said yes and came (1): Amy Jones" in private
    assert "Said yes but didn't come (1): Ben Ng" in private
    seen = await discord_world.run("export", id=1)
    [(name, data)] = [f for m in seen for f in m.files]
    rows = list(csv.reader(io.StringIO(data.decode())))
    assert name == "event-1-rsvps.csv"
    assert [(r[2], r[6]) for r in rows[1:]] == [("Amy Jones", "yes"), ("Ben Ng", "no")]


async def test_discord_calendar_is_an_ics_attachment(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    await discord_world.run("newevent", details=SERIES)
    seen = await discord_world.run("calendar", user="2001", user_name="Amy Jones", organiser=False)
    [(name, data)] = [f for m in seen for f in m.files]
    assert name == "muster-events.ics" and all(m.ephemeral for m in seen if m.files)
    assert _series_start(_calendar(data)) == (19, 30, "Europe/London", ["WEEKLY"])


# --- Telegram and Discord linked --------------------------------------------------------


async def test_a_telegram_group_and_a_discord_channel_share_one_event(
    both: BothWorld, tg: FakeTelegram, dc: FakeDiscord
) -> None:
    telegram, discord = both.telegram, both.discord
    await telegram.say("/link")
    found = re.search(r"Link code: (\w+)", "\n".join(m.visible for m in tg.history(ORGANISER)))
    assert found is not None
    seen = await discord.run("link", code=found.group(1))
    assert any("Linked." in m.text for m in seen)
    outs = await telegram.say("/newevent Rally | tomorrow 18:00 | Square")
    [tg_card] = [m for m in outs if m.chat_id == GROUP and m.buttons()]
    await eventually(lambda: any(m.buttons() for m in dc.in_channel(CHANNEL)))
    [dc_card] = [m for m in dc.in_channel(CHANNEL) if m.buttons()]
    assert "Rally · #1" in dc_card.text
    tg.press(GROUP, AMY, "Amy Jones", tg_card.message_id, "rsvp:going:1")
    await dc.press(dc_card, "rsvp:going:1", user="2001", user_name="Ben Ng")
    await dc.press(dc_card, "rsvp:maybe:1", user="2002", user_name="Member Number1")

    def shows(text: str) -> bool:
        card = tg.find(GROUP, tg_card.message_id)
        return card is not None and text in card.visible and text in dc_card.text

    await eventually(lambda: shows("Going 2 · Maybe 1 · Can't go 0"))
    # Rights stay per chat: Discord's organisers cannot cancel Telegram's event.
    seen = await discord.run("cancelevent", id=1)
    assert any("comes from a linked chat" in m.text for m in seen)
    seen = await discord.run("unlink")
    assert any("Unlinked from" in m.text for m in seen)
    outs = await telegram.say("/newevent Social | in 3 days | Pub")
    assert any("Social" in m.visible for m in outs)  # announced on Telegram…
    assert both.app is not None
    await both.app.scheduler.run_due()  # (waits for the run in hand to end)
    assert not any("Social" in m.text for m in dc.in_channel(CHANNEL))  # …and only there


async def test_telegram_motion_from_an_attached_text_file(
    world: InProcess, tg: FakeTelegram
) -> None:
    await world.say("/settings branch=Lutterworth")
    before = len(tg.sent)
    body = (
        "---\nslug: buses\ntitle: Save our buses\nsource: us\n---\nThe {branch} branch backs buses."
    )
    tg.send_document(
        GROUP, ORGANISER, "Olive Organiser", "/newmotion buses", "buses.md", body.encode()
    )
    await eventually(lambda: len(tg.sent) > before)
    added = tg.sent[-1]
    assert "Save our buses" in added.visible
    assert "The Lutterworth branch backs buses." in added.visible
    assert tg.count("getfile") == 1


async def test_discord_motion_from_an_attached_text_file(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    names = {c["name"]: c for c in dc.commands}
    assert names["newmotion"]["options"][-1]["type"] == 11  # an attachment option
    await discord_world.run("settings", changes="clp=Harborough")
    seen = await discord_world.run(
        "newmotion", details="leaflets | Leaflets", file=("leaflets.txt", b"{clp} delivers.")
    )
    assert any("Harborough delivers." in m.text for m in seen)

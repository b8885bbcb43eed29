"""A run with large but realistic input on both platforms, through the real clients:
long titles and places, 600 answers with names shown, 44 events, a sheet of 20 slots
whose names share a long start, a 10,000-character motion, a description of 1,000.

The fakes refuse every request that breaks a published limit (tests/fakes/limits.py
cites them: Telegram Bot API text 4,096 after entity parsing, caption 1,024, callback
data 64 bytes, toast 200; Discord content 2,000, embed description 4,096, 5 rows of 5
buttons, label 80, scheduled event name and location 100 ...), so every request body
of the run is checked; the test then reads what members see.
"""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.discord_world import DiscordWorld
from tests.e2e.telegram_world import GROUP, MEMBER_BASE, InProcess, eventually
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.telegram_api import FakeTelegram
from tests.security.test_discord_limits import LONDON, owe

TITLE = "Emergency branch meeting on the future of the Bethnal Green library " * 3
TITLE = TITLE[:200].strip()
PLACE = (
    "Oxford House, the large hall on the first floor (lift at the back, ring the bell"
    " marked Muster if the door is shut), Derbyshire Street, Bethnal Green, London E2 6HG"
)
DESC = ("Agenda: the library, the stall rota, and the motion to the CLP. " * 20)[:1000]
SLOTS = ", ".join(f"Saturday 14 March stall outside Tesco Express shift {n}:2" for n in range(20))
MOTION = ("This branch notes that the library serves everyone in {branch}. " * 200)[:10_000]
ANSWERS = 600


async def test_telegram_keeps_every_message_whole_and_meaningful(
    world: InProcess, tg: FakeTelegram
) -> None:
    await world.say("/settings show_names=yes")
    outs = await world.say(
        f"/newevent {TITLE} | Thu 3 Dec 19:30 | {PLACE} | capacity=500 desc={DESC}"
    )
    [card] = [m for m in outs if m.chat_id == GROUP and m.buttons()]
    for n in range(ANSWERS):
        answer = ("going", "maybe", "no")[n % 3]
        name = f"Member {n:03d} Longsurname-Doublebarrelled"
        tg.press(GROUP, MEMBER_BASE + n, name, card.message_id, f"rsvp:{answer}:1")
    await eventually(lambda: len(tg.toasts) >= ANSWERS, timeout=60)
    counts = "Going 200/500 · Maybe 200 · Can't go 200"
    # The coalesced edits end exact: wait for the last of them.
    await eventually(lambda: counts in (tg.find(GROUP, card.message_id) or card).visible)
    edited = tg.find(GROUP, card.message_id)
    assert edited is not None
    head = edited.visible
    assert TITLE[:60] in head and "Thu 3 Dec 2026, 19:30" in head and "E2 6HG" in head
    assert "Going 200/500 · Maybe 200 · Can't go 200" in head
    assert " more" in head and edited.buttons()[0][0][1] == "rsvp:going:1"
    # Toasts keep their sentence whatever the title: the title gives way.
    toasts = [t for _, t in tg.toasts]
    assert all(len(t) <= 200 for t in toasts)
    assert sum(t.startswith("You're going to Emergency branch") for t in toasts) >= 190
    # 44 events: /events says how many more and how to see them.
    assert world.app is not None
    start = world.clock.now() + timedelta(days=1)
    for n in range(43):
        when = (start + timedelta(hours=5 * n)).astimezone(LONDON)
        await world.say(f"/newevent Canvass {n} | {when:%Y-%m-%d %H:%M} | Ward {n}")
    listing = (await world.say("/events"))[-1].visible
    assert "Upcoming events 1–15 of 44:" in listing and "29 more: /events 2" in listing
    assert "Upcoming events 16–30 of 44:" in (await world.say("/events 2"))[-1].visible
    # A sheet of 20 slots whose names share a long start: every button distinct.
    outs = await world.say(f"/newsignup Stall rota | slots={SLOTS}")
    [sheet] = [m for m in outs if m.buttons()]
    labels = [label for row in sheet.buttons() for label, _ in row]
    assert len(labels) == 20 and len(set(labels)) == 20
    assert labels[0].startswith("1. Saturday") and labels[19].endswith("shift 19")
    # A 10,000-character motion arrives whole, in pieces Telegram takes.
    await world.say(f"/newmotion library | Save our library | {MOTION}")
    posted = await world.say("/postmotion library")
    assert sum(len(m.visible) for m in posted) >= 9_000
    assert tg.violations == []


async def test_discord_keeps_every_message_whole_and_reachable(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    world = discord_world
    await world.run("settings", changes="show_names=yes")
    await world.run(
        "newevent", details=f"{TITLE} | Thu 3 Dec 19:30 | {PLACE} | capacity=500 desc={DESC}"
    )
    [card] = [m for m in world.channel() if m.buttons() and not m.ephemeral]
    tokens = [
        await dc.press(
            card, "rsvp:going:1", user=str(5000 + n), user_name=f"Member {n:03d} Longsurname"
        )
        for n in range(ANSWERS // 2)
    ]
    await eventually(lambda: all(dc.callback_types(t) for t in tokens), timeout=60)

    def shown() -> str:
        return next(m for m in dc.messages if m.id == card.id).text

    await eventually(lambda: "Going 300/500" in shown())  # the last coalesced edit
    edited = next(m for m in dc.messages if m.id == card.id)
    assert TITLE[:60] in edited.text and "E2 6HG" in edited.text
    assert "Going 300/500" in edited.text and " more" in edited.text
    assert edited.buttons()[0] == ("Going", "rsvp:going:1")
    # The Events list entry: name and place shortened from the middle.
    [entry] = dc.scheduled_events.values()
    assert len(entry["name"]) <= 100 and entry["name"].startswith("Emergency branch")
    assert entry["entity_metadata"]["location"].endswith("E2 6HG")
    # A sheet of 20 slots: all 20 buttons in one message, five to a row.
    outs = await world.run("newsignup", details=f"Stall rota | slots={SLOTS}")
    [sheet] = [m for m in outs if m.buttons()]
    assert len(sheet.buttons()) == 20 and len({label for label, _ in sheet.buttons()}) == 20
    # 44 events in all: /events says there are more.
    await owe(
        world, [f"Canvass {n} | 2026-12-{5 + n % 20:02d} 1{n % 10}:00 | Ward" for n in range(43)]
    )
    await world.app.scheduler.run_due()
    listing = (await world.run("events"))[-1].text
    assert "of 44:" in listing and "more: /events 2" in listing
    await world.run("newmotion", details=f"library | Save our library | {MOTION}")
    posted = await world.run("postmotion", slug="library")
    assert sum(len(m.text) for m in posted) >= 9_000
    assert dc.violations == []

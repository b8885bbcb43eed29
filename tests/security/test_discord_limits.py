"""What Discord would refuse or cut, on the real discord.py client against the fake,
which enforces Discord's published limits (tests/fakes/limits.py)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.domain.events import MAX_DETAILS, MAX_LOCATION, MAX_TITLE
from bot.messaging import ChatRef
from bot.platforms.discord_ui import FORM_MODAL
from tests.conftest import NOW
from tests.e2e.discord_world import CHANNEL, DiscordWorld
from tests.e2e.telegram_world import eventually
from tests.fakes.discord_api import GUILD_ID, FakeDiscord
from tests.harness import write_events

LONDON = ZoneInfo("Europe/London")


async def owe(world: DiscordWorld, lines: list[str]) -> list[int]:
    """Events announced in the Discord channel, written as /newevent writes them."""
    assert world.app is not None
    channel = ChatRef("discord", CHANNEL)
    return await write_events(world.app.db, channel, lines, NOW, str(GUILD_ID))


def live(dc: FakeDiscord) -> list[str]:
    return [e["name"] for e in dc.scheduled_events.values() if e.get("status", 1) in (1, 2)]


async def test_the_events_list_holds_the_nearest_hundred(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    assert discord_world.app is not None
    start = NOW + timedelta(days=2)
    lines = [
        f"Canvass {n} | {(start + timedelta(hours=6 * n)).astimezone(LONDON):%Y-%m-%d %H:%M}"
        " | Ward office"
        for n in range(101)
    ]
    ids = await owe(discord_world, lines)
    await discord_world.app.scheduler.run_due()
    assert len(live(dc)) == 100 and dc.events_refused >= 1
    assert "Canvass 100" not in live(dc)  # the furthest waits
    told = [m for m in discord_world.channel() if "Events list holds 100" in m.text]
    assert len(told) == 1  # the organisers are told once, and why
    # A nearer event takes the place of the furthest one mirrored.
    [near] = await owe(discord_world, ["Emergency rally | tomorrow 18:00 | Town hall"])
    await discord_world.app.scheduler.run_due()
    assert "Emergency rally" in live(dc) and "Canvass 99" not in live(dc)
    assert len(live(dc)) == 100
    # Cancelling one frees a place: the nearest owed event fills it.
    await discord_world.run("cancelevent", id=ids[0], reason="rain")
    assert "Canvass 99" in live(dc) and len(live(dc)) == 100
    assert len([m for m in discord_world.channel() if "Events list holds 100" in m.text]) == 1
    assert near and dc.violations == []


async def test_a_failed_mirror_is_tried_again(discord_world: DiscordWorld, dc: FakeDiscord) -> None:
    assert discord_world.app is not None
    dc.can_manage_events = True
    await owe(discord_world, ["Stall | Thu 3 Dec 10:00 | Market"])
    events_before = len(dc.scheduled_events)
    dc.fail_scheduled_events = 1  # Discord is briefly unavailable
    await discord_world.app.scheduler.run_due()
    assert len(dc.scheduled_events) == events_before
    assert await discord_world.app.mirrors.catch_up() == 1
    assert live(dc) == ["Stall"]


async def test_a_public_answer_is_the_interactions_own_response(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    await discord_world.run("newevent", details="Meeting | Thu 3 Dec 19:30 | Hall")
    outs = await discord_world.run("events", user="1001", user_name="Amy")
    [answer] = [m for m in outs if "Upcoming events" in m.text]
    assert answer.response and not answer.ephemeral  # everyone sees Amy asked
    refused = await discord_world.run("event", id=99, user="1001", user_name="Amy")
    assert [(m.ephemeral, m.response) for m in refused if m in dc.messages] == [(True, False)]
    assert "There is no event #99" in refused[-1].text
    # An answer for the member alone stays hers.
    mine = await discord_world.run("my", user="1001", user_name="Amy")
    assert mine and all(m.ephemeral for m in mine if m in dc.messages)


async def test_the_form_at_its_longest_is_never_too_long(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    desc = "desc=" + ("Agenda and access notes. " * 60)[:1000]
    details = (desc + " capacity=40 remind=1d,2h").ljust(MAX_DETAILS, " ")[:MAX_DETAILS]
    values = {
        "title": ("Branch meeting " * 20)[:MAX_TITLE],
        "when": "Thu 3 Dec 7.30pm".ljust(16),
        "where": ("Oxford House, Derbyshire Street " * 20)[: MAX_LOCATION - 7] + " E2 6HG",
        "details": details,
    }
    token = await dc.submit_modal(FORM_MODAL + "newevent", values)
    await eventually(lambda: dc.callback_types(token))
    await eventually(lambda: not discord_world.messenger().busy)
    said = " ".join(m.text for m in dc.answers(token))
    assert "too long" not in said
    assert any("Branch meeting · #1" in m.text for m in discord_world.channel())
    edited = await discord_world.run("editevent", id=1, changes=desc)
    assert not any("too long" in m.text for m in edited)
    assert dc.violations == []


async def test_the_waiting_list_can_be_chosen_on_discord(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    await discord_world.run("newevent", details="Dinner | Thu 3 Dec 19:00 | Cafe | capacity=1")
    await discord_world.run("rsvp", id=1, answer="yes", user="1002", user_name="Ben")
    outs = await discord_world.run("rsvp", id=1, answer="wait", user="1003", user_name="Cat")
    assert any("You're number 1 on the waiting list for Dinner." in m.text for m in outs)

"""Members and organisers on Discord: the real discord.py client inside Muster, talking
REST and the gateway websocket to a local fake Discord."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime

from bot.domain.events import MAX_NEWEVENT
from bot.services.events import MAX_PAGES
from tests.e2e.discord_world import CHANNEL, DiscordWorld
from tests.e2e.telegram_world import eventually
from tests.fakes.discord_api import FakeDiscord
from tests.metrics import sample

NEW = "Branch meeting | Thu 3 Dec 7.30pm | Bethnal Green Library, E2 0HL"


async def test_slash_commands_come_from_the_table(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    names = {c["name"]: c for c in dc.commands}
    assert {"events", "rsvp", "newevent", "attendees"} <= set(names)
    assert names["editevent"]["default_member_permissions"] == str(1 << 33)
    assert names["newevent"]["default_member_permissions"] == str(1 << 33)
    assert names["events"]["default_member_permissions"] is None
    rsvp = {o["name"]: o for o in names["rsvp"]["options"]}
    assert rsvp["id"]["type"] == 4 and rsvp["id"]["autocomplete"] is True
    assert [c["value"] for c in rsvp["answer"]["choices"]] == ["yes", "maybe", "no", "wait"]
    # The table's limits and choices reach Discord, which enforces them as members type.
    assert rsvp["guests"]["max_length"] == len("+10")
    assert "max_length" not in rsvp["answer"]  # its choices are its limit
    status = {o["name"]: o for o in names["motionstatus"]["options"]}
    assert status["slug"]["max_length"] == 60
    assert [c["value"] for c in status["status"]["choices"]][:2] == ["drafted", "submitted"]
    assert status["note"]["max_length"] == 300
    page = names["events"]["options"][0]
    assert page["min_value"] == 1 and page["max_value"] == MAX_PAGES
    assert dc.command_puts == 1
    # A restart with the same table does not sync again.
    await discord_world.stop()
    await discord_world.start()
    assert dc.command_puts == 1


async def test_one_line_event_is_posted_with_buttons_and_no_pings(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    await discord_world.run("newevent", details=NEW)
    [card] = [m for m in discord_world.channel() if m.buttons()]
    assert card.embeds[0]["title"] == "Branch meeting"
    assert "Branch meeting · #1" in card.text and "Thu 3 Dec 2026, 19:30 (GMT)" in card.text
    assert card.buttons() == [
        ("Going", "rsvp:going:1"),
        ("Maybe", "rsvp:maybe:1"),
        ("Can't go", "rsvp:no:1"),
    ]
    assert card.pings_nobody()


async def test_a_429_is_waited_out_and_counted_for_the_operator(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    assert discord_world.app is not None
    dc.rate_limit_next = 2
    await discord_world.run("newevent", details=NEW)
    await eventually(lambda: any(m.buttons() for m in discord_world.channel()))
    assert len([m for m in discord_world.channel() if m.buttons()]) == 1  # once, in the end
    assert dc.rate_limit_next == 0
    metrics = discord_world.app.metrics
    assert sample(metrics, "muster_platform_rate_limited_total", platform="discord") == 2


async def test_everyone_in_a_title_pings_nobody(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    await discord_world.run("newevent", details="@everyone <@&123> rally | tomorrow 18:00 | Square")
    assert dc.messages and all(m.pings_nobody() for m in dc.messages)
    assert any("@everyone <@&123> rally" in m.text for m in discord_world.channel())


async def test_a_burst_of_presses_converges_to_exact_counts(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    await discord_world.run("newevent", details=NEW)
    [card] = [m for m in discord_world.channel() if m.buttons()]
    answers = ["going"] * 20 + ["maybe"] * 4 + ["no"] * 2
    tokens = await asyncio.gather(
        *(
            dc.press(card, f"rsvp:{a}:1", user=str(5000 + i), user_name=f"Member {i}")
            for i, a in enumerate(answers)
        )
    )
    await eventually(lambda: all(dc.answers(t) for t in tokens))
    assert all(dc.callback_types(t) == [6] for t in tokens)  # acknowledged at once
    assert all(dc.answers(t)[0].ephemeral for t in tokens)
    assert discord_world.app is not None
    # The coalesced edits end with the final counts.
    await eventually(lambda: "Going 20 · Maybe 4 · Can't go 2" in card.text)
    await discord_world.app.live.idle()
    assert card.edits <= 6
    assert all("Member" not in m.text for m in discord_world.channel())


async def test_organiser_answers_are_ephemeral_and_export_is_an_attachment(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    await discord_world.run("newevent", details=NEW)
    [card] = [m for m in discord_world.channel() if m.buttons()]
    await dc.press(card, "rsvp:going:1", user="6001", user_name="Amy Jones")
    await asyncio.sleep(0.3)
    outs = await discord_world.run("attendees", id=1)
    private = [m for m in outs if m.ephemeral]
    assert any("Going (1): Amy Jones" in m.text for m in private)
    assert all("Amy" not in m.text for m in discord_world.channel())
    outs = await discord_world.run("export", id=1)
    [csv_file] = [f for m in outs for f in m.files]
    assert csv_file[0] == "event-1-rsvps.csv"
    rows = list(csv.reader(io.StringIO(csv_file[1].decode())))
    assert [r[2:4] for r in rows[1:]] == [["Amy Jones", "going"]]
    assert all(m.ephemeral for m in outs)


async def test_a_member_is_refused_ephemerally_in_one_line(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    outs = await discord_world.run(
        "newevent", details=NEW, user="7001", user_name="Amy", organiser=False
    )
    assert [(m.ephemeral, m.text) for m in outs] == [
        (True, "Only this group's organisers can do that.")
    ]
    assert discord_world.channel() == []


async def test_bad_input_is_answered_ephemerally_in_one_line(discord_world: DiscordWorld) -> None:
    for name, options, expect in [
        ("event", {"id": 99}, "There is no event #99"),
        ("rsvp", {"id": 1, "answer": "perchance"}, "is not an answer"),
        ("rsvp", {"id": 1, "answer": "yes", "guests": "+99"}, "Guests are written"),
        ("newevent", {"details": "M | when pigs fly | Hall"}, "can't read"),
        ("newevent", {"details": "x" * (MAX_NEWEVENT + 1)}, "too long"),
    ]:
        outs = await discord_world.run(name, **options)
        assert len(outs) == 1 and outs[0].ephemeral, (name, options)
        assert expect in outs[0].text and "\n" not in outs[0].text


async def test_newevent_without_options_opens_a_modal(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    token = await dc.command("newevent", {})
    await eventually(lambda: dc.callback_types(token) == [9])  # MODAL
    modal = next(body for t, body in dc.callbacks if t == token)["data"]
    assert [c["components"][0]["custom_id"] for c in modal["components"]] == [
        "title",
        "when",
        "where",
        "details",
    ]
    token = await dc.submit_modal(
        modal["custom_id"],
        {
            "title": "Street stall",
            "when": "Sat 10am",
            "where": "Market Square",
            "details": "capacity=6",
        },
    )
    await eventually(lambda: any("Street stall · #1" in m.text for m in discord_world.channel()))
    assert any("0/6" in m.text for m in discord_world.channel())


async def test_autocomplete_offers_the_channels_upcoming_events(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    await discord_world.run("newevent", details=NEW)
    await discord_world.run("newevent", details="Rally | tomorrow 18:00 | Square")
    token = await dc.autocomplete("rsvp", "id", "")
    await eventually(lambda: dc.callback_types(token) == [8])
    choices = next(body for t, body in dc.callbacks if t == token)["data"]["choices"]
    assert [c["value"] for c in choices] == [2, 1]
    assert choices[0]["name"].startswith("#2 Tue 24 Nov 18:00 · Rally")


async def test_a_reminder_is_posted_at_its_offset(discord_world: DiscordWorld) -> None:
    await discord_world.run("newevent", details="Stall | tomorrow 10:00 | Market | remind=2h")
    assert discord_world.app is not None
    discord_world.clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    await discord_world.app.scheduler.run_due()
    [reminder] = [m for m in discord_world.channel() if "Reminder" in m.text]
    assert "⏰ Reminder: Stall is in 2 hours." in reminder.text
    assert reminder.buttons()[0] == ("Going", "rsvp:going:1")
    await discord_world.app.scheduler.run_due()
    assert len([m for m in discord_world.channel() if "Reminder" in m.text]) == 1


async def test_closed_dms_fall_back_to_an_ephemeral_answer(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    """/my answers the member alone, in the channel, without needing a DM at all."""
    dc.dms_closed.add("7002")
    outs = await discord_world.run("my", user="7002", user_name="Ben", organiser=False)
    assert outs and all(m.ephemeral for m in outs)
    assert any("You have no upcoming RSVPs" in m.text for m in outs)


async def test_a_dropped_gateway_resumes_and_loses_nothing(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    await dc.drop_connection()
    await eventually(lambda: dc.resumes + dc.identifies >= 2, timeout=30)
    await discord_world.run("newevent", details=NEW)
    assert any("Branch meeting · #1" in m.text for m in discord_world.channel())


async def test_telegram_and_discord_in_one_process(tmp_path, dc: FakeDiscord) -> None:  # type: ignore[no-untyped-def]
    from bot.platforms.telegram import TelegramMessenger
    from tests.conftest import NOW
    from tests.e2e.telegram_world import GROUP, ORGANISER
    from tests.fakes.telegram_api import FakeTelegram
    from tests.harness import FakeClock

    tg = FakeTelegram(admins={GROUP: {ORGANISER}})
    await tg.start()
    world = DiscordWorld(dc, FakeClock(NOW), tmp_path / "both.db")
    try:
        await world.start()
        assert world.app is not None
        telegram = TelegramMessenger(
            tg.token,
            world.app.dispatcher,
            base_url=tg.base_url,
            group_rate_per_minute=10_000,
            overall_rate_per_second=10_000,
            chat_interval=0,
        )
        world.app.messengers.add(telegram)
        await telegram.start()
        await telegram.receive()
        tg.say(GROUP, ORGANISER, "Olive", "/newevent Social | tomorrow 19:00 | Pub")
        await eventually(lambda: any("Social · #1" in m.visible for m in tg.history(GROUP)))
        await world.run("newevent", details="Rally | tomorrow 18:00 | Square")
        assert any("Rally · #2" in m.text for m in world.channel())
    finally:
        await world.stop()
        await tg.stop()
    assert CHANNEL


async def test_events_are_mirrored_as_guild_scheduled_events(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    await discord_world.run("newevent", details=NEW + " | ends=21:00 | desc=Agenda: motions")
    await eventually(lambda: dc.scheduled_events)
    [(external_id, mirrored)] = dc.scheduled_events.items()
    assert mirrored["name"] == "Branch meeting"
    assert mirrored["entity_type"] == 3
    assert mirrored["entity_metadata"] == {"location": "Bethnal Green Library, E2 0HL"}
    assert mirrored["scheduled_start_time"].startswith("2026-12-03T19:30:00")
    assert mirrored["scheduled_end_time"].startswith("2026-12-03T21:00:00")
    await discord_world.run("cancelevent", id=1, reason="Hall flooded")
    await eventually(lambda: dc.scheduled_events[external_id].get("status") == 4)


async def test_without_manage_events_it_carries_on_and_says_so_once(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    dc.can_manage_events = False
    await discord_world.run("newevent", details=NEW)
    await discord_world.run("newevent", details="Rally | tomorrow 18:00 | Square")
    texts = [m.text for m in discord_world.channel()]
    assert any("Branch meeting · #1" in t for t in texts)
    assert any("Rally · #2" in t for t in texts)
    assert sum("Manage Events" in t for t in texts) == 1
    assert dc.scheduled_events == {}


async def test_a_send_repeated_after_a_crash_is_not_posted_twice(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    """Discord stored the reminder but the process died before it heard back: the send
    after restart carries the same nonce, and Discord returns the message it made."""
    await discord_world.run("newevent", details="Stall | tomorrow 10:00 | Market | remind=2h")
    assert discord_world.app is not None
    discord_world.clock.set(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    dc.stall_after_store = True
    run = asyncio.create_task(discord_world.app.scheduler.run_due())
    await eventually(lambda: any("Reminder" in m.text for m in discord_world.channel()))
    run.cancel()  # the process dies with the answer in flight
    await asyncio.gather(run, return_exceptions=True)
    dc.stall_after_store = False
    await discord_world.stop()
    await discord_world.start()  # the interrupted delivery is sent again…
    await discord_world.app.scheduler.run_due()
    assert dc.nonce_hits == 1
    assert len([m for m in discord_world.channel() if "Reminder" in m.text]) == 1  # …once


async def test_a_role_named_in_settings_makes_organisers(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    from tests.fakes.discord_api import ORGANISER_ROLE_ID

    member = {
        "user": "8001",
        "user_name": "Cat",
        "organiser": False,
        "roles": (str(ORGANISER_ROLE_ID),),
    }
    outs = await discord_world.run("newevent", details=NEW, **member)
    assert outs[0].text == "Only this group's organisers can do that."
    saved = await discord_world.run("settings", changes="organiser_role=Organisers")
    assert any("organiser_role = Organisers" in m.text for m in saved), [m.text for m in saved]
    await discord_world.run("newevent", details=NEW, **member)
    assert any("Branch meeting · #1" in m.text for m in discord_world.channel())


async def test_a_new_channel_starts_from_the_servers_settings(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    from tests.fakes.discord_api import OTHER_CHANNEL_ID

    await discord_world.run("settings", changes="clp=Harborough timezone=Europe/Dublin")
    outs = await discord_world.run("settings", channel=str(OTHER_CHANNEL_ID))
    shown = " ".join(m.text for m in outs)
    assert "clp = Harborough" in shown and "timezone = Europe/Dublin" in shown


async def test_long_cards_are_split_to_discords_limits(
    discord_world: DiscordWorld, dc: FakeDiscord
) -> None:
    from bot.messaging import Button, Card, ChatRef

    assert discord_world.app is not None
    discord = discord_world.app.messengers.for_platform("discord")
    blocks = tuple(f"Paragraph {i}. " + "word " * 200 for i in range(10))
    card = Card(blocks=blocks, title="A long motion").with_buttons((Button("Go", "rsvp:going:1"),))
    await discord.send(ChatRef("discord", CHANNEL), card)
    sent = discord_world.channel()
    assert len(sent) >= 3
    assert all(len(e.get("description", "")) <= 4096 for m in sent for e in m.embeds)
    assert sent[0].embeds[0]["title"] == "A long motion"
    assert sent[-1].buttons() == [("Go", "rsvp:going:1")] and sent[0].buttons() == []
    plain = Card.text("x " * 1500)
    await discord.send(ChatRef("discord", CHANNEL), plain)
    assert all(len(m.content) <= 2000 for m in discord_world.channel())

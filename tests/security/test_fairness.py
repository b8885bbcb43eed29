"""One busy chat cannot starve the others: due messages are taken round robin across
chats, scheduled posts go ahead of answers to commands in a chat, each member has a
modest budget of actions, and a command for another bot gets no answer."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.messaging import ChatRef
from bot.platforms.telegram_pacer import ANSWER, SCHEDULED, Pacer
from tests.conftest import NOW
from tests.e2e.telegram_world import GROUP, MEMBER_BASE, InProcess, eventually, telegram_adapter
from tests.fakes.recording import RecordingMessenger
from tests.fakes.telegram_api import FakeTelegram
from tests.harness import FakeClock, Harness, start_app, write_events
from tests.reliability.figures import record

BUSY, QUIET = ChatRef("test", "busy-group"), ChatRef("test", "quiet-group")


async def owe_announcements(bot: Harness, chat: ChatRef, titles: list[str]) -> None:
    lines = [f"{title} | Thu 3 Dec 19:00 | Hall" for title in titles]
    await write_events(bot.running.db, chat, lines, bot.clock.now())


async def test_a_busy_chat_does_not_keep_another_waiting(bot: Harness) -> None:
    await owe_announcements(bot, BUSY, [f"Canvass {n}" for n in range(200)])
    bot.clock.advance(seconds=1)
    await owe_announcements(bot, QUIET, ["Emergency rally"])  # due last of all
    mark = bot.mark()
    await bot.running.scheduler.run_due()
    sends = [o for o in bot.since(mark) if o.kind == "send"]
    assert len(sends) == 201
    place = next(i for i, o in enumerate(sends) if "Emergency rally" in o.text) + 1
    record("fairness", quiet_chat_place=place, busy_chat_due=200)
    assert place <= 2 * 2  # within the first rounds, not behind the busy chat's 200


async def test_scheduled_posts_go_ahead_of_answers_in_a_chat() -> None:
    """Telegram allows one message a second in a chat: what waits is ordered, the
    scheduler's first."""
    pacer = Pacer(per_second=30, chat_interval=0.05, group_per_minute=10_000)
    order: list[str] = []

    async def send(label: str) -> dict[str, Any]:
        order.append(label)
        await asyncio.sleep(0.01)
        return {"ok": True}

    async def request(label: str, urgency: int) -> None:
        await pacer.process_request(send, (label,), {}, "sendMessage", {"chat_id": -100}, urgency)

    tasks = [asyncio.create_task(request(f"answer {n}", ANSWER)) for n in range(5)]
    await asyncio.sleep(0)  # the answers are waiting their turn
    tasks.append(asyncio.create_task(request("reminder", SCHEDULED)))
    await asyncio.gather(*tasks)
    assert order[0] == "answer 0"  # already being sent
    assert order[1] == "reminder"
    assert order[2:] == [f"answer {n}" for n in range(1, 5)]


async def test_a_member_has_a_modest_budget_of_actions(tmp_path: Path) -> None:
    messenger = RecordingMessenger(strangers=True)
    bot = await Harness(tmp_path / "m.db", FakeClock(NOW), messenger, member_rate=30).start()
    try:
        await bot.say("/newevent Meeting | Thu 3 Dec 19:00 | Hall")
        mark = bot.mark()
        for _ in range(25):
            await bot.say("/events", user="amy")
        said = [o.text for o in bot.since(mark)]
        assert sum("Upcoming events" in t for t in said) == 15
        assert sum("That's a lot at once" in t for t in said) == 1  # said once
        assert len(said) == 16  # the rest: silence
        # Another member, and the organiser, are answered as ever.
        assert "Upcoming events" in (await bot.say("/events", user="ben"))[0].text
        assert "Upcoming events" in (await bot.say("/events"))[0].text
        # The budget refills: two seconds buy one more, and no more.
        bot.clock.advance(seconds=2)
        assert "Upcoming events" in (await bot.say("/events", user="amy"))[0].text
        again = [o.text for o in await bot.say("/events", user="amy")]
        assert again == ["That's a lot at once: wait a minute, then try again."]
        assert await bot.say("/events", user="amy") == []  # and then silence again
    finally:
        await bot.stop()


async def test_presses_past_the_budget_are_answered_quietly(
    tg: FakeTelegram, tmp_path: Path
) -> None:
    world = InProcess(tg, FakeClock(NOW), tmp_path / "muster.db")
    world.app = await start_app(world.path, world.clock, 0.5, telegram_adapter(tg), member_rate=30)
    try:
        outs = await world.say("/newevent Meeting | Thu 3 Dec 19:00 | Hall")
        [card] = [m for m in outs if m.chat_id == GROUP and m.buttons()]
        for n in range(20):
            answer = "going" if n % 2 else "maybe"
            tg.press(GROUP, MEMBER_BASE, "Amy", card.message_id, f"rsvp:{answer}:1")
        await eventually(lambda: len(tg.toasts) == 20)
        toasts = [text for _, text in tg.toasts]
        assert sum(t.startswith(("You're going", "You might")) for t in toasts) == 15
        assert sum(t.startswith("That's a lot at once") for t in toasts) == 1
        assert sum(t == "" for t in toasts) == 4  # the spinner stops; nothing is said
    finally:
        await world.stop()


async def test_a_command_for_another_bot_gets_no_answer(world: InProcess, tg: FakeTelegram) -> None:
    before = len(tg.sent)
    tg.say(GROUP, MEMBER_BASE, "Amy", "/roll 2d6")  # another bot's command
    tg.say(GROUP, MEMBER_BASE, "Amy", "/ban@group_help_bot Eve")
    outs = await world.say("/events", user=MEMBER_BASE, name="Amy")
    assert len(tg.sent) == before + 1 and "No upcoming events" in outs[0].visible
    outs = await world.say("/roll@muster_test_bot", user=MEMBER_BASE, name="Amy")
    assert "I don't know /roll" in outs[0].visible  # addressed to Muster by name
    outs = await world.say("/roll", user=MEMBER_BASE, name="Amy", chat=MEMBER_BASE)
    assert "I don't know /roll" in outs[0].visible  # a private chat is all Muster's

"""A toast shortens the title, never its sentence: the key words survive at any
title length (Telegram's answerCallbackQuery takes 200 characters)."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.harness import Harness

TITLE = ("Emergency general meeting about the library closure and the campaign " * 4)[:200]


def toast(outs: list) -> str:  # type: ignore[type-arg]
    [text] = [o.text for o in outs if o.kind == "toast"]
    return text


async def test_key_words_survive_a_long_title(bot: Harness) -> None:
    await bot.say(f"/newevent {TITLE} | Thu 3 Dec 19:00 | Hall | capacity=1")
    going = toast(await bot.press("rsvp:going:1", user="amy"))
    assert going.startswith("You're going to Emergency general") and going.endswith("….")
    waiting = [toast(await bot.press("rsvp:going:1", user=u)) for u in ("ben", "cat", "dan")]
    assert waiting[2].startswith("You're number 3 on the waiting list for Emergency")
    assert "To be told privately when a place frees: open the test start link." in waiting[2]
    await bot.say("/checkin 1")
    bot.clock.set(datetime(2026, 12, 3, 18, 45, tzinfo=UTC))
    here = toast(await bot.press("checkin:here:1", user="amy"))
    assert here.startswith("Welcome to Emergency") and here.endswith("! You're checked in.")
    for text in (going, *waiting, here):
        assert len(text) <= 200, text

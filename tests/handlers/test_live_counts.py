"""Live counts: a burst of presses costs a handful of edits and ends exact."""

from __future__ import annotations

import asyncio
from itertools import pairwise
from typing import Any

import pytest
from sqlalchemy import event

from bot.live_shared import SharedLiveCards
from bot.messaging import ChatRef, Invocation, MessageRef, Press, UserRef
from tests.harness import GROUP, Harness


async def going(bot: Harness, i: int) -> None:
    """Member i presses "going" on the first event's card in the test group."""
    await bot.running.dispatcher.handle(
        Invocation(
            chat=GROUP,
            user=UserRef("test", f"m{i}"),
            user_name=f"Member {i}",
            chat_title="Test group",
            action="rsvp:going:1",
            press=Press(f"p{i}", MessageRef(ChatRef("test", "group-1"), "1")),
        )
    )


async def test_a_burst_of_presses_is_coalesced_into_few_edits(bot: Harness) -> None:
    bot.running.live.interval = 0.3
    await bot.say("/newevent Rally | tomorrow 18:00 | Square")
    mark = bot.mark()
    answers = ["going"] * 30 + ["maybe"] * 5 + ["no"] * 3

    async def press(i: int, answer: str) -> None:
        inv = Invocation(
            chat=GROUP,
            user=UserRef("test", f"m{i}"),
            user_name=f"Member {i}",
            chat_title="Test group",
            action=f"rsvp:{answer}:1",
            press=Press(f"p{i}", MessageRef(ChatRef("test", "group-1"), "1")),
        )
        await bot.running.dispatcher.handle(inv)

    started = asyncio.get_running_loop().time()
    await asyncio.gather(*(press(i, a) for i, a in enumerate(answers)))
    await press(0, "going")  # a second click of the same button changes nothing
    elapsed = asyncio.get_running_loop().time() - started
    await bot.settle()
    outs = bot.since(mark)
    toasts = [o for o in outs if o.kind == "toast"]
    edits = [o for o in outs if o.kind == "edit"]
    assert len(toasts) == len(answers) + 1
    assert toasts[-1].text == "You had already answered that for Rally."
    # At most one edit per interval while the presses came, and one to finish.
    assert 1 <= len(edits) <= 2 + elapsed / 0.3, (len(edits), elapsed)
    assert len(edits) < len(answers) / 4
    assert "Going 30 · Maybe 5 · Can't go 3" in edits[-1].text
    assert all("Member" not in e.text for e in edits)


async def test_an_edit_on_a_slow_network_still_keeps_the_interval(bot: Harness) -> None:
    """A press that comes while an edit is on its way waits a full interval after that
    edit arrived, not after it was begun: the platform must never see two edits of a
    card closer together than the interval."""
    bot.running.live.interval = 0.3
    await bot.say("/newevent Rally | tomorrow 18:00 | Square")
    mark = bot.mark()
    bot.messenger.edit_delays = [0.25]  # the first edit is slow to arrive; later ones are not

    await going(bot, 1)  # shown at once: the first edit sets off
    await asyncio.sleep(0.1)
    await going(bot, 2)  # while that edit is still on its way
    await bot.settle()
    edits = [o for o in bot.since(mark) if o.kind == "edit"]
    assert [("Going 1" in e.text, "Going 2" in e.text) for e in edits] == [
        (True, False),
        (False, True),
    ]
    assert edits[1].at - edits[0].at >= 0.3


@pytest.mark.postgresql_only
async def test_cards_falling_due_together_take_turns_within_the_pool(bot: Harness) -> None:
    """Twenty cards pressed at once, twice: their edits fall due together, and their
    database work takes turns, so no connection beyond the pool is opened (twenty at
    once had opened about as many) and every card still ends exact."""
    bot.running.live.interval = 0.2
    chats = [ChatRef("test", f"group-{i}") for i in range(20)]
    for chat in chats:
        await bot.say("/newevent Rally | tomorrow 18:00 | Square", chat=chat)
    pool = bot.running.db.engine.sync_engine.pool
    opened: list[Any] = []
    event.listen(pool, "connect", lambda *_: opened.append(1))
    mark = bot.mark()

    async def press(chat: ChatRef, event_id: int, user: str) -> None:
        inv = Invocation(
            chat=chat,
            user=UserRef("test", user),
            user_name="Member",
            chat_title="Test group",
            action=f"rsvp:going:{event_id}",
            press=Press(f"{chat.id}-{user}", MessageRef(chat, "1")),
        )
        await bot.running.dispatcher.handle(inv)

    for user in ("m1", "m2"):
        await asyncio.gather(*(press(c, i + 1, user) for i, c in enumerate(chats)))
    await bot.settle()
    assert opened == []
    edits = [o for o in bot.since(mark) if o.kind == "edit"]
    for chat in chats:
        last = [e for e in edits if e.target == chat][-1]
        assert "Going 2 · Maybe 0 · Can't go 0" in last.text


@pytest.mark.postgresql_only
async def test_another_process_waits_for_an_edit_under_way_to_arrive(bot: Harness) -> None:
    """One process's edit is slow to arrive; another process, given a press meanwhile,
    waits an interval after that edit's answer, not after it was begun: the platform
    never sees two edits of a card closer together than the interval."""
    live = bot.running.live
    assert isinstance(live, SharedLiveCards)
    live.interval = 0.3
    other = SharedLiveCards(bot.running.db, bot.running.messengers, 0.3, "another-process")
    await bot.say("/newevent Rally | tomorrow 18:00 | Square")
    mark = bot.mark()
    bot.messenger.edit_delays = [0.6]  # on its way for two intervals

    await going(bot, 1)  # this process's edit sets off
    await asyncio.sleep(0.1)
    await going(bot, 2)
    other.touch(1)  # as if the second press had come to the other process
    await bot.settle()
    await other.idle()
    edits = [o for o in bot.since(mark) if o.kind == "edit"]
    assert "Going 2" in edits[-1].text
    assert all(b.at - a.at >= 0.3 for a, b in pairwise(edits))

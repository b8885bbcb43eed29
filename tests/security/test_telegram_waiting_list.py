"""A full event takes a Going press onto its waiting list in one tap, on any copy of its
card; the member is told privately when moved in, or, where the bot cannot reach them
privately yet, the toast says how to let it."""

from __future__ import annotations

from tests.e2e.telegram_world import GROUP, MEMBER_BASE, InProcess, eventually
from tests.fakes.telegram_api import FakeTelegram

AMY, BEN, CAT = MEMBER_BASE + 1, MEMBER_BASE + 2, MEMBER_BASE + 3


async def test_going_on_a_full_event_joins_the_waiting_list(
    world: InProcess, tg: FakeTelegram
) -> None:
    outs = await world.say("/newevent Dinner | Thu 3 Dec 19:00 | Cafe | capacity=1")
    [card] = [m for m in outs if m.chat_id == GROUP and m.buttons()]
    tg.blocked.add(CAT)  # Cat never started a private chat with the bot
    tg.press(GROUP, AMY, "Amy Jones", card.message_id, "rsvp:going:1")
    await eventually(lambda: len(tg.toasts) == 1)
    # Ben starts a private chat first; Cat does not.
    await world.say("/start", user=BEN, name="Ben Ng", chat=BEN)
    tg.press(GROUP, BEN, "Ben Ng", card.message_id, "rsvp:going:1")
    tg.press(GROUP, CAT, "Cat Fox", card.message_id, "rsvp:going:1")
    await eventually(lambda: len(tg.toasts) == 3)
    toasts = [text for _, text in tg.toasts]
    assert toasts[1] == "You're number 1 on the waiting list for Dinner."
    assert toasts[2].startswith("You're number 2 on the waiting list for Dinner.")
    assert "https://t.me/muster_test_bot?start=hello" in toasts[2]
    await world.settle()
    # Amy can't go after all: Ben, first in line, is moved in and told privately.
    tg.press(GROUP, AMY, "Amy Jones", card.message_id, "rsvp:no:1")
    await eventually(
        lambda: any("A place came free" in m.visible for m in tg.history(BEN)), timeout=10
    )
    await world.settle()
    await eventually(lambda: "Going 1/1" in (tg.find(GROUP, card.message_id) or card).visible)

"""The next getUpdates waits for the updates in hand (`telegram_polling`), never longer
than its bound, and not at all when nothing is in hand."""

from __future__ import annotations

import asyncio

from bot.platforms.telegram_polling import PollWhenSettled


async def test_nothing_in_hand_polls_at_once() -> None:
    queue: asyncio.Queue[object] = asyncio.Queue()
    await asyncio.wait_for(PollWhenSettled(queue, within=60)(), 5)


async def test_the_next_poll_waits_until_every_update_in_hand_is_handled() -> None:
    queue: asyncio.Queue[object] = asyncio.Queue()
    for update in ("a", "b"):
        queue.put_nowait(update)
    queue.get_nowait(), queue.get_nowait()  # taken, as the application does, not yet handled
    settled = asyncio.create_task(PollWhenSettled(queue, within=60)())
    await asyncio.sleep(0.01)
    queue.task_done()  # one handled: the other still is in hand
    await asyncio.sleep(0.01)
    assert not settled.done()
    queue.task_done()
    await asyncio.wait_for(settled, 5)


async def test_an_update_that_takes_long_delays_the_next_poll_only_by_the_bound() -> None:
    queue: asyncio.Queue[object] = asyncio.Queue()
    queue.put_nowait("slow")  # never handled here
    loop = asyncio.get_running_loop()
    began = loop.time()
    await asyncio.wait_for(PollWhenSettled(queue, within=0.05)(), 5)
    assert loop.time() - began >= 0.04

"""When to ask Telegram for the next updates: once those in hand are handled, or a
moment later.

python-telegram-bot polls again the moment a poll's updates are queued. Muster answers
presses in a group commit's bunches, so under a burst each poll found two or three
updates where a bare app's found every press in flight, and each poll and each commit
was paid for a handful of presses (docs/benchmarks.md). Waiting a moment for the
updates in hand lets the next poll and the next commit take more of what has come
meanwhile. The wait is bounded: an update that takes long (a reply held by the pacer,
a big import) delays the next poll by at most `SETTLE_WITHIN`; with nothing in hand
the poll goes at once, so a member pressing alone is answered as fast as before.

python-telegram-bot marks each queued update done once its handlers have run
(`Application.__process_update_wrapper`), so the queue's `join()` is the signal.
"""

from __future__ import annotations

import asyncio
import contextlib

# Under a burst a poll then brings about six presses where it brought two or three.
# Waiting out the whole batch (25 ms) brought fifteen, but left the process idle while
# the answers and the next presses travelled, and a burst went no faster.
SETTLE_WITHIN = 0.005


class PollWhenSettled:
    """Awaited before each getUpdates: returns once the application's update queue has
    nothing unfinished, or after `within` seconds."""

    __slots__ = ("_queue", "_within")

    def __init__(self, queue: asyncio.Queue[object], within: float = SETTLE_WITHIN) -> None:
        self._queue = queue
        self._within = within

    async def __call__(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._queue.join(), self._within)

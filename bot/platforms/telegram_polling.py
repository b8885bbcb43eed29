"""When to ask Telegram for the next updates: once those in hand are answered.

python-telegram-bot polls again the moment a poll's updates are queued. Muster answers
presses in a group commit's bunches, so under a burst each poll found two or three
updates where a bare app's found every press in flight, and each poll and each commit
was paid for a handful of presses (docs/benchmarks.md). Waiting until the updates
in hand are handled lets the next poll and the next commit take what has come
meanwhile. The wait is bounded: an update that takes
long (a reply held by the pacer, a big import) delays the next poll by at most
`SETTLE_WITHIN`; with nothing in hand the poll goes at once, so a member pressing
alone is answered as fast as before.

python-telegram-bot marks each queued update done once its handlers have run
(`Application.__process_update_wrapper`), so the queue's `join()` is the signal.
"""

from __future__ import annotations

import asyncio
import contextlib

# Long enough for a burst's presses in hand to be stored and answered together, short
# enough that a poll never waits long behind a slow update.
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

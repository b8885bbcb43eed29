"""Sending paced across processes (PostgreSQL): a platform counts a bot's messages, not a
process's, so three processes each keeping Telegram's limits would together break them.

Every send first reserves its moment: for each key it counts against (the platform as a
whole, its chat, a group's minute), the next free moment is read and moved on by the
key's spacing, all in one short transaction that locks those rows, so no two processes
are given the same moment. The clock is the database's, which every process shares. A key's row says
nothing once its moment has passed, and every so often such rows are deleted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from sqlalchemy import text

from bot.messaging import Limit
from bot.storage.database import Database

_NOW = text("SELECT extract(epoch FROM clock_timestamp())::float8")
_ADD = text("INSERT INTO pacing (key, next_at) VALUES (:key, 0) ON CONFLICT (key) DO NOTHING")
_LOCK = text("SELECT key, next_at FROM pacing WHERE key = ANY(:keys) ORDER BY key FOR UPDATE")
_MOVE = text("UPDATE pacing SET next_at = :at WHERE key = :key")
_PAST = text("DELETE FROM pacing WHERE next_at < extract(epoch FROM clock_timestamp()) - 60")
PRUNE_EVERY = 1000  # reservations
SOON = 0.02  # seconds: a chat free this soon is free now


class SharedPace:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._reserved = 0

    async def reserve(self, limits: dict[str, Limit], queue: dict[str, Limit]) -> float:
        """Reserve the next moment free under every key; returns the seconds still to
        wait for it (having waited for the chat's keys already).

        Each key is a rate with a burst (the generic cell rate algorithm): its row holds
        when the key would next be free if messages went evenly, and a message may go
        up to `burst` spacings before that. The keys of `limits` (a chat's) are waited
        for without holding anything: a message reserves only once they are free, so
        that it never holds a place in `queue` (the platform's overall pace) for a
        moment seconds away, ahead of messages to other chats that could go now."""
        every = {**limits, **queue}
        keys = sorted(every)  # always locked in one order: no deadlock between processes
        while True:
            async with self.db.coordinate() as session:
                for key in keys:
                    await session.execute(_ADD, {"key": key})
                rows = dict((await session.execute(_LOCK, {"keys": keys})).tuples().all())
                now = float(await session.scalar(_NOW) or 0.0)
                chat_free = _free(now, rows, every, limits)
                if chat_free <= now + SOON:
                    at = max(chat_free, _free(now, rows, every, queue))
                    for key in keys:
                        later = max(float(rows[key]), at) + every[key].spacing
                        await session.execute(_MOVE, {"key": key, "at": later})
                    break
            await asyncio.sleep(chat_free - now)  # nothing held meanwhile: look again
        self._reserved += 1
        if self._reserved % PRUNE_EVERY == 0:
            async with self.db.coordinate() as session:
                await session.execute(_PAST)
        return max(0.0, at - now)


def _free(
    now: float, rows: dict[str, float], every: dict[str, Limit], names: Iterable[str]
) -> float:
    """The first moment every key of `names` lets a message go."""
    return max([now, *(float(rows[k]) - every[k].spacing * every[k].burst for k in names)])

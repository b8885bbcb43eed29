"""Sending paced across processes (PostgreSQL): a platform counts a bot's messages, not a
process's, so three processes each keeping Telegram's limits would together break them.

Every send first reserves its moment: for each key it counts against (the platform as a
whole, its chat), the next free moment is read and moved on by the key's spacing, all
in one short transaction that locks those rows, so no two processes are given the same
moment. The clock is the database's, which every process shares.
"""

from __future__ import annotations

from sqlalchemy import text

from bot.storage.database import Database

_NOW = text("SELECT extract(epoch FROM clock_timestamp())::float8")
_ADD = text("INSERT INTO pacing (key, next_at) VALUES (:key, 0) ON CONFLICT (key) DO NOTHING")
_LOCK = text("SELECT key, next_at FROM pacing WHERE key = ANY(:keys) ORDER BY key FOR UPDATE")
_MOVE = text("UPDATE pacing SET next_at = :at WHERE key = :key")


class SharedPace:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def reserve(self, spacings: dict[str, float]) -> float:
        """Reserve the next moment free under every key (each then stays taken for its
        spacing); returns the seconds to wait for it."""
        keys = sorted(spacings)  # always locked in one order: no deadlock between processes
        async with self.db.coordinate() as session:
            for key in keys:
                await session.execute(_ADD, {"key": key})
            rows = (await session.execute(_LOCK, {"keys": keys})).tuples().all()
            now = float(await session.scalar(_NOW) or 0.0)
            at = max([now, *(float(next_at) for _, next_at in rows)])
            for key in keys:
                await session.execute(_MOVE, {"key": key, "at": at + spacings[key]})
        return max(0.0, at - now)

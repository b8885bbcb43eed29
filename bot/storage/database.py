"""One handle on the database for the whole process.

Writes are serialised in-process: SQLite allows one writer at a time, and a transaction
that reads and then writes can otherwise fail instead of waiting. On PostgreSQL the lock
costs little and row locks still guard other processes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.storage.engine import create_engine, session_factory, upgrade


class Database:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sessions = session_factory(engine)
        self._write_lock = asyncio.Lock()

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(create_engine(url))

    async def upgrade(self) -> None:
        await upgrade(self.engine)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A transaction that commits on success and rolls back on any exception."""
        async with self._write_lock, self._sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session:
            yield session

    async def scrub(self) -> None:
        """After an erasure: fold the write-ahead log into the file and empty it, so the
        old page images that still hold the erased rows are gone (deleted cells in the
        file itself are zeroed by secure_delete)."""
        if self.engine.dialect.name != "sqlite":
            return
        async with self._write_lock, self.engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    async def close(self) -> None:
        await self.engine.dispose()

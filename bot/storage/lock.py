"""One process owns a database: a second one would post every reminder twice.

On SQLite the lock is an OS file lock beside the database, so it is released by the
kernel when the owner dies, however it dies. On PostgreSQL it is a session advisory
lock, held on a connection of its own, which the server releases when that connection
ends, however the process dies. Until processes claim their work from the outbox under
leases, one process serves a PostgreSQL database as one serves an SQLite file.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

# The advisory lock's key: "muster" in ASCII, which no other application picks by chance.
OWNER_KEY = 0x6D7573746572


class AlreadyRunning(Exception):
    pass


class OwnerLock:
    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        os.fchmod(fd, 0o600)  # a lock file an older version made wider
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise AlreadyRunning(
                f"another Muster process is using {self.path.with_suffix('')}; stop it first"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class DatabaseLock:
    """The PostgreSQL owner lock: `pg_try_advisory_lock`, never waiting for it."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._conn: AsyncConnection | None = None

    async def acquire(self) -> None:
        conn = await self.engine.connect()
        try:
            held = await conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": OWNER_KEY})
            await conn.commit()  # the lock belongs to the session, not to this transaction
        except BaseException:
            await conn.close()
            raise
        if not held:
            await conn.close()
            raise AlreadyRunning("another Muster process is using this database; stop it first")
        self._conn = conn

    async def release(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": OWNER_KEY})
                await conn.commit()
            finally:
                await conn.close()

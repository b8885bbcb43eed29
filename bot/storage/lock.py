"""Who may do what, when several processes could.

On SQLite one process owns the database: a second one would post every reminder twice.
The lock is an OS file lock beside the database, so the kernel releases it when the
owner dies, however it dies.

On PostgreSQL any number of processes share the database (the outbox is claimed under
leases), but some work must be done by exactly one of them at a time: taking Telegram's
updates by long polling, holding Discord's gateway. Each such role is a session advisory
lock, held on a connection of its own, which the server releases when that connection
ends, however the process dies; the others keep trying and one takes over.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import os
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine


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


def lock_key(role: str) -> int:
    """A role's advisory lock key: a signed 64-bit number from its name, prefixed so no
    other application on the server picks it by chance."""
    digest = hashlib.sha256(f"muster:{role}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class AdvisoryLock:
    """One PostgreSQL advisory lock: `pg_try_advisory_lock`, never waiting for it."""

    def __init__(self, engine: AsyncEngine, role: str) -> None:
        self.engine = engine
        self.role = role
        self.key = lock_key(role)
        self._conn: AsyncConnection | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None

    async def try_acquire(self) -> bool:
        conn = await self.engine.connect()
        try:
            held = await conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key})
            await conn.commit()  # the lock belongs to the session, not to this transaction
        except BaseException:
            await conn.close()
            raise
        if not held:
            await conn.close()
            return False
        self._conn = conn
        return True

    async def wait(self) -> None:
        """Take the lock, waiting for whoever holds it."""
        conn = await self.engine.connect()
        try:
            await conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": self.key})
            await conn.commit()
        except BaseException:
            await conn.close()
            raise
        self._conn = conn

    async def still_held(self) -> bool:
        """Whether the connection that holds the lock still answers: if it does not, the
        server has released the lock (or soon will) and another process may hold it."""
        if self._conn is None:
            return False
        try:
            await asyncio.wait_for(self._conn.scalar(text("SELECT 1")), STILL_HELD_WITHIN)
            await self._conn.commit()
        except Exception:
            conn, self._conn = self._conn, None
            with contextlib.suppress(Exception):
                await conn.invalidate()
            return False
        return True

    async def release(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
                await conn.commit()
            except Exception:
                await conn.invalidate()  # the server releases it with the connection
            finally:
                await conn.close()


STILL_HELD_WITHIN = 5.0  # seconds for the lock's connection to answer

"""PostgreSQL's pooled connections: pinged after they sat idle, trusted just after use.

The server ends a connection's session (as a restart does) while the pool holds it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import idle_ping
from bot.storage.engine import create_engine
from tests import databases

pytestmark = pytest.mark.postgresql_only

WHO = text("SELECT pg_backend_pid()")


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    made = create_engine(await databases.migrated(tmp_path / "ping.db"))
    try:
        yield made
    finally:
        await made.dispose()


async def backend(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(WHO)).scalar_one())


async def end_session_of(engine: AsyncEngine, pid: int) -> None:
    """Another connection asks the server to end `pid`'s session."""
    other = create_engine(str(engine.url.render_as_string(hide_password=False)))
    try:
        async with other.connect() as conn:
            ended = (
                await conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            ).scalar()
            assert ended is True
    finally:
        await other.dispose()
    await asyncio.sleep(0.1)  # the server closes the socket


async def test_a_connection_idle_for_a_while_is_pinged_and_replaced_when_dead(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(idle_ping, "PING_AFTER_IDLE", 0.2)
    first = await backend(engine)
    await end_session_of(engine, first)
    await asyncio.sleep(0.3)
    # Nothing fails: the dead connection was found on checkout and a new one made.
    assert await backend(engine) != first


async def test_a_connection_just_used_is_trusted_and_a_dead_one_fails_once(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(idle_ping, "PING_AFTER_IDLE", 60.0)
    first = await backend(engine)
    await end_session_of(engine, first)
    with pytest.raises(DBAPIError) as failed:
        await backend(engine)
    assert failed.value.connection_invalidated
    # SQLAlchemy replaced what the pool held: the next use has a live connection.
    assert await backend(engine) != first

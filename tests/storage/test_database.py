"""Storage on a real SQLite file: migrations, pragmas, the owner lock."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.base import Base
from bot.storage.database import Database
from bot.storage.engine import HEAD, SQLITE_READERS, alembic_config, current_revision
from bot.storage.lock import AlreadyRunning, OwnerLock
from tests import databases

# A chat row written by hand, below the storage module: what is stored, not how.
ONE_CHAT = text(
    "INSERT INTO chats (platform, platform_chat_id, title, display_name, clp, branch,"
    " timezone, reminder_offsets, show_names, active, created_at)"
    " VALUES ('t', '1', '', '', '', '', 'UTC', '', false, true, '2026-01-01')"
)


async def test_migrations_build_exactly_the_declared_schema(tmp_path: Path) -> None:
    db = Database.from_url(databases.url_for(tmp_path / "m.db"))
    try:
        await db.upgrade()
        await db.upgrade()  # a second upgrade is a no-op
        assert await current_revision(db.engine) == HEAD

        def diff(connection):  # type: ignore[no-untyped-def]
            return compare_metadata(MigrationContext.configure(connection), Base.metadata)

        async with db.engine.connect() as conn:
            assert await conn.run_sync(diff) == []
    finally:
        await db.close()


def test_the_head_a_start_compares_with_is_alembics_own() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD


@pytest.mark.sqlite_only
async def test_sqlite_runs_in_wal_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path / 'p.db'}")
    try:
        async with db.engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == 10000
            assert (await conn.execute(text("PRAGMA synchronous"))).scalar() == 2  # FULL
    finally:
        await db.close()


def wal_frames(path: Path) -> int:
    """Frames in the write-ahead log not yet copied into the file, seen from outside."""
    with sqlite3.connect(path) as outside:
        outside.execute("PRAGMA wal_autocheckpoint=0")
        # A checkpoint of none: PASSIVE with nothing to wait for reports (busy, log, done).
        _, log, done = outside.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return int(log - done) if log >= 0 else 0


@pytest.mark.sqlite_only
async def test_the_writer_leaves_checkpoints_to_a_reader(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    db = Database.from_url(f"sqlite+aiosqlite:///{path}")
    try:
        await db.upgrade()
        async with db.engine.connect() as conn:
            assert (await conn.execute(text("PRAGMA wal_autocheckpoint"))).scalar() == 0
        async with db.reader.connect() as conn:
            assert (await conn.execute(text("PRAGMA wal_autocheckpoint"))).scalar() == 1000
        big = "x" * 3000
        for n in range(1500):  # past the thousand pages where SQLite would checkpoint
            async with db.write() as session:
                await session.execute(
                    text(
                        "INSERT INTO chats (platform, platform_chat_id, title, display_name,"
                        " clp, branch, timezone, reminder_offsets, show_names, active,"
                        " created_at) VALUES ('t', :id, :big, '', '', '', 'UTC', '', 0, 1,"
                        " '2026-01-01')"
                    ),
                    {"id": str(n), "big": big},
                )
        log = path.with_name(path.name + "-wal")
        assert log.stat().st_size > 1000 * 4096  # no commit checkpointed
        await db.checkpoint()
        async with db.write() as session:  # the next write starts the log again
            await session.execute(text("DELETE FROM chats WHERE platform_chat_id = '1'"))
        await db.checkpoint()
        assert wal_frames(path) == 0
    finally:
        await db.close()


@pytest.mark.sqlite_only
async def test_the_pools_open_at_start_and_a_burst_of_reads_waits_for_them(
    tmp_path: Path,
) -> None:
    db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path / 'pool.db'}")
    opened: list[int] = []
    for engine in (db.engine, db.reader):
        event.listen(engine.sync_engine, "connect", lambda *_: opened.append(1))
    try:
        await db.upgrade()
        await db.open()
        assert len(opened) == 1 + SQLITE_READERS  # the writer's own, and the readers'
        inside = 0
        most = 0

        async def read() -> int:
            nonlocal inside, most
            async with db.read() as session:
                value = (await session.execute(text("SELECT 1"))).scalar_one()
                inside += 1  # holding a connection from here to the end of the session
                most = max(most, inside)
                await asyncio.sleep(0.01)
                inside -= 1
                return int(value)

        readers = 6 * SQLITE_READERS
        assert await asyncio.gather(*(read() for _ in range(readers))) == [1] * readers
        # Many readers at once shared the connections opened at start.
        assert most == SQLITE_READERS
        assert len(opened) == 1 + SQLITE_READERS
    finally:
        await db.close()


@pytest.mark.sqlite_only
async def test_a_write_never_waits_for_a_connection_behind_readers(tmp_path: Path) -> None:
    db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path / 'w.db'}")
    try:
        await db.upgrade()
        await db.open()
        release = asyncio.Event()
        holding = 0

        async def hold() -> None:
            nonlocal holding
            async with db.read() as session:
                await session.execute(text("SELECT 1"))
                holding += 1
                await release.wait()

        readers = [asyncio.create_task(hold()) for _ in range(2 * SQLITE_READERS)]
        while holding < SQLITE_READERS:
            await asyncio.sleep(0.001)

        async def insert(session: AsyncSession) -> int:
            await session.execute(ONE_CHAT)
            return 1

        # Every reader's connection is held (and more readers wait): the write goes on.
        assert await asyncio.wait_for(db.group_commit(insert), 10) == 1
        assert holding == SQLITE_READERS
        release.set()
        await asyncio.gather(*readers)
        async with db.read() as session:
            assert (await session.execute(text("SELECT count(*) FROM chats"))).scalar() == 1
    finally:
        await db.close()


async def test_a_failed_transaction_writes_nothing(tmp_path: Path) -> None:
    db = Database.from_url(databases.url_for(tmp_path / "t.db"))
    try:
        await db.upgrade()
        with pytest.raises(RuntimeError):
            async with db.write() as session:
                await session.execute(ONE_CHAT)
                raise RuntimeError("handler failed half-way")
        async with db.read() as session:
            assert (await session.execute(text("SELECT count(*) FROM chats"))).scalar() == 0
    finally:
        await db.close()


@pytest.mark.sqlite_only
def test_a_second_owner_is_refused_and_a_dead_owner_releases(tmp_path: Path) -> None:
    database = tmp_path / "o.db"
    first = OwnerLock(database)
    first.acquire()
    with pytest.raises(AlreadyRunning, match="another Muster process"):
        OwnerLock(database).acquire()
    first.release()
    # A process that holds the lock and is killed: the kernel releases it.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from bot.storage.lock import OwnerLock;"
            f"OwnerLock(Path({str(database)!r})).acquire(); print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(AlreadyRunning):
            OwnerLock(database).acquire()
    finally:
        holder.kill()
        holder.wait()
    again = OwnerLock(database)
    again.acquire()
    again.release()


async def test_seeds_are_loaded_once_and_updated_when_the_file_changes(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from bot.storage import motions

    folder = tmp_path / "seeds"
    folder.mkdir()
    seed = folder / "a.md"
    seed.write_text("---\nslug: a-motion\ntitle: First\nsource: here\n---\n{branch} says yes.\n")
    db = Database.from_url(databases.url_for(tmp_path / "s.db"))
    now = datetime(2026, 11, 23, tzinfo=UTC)
    try:
        await db.upgrade()
        async with db.write() as session:
            assert await motions.sync_seeds(session, motions.read_seed_dir(folder), now) == 1
        async with db.write() as session:
            assert await motions.sync_seeds(session, motions.read_seed_dir(folder), now) == 0
        seed.write_text(
            "---\nslug: a-motion\ntitle: Second\nsource: here\n---\n{branch} says no.\n"
        )
        async with db.write() as session:
            assert await motions.sync_seeds(session, motions.read_seed_dir(folder), now) == 1
        async with db.read() as session:
            [motion] = await motions.visible(session, None)
            assert (motion.title, motion.body) == ("Second", "{branch} says no.")
    finally:
        await db.close()


def test_db_upgrade_on_demand(tmp_path: Path) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("MUSTER_")}
    env["MUSTER_DATABASE_URL"] = databases.url_for(tmp_path / "u.db")
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "upgrade"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "database is up to date" in done.stdout

    async def revision() -> str | None:
        db = Database.from_url(databases.url_for(tmp_path / "u.db"))
        try:
            return await current_revision(db.engine)
        finally:
            await db.close()

    assert asyncio.run(revision()) == HEAD

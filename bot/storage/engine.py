"""The database engine, its sessions, and schema upgrades.

SQLite is tuned for a bot that must not lose an acknowledged answer: WAL so readers never
block the writer, synchronous=FULL so a committed transaction survives a power cut, a
busy timeout instead of "database is locked" errors, and foreign keys enforced.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import QueuePool

from bot.storage import idle_ping
from bot.storage.sqlite_driver import driver_module, run_on_loop

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration's revision: a start on an up-to-date schema compares it with the
# database's and imports no alembic (a test holds it equal to alembic's own head).
HEAD = "0011"
BUSY_TIMEOUT_MS = 10_000
PAGE_CACHE_KIB = 512
# SQLite has one writer (serialised in-process), and readers beyond a couple gain nothing
# on a small machine. The writer has a connection of its own (`create_engines`), so
# members' actions never wait for a connection behind readers: twenty cards' refreshes
# at once had held up every press for 80 ms. Each connection is a thread of its own
# with its own page cache, so fixed pools, opened at start (`open_pool`), keep memory
# flat: an overflow connection opened in a burst and closed after it leaves its
# thread's heap behind.
SQLITE_READERS = 2
# The execution option that marks a connection's transaction as one that will write.
WRITES = "muster_writes"
# And one whose statements run on the event loop's thread (`sqlite_driver`): a member's
# action, a few indexed rows, under the write lock. Other databases ignore it.
ON_LOOP = "muster_on_loop"


def create_engines(url: str) -> tuple[AsyncEngine, AsyncEngine | None]:
    """The engine that writes, and for a SQLite file a second one that only reads.

    One SQLite in memory is a single connection, and PostgreSQL's pool serves both."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return create_engine(url), None
    writer = create_engine(url, pool_size=1)
    event.listen(writer.sync_engine, "connect", _checkpoints_elsewhere)
    return writer, create_engine(url, pool_size=SQLITE_READERS)


def create_engine(url: str, pool_size: int | None = None) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            owner_only(Path(parsed.database))
        options: dict[str, Any] = {}
        if pool_size is not None:
            options.update(pool_size=pool_size, max_overflow=0)
        module = driver_module() if parsed.get_driver_name() == "aiosqlite" else None
        if module is not None:
            options["module"] = module
        engine = create_async_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
            pool_pre_ping=False,
            **options,
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    engine = create_async_engine(url)
    idle_ping.install(engine)
    return engine


def owner_only(database: Path) -> None:
    """The database file, made if missing, readable and writable by its owner only.

    SQLite gives the write-ahead log and the shared-memory file the database file's own
    permissions, so they follow; files an older version left wider are narrowed."""
    database.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(database, os.O_RDWR | os.O_CREAT, 0o600))
    for path in (database, *(database.with_name(database.name + s) for s in ("-wal", "-shm"))):
        if path.exists():
            path.chmod(0o600)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The sqlite3 module opens a transaction only at the first write and knows nothing
    # of savepoints; SQLAlchemy's recipe hands transactions to us (`_sqlite_begin`), so
    # a write transaction's reads see the same snapshot as its writes and presses that
    # commit together each get a savepoint.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Erased members must not linger in freed pages of the file.
        cursor.execute("PRAGMA secure_delete=ON")
        # Each pooled connection keeps its own page cache; the operating system caches
        # the file anyway, so a small one per connection keeps memory flat.
        cursor.execute(f"PRAGMA cache_size=-{PAGE_CACHE_KIB}")
    finally:
        cursor.close()


def _checkpoints_elsewhere(dbapi_connection: Any, _record: Any) -> None:
    """The writer never checkpoints: SQLite would do it inside the commit that crossed
    a thousand pages, holding the write lock (and every press queued behind it) while
    the log is copied into the file and synced. `Database.checkpoint` does it instead,
    on a reader's connection and thread, without blocking the writer."""
    _pragma(dbapi_connection, "PRAGMA wal_autocheckpoint=0")


def _sqlite_begin(conn: Connection) -> None:
    """IMMEDIATE for a write transaction: it takes SQLite's write lock at once, instead
    of reading first and then failing to upgrade if another process wrote meanwhile."""
    options = conn.get_execution_options()
    conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get(WRITES, False) else "BEGIN")
    if options.get(ON_LOOP, False):
        run_on_loop(conn.connection.dbapi_connection)


async def open_pool(engine: AsyncEngine) -> None:
    """Open every connection a fixed pool holds, so a burst finds them ready."""
    if not isinstance(engine.pool, QueuePool):
        return  # a single in-memory connection: nothing to open
    opened = [await engine.connect() for _ in range(engine.pool.size())]
    for conn in opened:
        await conn.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    from alembic.config import Config  # alembic is for upgrades: imported when one is due

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema to `revision` on the engine's own connection."""

    def run(connection: Connection) -> None:
        if revision == "head" and _revision(connection) == HEAD:
            return  # nothing to do: no alembic to import, no whole-file key check
        from alembic import command

        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        # SQLite changes a table by building a new one and dropping the old; with foreign
        # keys on, the drop would cascade into every table that refers to it. SQLite's own
        # procedure: keys off outside the transaction, change, check, keys on again.
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _pragma(connection.connection, "PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                command.upgrade(cfg, revision)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise RuntimeError("the upgrade left rows whose references are broken")
        finally:
            if sqlite:
                _pragma(connection.connection, "PRAGMA foreign_keys=ON")

    async with engine.connect() as conn:
        await conn.run_sync(run)


def _revision(connection: Connection) -> str | None:
    """The schema's revision, read without alembic (None for a new database)."""
    try:
        return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except DBAPIError:
        return None  # no table yet
    finally:
        connection.rollback()  # the read began a transaction; the upgrade's pragmas need none


def _pragma(dbapi_connection: Any, statement: str) -> None:
    """A statement on the driver's own connection, outside any transaction SQLAlchemy
    began (SQLite ignores some pragmas inside one)."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(statement)
    finally:
        cursor.close()


async def current_revision(engine: AsyncEngine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as conn:
        return await conn.run_sync(read)

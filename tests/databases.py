"""Which database the tests run on: SQLite files, or databases in a PostgreSQL cluster.

A test names its database by a path in its own temporary directory, as it always has.
On SQLite that path is the file. On PostgreSQL it names a database in this process's
throwaway cluster (`tests/postgres.py`), the same name for the same path, so a test
that restarts its app finds its data again. `python3 dev.py test` runs the database
tiers once on each (`--database`, set in tests/conftest.py).
"""

from __future__ import annotations

import asyncio
import atexit
import hashlib
import shutil
import sqlite3
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from bot.storage.database import Database
from tests.postgres import HOW_TO_GET, Cluster, server_bin

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
BACKENDS = (SQLITE, POSTGRESQL)
TEMPLATE = "muster_template"

backend = SQLITE  # set once, when pytest starts (tests/conftest.py)
durable = False  # a benchmark's cluster syncs to disk as a deployment's would
_cluster: list[Cluster] = []
_templates: dict[str, Path | str] = {}


def use(name: str) -> None:
    global backend
    if name not in BACKENDS:
        raise ValueError(f"no database backend called {name!r}")
    backend = name


def on_postgresql() -> bool:
    return backend == POSTGRESQL


def cluster() -> Cluster:
    """This process's PostgreSQL cluster, started at first use and stopped at exit."""
    if not _cluster:
        binaries = server_bin()
        if binaries is None:
            raise RuntimeError(HOW_TO_GET)
        started = Cluster(binaries, durable=durable).start()
        atexit.register(started.stop)
        _cluster.append(started)
    return _cluster[0]


def stop() -> None:
    if _cluster:
        atexit.unregister(_cluster[0].stop)
        _cluster.pop().stop()


def _name(path: Path) -> str:
    return "t_" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24]


def url_for(path: Path) -> str:
    """The database `path` stands for, made empty if it does not exist yet."""
    if not on_postgresql():
        return f"sqlite+aiosqlite:///{path}"
    server = cluster()
    server.create(_name(path))
    return server.url(_name(path))


async def migrated(path: Path) -> str:
    """The database `path` stands for at the newest schema: a copy of a template
    migrated once per test process (a copy costs milliseconds, migrating from empty a
    seventh of a second), or the database as a previous start left it."""
    template = await _template()
    if not on_postgresql():
        assert isinstance(template, Path)
        if not path.exists():  # noqa: ASYNC240 (a test's own small file)
            shutil.copyfile(template, path)
        return f"sqlite+aiosqlite:///{path}"
    server = cluster()
    server.create(_name(path), template=TEMPLATE)
    return server.url(_name(path))


async def _template() -> Path | str:
    if backend not in _templates:
        if on_postgresql():
            cluster().create(TEMPLATE)
            url = cluster().url(TEMPLATE)
            made: Path | str = TEMPLATE
        else:
            made = Path(tempfile.mkdtemp(prefix="muster-template-")) / "template.db"
            url = f"sqlite+aiosqlite:///{made}"
        database = Database.from_url(url)
        try:
            await database.upgrade()
            await database.scrub()  # SQLite: one self-contained file, nothing in its WAL
        finally:
            await database.close()  # PostgreSQL copies a template nobody is connected to
        _templates[backend] = made
    return _templates[backend]


def query(path: Path, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows of `sql` (with :named parameters) on the database `path` stands for,
    committed, from code that cannot await: what a test reads or changes behind the
    bot's back, as an operator with a database shell would. Aware datetimes are stored
    as the bot stores them."""
    if not on_postgresql():
        values = {k: _sqlite_value(v) for k, v in params.items()}
        with closing(sqlite3.connect(path, timeout=30)) as conn, conn:
            return conn.execute(sql, values).fetchall()
    url = cluster().url(_name(path))

    async def run() -> list[tuple[Any, ...]]:
        engine = create_async_engine(url, poolclass=NullPool)
        try:
            async with engine.begin() as conn:
                result = await conn.execute(text(sql), params)
                return [tuple(row) for row in result] if result.returns_rows else []
        finally:
            await engine.dispose()

    with ThreadPoolExecutor(1) as own_loop:  # the caller's loop, if any, is busy
        return own_loop.submit(asyncio.run, run()).result()


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):  # SQLAlchemy's own text form, in UTC
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value

"""Statements run straight on the driver's own connection: the press path's few
indexed reads and writes, without SQLAlchemy's work around each statement.

A press runs about eight statements. Through the ORM each cost about 100 µs of the
event loop's time on the benchmark's machine, through Core about 50, while SQLite
itself answers an indexed read in about 6: SQLAlchemy was a third of a press. Here a
statement is still written with SQLAlchemy's Core (so the schema's names and types are
checked where it is written), compiled once per dialect, and its values converted by
the same bind and result processors SQLAlchemy would apply: what is written here reads
back through the ORM unchanged, and the other way round.

The short way is taken on SQLite by a transaction whose statements already run on the
event loop's thread (`sqlite_driver.run_on_loop`: members' actions, under the write
lock), and on PostgreSQL on asyncpg's own connection (`asyncpg_driver`). Anywhere
else (a SQLite transaction in aiosqlite's thread, another driver) the same statement
runs through SQLAlchemy Core on the session's connection: one statement serves every
way, and the tests run it on both databases.

What is read here is plain tuples, never ORM objects: nothing in the session's identity
map can go stale behind a write made here as long as the rows written here are not
also loaded as objects in the same transaction. `Database.group_commit` empties the
identity map between the actions it runs together, so one action's objects cannot be
another's stale copies.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.sql import Executable

from bot.storage import asyncpg_driver
from bot.storage.sqlite_driver import on_loop_connection

Row = tuple[Any, ...]


class _Unread(Enum):
    UNREAD = "unread"


# Given for a row that a statement reading more at once has not read: the function
# asked reads it itself (`storage.arrival` reads several functions' rows in one).
UNREAD = _Unread.UNREAD
Found = Row | None | _Unread  # a row as read (None: there is none), or UNREAD
Convert = Callable[[Any], Any] | None
_QUICK = "muster_quick"  # where a session keeps its Quick (`Session.info`)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # the bound values' names, in their places' order
    binds: tuple[Convert, ...]
    fixed: dict[str, Any]  # the values written into the statement itself
    results: tuple[Convert, ...]
    writes: bool  # anything but a SELECT


class Statement:
    """A Core statement, compiled once for each dialect it meets."""

    def __init__(self, source: Executable) -> None:
        self.source = source
        self._compiled: dict[str, _Compiled] = {}

    def compiled(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            found = self._compiled[dialect.name] = _compile(self.source, dialect)
        return found


def _compile(source: Executable, dialect: Dialect) -> _Compiled:
    compiled = source.compile(dialect=dialect)  # type: ignore[attr-defined]
    if "POSTCOMPILE" in compiled.string:  # an IN list, whose places vary with its length
        raise ValueError("a quick statement cannot hold an IN list: write ORs")
    names = tuple(compiled.positiontup or ())
    fixed = {k: v for k, v in compiled.params.items() if v is not None}
    # Columns not given that have a default of their own (a constant) take it.
    for column in (*compiled.insert_prefetch, *compiled.update_prefetch):
        default = column.default if column in compiled.insert_prefetch else column.onupdate
        if default is None or not default.is_scalar:
            raise ValueError(f"give {column.key} a value: its default is not a constant")
        fixed[column.key] = default.arg
    table = getattr(source, "table", None)  # an INSERT's or UPDATE's
    clash = set(names).difference(fixed).intersection(table.c.keys() if table is not None else ())
    if clash:
        # SQLAlchemy would take such a value for the column's own when it runs the
        # statement itself (as it does on PostgreSQL): a bound value needs its own name.
        raise ValueError(f"bound values named as columns: {sorted(clash)}")
    binds = tuple(
        compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    )
    # A select's columns, or what an INSERT … RETURNING gives back; a text(), nothing.
    columns: Iterable[Any] = getattr(source, "exported_columns", ())
    results = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns)
    return _Compiled(compiled.string, names, binds, fixed, results, not reads_only(compiled.string))


def reads_only(sql: str) -> bool:
    """Whether a statement only reads: a SELECT (a CTE that writes starts with WITH)."""
    return sql.lstrip()[:6].upper() == "SELECT"


class _SQLite:
    """sqlite3's own connection: each statement runs at once, on the loop's thread."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def _execute(self, sql: str, params: list[Any]) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, params)
        except sqlite3.Error as exc:  # as SQLAlchemy would raise it: callers see one kind
            raise DBAPIError.instance(sql, params, exc, sqlite3.Error) from exc

    async def rows(self, sql: str, params: list[Any]) -> Sequence[Sequence[Any]]:
        cursor = self._execute(sql, params)
        try:
            return cursor.fetchall()
        finally:
            cursor.close()

    async def run(self, sql: str, params: list[Any]) -> int:
        cursor = self._execute(sql, params)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()


class _Asyncpg:
    """asyncpg's own connection, inside the session's transaction."""

    def __init__(self, adapted: Any, conn: Any) -> None:
        self.adapted = adapted  # SQLAlchemy's adapter, for its errors
        self.conn = conn

    def _error(self, sql: str, params: list[Any], exc: Exception) -> StatementError:
        dbapi_error = asyncpg_driver.translated(self.adapted, exc)
        return DBAPIError.instance(sql, params, dbapi_error, self.adapted.dbapi.Error)

    async def rows(self, sql: str, params: list[Any]) -> Sequence[Sequence[Any]]:
        try:
            found: Sequence[Sequence[Any]] = await self.conn.fetch(sql, *params)
        except Exception as exc:
            raise self._error(sql, params, exc) from exc
        return found

    async def run(self, sql: str, params: list[Any]) -> int:
        try:
            return asyncpg_driver.rowcount(await self.conn.execute(sql, *params))
        except Exception as exc:
            raise self._error(sql, params, exc) from exc


_Way = _SQLite | _Asyncpg


class Quick:
    """The session's transaction, for statements given as `Statement`s."""

    def __init__(
        self, session: AsyncSession, dialect: Dialect, adapted: Any, marks: dict[Any, Any]
    ) -> None:
        self.session = session
        self.dialect = dialect
        self._adapted = adapted  # the driver's connection as SQLAlchemy adapts it
        # The connection's `info`, where `watch` marks what SQLAlchemy wrote on it: the
        # pooled connection's own, which the transaction keeps to its end.
        self.marks = marks
        self._postgresql = dialect.name == "postgresql"
        self._savepoint: Any = None  # the session's savepoint last made real
        self._way: _Way | None = None  # the short way, once found
        self.wrote = False  # a statement here wrote (`unguarded` asks)

    async def way(self) -> _Way | None:
        """The short way for this transaction's statements now, or None for SQLAlchemy
        Core. First the session's pending changes are written, as SQLAlchemy's
        autoflush would, and its savepoint is made real."""
        await flush_pending(self.session)
        nested = self.session.get_nested_transaction()
        if nested is not self._savepoint:
            # SQLAlchemy makes a savepoint only when the session is next asked for its
            # connection: without this, a statement here would land outside it, and
            # undoing that action would not undo the statement.
            await self.session.connection()
            self._savepoint = nested
        if self._postgresql:
            # The adapter's transaction ends with a rollback or a commit: begun again.
            if self._way is None or not self._adapted._started:
                conn = await asyncpg_driver.started(self._adapted)
                self._way = None if conn is None else _Asyncpg(self._adapted, conn)
            return self._way
        raw = on_loop_connection(self._adapted)
        if raw is None:
            return None
        if self._way is None:
            self._way = _SQLite(raw)
        return self._way

    async def _core(self, statement: Statement, values: dict[str, Any]) -> Any:
        """The long way: SQLAlchemy Core on the session's connection (not the session
        itself, which would read an INSERT of a mapped table as the ORM's)."""
        connection = await self.session.connection()
        return await connection.execute(statement.source, values)

    async def rows(self, statement: Statement, **values: Any) -> list[Row]:
        compiled = statement.compiled(self.dialect)
        self.wrote |= compiled.writes
        way = await self.way()
        if way is None:
            return [tuple(row) for row in await self._core(statement, values)]
        found = await way.rows(compiled.sql, _params(compiled, values))
        return [_converted(row, compiled.results) for row in found]

    async def one(self, statement: Statement, **values: Any) -> Row | None:
        found = await self.rows(statement, **values)
        return found[0] if found else None

    async def run(self, statement: Statement, **values: Any) -> int:
        """A write without rows back; how many rows it touched."""
        compiled = statement.compiled(self.dialect)
        self.wrote |= compiled.writes
        way = await self.way()
        if way is None:
            return int((await self._core(statement, values)).rowcount)
        return await way.run(compiled.sql, _params(compiled, values))


def _params(compiled: _Compiled, values: dict[str, Any]) -> list[Any]:
    given = compiled.fixed | values
    ordered = (given[name] for name in compiled.names)
    return [
        value if convert is None else convert(value)
        for value, convert in zip(ordered, compiled.binds, strict=True)
    ]


def _converted(row: Sequence[Any], converts: tuple[Convert, ...]) -> Row:
    return tuple(
        value if convert is None or value is None else convert(value)
        for value, convert in zip(row, converts, strict=True)
    )


async def flush_pending(session: AsyncSession) -> None:
    """Write what the session's objects changed, if anything: before a quick statement
    (as SQLAlchemy's autoflush would) and at an action's end, inside its isolation."""
    if session.new or session.dirty or session.deleted:
        await session.flush()


@asynccontextmanager
async def savepoint(session: AsyncSession) -> AsyncIterator[None]:
    """A savepoint for one action whose statements are quick ones, made by a plain
    statement of the short way: SQLAlchemy's cost about 80 µs an action on SQLite, more
    than the action's statements together, and on PostgreSQL four round trips. Where
    there is no short way, the session's `begin_nested`.

    What the action changed through objects is written before the savepoint is
    released; its objects are not expired on a rollback, so the caller must not use them
    again (`Database.group_commit` empties the session after each action)."""
    way = await (await of(session)).way()
    if way is None:
        async with session.begin_nested():
            yield
        return
    # On PostgreSQL never released: the transaction's end releases it, and a release
    # would be one more round trip. Savepoints of one name nest, and ROLLBACK TO names
    # the newest, this action's own. SQLite's release costs microseconds and keeps its
    # stack of savepoints one deep.
    await way.run("SAVEPOINT quick_action", [])
    try:
        yield
        await flush_pending(session)
    except BaseException:
        if session.is_active:  # else SQLAlchemy has rolled the whole transaction back
            await way.run("ROLLBACK TO SAVEPOINT quick_action", [])
        raise
    if isinstance(way, _SQLite):
        await way.run("RELEASE SAVEPOINT quick_action", [])


class Tainted(Exception):
    """An action run `unguarded` failed after it had written: only rolling the whole
    transaction back undoes it. Its own exception is the cause."""


WROTE = "muster_wrote"  # in a connection's `info`: SQLAlchemy ran a write on it


def watch(engine: AsyncEngine) -> None:
    """Mark each connection of `engine` that SQLAlchemy sends a write through (the ORM's
    flushes, Core), for `unguarded`; quick statements are marked by `Quick`."""

    def marked(conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if not reads_only(statement):
            conn.info[WROTE] = True

    event.listen(engine.sync_engine, "before_cursor_execute", marked)


@asynccontextmanager
async def unguarded(session: AsyncSession) -> AsyncIterator[None]:
    """One action of many in a transaction, with no savepoint of its own.

    An action that succeeds needs none, nor one that fails having written nothing (a
    refusal is found before anything is written), and a savepoint is a round trip to
    PostgreSQL. An action that fails after writing, or whose statement failed, raises
    `Tainted`: the caller rolls the transaction back and runs the others again, each
    in a savepoint (`Database.group_commit`). Writes are seen through `watch` and
    `Quick`, on the engine the session's transaction runs on."""
    quick = await of(session)
    # The connection's own marks, as held: asking the session for its connection again
    # cost about 100 µs an action, more than the action's own statements.
    quick.wrote = quick.marks[WROTE] = False
    try:
        yield
        await flush_pending(session)
    except Exception as exc:
        wrote = quick.wrote or quick.marks.get(WROTE, True)
        if wrote or isinstance(exc, DBAPIError) or not session.is_active:
            raise Tainted from exc
        raise


async def of(session: AsyncSession, connection: AsyncConnection | None = None) -> Quick:
    """The session's Quick, made on first use in its transaction; `connection`: the
    session's, where the caller holds it already (each time the session is asked for
    it costs a trip into SQLAlchemy's greenlet)."""
    quick: Quick | None = session.info.get(_QUICK)
    if quick is None:
        if connection is None:
            connection = await session.connection()
        raw = await connection.get_raw_connection()
        quick = Quick(session, connection.dialect, raw.dbapi_connection, connection.info)
        session.info[_QUICK] = quick
    return quick

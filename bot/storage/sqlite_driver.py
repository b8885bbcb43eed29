"""SQLite statements in one trip to the database thread, or none at all.

aiosqlite runs SQLite in a thread of its own, and SQLAlchemy's adapter for it makes a
round trip to that thread for each step of a statement: open a cursor, execute, fetch
the rows, close. Each trip waits for the event loop to come round, so under load a
press spent most of its transaction waiting in line (the RSVP benchmark's write
transactions took about 6 ms a press, of which a fraction was SQLite's work). Here a
statement's steps run together in the thread and come back in one trip.

A transaction begun with `run_on_loop` goes further: its statements run on the event
loop's own thread, with no trip at all. That is for members' actions
(`Database.group_commit`): they hold the database's one write lock, so no statement of
theirs can wait for another writer, and each is an indexed read or write of a few rows,
which SQLite does in tens of microseconds, less than the trip to the thread and back
costs. What can wait stays in the thread: the BEGIN that takes the write lock (another
process may hold it), the COMMIT that waits for the disk, and every other
transaction's statements, whose size we do not know.

The rest of the adapter is SQLAlchemy's own; the cursor is swapped through
`create_engine(module=...)`, its documented way to supply the driver module. It leans
on aiosqlite's `_execute` (queue a call on the connection's thread) and `_conn`; if a
later aiosqlite lacks them, `driver_module()` returns None and the stock adapter is used.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)

Outcome = tuple[Any, int | None, int, list[Any] | None]


def _run(conn: sqlite3.Connection, operation: str, parameters: Any) -> Outcome:
    """In the database thread: the whole statement, rows and all."""
    cursor = conn.cursor()
    try:
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        rows = cursor.fetchall() if cursor.description else None
        return cursor.description, cursor.lastrowid, cursor.rowcount, rows
    finally:
        cursor.close()


async def _run_here(conn: sqlite3.Connection, operation: str, parameters: Any) -> Outcome:
    """The statement on the loop's thread, awaited all the same: SQLAlchemy's async layer
    expects each statement to await something, and refuses a call that did not."""
    return _run(conn, operation, parameters)


class _OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            connection: Any = self._connection
            outcome: Any  # sqlite3's values, handed on as the stock adapter does
            if self._adapt_connection.on_loop:  # type: ignore[attr-defined]
                outcome = self.await_(_run_here(connection._conn, operation, parameters))
            else:
                outcome = self.await_(
                    connection._execute(lambda: _run(connection._conn, operation, parameters))
                )
            description, lastrowid, rowcount, rows = outcome
            self.description = description
            if rows is not None:
                self.lastrowid = self.rowcount = -1
                self._rows = deque(rows)
            else:
                self.lastrowid, self.rowcount = lastrowid, rowcount
        except Exception as error:
            self._adapt_connection._handle_exception(error)


class _Connection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("on_loop",)

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self.on_loop = False  # until `run_on_loop`, for the current transaction only

    def commit(self) -> None:
        self.on_loop = False  # the commit itself waits for the disk: in the thread
        super().commit()

    def rollback(self) -> None:
        self.on_loop = False
        super().rollback()

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if server_side:
            return super().cursor(server_side=True)
        return _OneTripCursor(self)


class _Driver(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        # Opened in aiosqlite's thread and, for `run_on_loop`, used from the loop's too:
        # never at the same time, since SQLAlchemy awaits each call before the next.
        kw["check_same_thread"] = False
        stock = super().connect(*arg, **kw)
        return _Connection(self, stock._connection)


def driver_module() -> AsyncAdapt_aiosqlite_dbapi | None:
    """The module to hand `create_async_engine(module=...)`, or None for the stock one."""
    if not (hasattr(aiosqlite.Connection, "_execute") and hasattr(aiosqlite.Connection, "_conn")):
        return None
    return _Driver(aiosqlite, sqlite3)


def run_on_loop(dbapi_connection: Any) -> None:
    """The rest of this connection's current transaction runs on the event loop's thread
    (see the module's docstring for when that is right). Ends at commit or rollback."""
    if isinstance(dbapi_connection, _Connection):
        dbapi_connection.on_loop = True


def on_loop_connection(dbapi_connection: Any) -> sqlite3.Connection | None:
    """sqlite3's own connection while this connection's transaction runs on the loop's
    thread (`run_on_loop`), for `bot.storage.quick`; None otherwise."""
    if isinstance(dbapi_connection, _Connection) and dbapi_connection.on_loop:
        conn: sqlite3.Connection = dbapi_connection._connection._conn
        return conn
    return None

"""SQLite statements in one trip to the database thread instead of four.

aiosqlite runs SQLite in a thread of its own, and SQLAlchemy's adapter for it makes a
round trip to that thread for each step of a statement: open a cursor, execute, fetch
the rows, close. Each trip waits for the event loop to come round, so under load a
press spent most of its transaction waiting in line (the RSVP benchmark's write
transactions took about 6 ms a press, of which a fraction was SQLite's work). Here a
statement's steps run together in the thread and come back in one trip.

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


class _OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            connection: Any = self._connection
            description, lastrowid, rowcount, rows = self.await_(
                connection._execute(lambda: _run(connection._conn, operation, parameters))
            )
            self.description = description
            if rows is not None:
                self.lastrowid = self.rowcount = -1
                self._rows = deque(rows)
            else:
                self.lastrowid, self.rowcount = lastrowid, rowcount
        except Exception as error:
            self._adapt_connection._handle_exception(error)


class _Connection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if server_side:
            return super().cursor(server_side=True)
        return _OneTripCursor(self)


class _Driver(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        stock = super().connect(*arg, **kw)
        return _Connection(self, stock._connection)


def driver_module() -> AsyncAdapt_aiosqlite_dbapi | None:
    """The module to hand `create_async_engine(module=...)`, or None for the stock one."""
    if not (hasattr(aiosqlite.Connection, "_execute") and hasattr(aiosqlite.Connection, "_conn")):
        return None
    return _Driver(aiosqlite, sqlite3)

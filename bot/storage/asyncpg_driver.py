"""PostgreSQL statements on asyncpg's own connection, for `bot.storage.quick`.

SQLAlchemy's adapter prepares each statement it has not seen on this connection (a
round trip) before running it (another), and its savepoints are named afresh each time
(`sa_savepoint_7`), so every one is prepared anew: on the benchmark's machine an
action's savepoint cost 0.9 ms of CPU and four round trips, a quick statement through
Core 0.24 ms against 0.09 on asyncpg's own connection, which keeps its own cache of
prepared statements.

The adapter begins its transaction lazily, before its first statement; a statement
here first does the same (`_start_transaction`, what the adapter's own cursor calls),
so it lands inside the session's transaction, never beside it. This leans on the
adapter's `_connection`, `_started`, `_start_transaction` and `_handle_exception`; if a
later SQLAlchemy lacks them, `started` returns None and quick statements go through
SQLAlchemy Core, as they do on any other driver.
"""

from __future__ import annotations

from typing import Any

_NEEDS = ("_connection", "_started", "_start_transaction", "_handle_exception")


async def started(adapted: Any) -> Any | None:
    """asyncpg's connection under SQLAlchemy's adapter, its transaction begun; None
    where this is not asyncpg (or is in autocommit, which nothing here asks for)."""
    if not all(hasattr(adapted, name) for name in _NEEDS):
        return None
    try:
        import asyncpg  # type: ignore[import-untyped]  # the postgres extra
    except ImportError:  # pragma: no cover - the dialect itself needs it
        return None
    if not isinstance(adapted._connection, asyncpg.Connection):
        return None
    if not adapted._started:
        await adapted._start_transaction()
        if not adapted._started:
            return None
    return adapted._connection


def translated(adapted: Any, error: Exception) -> Exception:
    """asyncpg's error as SQLAlchemy's adapter gives it (a DB-API error carrying the
    SQLSTATE), so the caller can wrap it as SQLAlchemy would."""
    try:
        adapted._handle_exception(error)
    except Exception as adapted_error:  # it raises what it translated
        return adapted_error
    return error


def rowcount(status: str) -> int:
    """The rows a command touched, from its status ("UPDATE 3", "INSERT 0 1")."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else -1

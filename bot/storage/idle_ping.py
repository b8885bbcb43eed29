"""PostgreSQL: a pooled connection is pinged before use only after it sat idle.

SQLAlchemy's `pool_pre_ping` asks the server before every checkout whether the
connection still lives; on asyncpg that is three round trips (a transaction begun, an
empty statement, a rollback). The writer checks a connection out for every group
commit, so in a burst of presses the pings were a round trip for every press, more
than any one statement of the press itself.

A connection given back within the last PING_AFTER_IDLE seconds has just answered, so
it is trusted; one idle for longer (the server may have restarted meanwhile) is pinged
first, and a dead one is replaced, with every connection the pool made before it, as
the pre-ping would. What is given up: a server that restarts within those seconds of a
connection's last use fails the next transaction on it once, as one in flight during
the restart fails anyway, and SQLAlchemy then replaces the pool's connections.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncEngine

PING_AFTER_IDLE = 2.0  # seconds
_IDLE_SINCE = "muster_idle_since"  # in a connection record's `info`


def install(engine: AsyncEngine) -> None:
    """Ping `engine`'s pooled connections on checkout once they have been idle."""
    dialect = engine.dialect
    pool = engine.sync_engine.pool

    def returned(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    def taken(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop(_IDLE_SINCE, None)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE:
            return  # new, or just used
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as err:
            if dialect.is_disconnect(err, dbapi_connection, None):
                # The pool replaces this one and every older one, and tries again.
                raise exc.InvalidatePoolError() from err
            raise

    event.listen(pool, "checkin", returned)
    event.listen(pool, "checkout", taken)

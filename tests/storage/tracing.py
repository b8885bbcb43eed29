"""Each statement SQLite runs, as it runs it: what a storage test may assert about how
many statements an action took and on which thread."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.util import await_only

from bot.storage.database import Database


@dataclass(frozen=True)
class Ran:
    sql: str
    on_loop: bool  # on the event loop's thread (else in aiosqlite's)

    @property
    def word(self) -> str:
        return self.sql.split()[0].upper()


async def trace(db: Database) -> list[Ran]:
    """From now on, each statement SQLite runs on any of the database's connections."""
    loop_thread = threading.get_ident()
    seen: list[Ran] = []

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        await_only(
            dbapi_connection.driver_connection.set_trace_callback(
                lambda sql: seen.append(Ran(sql, threading.get_ident() == loop_thread))
            )
        )

    for engine in {db.engine, db.reader}:
        await engine.dispose()  # the pools' connections reopen, traced
        event.listen(engine.sync_engine, "connect", on_connect)
    return seen

"""`muster db copy`: a deployment's data moved into a new, empty database.

The usual move is from the SQLite file a group started on to PostgreSQL, while the bot
still runs: the source is read in one transaction (a consistent snapshot in WAL mode),
and the target gets the schema by the same migrations as any new database, then every
row in the order foreign keys need, in batches. Each table's rows are then counted and
hashed on both sides (read back from the target, in primary-key order, as the bot
would read them), so a copy that lost or changed anything says so instead of being
trusted. A target that holds any table already is refused: a copy never merges.

What is written after the snapshot is not in the copy: stop the bot, or copy again
into a fresh database, just before switching.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.storage.base import Base
from bot.storage.engine import HEAD, create_engine, upgrade

BATCH = 1_000


class CopyError(Exception):
    pass


@dataclass(frozen=True)
class Copied:
    table: str
    rows: int
    checksum: str


async def copy(source: AsyncEngine, target_url: str, report: Callable[[Copied], None]) -> int:
    """Copy every table from `source` into the empty database at `target_url`; returns
    the rows copied. Raises CopyError, having committed nothing, if anything differs."""
    target = create_engine(target_url)
    try:
        async with target.connect() as conn:
            names = await conn.run_sync(lambda c: inspect(c).get_table_names())
        if names:
            raise CopyError(
                f"the target database is not empty ({len(names)} tables); use a new one"
            )
        async with source.connect() as conn:
            revision = await _revision(conn)
        if revision != HEAD:
            raise CopyError(
                f"the source's schema is at {revision}, this Muster's at {HEAD}: "
                "run `muster db upgrade` on it first"
            )
        await upgrade(target)
        return await _copy_tables(source, target, report)
    finally:
        await target.dispose()


async def _revision(conn: AsyncConnection) -> str | None:
    return (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()


async def _copy_tables(
    source: AsyncEngine, target: AsyncEngine, report: Callable[[Copied], None]
) -> int:
    total = 0
    async with source.connect() as reading, reading.begin(), target.begin() as writing:
        sums: dict[str, tuple[int, str]] = {}
        for table in Base.metadata.sorted_tables:
            digest, count = hashlib.sha256(), 0
            result = await reading.stream(_ordered(table))
            async for batch in result.partitions(BATCH):
                rows = [dict(row._mapping) for row in batch]
                for row in batch:
                    digest.update(_fingerprint(row))
                await writing.execute(table.insert(), rows)
                count += len(rows)
            sums[table.name] = (count, digest.hexdigest())
            total += count
        await _advance_sequences(writing)
        for table in Base.metadata.sorted_tables:
            count, checksum = sums[table.name]
            theirs = await _checksum(writing, table)
            if theirs != (count, checksum):
                raise CopyError(
                    f"{table.name}: {count} rows read but {theirs[0]} in the target, or "
                    "their contents differ. No row was committed; the target holds the "
                    "empty schema: drop and create it again before another try"
                )
            report(Copied(table.name, count, checksum))
    if target.dialect.name == "postgresql":
        # The planner knows nothing of rows that arrived in one transaction until the
        # tables are analysed, and the server's own vacuum would otherwise visit every
        # new row in the bot's first minutes: both are done now, before it starts.
        async with target.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("VACUUM ANALYZE"))
    return total


def _ordered(table: Table) -> Any:
    return select(table).order_by(*table.primary_key.columns)


async def _checksum(conn: AsyncConnection, table: Table) -> tuple[int, str]:
    digest, count = hashlib.sha256(), 0
    result = await conn.stream(_ordered(table))
    async for batch in result.partitions(BATCH):
        for row in batch:
            digest.update(_fingerprint(row))
            count += 1
    return count, digest.hexdigest()


def _fingerprint(row: Any) -> bytes:
    """A row as the bot reads it, the same whichever database it came from."""
    return repr(tuple(_plain(value) for value in row)).encode() + b"\n"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):  # aware UTC on both (UTCDateTime)
        return value.isoformat()
    return value


async def _advance_sequences(conn: AsyncConnection) -> None:
    """PostgreSQL hands out ids from sequences that the copied ids did not move."""
    if conn.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        if "id" not in table.c:  # keyed by a name or by an event: no sequence
            continue
        highest = await conn.scalar(select(func.max(table.c.id)))
        await conn.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :next, false)"),
            {"table": table.name, "next": int(highest or 0) + 1},
        )

"""Migration 0008 carries a live database's deliveries and notices into the one outbox,
and back again on a downgrade: nothing owed is lost, nothing sent is owed again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import column, insert, inspect, table, text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.database import Database
from bot.storage.engine import upgrade
from bot.storage.tables import Chat, Event, Member, SignupSheet, SignupSlot
from tests import databases

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
START = datetime(2026, 12, 20, 19, 0, tzinfo=UTC)

DELIVERIES = (
    # id, purpose, offset, revision, status, message id
    (7, "announce", 0, 0, "sent", "m-7"),
    (8, "remind", 60, 1, "pending", None),
    (9, "update", 0, 2, "pending", None),
    (10, "private", 60, 1, "sending", None),
)
NOTICES = (
    # purpose, key, event
    ("remind", "1:1", 1),
    ("change", "1:2", 1),
    ("slot", "slot:1", None),
    ("reconfirm", "2026-11-30", None),
)


async def _row(conn: AsyncConnection, model: Any, **values: object) -> None:
    """A row as the old schema holds it: today's defaults only for the columns it has
    (a later migration's column is not there yet)."""
    name = model.__tablename__
    have = await conn.run_sync(lambda c: {col["name"] for col in inspect(c).get_columns(name)})
    row = {
        c.name: c.default.arg
        for c in model.__table__.columns
        if c.name in have and c.default is not None and c.default.is_scalar
    }
    row.update(values)
    await conn.execute(insert(table(name, *(column(key) for key in row))).values(**row))


async def _seed(db: Database) -> None:
    async with db.engine.begin() as conn:
        await _row(
            conn,
            Chat,
            id=1,
            platform="telegram",
            platform_chat_id="-1",
            title="Branch",
            timezone="Europe/London",
            created_at=NOW,
        )
        await _row(
            conn,
            Member,
            id=1,
            platform="telegram",
            platform_user_id="5",
            display_name="Amy",
            created_at=NOW,
        )
        await _row(
            conn,
            Event,
            id=1,
            chat_id=1,
            kind="meeting",
            title="Meeting",
            starts_at=START,
            timezone="Europe/London",
            location="Hall",
            reminder_offsets="1h",
            status="scheduled",
            created_at=NOW,
        )
        await _row(conn, SignupSheet, id=1, chat_id=1, title="Stall", created_at=NOW)
        await _row(conn, SignupSlot, id=1, sheet_id=1, position=1, label="Am")
        for row_id, purpose, offset, revision, status, message in DELIVERIES:
            await conn.execute(
                text(
                    "INSERT INTO deliveries (id, event_id, chat_id, purpose, offset_minutes,"
                    " revision, due_at, status, attempts, message_id)"
                    " VALUES (:id, 1, 1, :p, :o, :r, :due, :s, 1, :m)"
                ),
                {
                    "id": row_id,
                    "p": purpose,
                    "o": offset,
                    "r": revision,
                    "due": NOW,
                    "s": status,
                    "m": message,
                },
            )
        for purpose, key, event in NOTICES:
            await conn.execute(
                text(
                    "INSERT INTO notices (member_id, event_id, purpose, key, due_at, status,"
                    " attempts) VALUES (1, :e, :p, :k, :due, 'pending', 0)"
                ),
                {"e": event, "p": purpose, "k": key, "due": NOW},
            )


async def test_deliveries_and_notices_become_one_outbox_and_back(tmp_path: Path) -> None:
    db = Database.from_url(databases.url_for(tmp_path / "old.db"))
    try:
        await upgrade(db.engine, "0007")
        await _seed(db)
        await upgrade(db.engine, "0008")
        async with db.engine.connect() as conn:
            rows = (
                await conn.execute(
                    text(
                        "SELECT id, purpose, status, chat_id, member_id, event_id, slot_id,"
                        " offset_minutes, revision, edition, key, message_id"
                        " FROM outbox ORDER BY id"
                    )
                )
            ).all()
        chat_rows = [r for r in rows if r.chat_id is not None]
        member_rows = [r for r in rows if r.member_id is not None]
        # Delivery ids are kept: Discord's nonce for a repeated send is made from them.
        assert [(r.id, r.purpose, r.status, r.message_id) for r in chat_rows] == [
            (7, "announce", "sent", "m-7"),
            (8, "remind", "pending", None),
            (9, "update", "pending", None),
            (10, "private_reminders", "sending", None),
        ]
        # The change notice's edit count leaves `revision` for `edition`.
        update = chat_rows[2]
        assert (update.revision, update.edition) == (0, 2)
        assert (chat_rows[1].revision, chat_rows[1].edition, chat_rows[1].offset_minutes) == (
            1,
            0,
            60,
        )
        assert [(r.purpose, r.key, r.event_id, r.slot_id) for r in member_rows] == [
            ("member_remind", "1:1", 1, None),
            ("member_change", "1:2", 1, None),
            ("slot", "1", None, 1),
            ("reconfirm", "2026-11-30", None, None),
        ]
        assert all(r.id > 10 for r in member_rows)

        await upgrade_down(db, "0007")
        async with db.engine.connect() as conn:
            back = (
                await conn.execute(
                    text("SELECT id, purpose, revision, status FROM deliveries ORDER BY id")
                )
            ).all()
            notices = (
                await conn.execute(text("SELECT purpose, key FROM notices ORDER BY id"))
            ).all()
        assert [tuple(r) for r in back] == [
            (7, "announce", 0, "sent"),
            (8, "remind", 1, "pending"),
            (9, "update", 2, "pending"),
            (10, "private", 1, "sending"),
        ]
        assert [tuple(r) for r in notices] == [(p, k) for p, k, _ in NOTICES]
    finally:
        await db.close()


async def upgrade_down(db: Database, revision: str) -> None:
    from alembic import command

    from bot.storage.engine import alembic_config

    def run(connection) -> None:  # type: ignore[no-untyped-def]
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        with connection.begin():
            command.downgrade(cfg, revision)

    async with db.engine.connect() as conn:
        await conn.run_sync(run)

"""one outbox: group deliveries and private notices become one table

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 10:00:00

Delivery ids are kept (Discord's nonce for a send repeated after a crash is made from
them); notices follow them. A change or cancellation delivery kept the event's edit
count in `revision`: it moves to `edition`. A sign-up slot's notice named its slot in
its key: the slot moves to `slot_id`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.base import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("slot_id", sa.Integer(), nullable=True),
        sa.Column("offset_minutes", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("edition", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("due_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "(chat_id IS NULL) <> (member_id IS NULL)", name=op.f("ck_outbox_one_recipient")
        ),
        sa.ForeignKeyConstraint(
            ["chat_id"], ["chats.id"], name=op.f("fk_outbox_chat_id_chats"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_outbox_event_id_events"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_outbox_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["signup_slots.id"],
            name=op.f("fk_outbox_slot_id_signup_slots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint(
            "event_id",
            "chat_id",
            "purpose",
            "offset_minutes",
            "revision",
            "edition",
            name="uq_outbox_chat_message",
        ),
        sa.UniqueConstraint("member_id", "purpose", "key", name="uq_outbox_member_message"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_status_due", ["status", "due_at"], unique=False)
        batch_op.create_index("ix_outbox_chat_purpose", ["chat_id", "purpose"], unique=False)
        batch_op.create_index("ix_outbox_member_id", ["member_id"], unique=False)

    op.execute(
        """
        INSERT INTO outbox (id, purpose, status, chat_id, event_id, offset_minutes, revision,
                            edition, key, due_at, attempts, claimed_at, sent_at, message_id)
        SELECT id,
               CASE purpose WHEN 'private' THEN 'private_reminders' ELSE purpose END,
               status, chat_id, event_id, offset_minutes,
               CASE WHEN purpose IN ('update', 'cancel') THEN 0 ELSE revision END,
               CASE WHEN purpose IN ('update', 'cancel') THEN revision ELSE 0 END,
               '', due_at, attempts, claimed_at, sent_at, message_id
        FROM deliveries
        """
    )
    # Delivery ids were copied as they were: PostgreSQL's sequence must move past them
    # before the notices below take new ids from it (SQLite takes the largest id + 1).
    _advance_sequence("outbox")
    op.execute(
        """
        INSERT INTO outbox (purpose, status, member_id, event_id, slot_id, offset_minutes,
                            revision, edition, key, due_at, attempts, sent_at)
        SELECT CASE purpose WHEN 'remind' THEN 'member_remind'
                            WHEN 'change' THEN 'member_change'
                            WHEN 'cancel' THEN 'member_cancel'
                            ELSE purpose END,
               status, member_id, event_id,
               CASE WHEN purpose = 'slot'
                    THEN CAST(SUBSTR(key, 6) AS INTEGER) END,
               0, 0, 0,
               CASE WHEN purpose = 'slot' THEN SUBSTR(key, 6) ELSE key END,
               due_at, attempts, sent_at
        FROM notices
        WHERE purpose <> 'slot'
           OR CAST(SUBSTR(key, 6) AS INTEGER) IN (SELECT id FROM signup_slots)
        ORDER BY id
        """
    )
    op.drop_table("notices")
    op.drop_table("deliveries")


def downgrade() -> None:
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("offset_minutes", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), server_default="0", nullable=False),
        sa.Column("due_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["chat_id"], ["chats.id"], name=op.f("fk_deliveries_chat_id_chats"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_deliveries_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint(
            "event_id",
            "chat_id",
            "purpose",
            "offset_minutes",
            "revision",
            name=op.f("uq_deliveries_event_id"),
        ),
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_deliveries_status_due", ["status", "due_at"], unique=False)
        batch_op.create_index("ix_deliveries_chat_purpose", ["chat_id", "purpose"], unique=False)
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("due_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_notices_event_id_events"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_notices_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint("member_id", "purpose", "key", name=op.f("uq_notices_member_id")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index("ix_notices_status_due", ["status", "due_at"], unique=False)
    op.execute(
        """
        INSERT INTO deliveries (id, event_id, chat_id, purpose, offset_minutes, revision, due_at,
                                status, attempts, claimed_at, sent_at, message_id)
        SELECT id, event_id, chat_id,
               CASE purpose WHEN 'private_reminders' THEN 'private' ELSE purpose END,
               offset_minutes, revision + edition, due_at, status, attempts, claimed_at,
               sent_at, message_id
        FROM outbox WHERE chat_id IS NOT NULL
        """
    )
    _advance_sequence("deliveries")
    op.execute(
        """
        INSERT INTO notices (member_id, event_id, purpose, key, due_at, status, attempts, sent_at)
        SELECT member_id, event_id,
               CASE purpose WHEN 'member_remind' THEN 'remind'
                            WHEN 'member_change' THEN 'change'
                            WHEN 'member_cancel' THEN 'cancel'
                            ELSE purpose END,
               CASE WHEN purpose = 'slot' THEN 'slot:' || key ELSE key END,
               due_at, status, attempts, sent_at
        FROM outbox WHERE member_id IS NOT NULL
        """
    )
    op.drop_table("outbox")


def _advance_sequence(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608 (our own name)
            f" (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
        )

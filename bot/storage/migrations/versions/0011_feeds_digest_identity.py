"""calendar feeds, the week's digest, the deployment's identity

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.base import UTCDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_DIGEST_ROWS = "event_id IS NULL AND chat_id IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("chats") as batch_op:
        batch_op.add_column(
            sa.Column("digest", sa.String(length=16), server_default="", nullable=False)
        )
    with op.batch_alter_table("members") as batch_op:
        batch_op.add_column(
            sa.Column("feed_generation", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chats.id"],
            name=op.f("fk_calendar_feeds_chat_id_chats"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
            name=op.f("fk_calendar_feeds_member_id_members"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )
    op.create_index(
        op.f("ix_calendar_feeds_member_id"), "calendar_feeds", ["member_id"], unique=False
    )
    op.create_table(
        "deployment",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_deployment")),
    )
    op.create_index(
        "uq_outbox_chat_key",
        "outbox",
        ["chat_id", "purpose", "key"],
        unique=True,
        sqlite_where=sa.text(_DIGEST_ROWS),
        postgresql_where=sa.text(_DIGEST_ROWS),
    )


def downgrade() -> None:
    op.drop_index("uq_outbox_chat_key", table_name="outbox")
    op.drop_table("deployment")
    op.drop_index(op.f("ix_calendar_feeds_member_id"), table_name="calendar_feeds")
    op.drop_table("calendar_feeds")
    with op.batch_alter_table("members") as batch_op:
        batch_op.drop_column("feed_generation")
    with op.batch_alter_table("chats") as batch_op:
        batch_op.drop_column("digest")

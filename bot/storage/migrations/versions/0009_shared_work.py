"""several processes on one database: claims under leases, shared pacing and card edits

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.base import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("lease_until", UTCDateTime(timezone=True), nullable=True))
    op.create_table(
        "pacing",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_pacing")),
    )
    op.create_table(
        "card_edits",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("edited_at", sa.Float(), nullable=False),
        sa.Column("owed_at", sa.Float(), nullable=True),
        sa.Column("holder", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_card_edits_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_card_edits")),
    )


def downgrade() -> None:
    op.drop_table("card_edits")
    op.drop_table("pacing")
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("lease_until")
        batch_op.drop_column("claimed_by")

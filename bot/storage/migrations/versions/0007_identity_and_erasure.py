"""members' handles, ids never reused, the list of erased identities

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.storage.base import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    handle = sa.Column("handle", sa.String(length=64), server_default="", nullable=False)
    if op.get_bind().dialect.name == "sqlite":
        # AUTOINCREMENT can only be given when a table is made: the table is rebuilt
        # (foreign keys are off during upgrades, so nothing cascades).
        with op.batch_alter_table(
            "members", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ) as batch_op:
            batch_op.add_column(handle)
    else:
        op.add_column("members", handle)  # a sequence never gives an id twice
    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("identity", sa.String(length=64), nullable=False),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasures")),
        sa.UniqueConstraint("identity", name=op.f("uq_erasures_identity")),
    )


def downgrade() -> None:
    op.drop_table("erasures")
    with op.batch_alter_table("members") as batch_op:
        batch_op.drop_column("handle")

"""chat space and organiser role

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 08:56:42.886881
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("chats", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("space", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("organiser_role", sa.String(length=100), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("chats", schema=None) as batch_op:
        batch_op.drop_column("organiser_role")
        batch_op.drop_column("space")

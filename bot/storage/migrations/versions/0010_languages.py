"""a group's language, a member's own and their platform's, motions' translations

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("chats") as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=16), server_default="en", nullable=False)
        )
    with op.batch_alter_table("members") as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("platform_language", sa.String(length=8), nullable=True))
    op.create_table(
        "motion_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["motion_id"],
            ["motions.id"],
            name=op.f("fk_motion_translations_motion_id_motions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_motion_translations")),
        sa.UniqueConstraint("motion_id", "language", name=op.f("uq_motion_translations_motion_id")),
    )


def downgrade() -> None:
    op.drop_table("motion_translations")
    with op.batch_alter_table("members") as batch_op:
        batch_op.drop_column("platform_language")
        batch_op.drop_column("language")
    with op.batch_alter_table("chats") as batch_op:
        batch_op.drop_column("language")

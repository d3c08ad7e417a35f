"""Source health: the current verdict per source and what the channels were told.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 15:20:00

Written against crawler.storage.health.SourceHealth; never imports app code.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "source_health",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notified_state", sa.String(length=16), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_source_health_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_source_health")),
    )


def downgrade() -> None:
    op.drop_table("source_health")

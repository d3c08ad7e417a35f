"""Sources added with `jajak sources add` or the web app, kept beside seeds/sources.yaml
(crawler.added_sources).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 15:10:00

Written against crawler.storage.models.AddedSource; never imports app code.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "added_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("options", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_added_sources")),
        sa.UniqueConstraint("name", name=op.f("uq_added_sources_name")),
    )


def downgrade() -> None:
    op.drop_table("added_sources")

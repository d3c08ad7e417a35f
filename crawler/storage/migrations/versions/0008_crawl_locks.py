"""One crawl per source at a time: the process crawling a source holds its row in crawl_locks
(crawler.storage.locks).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 08:30:00

Written against crawler.storage.models.CrawlLock; never imports app code.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "crawl_locks",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_crawl_locks_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("source_id", name=op.f("pk_crawl_locks")),
    )


def downgrade() -> None:
    op.drop_table("crawl_locks")

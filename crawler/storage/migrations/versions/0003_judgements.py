"""Human judgements of stored articles (feedback for `jajak train` and `jajak eval --judgements`).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 15:40:00

Written against crawler.storage.judgements.Judgement; never imports app code.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "judgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("label", sa.Boolean(), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"],
            name=op.f("fk_judgements_article_id_articles"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_judgements")),
        sa.UniqueConstraint("article_id", name=op.f("uq_judgements_article_id")),
    )
    op.create_index(op.f("ix_judgements_source"), "judgements", ["source"])


def downgrade() -> None:
    op.drop_index(op.f("ix_judgements_source"), table_name="judgements")
    op.drop_table("judgements")

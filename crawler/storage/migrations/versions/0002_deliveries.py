"""Deliveries of the digest stage: deliveries (story x channel) and delivery_articles.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 15:10:00

Written against crawler.storage.models.Delivery/DeliveryArticle; never imports app code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _when(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("story_key", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        _when("next_attempt_at", nullable=True),
        _when("claimed_at", nullable=True),
        sa.Column("claim_token", sa.String(length=32), nullable=True),
        _when("sent_at", nullable=True),
        sa.Column("article_ids", _json(), nullable=False),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("story_key", "channel", name=op.f("uq_deliveries_story_key")),
    )
    op.create_index(op.f("ix_deliveries_channel"), "deliveries", ["channel"])
    op.create_index(op.f("ix_deliveries_status"), "deliveries", ["status"])
    op.create_table(
        "delivery_articles",
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"],
            name=op.f("fk_delivery_articles_article_id_articles"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["delivery_id"], ["deliveries.id"],
            name=op.f("fk_delivery_articles_delivery_id_deliveries"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("channel", "article_id", name=op.f("pk_delivery_articles")),
    )
    op.create_index(
        op.f("ix_delivery_articles_delivery_id"), "delivery_articles", ["delivery_id"]
    )


def downgrade() -> None:
    op.drop_table("delivery_articles")
    op.drop_table("deliveries")

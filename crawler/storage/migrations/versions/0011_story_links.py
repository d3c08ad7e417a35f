"""Which matches tell one story: each match's indexed word shingles and the pairs of matches
whose Jaccard reaches alerts.SAME_STORY (crawler.storage.links), so the web app groups stories
without shingling every match on each request.

Nothing is backfilled here: crawler.storage.links.link_matches indexes the matches of an older
database the first time articles are stored or the web app groups stories.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 17:30:00

Written against crawler.storage.models.story_signatures, story_shingles and story_links; never
imports app code.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "story_signatures",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("shingles", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE",
                                name=op.f("fk_story_signatures_article_id_articles")),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_story_signatures")),
    )
    op.create_table(
        "story_shingles",
        sa.Column("hash", sa.BigInteger(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE",
                                name=op.f("fk_story_shingles_article_id_articles")),
        sa.PrimaryKeyConstraint("hash", "article_id", name=op.f("pk_story_shingles")),
    )
    op.create_index(op.f("ix_story_shingles_article_id"), "story_shingles", ["article_id"])
    op.create_table(
        "story_links",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("linked_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE",
                                name=op.f("fk_story_links_article_id_articles")),
        sa.ForeignKeyConstraint(["linked_id"], ["articles.id"], ondelete="CASCADE",
                                name=op.f("fk_story_links_linked_id_articles")),
        sa.PrimaryKeyConstraint("article_id", "linked_id", name=op.f("pk_story_links")),
    )
    op.create_index(op.f("ix_story_links_linked_id"), "story_links", ["linked_id"])


def downgrade() -> None:
    op.drop_table("story_links")
    op.drop_table("story_shingles")
    op.drop_table("story_signatures")

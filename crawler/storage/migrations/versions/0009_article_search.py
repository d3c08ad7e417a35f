"""Full-text search over every stored article (the web app's ``q=``; crawler.storage.browse).

SQLite: an FTS5 table over articles' title and text (external content: the text is stored once,
in articles), kept in step by triggers and filled from the articles stored so far. A SQLite
built without FTS5 gets nothing, and the search falls back to LIKE.
PostgreSQL: a GIN index on to_tsvector('simple', title || ' ' || text); 'simple' because no
Indonesian stemmer ships with PostgreSQL, and the search's expression must be this one.

A later migration that rebuilds the articles table on SQLite (batch mode copies it) drops these
triggers and must create them again.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 12:00:00

Written against crawler.storage.models.Article; never imports app code.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE = [
    "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
]


def _has_fts5(connection: sa.Connection) -> bool:
    options = {row[0] for row in connection.exec_driver_sql("PRAGMA compile_options")}
    return "ENABLE_FTS5" in options


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        if _has_fts5(connection):
            for statement in _SQLITE:
                op.execute(statement)
    elif connection.dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_articles_fts ON articles USING gin (to_tsvector('simple', title || ' ' || text))")


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        for name in ("articles_fts_insert", "articles_fts_delete", "articles_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS articles_fts")
    elif connection.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_fts")

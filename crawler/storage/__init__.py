"""Store stage: SQLAlchemy models, Alembic-managed schema and the repository functions.

Usage: `sessions = open_database(url)`, then `with sessions.begin() as session:` and the
repository functions (they never commit).
"""

from __future__ import annotations

from crawler.storage.database import (
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    open_database,
    upgrade,
)
from crawler.storage.models import (
    DISCOVERY_CHANNELS,
    SEEN_KINDS,
    Article,
    Base,
    CrawlRun,
    SeenUrl,
    SourceRow,
    UTCDateTime,
    utcnow,
)
from crawler.storage.repository import (
    add_articles,
    article_count,
    content_hash,
    ensure_source,
    finish_run,
    has_articles,
    known_urls,
    last_run,
    list_articles,
    mark_seen,
    start_run,
)

__all__ = [
    "DISCOVERY_CHANNELS",
    "SEEN_KINDS",
    "Article",
    "Base",
    "CrawlRun",
    "SeenUrl",
    "SourceRow",
    "UTCDateTime",
    "add_articles",
    "alembic_config",
    "article_count",
    "content_hash",
    "current_revision",
    "ensure_source",
    "finish_run",
    "has_articles",
    "head_revision",
    "known_urls",
    "last_run",
    "list_articles",
    "make_engine",
    "mark_seen",
    "open_database",
    "start_run",
    "upgrade",
    "utcnow",
]

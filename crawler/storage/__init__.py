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
from crawler.storage.deliveries import (
    articles_by_id,
    claim_delivery,
    create_delivery,
    due_deliveries,
    finish_delivery,
    list_deliveries,
    lock_for_claims,
    undelivered_matches,
)
from crawler.storage.health import SourceHealth
from crawler.storage.judgements import (
    Judgement,
    add_judgement,
    judgements_for_training,
    precision_by_source,
)
from crawler.storage.models import (
    DELIVERY_KINDS,
    DELIVERY_STATUSES,
    DISCOVERY_CHANNELS,
    SEEN_KINDS,
    Article,
    Base,
    CrawlRun,
    Delivery,
    DeliveryArticle,
    SeenUrl,
    SourceRow,
    UTCDateTime,
    utcnow,
)
from crawler.storage.repository import (
    add_articles,
    article_count,
    content_hash,
    crawled_sources,
    ensure_source,
    finish_run,
    has_articles,
    known_urls,
    last_run,
    list_articles,
    mark_seen,
    previous_crawl_complete,
    source_health,
    start_run,
)

__all__ = [
    "Judgement",
    "SourceHealth",
    "add_judgement",
    "judgements_for_training",
    "precision_by_source",
    "DELIVERY_KINDS",
    "DELIVERY_STATUSES",
    "DISCOVERY_CHANNELS",
    "SEEN_KINDS",
    "Article",
    "Base",
    "CrawlRun",
    "Delivery",
    "DeliveryArticle",
    "SeenUrl",
    "SourceRow",
    "UTCDateTime",
    "add_articles",
    "alembic_config",
    "article_count",
    "articles_by_id",
    "claim_delivery",
    "content_hash",
    "crawled_sources",
    "create_delivery",
    "current_revision",
    "due_deliveries",
    "ensure_source",
    "finish_delivery",
    "finish_run",
    "has_articles",
    "head_revision",
    "known_urls",
    "last_run",
    "list_articles",
    "list_deliveries",
    "lock_for_claims",
    "make_engine",
    "mark_seen",
    "open_database",
    "source_health",
    "previous_crawl_complete",
    "start_run",
    "undelivered_matches",
    "upgrade",
    "utcnow",
]

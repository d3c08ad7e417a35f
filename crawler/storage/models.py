"""Tables of the store stage: sources, articles, seen_urls, crawl_runs, crawl_locks, deliveries
(SQLAlchemy 2).

Datetimes are stored as UTC and come back timezone-aware on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator, TypeEngine

# Fixed constraint names keep migrations identical on every backend (and let later
# migrations drop or alter constraints by name).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SEEN_KINDS = ("not_article", "redirect")
DISCOVERY_CHANNELS = ("feed", "sitemap", "api", "listing", "hint")
ADDED_ORIGINS = ("cli", "web")


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetime stored as UTC; SQLite keeps no offset, so it is restored on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            # A naive date from a WIB page stored as UTC would be 7 hours off: refuse it.
            raise ValueError(
                f"naive datetime {value.isoformat()}: attach a timezone before storing"
            )
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _json() -> TypeEngine[Any]:
    return JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    """Declarative base whose MetaData carries the constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), list[str]: _json(), dict[str, Any]: _json()}


class MetaRow(Base):
    """Facts about the database itself: its random instance id (crawler.storage.identity)."""

    __tablename__ = "jajak_meta"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SourceRow(Base):
    """A watched portal, as named in seeds/sources.yaml."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"SourceRow(id={self.id!r}, name={self.name!r})"


class AddedSource(Base):
    """A portal added with `jajak sources add` or the web app, kept beside seeds/sources.yaml
    (crawler.added_sources merges both; the file wins a name they share)."""

    __tablename__ = "added_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str] = mapped_column(Text)
    # Any other field of crawler.sources.Source (feeds, render, schedule, ...), as in the file.
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    enabled: Mapped[bool] = mapped_column(default=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    origin: Mapped[str] = mapped_column(String(16))  # ADDED_ORIGINS

    def __repr__(self) -> str:
        return f"AddedSource(id={self.id!r}, name={self.name!r}, origin={self.origin!r})"


class CrawlRun(Base):
    """One crawl of one source: when, how far it got and why it stopped."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    pages: Mapped[int] = mapped_column(default=0)
    new_articles: Mapped[int] = mapped_column(default=0)
    matches: Mapped[int] = mapped_column(default=0)
    errors: Mapped[int] = mapped_column(default=0)
    finish_reason: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str | None] = mapped_column(String(16))
    stats: Mapped[dict[str, Any] | None]
    pid: Mapped[int | None]

    def __repr__(self) -> str:
        return f"CrawlRun(id={self.id!r}, source_id={self.source_id!r}, pid={self.pid!r})"


class CrawlLock(Base):
    """The process crawling a source now (crawler.storage.locks): one per source at a time, on
    every machine that shares the database. ``expires_at`` moves on while the holder lives."""

    __tablename__ = "crawl_locks"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    owner: Mapped[str] = mapped_column(String(32))  # a random token of the holding process
    pid: Mapped[int]
    host: Mapped[str] = mapped_column(String(255))
    acquired_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

    def __repr__(self) -> str:
        return f"CrawlLock(source_id={self.source_id!r}, pid={self.pid!r}, host={self.host!r})"


class Article(Base):
    """An extracted, classified article; `url` is the canonical URL and unique."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    fetched_url: Mapped[str] = mapped_column(Text, index=True)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    lead: Mapped[str | None] = mapped_column(Text)
    published: Mapped[datetime | None] = mapped_column(index=True)
    modified: Mapped[datetime | None]
    author: Mapped[str | None] = mapped_column(Text)
    section: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(default=list)
    image: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    pages: Mapped[int] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(String(40))
    match: Mapped[bool] = mapped_column(default=False, index=True)
    score: Mapped[float] = mapped_column(default=0.0)
    stage: Mapped[str | None] = mapped_column(String(32))
    cues: Mapped[list[str]] = mapped_column(default=list)
    parties: Mapped[list[str]] = mapped_column(default=list)
    sectors: Mapped[list[str]] = mapped_column(default=list)
    classifier_version: Mapped[str | None] = mapped_column(String(64))
    discovered_via: Mapped[str | None] = mapped_column(String(16))
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    crawl_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("crawl_runs.id", ondelete="SET NULL")
    )

    # Joined eagerly so callers can print article.source.name after the session is gone.
    source: Mapped[SourceRow] = relationship(lazy="joined", innerjoin=True)

    def __repr__(self) -> str:
        return f"Article(id={self.id!r}, url={self.url!r}, match={self.match!r})"


# Which matches tell one story (crawler.storage.links): plain tables, without created_at, as
# story_shingles holds a row per word triple of each match.
story_signatures = Table(  # a match whose shingles are indexed and its pairs stored
    "story_signatures", Base.metadata,
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("shingles", Integer, nullable=False),
)
story_shingles = Table(  # alerts.shingle_key of each shingle of each indexed match
    "story_shingles", Base.metadata,
    Column("hash", BigInteger, primary_key=True),
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True),
)
story_links = Table(  # two matches whose Jaccard reaches alerts.SAME_STORY (article_id > linked_id)
    "story_links", Base.metadata,
    Column("article_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("linked_id", ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class SeenUrl(Base):
    """A fetched page that was not an article (or only redirected), so later crawls skip it."""

    __tablename__ = "seen_urls"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(Text, unique=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- deliveries of the digest stage (migration 0002) ------------------------------------------

DELIVERY_KINDS = ("digest", "instant", "heartbeat")
DELIVERY_STATUSES = ("sending", "sent", "failed", "abandoned")


class Delivery(Base):
    """One story sent (or being sent, or failing) to one channel.

    ``channel`` is the channel's key (a hash of its Apprise URL, never the URL: it holds
    secrets). A row is ``sending`` while a digest process holds its claim (``claim_token``),
    ``sent`` only after Apprise reported success, ``failed`` until ``next_attempt_at``,
    ``abandoned`` once retries are exhausted or a second outcome was unknown.
    """

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("story_key", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    story_key: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="digest")
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    # An attempt may have reached the channel (timeout after sending, process killed mid-send):
    # the next send is marked as a possible repeat, and another unknown outcome gives up.
    outcome_unknown: Mapped[bool] = mapped_column(default=False, server_default=false())
    last_error: Mapped[str | None] = mapped_column(Text)  # masked: no token or password
    next_attempt_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None]
    article_ids: Mapped[list[int]] = mapped_column(_json(), default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return (
            f"Delivery(id={self.id!r}, story_key={self.story_key!r}, channel={self.channel!r}, "
            f"status={self.status!r})"
        )


class DeliveryArticle(Base):
    """Which article went (or goes) to which channel in which delivery.

    The primary key (channel, article_id) is the database's guarantee that an article is
    claimed for a channel once, whatever two digest processes do at the same moment.
    """

    __tablename__ = "delivery_articles"

    channel: Mapped[str] = mapped_column(String(64), primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("deliveries.id", ondelete="CASCADE"), index=True
    )

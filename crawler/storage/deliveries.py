"""All SQL of the digest's deliveries (store stage): what to send to which channel, claims that
hold across processes, and the outcome of each send.

Like repository.py, every function takes a Session and never commits. Claims must happen inside
one transaction opened with ``lock_for_claims`` so two digest processes never claim one story.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import and_, exists, func, or_, select, text
from sqlalchemy.orm import Session

from crawler.storage.models import (
    DELIVERY_KINDS,
    Article,
    Delivery,
    DeliveryArticle,
)


def lock_for_claims(session: Session) -> None:
    """Serialise claiming between processes until the session's transaction ends.

    SQLite: BEGIN IMMEDIATE takes the database write lock now (the other process waits on
    busy_timeout) instead of failing when a read transaction later tries to write.
    PostgreSQL: a transaction-scoped advisory lock keyed by schema; a waiting process then
    reads, under READ COMMITTED, every claim the first one committed.
    Must be the session's first statement.
    """
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif dialect == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(hashtext('jajak-deliveries:' || current_schema()))")
        )
    else:
        raise ValueError(f"unsupported database {dialect!r}: jajak stores to SQLite or PostgreSQL")


def undelivered_matches(
    session: Session,
    channel: str,
    *,
    since: datetime | None = None,
    min_score: float | None = None,
    first_seen_since: datetime | None = None,
) -> list[Article]:
    """Matches never claimed for this channel, oldest first.

    Args:
        since: published (first-seen when undated) at or after this time.
        min_score: only matches scoring at least this much (instant alerts).
        first_seen_since: only articles stored at or after this time (found by this crawl).
    """
    claimed = exists().where(
        and_(DeliveryArticle.channel == channel, DeliveryArticle.article_id == Article.id)
    )
    when = func.coalesce(Article.published, Article.first_seen_at)
    stmt = select(Article).where(Article.match.is_(True), ~claimed)
    if since is not None:
        stmt = stmt.where(when >= since)
    if min_score is not None:
        stmt = stmt.where(Article.score >= min_score)
    if first_seen_since is not None:
        stmt = stmt.where(Article.first_seen_at >= first_seen_since)
    return list(session.scalars(stmt.order_by(when, Article.id)))


def due_deliveries(
    session: Session, channel: str, now: datetime, stale_before: datetime
) -> list[Delivery]:
    """Deliveries to try again: failed and due, or claimed by a process that never finished."""
    stmt = select(Delivery).where(
        Delivery.channel == channel,
        Delivery.kind != "heartbeat",  # "nothing new" is only worth saying when it is said
        or_(
            and_(Delivery.status == "failed", Delivery.next_attempt_at <= now),
            and_(Delivery.status == "sending", Delivery.claimed_at < stale_before),
        ),
    )
    return list(session.scalars(stmt.order_by(Delivery.id)))


GAVE_UP_KILLED = "gave up: the process sending it ended twice before the outcome was known"
KILLED = "the process sending it ended before the outcome was known"
GAVE_UP_UNKNOWN = "gave up: the outcome was unknown twice, it may have arrived"


def claim_delivery(session: Session, delivery: Delivery, token: str, now: datetime) -> bool:
    """Take a due delivery for this run; False when it is given up instead.

    A delivery still ``sending`` belongs to a process that ended without recording the outcome
    (killed mid-send): the message may have gone out, so it is resent once, marked as a possible
    repeat, and given up when that happens again.
    """
    if delivery.status == "sending":
        delivery.attempts += 1
        if delivery.outcome_unknown:
            delivery.status = "abandoned"
            delivery.claim_token = None
            delivery.next_attempt_at = None
            delivery.last_error = GAVE_UP_KILLED
            session.flush()
            return False
        delivery.outcome_unknown = True
        delivery.last_error = KILLED
    delivery.status = "sending"
    delivery.claim_token = token
    delivery.claimed_at = now
    session.flush()
    return True


def create_delivery(
    session: Session,
    *,
    story_key: str,
    channel: str,
    article_ids: Sequence[int],
    token: str,
    now: datetime,
    kind: str = "digest",
) -> Delivery:
    """Claim a new story for a channel: the delivery row plus one row per article.

    The (channel, article_id) primary key makes a second claim of an article fail loudly
    (IntegrityError) rather than send it twice.
    """
    if kind not in DELIVERY_KINDS:
        raise ValueError(f"kind must be one of {', '.join(DELIVERY_KINDS)}, got {kind!r}")
    delivery = Delivery(
        story_key=story_key,
        channel=channel,
        kind=kind,
        status="sending",
        attempts=0,
        claim_token=token,
        claimed_at=now,
        article_ids=sorted(article_ids),
        created_at=now,
    )
    session.add(delivery)
    session.flush()
    session.add_all(
        DeliveryArticle(channel=channel, article_id=article_id, delivery_id=delivery.id)
        for article_id in article_ids
    )
    session.flush()
    return delivery


def heartbeat_key(now: datetime) -> str:
    """The hour a heartbeat stands for: one per channel and hour, whatever digests run in it."""
    return f"heartbeat-{now.astimezone(UTC):%Y-%m-%dT%H}"


def heartbeat_taken(session: Session, channel: str, now: datetime) -> bool:
    """Whether a digest already took (or sent) this hour's heartbeat for the channel."""
    stmt = select(Delivery.id).where(Delivery.channel == channel, Delivery.story_key == heartbeat_key(now))
    return session.scalar(stmt) is not None


def claim_heartbeat(session: Session, channel: str, token: str, now: datetime) -> Delivery | None:
    """Claim this hour's heartbeat for a channel, like a story: None when a digest running at
    the same moment (or earlier this hour) has it. The (story_key, channel) unique constraint
    holds even without the claim lock."""
    if heartbeat_taken(session, channel, now):
        return None
    return create_delivery(session, story_key=heartbeat_key(now), channel=channel, article_ids=(),
                           token=token, now=now, kind="heartbeat")


def articles_by_id(session: Session, ids: Sequence[int]) -> list[Article]:
    """The stored articles with these ids (missing ids are skipped)."""
    if not ids:
        return []
    return list(session.scalars(select(Article).where(Article.id.in_(list(ids)))))


def finish_delivery(
    session: Session,
    delivery_id: int,
    token: str,
    *,
    ok: bool,
    now: datetime,
    error: str | None = None,
    retry_at: datetime | None = None,
    uncertain: bool = False,
) -> Delivery | None:
    """Record a send's outcome; None when this run no longer holds the claim.

    Failed: ``retry_at`` None means attempts are exhausted (status ``abandoned``). ``uncertain``
    (the request went out, the answer never came): resent once, then given up.
    """
    delivery = session.get(Delivery, delivery_id)
    if delivery is None or delivery.claim_token != token:
        return None
    delivery.attempts += 1
    delivery.claim_token = None
    if ok:
        delivery.status = "sent"
        delivery.sent_at = now
        delivery.last_error = None
        delivery.next_attempt_at = None
    else:
        if uncertain and delivery.outcome_unknown:
            retry_at, error = None, f"{GAVE_UP_UNKNOWN} ({error})" if error else GAVE_UP_UNKNOWN
        delivery.outcome_unknown = delivery.outcome_unknown or uncertain
        delivery.status = "failed" if retry_at is not None else "abandoned"
        delivery.last_error = error
        delivery.next_attempt_at = retry_at
    session.flush()
    return delivery


def list_deliveries(session: Session, channel: str | None = None) -> list[Delivery]:
    """Deliveries in creation order, of one channel or of all."""
    stmt = select(Delivery).order_by(Delivery.id)
    if channel is not None:
        stmt = stmt.where(Delivery.channel == channel)
    return list(session.scalars(stmt))

"""What the deliveries say about a channel's past (store stage): counts by state for reports and
`jajak status`, the articles it already got, and the hand-over of histories recorded under the
channel keys of before revision 0005. Takes a Session and never commits, like repository.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, func, inspect, select
from sqlalchemy.orm import Session

from crawler.storage.models import Article, Delivery, DeliveryArticle


@dataclass(frozen=True)
class DeliverySummary:
    """One channel's stories by state (heartbeats aside): what `jajak status` and the digest's
    report say about it."""

    sent: int = 0
    last_sent_at: datetime | None = None
    waiting: int = 0  # failed, to be retried at next_retry
    next_retry: datetime | None = None
    last_error: str | None = None  # of the failed delivery tried last
    given_up: tuple[int, ...] = ()  # attempts of each abandoned delivery
    sending: int = 0


def delivery_summary(session: Session, channel: str) -> DeliverySummary:
    """Counts of one channel's story deliveries by state."""
    stories = and_(Delivery.channel == channel, Delivery.kind != "heartbeat")
    sent, last_sent = session.execute(
        select(func.count(), func.max(Delivery.sent_at)).where(stories, Delivery.status == "sent")
    ).one()
    waiting, next_retry = session.execute(
        select(func.count(), func.min(Delivery.next_attempt_at)).where(stories, Delivery.status == "failed")
    ).one()
    last_error = session.scalar(
        select(Delivery.last_error).where(stories, Delivery.status == "failed")
        .order_by(Delivery.claimed_at.desc(), Delivery.id.desc()).limit(1)
    )
    given_up = session.scalars(select(Delivery.attempts).where(stories, Delivery.status == "abandoned"))
    sending = session.scalar(select(func.count()).where(stories, Delivery.status == "sending"))
    return DeliverySummary(
        sent=int(sent), last_sent_at=last_sent, waiting=int(waiting), next_retry=next_retry,
        last_error=last_error, given_up=tuple(given_up), sending=int(sending or 0),
    )


def sent_articles(session: Session, channel: str, found_since: datetime) -> list[Article]:
    """Articles delivered to this channel (sent), stored since ``found_since``: what a new
    article may republish."""
    stmt = (
        select(Article)
        .join(DeliveryArticle, DeliveryArticle.article_id == Article.id)
        .join(Delivery, Delivery.id == DeliveryArticle.delivery_id)
        .where(DeliveryArticle.channel == channel, Delivery.status == "sent",
               Article.first_seen_at >= found_since)
    )
    return list(session.scalars(stmt.order_by(Article.id)))


LEGACY = "legacy:"  # revision 0005 marks the rows of pre-0005 channel keys with it


def legacy_keys(session: Session) -> set[str]:
    """The old channel keys (before revision 0005) that still hold delivery history."""
    rows = session.scalars(
        select(Delivery.channel).where(Delivery.channel.like(LEGACY + "%")).distinct()
    )
    return {row.removeprefix(LEGACY) for row in rows}


def adopt_history(session: Session, old_key: str, channels: Sequence[str]) -> int:
    """Give the history recorded under a pre-0005 key to the channels it was sent to.

    Each channel without a history of its own gets a copy of every delivery (sent, failed or
    in flight) and of its article rows; the old rows are then removed. Returns the number of
    deliveries handed over.
    """
    old = LEGACY + old_key
    rows = list(session.scalars(select(Delivery).where(Delivery.channel == old).order_by(Delivery.id)))
    has_own = set(session.scalars(
        select(Delivery.channel).where(Delivery.channel.in_(list(channels))).distinct()
    ))
    adopted = 0
    for channel in channels:
        if channel in has_own:
            continue
        for row in rows:
            copy = Delivery(**{
                attr.key: getattr(row, attr.key) for attr in inspect(Delivery).column_attrs
                if attr.key != "id"
            })
            copy.channel = channel
            session.add(copy)
            session.flush()
            session.add_all(
                DeliveryArticle(channel=channel, article_id=link.article_id, delivery_id=copy.id)
                for link in session.scalars(
                    select(DeliveryArticle).where(DeliveryArticle.delivery_id == row.id)
                )
            )
            adopted += 1
    session.execute(delete(DeliveryArticle).where(DeliveryArticle.channel == old))
    session.execute(delete(Delivery).where(Delivery.channel == old))
    session.flush()
    return adopted

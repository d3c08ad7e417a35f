"""Claims of the digest job (digest stage): which stories each channel gets this run, taken
under the database lock so two digests never take one story; stored articles become the plain
values `alerts` works with."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import alerts
from crawler.sources import SourcesError, load_sources
from crawler.storage import (
    adopt_history,
    articles_by_id,
    baseline_ends,
    claim_delivery,
    crawled_sources,
    create_delivery,
    due_deliveries,
    legacy_keys,
    sent_articles,
    source_health,
    undelivered_matches,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy import Row
    from sqlalchemy.orm import Session

    from crawler.digest.config import DigestConfig
    from crawler.storage import Article

logger = logging.getLogger(__name__)


@dataclass
class Claimed:
    """A story this run sends to one channel, and the delivery row that records it."""

    delivery_id: int
    attempts: int
    story: alerts.Story
    resend: bool = False  # an earlier send may have arrived: the message says so


def zones_of(sources_file: str) -> dict[str, str]:
    """Each source's timezone from the sources file (WIB when the file can't be read)."""
    try:
        return {source.name: source.timezone for source in load_sources(sources_file)}
    except (SourcesError, OSError):
        return {}


def _evidence(article: Article | Row[Any]) -> str:
    # The classifier stores its evidence sentences best first; the title is often among them.
    cues = [cue for cue in article.cues if cue.strip()]
    body = [cue for cue in cues if cue.strip() != article.title.strip()]
    return (body or cues or [article.lead or ""])[0]


def to_value(article: Article, zones: dict[str, str]) -> alerts.MatchedArticle:
    """A stored article as the plain value `alerts` works with."""
    return alerts.MatchedArticle(
        id=article.id,
        url=article.url,
        title=article.title,
        text=article.text,
        source=article.source.name,
        published=article.published or article.first_seen_at,
        score=article.score,
        stage=article.stage,
        parties=tuple(article.parties),
        sectors=tuple(article.sectors),
        evidence=_evidence(article),
        timezone=zones.get(article.source.name, "Asia/Jakarta"),
    )


def row_value(row: Row[Any], zones: dict[str, str]) -> alerts.MatchedArticle:
    """to_value of a row of crawler.storage.browse.match_rows: the same value, without text."""
    return alerts.MatchedArticle(
        id=row.id,
        url=row.url,
        title=row.title,
        text="",
        source=row.source,
        published=row.published or row.first_seen_at,
        score=row.score,
        stage=row.stage,
        parties=tuple(row.parties),
        sectors=tuple(row.sectors),
        evidence=_evidence(row),
        timezone=zones.get(row.source, "Asia/Jakarta"),
    )


def info_for(session: Session, since: datetime | None, now: datetime, kind: str,
             timezone: str = "Asia/Jakarta") -> alerts.DigestInfo:
    health = source_health(session)
    return alerts.DigestInfo(
        period_start=since,
        period_end=now,
        sources_crawled=crawled_sources(session, since),
        sources_healthy=sum(health.values()),
        sources_total=len(health),
        kind=kind,
        timezone=timezone,
    )


def adopt_legacy(session: Session, channels: Sequence[alerts.Channel]) -> None:
    """Hand the history kept under pre-0005 keys (migration 0005) to today's channels.

    An old key covered every recipient of one configured entry: when the entries mapping to it
    are one entry, each of its channels (one per recipient) gets that history; when they are
    several (alice's and bob's URLs on one mail server), whose history it is cannot be known,
    so none gets it and each receives the stories of the current digest window.
    """
    old_keys = legacy_keys(session)
    if not old_keys:
        return
    by_old: dict[str, list[alerts.Channel]] = {}
    for channel in channels:
        by_old.setdefault(channel.legacy_key, []).append(channel)
    for old in sorted(old_keys):
        group = by_old.get(old)
        if not group:
            continue  # not configured now; kept in case it comes back
        if len({channel.origin for channel in group}) == 1:
            count = adopt_history(session, old, [channel.key for channel in group])
            logger.info("delivery history of %s kept under its new identity (%d deliveries)",
                        ", ".join(c.display for c in group), count)
        else:
            logger.warning(
                "the delivery history of one old channel key belongs to one of %s; not guessing: "
                "each receives the stories of the current digest window",
                ", ".join(c.display for c in group),
            )


@dataclass(frozen=True)
class Selection:
    """Which stored matches a run may send (beyond what a channel already got).

    ``found_since``: stored since then (the digest window; a channel added later gets the
    window, not everything ever found). ``baseline_window``: a source's first complete crawl is
    its baseline: what it stored until then is alerted only when published within this long
    before it was stored; what it stores after is alerted whatever its date. None: every
    match. ``published_since``: an explicit `--since`.
    """

    found_since: datetime | None = None
    baseline_window: timedelta | None = None
    published_since: datetime | None = None
    min_score: float | None = None

    @classmethod
    def for_digest(cls, config: DigestConfig, now: datetime, since: datetime | None) -> Selection:
        if since is not None:
            return cls(published_since=since)
        if config.max_age is None:
            return cls()
        return cls(found_since=now - config.max_age, baseline_window=config.max_age)


def alertable(article: Article, baseline_end: datetime | None, window: timedelta | None) -> bool:
    """Whether a stored match may be alerted: found after its source's baseline, or published
    within ``window`` before it was found (a first crawl backfills years, and nobody wants
    those as news)."""
    if window is None or (baseline_end is not None and article.first_seen_at > baseline_end):
        return True
    return (article.published or article.first_seen_at) >= article.first_seen_at - window


def _pending(session: Session, channel: alerts.Channel, selection: Selection) -> list[Article]:
    pending = undelivered_matches(
        session, channel.key, since=selection.published_since, min_score=selection.min_score,
        first_seen_since=selection.found_since,
    )
    if selection.baseline_window is None:
        return pending
    ends = baseline_ends(session)
    return [a for a in pending if alertable(a, ends.get(a.source_id), selection.baseline_window)]


UPDATE_HORIZON = timedelta(days=30)  # how long after a story a republication is an update of it


def _updates(
    session: Session, channel: alerts.Channel, stories: list[alerts.Story], zones: dict[str, str],
    now: datetime,
) -> list[alerts.Story]:
    """Stories that republish one this channel already got become updates of it: they name the
    new outlets once, rather than telling the story again."""
    sent = [to_value(a, zones) for a in sent_articles(session, channel.key, now - UPDATE_HORIZON)]
    if not sent:
        return stories
    marked = []
    for story in stories:
        earlier = alerts.earlier_story(story, sent)
        marked.append(story if earlier is None else replace(story, update_of=earlier))
    return marked


def claim(
    session: Session,
    channel: alerts.Channel,
    zones: dict[str, str],
    *,
    now: datetime,
    token: str,
    config: DigestConfig,
    kind: str,
    selection: Selection,
    retry: bool = True,
    dry_run: bool = False,
) -> tuple[list[Claimed], list[int]]:
    """Due retries and new stories for a channel, claimed for this run (only read when dry),
    and the attempts of each delivery given up instead of claimed."""
    claimed: list[Claimed] = []
    given_up: list[int] = []
    if retry:
        for delivery in due_deliveries(session, channel.key, now, now - config.claim_ttl):
            found = articles_by_id(session, delivery.article_ids)
            if not found:
                continue
            story = alerts.make_story([to_value(a, zones) for a in found], delivery.story_key)
            killed = delivery.status == "sending"  # its process ended mid-send
            if dry_run:
                if killed and delivery.outcome_unknown:
                    continue  # would be given up, not sent
                resend = killed or delivery.outcome_unknown
            else:
                if not claim_delivery(session, delivery, token, now):
                    given_up.append(delivery.attempts)
                    continue
                resend = delivery.outcome_unknown
            claimed.append(Claimed(delivery.id, delivery.attempts, story, resend))
    pending = _pending(session, channel, selection)
    stories = alerts.group_stories([to_value(a, zones) for a in pending])
    if stories:
        stories = _updates(session, channel, stories, zones, now)
    for story in stories:
        delivery_id = 0
        if not dry_run:
            delivery_id = create_delivery(
                session, story_key=story.key, channel=channel.key, kind=kind,
                article_ids=story.article_ids, token=token, now=now,
            ).id
        claimed.append(Claimed(delivery_id, 0, story))
    order = {story.key: n for n, story in enumerate(alerts.order_stories(c.story for c in claimed))}
    return sorted(claimed, key=lambda c: order[c.story.key]), given_up

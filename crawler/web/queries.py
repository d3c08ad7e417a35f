"""What each page of the web app shows, read through the storage layer: stories grouped across
outlets as the digest groups them (alerts.stories), one story with its judgements, sources with
the health words of `jajak status`, channels with their deliveries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import alerts
from crawler.digest.claims import row_value, to_value
from crawler.storage import delivery_summary, list_deliveries
from crawler.storage.browse import (
    MatchFilter,
    articles_per_day,
    get_article,
    judgements_of,
    match_rows,
    matches_by_id,
    search_articles,
    totals_by_source,
)
from crawler.storage.judgements import precision_by_source
from crawler.storage.links import link_matches, linked_to, pairs_of
from crawler.web.regions import regions_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session

    from crawler.storage import Article
    from crawler.storage.judgements import Judgement


CHART_DAYS = 14  # the sources page's articles-per-day chart


@dataclass(frozen=True)
class InboxQuery:
    """The inbox's filters as the GET form gives them (empty = no filter)."""

    stage: str = ""
    sector: str = ""
    source: str = ""
    party: str = ""
    region: str = ""  # a region its parties name (crawler/web/regions.py), exactly as listed
    date_from: datetime | None = None  # aware, inclusive
    date_to: datetime | None = None  # aware, exclusive (the day after the form's "to")
    text: str = ""  # q=: words to find in stored articles


def _keeps(story: alerts.Story, query: InboxQuery) -> bool:
    return _keeps_but_region(story, query) and (not query.region or query.region in regions_of(story.parties))


def _keeps_but_region(story: alerts.Story, query: InboxQuery) -> bool:
    # Stage, sector, source and party filter whole stories: a story reported by the chosen
    # source is shown with every outlet, not cut down to that source's article.
    party = query.party.casefold()
    return (
        (not query.stage or story.stage == query.stage)
        and (not query.sector or query.sector in story.sectors)
        and (not query.source or any(name == query.source for name, _ in story.outlets))
        and (not party or any(party in p.casefold() for p in story.parties))
    )


def newest_first(stories: Sequence[alerts.Story]) -> list[alerts.Story]:
    def key(story: alerts.Story) -> tuple[float, int]:
        when = story.published.timestamp() if story.published else 0.0
        return (-when, -min(story.article_ids))

    return sorted(stories, key=key)


def matched_stories(session: Session, query: InboxQuery, zones: dict[str, str]) -> list[alerts.Story]:
    """Matched stories of the query's dates and words, before the per-story filters: grouped as
    the digest groups (alerts.group_stories), from the pairs stored as the matches were stored.
    Links the matches not linked yet first (an older database), so the session may write."""
    link_matches(session)
    rows = match_rows(session, MatchFilter(query.date_from, query.date_to, query.text))
    return alerts.group_linked([row_value(row, zones) for row in rows], pairs_of(session))


def kept(stories: Sequence[alerts.Story], query: InboxQuery) -> list[alerts.Story]:
    """The stories passing the per-story filters (stage, sector, source, party, region), newest first."""
    return newest_first([story for story in stories if _keeps(story, query)])


def inbox_stories(session: Session, query: InboxQuery, zones: dict[str, str]) -> list[alerts.Story]:
    """Matched stories passing the filters, newest first."""
    return kept(matched_stories(session, query, zones), query)


def inbox_regions(stories: Sequence[alerts.Story], query: InboxQuery) -> list[str]:
    """The regions the region filter offers: those of the stories the other filters keep."""
    found: set[str] = set()
    for story in stories:
        if _keeps_but_region(story, query):
            found |= regions_of(story.parties)
    return sorted(found)


def found_articles(session: Session, text: str, limit: int = 50) -> list[Article]:
    """Every stored article (matched or not) with the words of ``text``."""
    return search_articles(session, text, limit)


def story_id(story: alerts.Story) -> int:
    """The id the story page is reached by: its smallest article id (as its digest key)."""
    return min(story.article_ids)


@dataclass(frozen=True)
class StoryPage:
    story: alerts.Story
    articles: tuple[Article, ...]  # the stored rows of the story's articles, in story order
    judgements: dict[int, Judgement] = field(default_factory=dict)


def story_page(session: Session, article_id: int, zones: dict[str, str],
               grouped: Sequence[alerts.Story] | None = None) -> StoryPage | None:
    """The story holding this article: every outlet's copy (its story in ``grouped``, the
    inbox's stories, when it is there; else the matches joined to it by stored pairs, the same
    story), or the article alone when it is not a match. May link matches, so may write."""
    article = get_article(session, article_id)
    if article is None:
        return None
    story = alerts.make_story([to_value(article, zones)])
    known = next((s for s in grouped or () if article_id in s.article_ids), None) if article.match else None
    if known is not None:
        story = known
    elif article.match:
        link_matches(session)
        story = alerts.make_story(to_value(a, zones) for a in matches_by_id(session, linked_to(session, [article_id])))
    rows = {a.id: a for a in (get_article(session, i) for i in story.article_ids) if a is not None}
    ordered = tuple(rows[a.id] for a in story.articles if a.id in rows)
    return StoryPage(story, ordered, judgements_of(session, list(rows)))


def source_rows(status: dict[str, Any], session: Session, days: int = CHART_DAYS,
                only: str | None = None) -> list[dict[str, Any]]:
    """`jajak status`'s rows (health words and why, last run) with all-time totals, articles
    first seen on each of the last ``days`` UTC days, and the precision of the judged matches
    (as `jajak eval --judgements` counts it). With ``only`` (a status of that one source), the
    counts are read for it alone."""
    totals = totals_by_source(session, only)
    today = datetime.now(UTC).date()
    since = datetime.combine(today - timedelta(days=days - 1), datetime.min.time(), UTC)
    per_day = articles_per_day(session, since, only)
    judged = {p.source: p for p in precision_by_source(session, only)}
    # The daemon's crawl job of each source (crawler.schedule.crawl_job_id), as it last scheduled it.
    next_runs = {job["job"].removeprefix("crawl:"): job["at"] for job in status.get("next_runs", [])
                 if job["job"].startswith("crawl:")}
    labels = [(today - timedelta(days=days - 1 - i)).isoformat() for i in range(days)]
    rows = []
    for row in status["sources"]:
        articles, matches = totals.get(row["source"], (0, 0))
        counts = per_day.get(row["source"], {})
        rows.append({**row, "articles": articles, "matches": matches,
                     "per_day": [(day, counts.get(day, 0)) for day in labels],
                     "precision": judged.get(row["source"]), "next_run": next_runs.get(row["source"])})
    return rows


@dataclass(frozen=True)
class ChannelView:
    kind: str
    display: str  # masked: no token or password
    sent: int
    last_sent_at: datetime | None
    waiting: int
    next_retry: datetime | None
    failed: int  # given up after their attempts
    sending: int
    reasons: tuple[tuple[str, int], ...]  # (masked error, deliveries) of waiting and failed ones


def channel_views(session: Session, channels: Sequence[alerts.Channel]) -> list[ChannelView]:
    views = []
    for channel in channels:
        summary = delivery_summary(session, channel.key)
        reasons: dict[str, int] = {}
        for delivery in list_deliveries(session, channel.key):
            if delivery.kind != "heartbeat" and delivery.status in ("failed", "abandoned") and delivery.last_error:
                reasons[delivery.last_error] = reasons.get(delivery.last_error, 0) + 1
        views.append(ChannelView(
            kind=channel.kind, display=channel.display, sent=summary.sent, last_sent_at=summary.last_sent_at,
            waiting=summary.waiting, next_retry=summary.next_retry, failed=len(summary.given_up),
            sending=summary.sending, reasons=tuple(sorted(reasons.items(), key=lambda kv: -kv[1])),
        ))
    return views


def day_bounds(day_from: str, day_to: str, zone: str) -> tuple[datetime | None, datetime | None]:
    """The form's YYYY-MM-DD dates as aware bounds in ``zone`` (``to`` includes its whole day).
    Raises ValueError naming a date that is not YYYY-MM-DD."""
    from zoneinfo import ZoneInfo

    bounds: list[datetime | None] = []
    for name, text, shift in (("from", day_from, 0), ("to", day_to, 1)):
        if not text.strip():
            bounds.append(None)
            continue
        try:
            day = datetime.strptime(text.strip(), "%Y-%m-%d").replace(tzinfo=ZoneInfo(zone))
        except ValueError as err:
            raise ValueError(f"{name}: {text!r} is not a date like 2025-02-06") from err
        bounds.append((day + timedelta(days=shift)).astimezone(UTC))
    return bounds[0], bounds[1]

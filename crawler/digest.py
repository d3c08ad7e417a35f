"""Digest job (digest stage): stored matches -> plain `alerts` values -> Apprise channels, with
each story x channel recorded in `deliveries`: claimed under a database lock, marked sent only
after Apprise reports success, retried with backoff when it failed. Instant alerts too."""

from __future__ import annotations

import logging
import re
import secrets
import sys
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import IO, TYPE_CHECKING

import alerts
from crawler.storage import (
    adopt_history,
    articles_by_id,
    claim_delivery,
    crawled_sources,
    create_delivery,
    due_deliveries,
    finish_delivery,
    legacy_keys,
    list_articles,
    lock_for_claims,
    open_database,
    source_health,
    undelivered_matches,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scrapy.settings import BaseSettings
    from sqlalchemy.orm import Session, sessionmaker

    from crawler.storage import Article

logger = logging.getLogger(__name__)
_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": "seconds", "s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_age(value: str, name: str) -> timedelta:
    """'7d', '36h', '5m', '90s' or plain seconds; raises ValueError naming the setting."""
    match = _AGE.match(str(value))
    if not match:
        raise ValueError(f"{name}={value!r}: expected a duration such as 7d, 36h, 5m or 0")
    return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})


def _age(settings: BaseSettings, name: str, default: str) -> timedelta:
    return parse_age(settings.get(name, default), name)


def notify_timeout(settings: BaseSettings) -> float:
    """JAJAK_NOTIFY_TIMEOUT in seconds; raises ValueError naming the setting."""
    value = str(settings.get("JAJAK_NOTIFY_TIMEOUT", "30")).strip()
    seconds = parse_age(value, "JAJAK_NOTIFY_TIMEOUT").total_seconds()
    if seconds <= 0:
        raise ValueError(f"JAJAK_NOTIFY_TIMEOUT={value!r}: must be more than 0 seconds")
    return seconds


def load_channels(settings: BaseSettings) -> list[alerts.Channel]:
    """The configured channels (JAJAK_NOTIFY, JAJAK_APPRISE_CONFIG) with jajak's timeouts."""
    return alerts.load_channels(
        settings.get("JAJAK_NOTIFY", ""),
        settings.get("JAJAK_APPRISE_CONFIG") or None,
        timeout=notify_timeout(settings),
    )


@dataclass(frozen=True)
class DigestConfig:
    """The digest's settings, validated once (bad values raise ValueError naming the setting)."""

    database_url: str
    sources_file: str
    channels: tuple[alerts.Channel, ...]
    heartbeat: bool = False
    instant_threshold: float | None = None
    max_age: timedelta | None = timedelta(days=7)
    retry_base: timedelta = timedelta(minutes=5)
    retry_max: timedelta = timedelta(hours=6)
    max_attempts: int = 10
    claim_ttl: timedelta = timedelta(minutes=15)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> DigestConfig:
        threshold = str(settings.get("JAJAK_INSTANT_THRESHOLD") or "").strip()
        try:
            instant = float(threshold) if threshold else None
            attempts = int(settings.get("JAJAK_DIGEST_MAX_ATTEMPTS", 10))
        except ValueError as err:
            raise ValueError(f"JAJAK_INSTANT_THRESHOLD / JAJAK_DIGEST_MAX_ATTEMPTS: {err}") from err
        max_age = _age(settings, "JAJAK_DIGEST_MAX_AGE", "7d")
        channels = load_channels(settings)
        return cls(
            database_url=settings["JAJAK_DATABASE_URL"],
            sources_file=settings["JAJAK_SOURCES"],
            channels=tuple(channels),
            heartbeat=settings.getbool("JAJAK_HEARTBEAT", False),
            instant_threshold=instant,
            max_age=max_age or None,
            retry_base=_age(settings, "JAJAK_DIGEST_RETRY_BASE", "5m"),
            retry_max=_age(settings, "JAJAK_DIGEST_RETRY_MAX", "6h"),
            max_attempts=max(attempts, 1),
            claim_ttl=_age(settings, "JAJAK_DIGEST_CLAIM_TTL", "15m"),
        )

    def retry_at(self, attempts_done: int, now: datetime) -> datetime | None:
        """When to try again after ``attempts_done`` failures; None once they are exhausted."""
        if attempts_done >= self.max_attempts:
            return None
        delay: timedelta = min(self.retry_base * 2 ** (attempts_done - 1), self.retry_max)
        return now + delay


@dataclass
class Claimed:
    delivery_id: int
    attempts: int
    story: alerts.Story
    resend: bool = False  # an earlier send may have arrived: the message says so


@dataclass
class ChannelReport:
    """What one run did for one channel."""

    channel: alerts.Channel
    stories: int = 0
    messages: int = 0
    sent: int = 0
    failed: int = 0
    heartbeat: bool = False
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        where = f"{self.channel.kind} {self.channel.display}"
        if self.heartbeat:
            state = "heartbeat sent" if not self.failed else f"heartbeat FAILED: {self.errors[-1]}"
            return f"{where}: nothing new, {state}"
        if not self.stories:
            return f"{where}: nothing new"
        text = f"{where}: {self.sent}/{self.stories} stories sent in {self.messages} message(s)"
        if self.failed:
            text += f", {self.failed} FAILED (retried later): {self.errors[-1]}"
        return text


def _zones(sources_file: str) -> dict[str, str]:
    """Each source's timezone from the sources file (WIB when the file can't be read)."""
    from crawler.sources import SourcesError, load_sources

    try:
        return {source.name: source.timezone for source in load_sources(sources_file)}
    except (SourcesError, OSError):
        return {}


def _evidence(article: Article) -> str:
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


def _info(session: Session, since: datetime | None, now: datetime, kind: str) -> alerts.DigestInfo:
    health = source_health(session)
    return alerts.DigestInfo(
        period_start=since,
        period_end=now,
        sources_crawled=crawled_sources(session, since),
        sources_healthy=sum(health.values()),
        sources_total=len(health),
        kind=kind,
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


def _claim(
    session: Session,
    channel: alerts.Channel,
    zones: dict[str, str],
    *,
    now: datetime,
    token: str,
    config: DigestConfig,
    kind: str,
    since: datetime | None,
    min_score: float | None = None,
    first_seen_since: datetime | None = None,
    retry: bool = True,
    dry_run: bool = False,
) -> list[Claimed]:
    """Due retries and new stories for a channel, claimed for this run (only read when dry)."""
    claimed: list[Claimed] = []
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
                    continue
                resend = delivery.outcome_unknown
            claimed.append(Claimed(delivery.id, delivery.attempts, story, resend))
    pending = undelivered_matches(
        session, channel.key, since=since, min_score=min_score, first_seen_since=first_seen_since
    )
    for story in alerts.group_stories([to_value(a, zones) for a in pending]):
        delivery_id = 0
        if not dry_run:
            delivery_id = create_delivery(
                session, story_key=story.key, channel=channel.key, kind=kind,
                article_ids=story.article_ids, token=token, now=now,
            ).id
        claimed.append(Claimed(delivery_id, 0, story))
    order = {story.key: n for n, story in enumerate(alerts.order_stories(c.story for c in claimed))}
    return sorted(claimed, key=lambda c: order[c.story.key])


def _compose(
    channel: alerts.Channel, claimed: Sequence[Claimed], info: alerts.DigestInfo
) -> list[alerts.Message]:
    """New stories first, then the resent ones in messages of their own that say they may
    repeat an earlier message."""
    fresh = [c.story for c in claimed if not c.resend]
    again = [c.story for c in claimed if c.resend]
    messages = alerts.compose(channel, fresh, info) if fresh else []
    if again:
        messages += alerts.compose(channel, again, replace(info, resend=True))
    return messages


def _deliver(
    sessions: sessionmaker[Session],
    channel: alerts.Channel,
    claimed: Sequence[Claimed],
    info: alerts.DigestInfo,
    token: str,
    config: DigestConfig,
) -> ChannelReport:
    report = ChannelReport(channel, stories=len(claimed))
    messages = _compose(channel, claimed, info)
    report.messages = len(messages)
    outcomes = alerts.send(channel, messages)
    by_key = {c.story.key: c for c in claimed}
    now = datetime.now(UTC)
    with sessions.begin() as session:
        for outcome in outcomes:
            for key in outcome.message.story_keys:
                entry = by_key.pop(key)
                finish_delivery(
                    session, entry.delivery_id, token, ok=outcome.ok, now=now, error=outcome.error,
                    retry_at=None if outcome.ok else config.retry_at(entry.attempts + 1, now),
                    uncertain=outcome.uncertain,
                )
                report.sent += outcome.ok
                report.failed += not outcome.ok
            if outcome.error:
                report.errors.append(outcome.error)
    return report


def _heartbeat(channel: alerts.Channel, info: alerts.DigestInfo) -> ChannelReport:
    report = ChannelReport(channel, heartbeat=True, messages=1)
    outcome = alerts.send(channel, [alerts.compose_heartbeat(info)])[0]
    if not outcome.ok:
        report.failed = 1
        report.errors.append(outcome.error or "not delivered")
    return report


def _dry_messages(
    channel: alerts.Channel,
    claimed: Sequence[Claimed],
    info: alerts.DigestInfo,
    fmt: str | None,
    heartbeat: bool,
) -> list[alerts.Message]:
    """What a run would send to this channel; ``fmt`` shows it in another format instead."""
    if not claimed:
        return [alerts.compose_heartbeat(info)] if heartbeat else []
    if fmt is None:
        return _compose(channel, claimed, info)
    stories = [c.story for c in claimed]
    return [alerts.Message(alerts.subject(stories, info), alerts.render(stories, info, fmt), fmt)]


def _print_dry(out: IO[str], channel: alerts.Channel, messages: Sequence[alerts.Message]) -> None:
    out.write(f"=== {channel.kind} {channel.display}: {len(messages)} message(s), dry run ===\n")
    for number, message in enumerate(messages, start=1):
        out.write(f"--- message {number}/{len(messages)}, {len(message.body)} characters"
                  f"{', title: ' + message.title if message.title else ''} ---\n")
        out.write(message.body.rstrip("\n") + "\n")


def run_digest(
    config: DigestConfig,
    *,
    tag: str | None = None,
    since: datetime | None = None,
    fmt: str | None = None,
    dry_run: bool = False,
    out: IO[str] = sys.stdout,
) -> list[ChannelReport]:
    """One digest run over the configured channels (or the terminal when there are none)."""
    channels = alerts.select(list(config.channels), tag)
    if tag is not None and not channels:
        raise ValueError(f"--tag {tag}: no configured channel has this tag")
    now = datetime.now(UTC)
    since = since or (now - config.max_age if config.max_age else None)
    sessions = open_database(config.database_url)
    zones = _zones(config.sources_file)
    if not channels:
        with sessions() as session:
            matches = list_articles(session, matches_only=True, since=since)
            stories = alerts.group_stories([to_value(a, zones) for a in matches])
            out.write(alerts.render(stories, _info(session, since, now, "digest"), fmt or "text"))
        return []
    token = secrets.token_hex(8)
    claims: dict[str, list[Claimed]] = {}
    with sessions() as session:
        if not dry_run:
            lock_for_claims(session)
        adopt_legacy(session, config.channels)
        for channel in channels:
            claims[channel.key] = _claim(session, channel, zones, now=now, token=token,
                                         config=config, kind="digest", since=since, dry_run=dry_run)
        info = _info(session, since, now, "digest")
        # A dry run reads as if the history were handed over, and writes nothing.
        if dry_run:
            session.rollback()
        else:
            session.commit()
    reports = []
    for channel in channels:
        claimed = claims[channel.key]
        if dry_run:
            messages = _dry_messages(channel, claimed, info, fmt, config.heartbeat)
            _print_dry(out, channel, messages)
            reports.append(ChannelReport(channel, stories=len(claimed), messages=len(messages)))
        elif claimed:
            reports.append(_deliver(sessions, channel, claimed, info, token, config))
        elif config.heartbeat:
            reports.append(_heartbeat(channel, info))
        else:
            reports.append(ChannelReport(channel))
    for report in reports:
        logger.info("%s", report.line())
    return reports


def send_instant(config: DigestConfig, *, found_since: datetime) -> list[ChannelReport]:
    """Instant alerts for matches scoring at least the threshold, stored since ``found_since``
    (the crawl that just ran). They are claimed like digest stories, so no digest repeats them;
    a failed one is retried by the next digest."""
    if config.instant_threshold is None or not config.channels:
        return []
    now = datetime.now(UTC)
    since = now - config.max_age if config.max_age else None
    sessions = open_database(config.database_url)
    zones = _zones(config.sources_file)
    token = secrets.token_hex(8)
    with sessions.begin() as session:
        lock_for_claims(session)
        adopt_legacy(session, config.channels)
        claims = {
            channel.key: _claim(
                session, channel, zones, now=now, token=token, config=config, kind="instant",
                since=since, min_score=config.instant_threshold, first_seen_since=found_since,
                retry=False,
            )
            for channel in config.channels
        }
        info = _info(session, found_since, now, "instant")
    return [
        _deliver(sessions, channel, claims[channel.key], info, token, config)
        for channel in config.channels
        if claims[channel.key]
    ]


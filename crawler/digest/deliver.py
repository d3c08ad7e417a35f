"""Delivering a digest (digest stage): claimed stories -> messages -> Apprise, each outcome recorded
in `deliveries`: marked sent only after Apprise reports success, retried with backoff when it
failed, resent once (marked) when its outcome is unknown. Instant alerts too."""

from __future__ import annotations

import logging
import secrets
import sys
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING

import alerts
from crawler.digest.claims import Claimed, Selection, adopt_legacy, claim, info_for, to_value, zones_of
from crawler.storage import (
    Database,
    claim_heartbeat,
    delivery_summary,
    finish_delivery,
    heartbeat_taken,
    list_articles,
    lock_for_claims,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy.orm import Session, sessionmaker

    from crawler.digest.config import DigestConfig

logger = logging.getLogger(__name__)


@dataclass
class ChannelReport:
    """What one run did for one channel, and what waits for a later one."""

    channel: alerts.Channel
    stories: int = 0  # taken by this run
    messages: int = 0  # composed
    sent: int = 0  # stories delivered
    sent_messages: int = 0
    failed: int = 0  # stories not delivered by this run
    heartbeat: bool = False
    errors: list[str] = field(default_factory=list)
    given_up: list[int] = field(default_factory=list)  # attempts of each story given up now
    dry_run: bool = False
    waiting: int = 0  # after this run: stories to retry later
    next_retry: datetime | None = None
    last_error: str | None = None
    timezone: str = "Asia/Jakarta"  # of the times shown

    def facts(self) -> alerts.ChannelFacts:
        heartbeat = None
        if self.heartbeat:
            heartbeat = "sent" if not self.failed else (self.errors[-1] if self.errors else "not delivered")
        return alerts.ChannelFacts(
            sent=self.sent, messages=self.sent_messages, waiting=self.waiting,
            next_retry=self.next_retry, last_error=self.last_error, given_up=tuple(self.given_up),
            heartbeat=heartbeat, dry_run=self.dry_run, would_send=self.stories if self.dry_run else 0,
            would_messages=self.messages if self.dry_run else 0,
        )

    def line(self) -> str:
        facts = alerts.describe(self.facts(), datetime.now(UTC), self.timezone)
        return f"{self.channel.kind} {self.channel.display}: {facts}"


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
                row = finish_delivery(
                    session, entry.delivery_id, token, ok=outcome.ok, now=now, error=outcome.error,
                    retry_at=None if outcome.ok else config.retry_at(entry.attempts + 1, now),
                    uncertain=outcome.uncertain,
                )
                report.sent += outcome.ok
                report.failed += not outcome.ok
                if row is not None and row.status == "abandoned":
                    report.given_up.append(row.attempts)
            report.sent_messages += outcome.ok
            if outcome.error:
                report.errors.append(outcome.error)
    return report


def _heartbeat(
    sessions: sessionmaker[Session], channel: alerts.Channel, info: alerts.DigestInfo, token: str,
    delivery_id: int,
) -> ChannelReport:
    """Send the claimed heartbeat; a failed one is not retried (the next digest says it anew)."""
    report = ChannelReport(channel, heartbeat=True, messages=1)
    outcome = alerts.send(channel, [alerts.compose_heartbeat(info)])[0]
    report.sent_messages = int(outcome.ok)
    if not outcome.ok:
        report.failed = 1
        report.errors.append(outcome.error or "not delivered")
    with sessions.begin() as session:
        finish_delivery(session, delivery_id, token, ok=outcome.ok, now=datetime.now(UTC),
                        error=outcome.error, retry_at=None)
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
    selection = Selection.for_digest(config, now, since)
    since = since or (now - config.max_age if config.max_age else None)
    with Database(config.database_url) as database:
        sessions = database.sessions
        zones = zones_of(config.sources_file)
        if not channels:
            with sessions() as session:
                matches = list_articles(session, matches_only=True, since=since)
                stories = alerts.group_stories([to_value(a, zones) for a in matches])
                info = info_for(session, since, now, "digest", config.timezone)
                out.write(alerts.render(stories, info, fmt or "text"))
            return []
        token = secrets.token_hex(8)
        claims: dict[str, tuple[list[Claimed], list[int]]] = {}
        with sessions() as session:
            if not dry_run:
                lock_for_claims(session)
            adopt_legacy(session, config.channels)
            beats: dict[str, int] = {}  # channel -> its heartbeat's delivery (0: a dry run's)
            for channel in channels:
                claims[channel.key] = claim(session, channel, zones, now=now, token=token, config=config,
                                            kind="digest", selection=selection, dry_run=dry_run)
                if config.heartbeat and not claims[channel.key][0]:
                    if dry_run:
                        if not heartbeat_taken(session, channel.key, now):
                            beats[channel.key] = 0
                    elif beat := claim_heartbeat(session, channel.key, token, now):
                        beats[channel.key] = beat.id
            info = info_for(session, since, now, "digest", config.timezone)
            # A dry run reads as if the history were handed over, and writes nothing.
            if dry_run:
                session.rollback()
            else:
                session.commit()
        reports = []
        for channel in channels:
            claimed, given_up = claims[channel.key]
            if dry_run:
                messages = _dry_messages(channel, claimed, info, fmt, channel.key in beats)
                _print_dry(out, channel, messages)
                report = ChannelReport(channel, stories=len(claimed), messages=len(messages), dry_run=True,
                                       heartbeat=bool(messages) and not claimed)
            elif claimed:
                report = _deliver(sessions, channel, claimed, info, token, config)
            elif channel.key in beats:
                report = _heartbeat(sessions, channel, info, token, beats[channel.key])
            else:
                report = ChannelReport(channel)
            report.given_up[:0] = given_up
            reports.append(report)
        _what_waits(sessions, reports, config.timezone)
        for report in reports:
            logger.info("%s", report.line())
        return reports


def _what_waits(sessions: sessionmaker[Session], reports: Sequence[ChannelReport], timezone: str) -> None:
    """Fill in each report what waits for a retry after this run."""
    with sessions() as session:
        for report in reports:
            summary = delivery_summary(session, report.channel.key)
            report.waiting, report.next_retry = summary.waiting, summary.next_retry
            report.last_error, report.timezone = summary.last_error, timezone


def send_instant(config: DigestConfig, *, found_since: datetime) -> list[ChannelReport]:
    """Instant alerts for matches scoring at least the threshold, stored since ``found_since``
    (the crawl that just ran). They are claimed like digest stories, so no digest repeats them;
    a failed one is retried by the next digest."""
    if config.instant_threshold is None or not config.channels:
        return []
    now = datetime.now(UTC)
    selection = Selection(found_since=found_since, baseline_window=config.max_age,
                          min_score=config.instant_threshold)
    with Database(config.database_url) as database:
        sessions = database.sessions
        zones = zones_of(config.sources_file)
        token = secrets.token_hex(8)
        with sessions.begin() as session:
            lock_for_claims(session)
            adopt_legacy(session, config.channels)
            claims = {
                channel.key: claim(
                    session, channel, zones, now=now, token=token, config=config, kind="instant",
                    selection=selection, retry=False,
                )[0]
                for channel in config.channels
            }
            info = info_for(session, found_since, now, "instant", config.timezone)
        reports = [
            _deliver(sessions, channel, claims[channel.key], info, token, config)
            for channel in config.channels
            if claims[channel.key]
        ]
        _what_waits(sessions, reports, config.timezone)
        return reports

"""The digest job (digest stage): the new matches to each channel as one digest, and instant
alerts for what a crawl just stored. The stories, messages and deliveries are crawler.digest's;
this is what `jajak digest`, `jajak crawl`, the daemon and a fleet worker call."""

from __future__ import annotations

import logging
import sys
from typing import IO, TYPE_CHECKING

from crawler import digest
from crawler.digest import ChannelReport, DigestConfig
from crawler.jobs.health import run_health
from crawler.storage.identity import check_instance

if TYPE_CHECKING:
    from datetime import datetime

    from crawler.config import Config

logger = logging.getLogger(__name__)


def run_digest(
    config: Config,
    *,
    tag: str | None = None,
    since: datetime | None = None,
    fmt: str | None = None,
    dry_run: bool = False,
    out: IO[str] = sys.stdout,
) -> list[ChannelReport]:
    """One digest over the configured channels (or to ``out`` when there are none); raises
    ValueError for a bad channel or an unknown tag."""
    return digest.run_digest(DigestConfig.of(config), tag=tag, since=since, fmt=fmt, dry_run=dry_run, out=out)


def scheduled_digest(config: Config) -> list[ChannelReport]:
    """The daemon's digest: on the daemon's own database, with every source's health current
    (the digest's header counts the healthy ones); each channel's outcome logged."""
    if config.database_instance:
        check_instance(config.database_url, config.database_instance)  # DatabaseGone: the job fails
    run_health(config)
    reports = run_digest(config)
    for report in reports:
        logger.info("digest: %s", report.line())
    return reports


def send_instant_alerts(config: Config, found_since: datetime) -> list[ChannelReport]:
    """Instant alerts (JAJAK_INSTANT_THRESHOLD) for the matches stored since ``found_since``;
    none when no threshold is set."""
    if config.instant_threshold is None:
        return []
    return digest.send_instant(DigestConfig.of(config), found_since=found_since)

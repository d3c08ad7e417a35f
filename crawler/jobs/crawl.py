"""The crawl job (crawl stage): sources crawled in a crawl engine child process (`jajak crawl`),
one source crawled on schedule (the daemon), and what follows a crawl: instant alerts for what
it stored and its source's health."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from crawler.added_sources import load_all
from crawler.fleet.queue import send_crawls
from crawler.jobs.digest import send_instant_alerts
from crawler.jobs.engines import CrawlResult, run_crawls
from crawler.jobs.health import run_health
from crawler.sources import get_source
from crawler.storage.identity import check_instance

if TYPE_CHECKING:
    from collections.abc import Sequence

    from crawler.config import Config
    from crawler.jobs.service import EngineService
    from crawler.sources import Source

logger = logging.getLogger(__name__)


def run_crawl(
    config: Config,
    sources: Sequence[Source],
    *,
    overrides: Sequence[str] = (),
    parallel: int | None = None,
    echo: bool = True,
    timeout: float | None = None,
    full: bool = False,
) -> list[CrawlResult]:
    """Crawl the sources once in one crawl engine, ``parallel`` at a time (default
    JAJAK_CRAWL_CONCURRENCY); ``echo`` shows their progress on stderr."""
    return run_crawls(
        sources,
        database_url=config.database_url,
        log_dir=config.log_dir,
        overrides=overrides,
        parallel=parallel or config.crawl_concurrency,
        echo=echo,
        timeout=timeout,
        full=full,
    )


def crawl_scheduled(config: Config, name: str, engine: EngineService | None = None) -> CrawlResult | None:
    """The daemon's crawl of one source: queued for the fleet's workers when there is a broker
    (None), else crawled in ``engine`` (the daemon's long-lived one) or a crawl engine of its
    own; then its instant alerts and health check. None, and nothing done, once ``engine`` is
    stopping."""
    if engine is not None and engine.stopping:
        # queued behind the running crawls when the daemon was told to stop: not started (the
        # source is overdue at the next start, which crawls it first)
        logger.info("crawl %s: not started, the daemon is stopping", name)
        return None
    source = get_source(load_all(config.sources_file, config.database_url), name)
    if config.broker_url:  # many machines: a worker crawls it (crawler/fleet)
        send_crawls(config.broker_url, config.broker_heartbeat, [source.name])
        return None
    started = datetime.now(UTC)
    if config.database_instance:
        check_instance(config.database_url, config.database_instance)  # DatabaseGone: the job fails
    if engine is not None:
        result = engine.crawl(source)
    else:
        [result] = run_crawls(
            [source],
            database_url=config.database_url,
            database_instance=config.database_instance,
            log_dir=config.log_dir,
            parallel=1,
            echo=False,
            timeout=config.crawl_timeout,
            max_memory_mb=config.crawl_max_memory_mb or None,
            overrides=config.crawl_overrides,
        )
    logger.info(
        "crawl %s: %s, %d pages, %d new, %d matches, %d errors, %.1f s%s",
        name, result.finish_reason, result.pages, result.new_articles, result.matches,
        result.errors, result.seconds, f" ({result.why}; log: {result.log})" if result.why else "",
    )
    after_crawl(config, [source.name], started)
    return result


def after_crawl(config: Config, names: Sequence[str], started: datetime) -> None:
    """What follows a scheduled crawl: instant alerts for what it stored since ``started``,
    then the health of its sources."""
    for report in send_instant_alerts(config, found_since=started):
        logger.info("instant alert: %s", report.line())
    run_health(config, names)

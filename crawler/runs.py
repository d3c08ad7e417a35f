"""One crawl_runs row per crawl, and progress lines while it runs (Scrapy extension).

The row is opened when the spider opens and finished with the crawl's counts and finish reason
when it closes; ``jajak crawl`` reads it back for its summary table.
"""

from __future__ import annotations

import logging
import os
import time
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals
from twisted.internet import task

from crawler import failures
from crawler.config import Config
from crawler.crawl_database import crawl_database
from crawler.memory import process_mb
from crawler.storage import ensure_source, finish_run, start_run

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)


def peak_memory_mb() -> float | None:
    """Peak resident memory of this crawl process, in MB."""
    return process_mb()


def crawl_counts(stats: dict[str, Any]) -> dict[str, int]:
    """The figures a crawl reports, from Scrapy's stats."""
    errors = sum(v for k, v in stats.items() if k.startswith("jajak/errors/") and isinstance(v, int))
    errors += int(stats.get("spider_exceptions/count", 0) or 0)
    return {
        "pages": int(stats.get("downloader/response_count", 0) or 0),
        "new_articles": int(stats.get("jajak/articles/new", 0) or 0),
        "matches": int(stats.get("jajak/articles/new_matches", 0) or 0),
        "errors": errors,
    }


_STATUS_COUNT = "downloader/response_status_count/"
# Why a crawl ended as it did, for the finish reasons that say nothing of the cause themselves.
_WHY = {
    "no_articles_listed": "no feed, sitemap, REST API or listing page listed an article",
    "shutdown": "stopped by a signal (SIGTERM/SIGINT)",
    "closespider_timeout": "stopped after CLOSESPIDER_TIMEOUT",
    "closespider_errorcount": "stopped after CLOSESPIDER_ERRORCOUNT errors",
    "closespider_pagecount": "stopped after CLOSESPIDER_PAGECOUNT pages",
    "closespider_itemcount": "stopped after CLOSESPIDER_ITEMCOUNT items",
    "memusage_exceeded": "stopped above MEMUSAGE_LIMIT_MB",
}


def nothing_listed(stats: dict[str, Any]) -> str:
    """The finish reason of a crawl that found no working channel: the site did not answer, or
    answered only with server errors (``unreachable``), its robots.txt forbids the home page
    (``robots_disallowed``), or it answered and lists nothing (``no_articles_listed``)."""
    statuses = [int(k[len(_STATUS_COUNT):]) for k, v in stats.items()
                if k.startswith(_STATUS_COUNT) and k[len(_STATUS_COUNT):].isdigit() and v]
    answered = any(status < 500 and status != 429 for status in statuses)
    if not answered:
        return "unreachable"
    if stats.get(failures.FAILURES + "robots"):
        return "robots_disallowed"
    return "no_articles_listed"


def failed_fetches(stats: dict[str, Any]) -> str | None:
    """"3 failed fetches (timeout 2, http_503 1), last: timeout after 30 s", or None."""
    kinds = sorted(((k.removeprefix(failures.FAILURES), v) for k, v in stats.items()
                    if k.startswith(failures.FAILURES) and isinstance(v, int) and v),
                   key=lambda kind: (-kind[1], kind[0]))
    if not kinds:
        return None
    total = sum(count for _, count in kinds)
    listed = ", ".join(f"{kind} {count}" for kind, count in kinds)
    return f"{total} failed fetch{'es' if total > 1 else ''} ({listed}), last: {stats.get(failures.LAST_FAILURE)}"


def _why(reason: str, stats: dict[str, Any]) -> str | None:
    """One line saying why a crawl did not simply finish (None when it did)."""
    if reason == "finished":
        return None
    if reason == "unreachable":
        return str(stats.get(failures.LAST_FAILURE) or "no answer from the site")
    if reason == "browser_missing":
        return str(stats.get("jajak/render/error") or "no browser")
    return str(_WHY.get(reason) or stats.get(failures.LAST_FAILURE) or reason)


class CrawlRunExtension:
    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.run_id: int | None = None
        # The spider's source name, kept with run_id: a Scrapy Spider has no `source` to type
        self.source_name = ""
        self.started = time.monotonic()
        self.progress: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = Config.of(crawler.settings)
        extension = cls(crawler, config.progress_interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.step_failed, signal=signals.spider_error)
        crawler.signals.connect(extension.step_failed, signal=signals.item_error)
        return extension

    def step_failed(self, failure: Failure, **_: Any) -> None:
        # A callback or a pipeline raised: Scrapy logs the traceback; the run keeps its last line.
        failures.record(self.stats, failure)

    @property
    def stats(self) -> StatsCollector:
        assert self.crawler.stats is not None
        return self.crawler.stats

    def spider_opened(self, spider: Spider) -> None:
        source = getattr(spider, "source", None)
        if source is None or getattr(spider, "probe_path", None):
            return
        with crawl_database(self.crawler).begin() as session:
            row = ensure_source(session, source.name, source.url)
            self.run_id = start_run(session, row.id, os.getpid())
        self.source_name = source.name
        self.stats.set_value("jajak/run_id", self.run_id)
        if self.interval > 0:
            self.progress = task.LoopingCall(self.log_progress, source.name)
            self.progress.start(self.interval, now=False)

    def log_progress(self, name: str) -> None:
        counts = crawl_counts(self.stats.get_stats())
        articles = self.stats.get_value("jajak/pages/article", 0)
        rendered = self.stats.get_value("jajak/render/pages")
        logger.info(
            "%s: %d pages fetched, %d articles read, %d new, %d new matches, %d errors (%.0f s)%s",
            name, counts["pages"], articles, counts["new_articles"], counts["matches"],
            counts["errors"], time.monotonic() - self.started,
            # Rendered crawls (crawler/rendering) also say what the browser cost.
            f"; {rendered} rendered, browser peak "
            f"{self.stats.get_value('jajak/render/browser_peak_mb', 0):.0f} MB" if rendered else "",
        )

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.progress is not None and self.progress.running:
            self.progress.stop()
        if self.run_id is None:
            return
        self.stats.set_value("jajak/memory/peak_mb", peak_memory_mb())
        # Complete: discovery ran to its end and every article asked for was stored.
        failed = sum(v for k, v in self.stats.get_stats().items()
                     if k.startswith("jajak/errors/") and k != "jajak/errors/discovery"
                     and isinstance(v, int))
        self.stats.set_value("jajak/crawl/complete", bool(
            reason == "finished" and self.stats.get_value("jajak/discovery/complete") and not failed))
        stats = self.stats.get_stats()
        counts = crawl_counts(stats)
        if reason == "finished" and self.stats.get_value("jajak/discovery/channel") is None:
            reason = nothing_listed(stats)
        why = _why(reason, stats)
        if why:
            self.stats.set_value(failures.WHY, why)
            stats = self.stats.get_stats()
            logger.warning("%s: crawl %s: %s", self.source_name, reason, why)
        elif lost := failed_fetches(stats):
            # Finished, but some pages could not be had: one line saying which faults and how many.
            self.stats.set_value(failures.FAILED, lost)
            stats = self.stats.get_stats()
            logger.warning("%s: crawl finished: %s", self.source_name, lost)
        with crawl_database(self.crawler).begin() as session:
            finish_run(
                session,
                self.run_id,
                finish_reason=reason,
                channel=self.stats.get_value("jajak/discovery/channel"),
                stats={k: v for k, v in stats.items() if isinstance(v, (int, float, str))},
                **counts,
            )
        self.log_progress(self.source_name)
        known = int(self.stats.get_value("jajak/articles/known", 0) or 0)
        if reason == "finished" and not counts["new_articles"] and known:
            # A repeated crawl (`scrapy crawl NAME -O out.jsonl` twice) exports nothing: say why.
            hint = "" if getattr(spider, "full_walk", False) else \
                "; -a full=1 (jajak crawl --full) walks the source again and fetches them all"
            logger.info("%s: nothing new since the last crawl (%d articles already stored%s)",
                        self.source_name, known, hint)

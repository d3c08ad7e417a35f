"""The generic spider (crawl stage): any source of seeds/sources.yaml, from its URL alone.

``scrapy crawl portal -a source=NAME``. Discovery (feeds, sitemaps, REST API, listings) runs in
``start()`` and yields one request per new article; the page's HTML goes into an ArticleItem and
the pipelines do the rest. ``-a probe=FILE`` only tries the channels and writes what works.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from scrapy import Request, Spider
from scrapy.exceptions import CloseSpider, IgnoreRequest
from scrapy.http import TextResponse

from crawler import failures
from crawler.added_sources import load_all
from crawler.config import Config, boolean
from crawler.crawl_database import crawl_database
from crawler.discovery.channels import Discovery
from crawler.discovery.urls import normalize_url
from crawler.httpcache import REVALIDATE_META
from crawler.items import ArticleItem
from crawler.pagetext import not_text
from crawler.rendering import RenderPlan, plan_for
from crawler.sources import Source, get_source
from crawler.storage import ensure_source, known_urls, previous_crawl_complete

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)


class PortalSpider(Spider):
    name = "portal"
    source_name: str | None = None  # named spiders (prolite, progres) set their source here
    # Set by from_crawler(), which has the crawler's settings and database that they need
    config: Config
    source: Source
    allowed_domains: list[str]
    max_pages: int | None
    render: RenderPlan

    def __init__(self, source: str | Source | None = None, probe: str | None = None, full: str | bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # The crawl engine passes the Source it has read (not its name): one read of the sources
        # file for all its crawls, not one per crawl.
        self.given_source = source if isinstance(source, Source) else None
        self.source_arg = source.name if isinstance(source, Source) else source or self.source_name
        self.probe_path = probe
        # -a full=1: walk every channel to its end and fetch every listed article again, stored or
        # not (a feed export then holds them all; the store keeps each article once).
        self.full_walk = boolean("-a full", full)
        self.discovery: Discovery | None = None
        self.scheduled = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if not spider.source_arg:
            raise ValueError("no source given: scrapy crawl portal -a source=NAME")
        spider.config = Config.of(crawler.settings)
        spider.source = spider.given_source or get_source(
            load_all(spider.config.sources_file, crawl_database(crawler)), spider.source_arg)
        spider.allowed_domains = list(spider.source.domains)
        limit = spider.source.max_pages or spider.config.max_pages
        spider.max_pages = limit or None
        # render: true/auto registers scrapy-playwright for this crawl only (crawler/rendering).
        spider.render = plan_for(crawler, spider.source)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        known, previous_complete = self._known_urls()
        await self._plan_rendering()
        self.discovery = Discovery(
            self.source,
            self._fetch,
            set() if self.full_walk else known,
            full=self.full_walk or not previous_complete,
            fetch_page=self._fetch_page,
            max_listing_pages=self.config.max_listing_pages,
            probe=bool(self.probe_path),
        )
        self.crawler.stats.set_value("jajak/source", self.source.name)
        self.crawler.stats.set_value("jajak/articles/known", len(known))
        complete = True
        async for candidate in self.discovery.candidates():
            if self.max_pages and self.scheduled >= self.max_pages:
                logger.info("%s: max_pages=%d reached", self.source.name, self.max_pages)
                complete = False
                break
            if self.render.probe and self.scheduled == 0:
                # render: auto decides for article pages on the first article found.
                await self.render.decide_articles(
                    candidate.url, self.source.timezone, self._fetch_as
                )
                self.render.record(self.crawler.stats, decided=self.render.probe)
            self.scheduled += 1
            self.crawler.stats.inc_value(f"jajak/discovery/{candidate.via}")
            yield Request(
                candidate.url,
                callback=self.parse_article,
                errback=self.article_failed,
                meta={
                    "jajak_via": candidate.via,
                    "jajak_listed": candidate.listed,
                    **self.render.meta(self.render.articles),
                },
            )
        # Complete: every listed article was asked for. The next crawl may then trust the feed
        # to cover what is new; after an incomplete one (cut, killed) it walks everything again.
        self.crawler.stats.set_value("jajak/discovery/complete", complete)
        self.crawler.stats.set_value("jajak/discovery/full", self.discovery.first_run)
        self.crawler.stats.set_value("jajak/discovery/channel", self.discovery.channel)
        self.crawler.stats.set_value("jajak/discovery/scheduled", self.scheduled)
        if self.probe_path:
            reports = {name: asdict(r) for name, r in self.discovery.reports.items()}
            reports["home"] = {
                "ok": self.discovery.home is not None,
                "why": self.crawler.stats.get_value(failures.LAST_FAILURE),  # a site that is down
            }
            Path(self.probe_path).write_text(json.dumps(reports, indent=2), encoding="utf-8")

    def _known_urls(self) -> tuple[set[str], bool]:
        """The URLs we have for this source, and whether its previous crawl was complete."""
        with crawl_database(self.crawler).begin() as session:
            row = ensure_source(session, self.source.name, self.source.url)
            hours = self.config.full_walk_hours
            within = timedelta(hours=hours) if hours > 0 else None
            return known_urls(session, row.id), previous_crawl_complete(session, row.id, os.getpid(), within)

    async def _plan_rendering(self) -> None:
        """Stop with one clear error when rendering needs a browser that is missing; for
        render: auto without a remembered decision, decide for listings now."""
        render: RenderPlan = self.render
        if render.error:
            logger.error("%s", render.error)
            self.crawler.stats.set_value("jajak/render/error", render.error)
            raise CloseSpider("browser_missing")
        if render.probe:
            await render.decide(self.source, self._fetch_as)
            logger.info("%s: render: auto: listings %s", self.source.name,
                        "need JavaScript" if render.listings else "are plain HTML")
        # A remembered decision is carried into this run's stats (one crawl older); a new one is
        # recorded once the first article has been checked too.
        render.record(self.crawler.stats, decided=not render.probe)

    async def _fetch_page(self, url: str) -> Response | None:
        """An HTML discovery page (home, section, index), rendered when the plan says so."""
        return await self._fetch_as(url, self.render.listings)

    async def _fetch_as(self, url: str, render: bool) -> Response | None:
        return await self._fetch(url, render=render)

    async def _fetch(self, url: str, render: bool = False) -> Response | None:
        """A discovery document (feed, sitemap, listing), revalidated through the HTTP cache;
        None when it cannot be had (robots.txt, offsite, network error, non-200 answer)."""
        # A rendered page is never revalidated: its HTML shell stays the same while the
        # articles its scripts load change, so a 304 for the shell would hide new articles.
        meta = self.render.meta(True) if render else {REVALIDATE_META: True}
        request = Request(url, meta=meta, priority=10)
        try:
            response = await self.crawler.engine.download_async(request)
        except IgnoreRequest as err:
            # robots.txt refusals and offsite redirects: say so once, a moved portal is news.
            level = logging.WARNING if url == self.source.url else logging.DEBUG
            logger.log(level, "%s: %s not fetched: %s", self.source.name, url, err)
            self.crawler.stats.inc_value("jajak/discovery/refused")
            if url == self.source.url:
                failures.record(self.crawler.stats, err, url)
            return None
        # Network failures come as many Twisted and OS types; each is only "this URL failed"
        # here, counted, and discovery falls back to the next channel.
        except Exception as err:  # noqa: BLE001
            logger.info("%s: cannot fetch %s: %s", self.source.name, url, err)
            self.crawler.stats.inc_value("jajak/errors/discovery")
            failures.record(self.crawler.stats, err, url)
            return None
        if response.status != 200:
            logger.debug("%s: %s answered %d", self.source.name, url, response.status)
            if response.status >= 500 or response.status == 429:
                # Server trouble (not a missing feed): the reason if no channel answers at all.
                failures.note(self.crawler.stats, *failures.status_line(response.status, url))
            return None
        return response

    def parse_article(self, response: Response) -> Iterator[ArticleItem]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("jajak/pages/not_html")
            logger.info("%s: not an HTML page, dropped: %s", self.source_arg, response.url)
            return
        reason = not_text(response.text)
        if reason is not None:
            # Not remembered as seen: a page that is fixed later is still found.
            self.crawler.stats.inc_value(f"jajak/dropped/not_text/{reason}")
            logger.info("%s: not a text page (%s), dropped: %s", self.source.name, reason, response.url)
            return
        # The URL discovery asked for (before redirects) is what the next crawl will see again.
        requested = response.meta.get("redirect_urls", [response.url])[0]
        yield ArticleItem(
            source=self.source.name,
            fetched_url=normalize_url(requested),
            html=response.text,
            fetched_at=datetime.now(UTC),
            discovered_via=response.meta.get("jajak_via", "hint"),
            listed=response.meta.get("jajak_listed"),
            timezone=self.source.timezone,
            url=response.url,
        )

    def article_failed(self, failure: Failure) -> None:
        # Not stored, so not "seen": the next crawl asks for this article again.
        self.crawler.stats.inc_value("jajak/errors/article")
        request = getattr(failure, "request", None)
        why = failures.record(self.crawler.stats, failure, request.url if request is not None else None)
        logger.info("%s: article failed: %s (%s)", self.source.name, why, failure.getErrorMessage())

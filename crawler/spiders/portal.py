"""The generic spider (crawl stage): any source of seeds/sources.yaml, from its URL alone.

``scrapy crawl portal -a source=NAME``. Discovery (feeds, sitemaps, REST API, listings) runs in
``start()`` and yields one request per new article; the page's HTML goes into an ArticleItem and
the pipelines do the rest. ``-a probe=FILE`` only tries the channels and writes what works.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse

from crawler.discovery.channels import Discovery
from crawler.discovery.urls import normalize_url
from crawler.httpcache import REVALIDATE_META
from crawler.items import ArticleItem
from crawler.sources import get_source, load_sources
from crawler.storage import ensure_source, known_urls, open_database

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)


class PortalSpider(Spider):
    name = "portal"
    source_name: str | None = None  # named spiders (prolite, progres) set their source here

    def __init__(self, source: str | None = None, probe: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source_arg = source or self.source_name
        self.probe_path = probe
        self.discovery: Discovery | None = None
        self.scheduled = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if not spider.source_arg:
            raise ValueError("no source given: scrapy crawl portal -a source=NAME")
        sources = load_sources(crawler.settings["JAJAK_SOURCES"])
        spider.source = get_source(sources, spider.source_arg)
        spider.allowed_domains = list(spider.source.domains)
        limit = spider.source.max_pages or crawler.settings.getint("JAJAK_MAX_PAGES")
        spider.max_pages = limit or None
        return spider

    async def start(self) -> AsyncIterator[Request]:
        known = self._known_urls()
        self.discovery = Discovery(
            self.source,
            self._fetch,
            known,
            max_listing_pages=self.settings.getint("JAJAK_MAX_LISTING_PAGES"),
            probe=bool(self.probe_path),
        )
        self.crawler.stats.set_value("jajak/source", self.source.name)
        self.crawler.stats.set_value("jajak/articles/known", len(known))
        async for candidate in self.discovery.candidates():
            if self.max_pages and self.scheduled >= self.max_pages:
                logger.info("%s: max_pages=%d reached", self.source.name, self.max_pages)
                break
            self.scheduled += 1
            self.crawler.stats.inc_value(f"jajak/discovery/{candidate.via}")
            yield Request(
                candidate.url,
                callback=self.parse_article,
                errback=self.article_failed,
                meta={"jajak_via": candidate.via, "jajak_listed": candidate.listed},
            )
        self.crawler.stats.set_value("jajak/discovery/channel", self.discovery.channel)
        self.crawler.stats.set_value("jajak/discovery/scheduled", self.scheduled)
        if self.probe_path:
            reports = {name: asdict(r) for name, r in self.discovery.reports.items()}
            reports["home"] = {"ok": self.discovery.home is not None}
            Path(self.probe_path).write_text(json.dumps(reports, indent=2), encoding="utf-8")

    def _known_urls(self) -> set[str]:
        sessions = open_database(self.settings["JAJAK_DATABASE_URL"])
        with sessions.begin() as session:
            row = ensure_source(session, self.source.name, self.source.url)
            return known_urls(session, row.id)

    async def _fetch(self, url: str) -> Response | None:
        """A discovery document (feed, sitemap, listing), revalidated through the HTTP cache;
        None when it cannot be had (robots.txt, offsite, network error, non-200 answer)."""
        request = Request(url, meta={REVALIDATE_META: True}, priority=10)
        try:
            response = await self.crawler.engine.download_async(request)
        except IgnoreRequest as err:
            # robots.txt refusals and offsite redirects: say so once, a moved portal is news.
            level = logging.WARNING if url == self.source.url else logging.DEBUG
            logger.log(level, "%s: %s not fetched: %s", self.source.name, url, err)
            self.crawler.stats.inc_value("jajak/discovery/refused")
            return None
        # Network failures come as many Twisted and OS types; each is only "this URL failed"
        # here, counted, and discovery falls back to the next channel.
        except Exception as err:  # noqa: BLE001
            logger.info("%s: cannot fetch %s: %s", self.source.name, url, err)
            self.crawler.stats.inc_value("jajak/errors/discovery")
            return None
        if response.status != 200:
            logger.debug("%s: %s answered %d", self.source.name, url, response.status)
            return None
        return response

    def parse_article(self, response: Response) -> Iterator[ArticleItem]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("jajak/pages/not_html")
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
        logger.info("%s: article failed: %s", self.source.name, failure.getErrorMessage())

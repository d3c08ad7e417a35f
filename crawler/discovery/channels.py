"""The discovery plan: which channel of a portal lists its new articles, cheapest first.

Order: the feed (one request), sitemaps, the WordPress REST API, then listing pages. A channel
"works" when it reaches back to an article we already have (so nothing new was missed) or, on a
first crawl, when it lists the whole portal. Walks go newest first and stop at the first page
that holds nothing new, so a second crawl costs a few requests plus one per new article.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from crawler.discovery.feeds import feed_links, parse_feed
from crawler.discovery.listings import listing_links, next_listing_page
from crawler.discovery.sitemaps import is_post_sitemap, parse_sitemap, sitemaps_from_robots
from crawler.discovery.urls import (
    in_domains,
    is_listing_url,
    looks_like_article,
    normalize_url,
)
from crawler.discovery.wpapi import WP_POSTS_PATH, parse_wp_posts

if TYPE_CHECKING:
    from scrapy.http import Response

    from crawler.sources import Source

logger = logging.getLogger(__name__)

Fetch = Callable[[str], Awaitable["Response | None"]]
CHANNELS = ("feed", "sitemap", "api", "listing")
PROBE_ENOUGH = 5
PROBE_SAMPLES = 3
_SECTION_HINT = re.compile(r"(indeks|index|terbaru|terkini|berita|news|arsip|archive)", re.I)


@dataclass(frozen=True)
class Candidate:
    """An article URL found by discovery, with the channel that found it."""

    url: str
    via: str
    listed: str | None = None  # date the channel gave (feed published, sitemap lastmod)


@dataclass
class ChannelReport:
    """What one channel gave during a crawl or a probe."""

    name: str
    tried: list[str]
    found: int = 0
    new: int = 0
    error: str | None = None
    # A probe's first article URLs: the web app's add-by-URL shows them as they would be stored.
    samples: list[str] = field(default_factory=list)


class Discovery:
    """Walks a source's channels through ``fetch`` and yields new article candidates."""

    def __init__(
        self,
        source: Source,
        fetch: Fetch,
        known: set[str],
        *,
        max_listing_pages: int = 200,
        probe: bool = False,
        fetch_page: Fetch | None = None,
        full: bool = False,
    ) -> None:
        self.source = source
        self.fetch = fetch
        # HTML pages (home, sections, index pages) may need a browser (render: true/auto);
        # feeds, sitemaps and REST answers never do.
        self.fetch_page = fetch_page or fetch
        self.known = known
        # A full walk reads every page of a channel instead of stopping at the first page with
        # nothing new: on a first crawl, and after one that did not complete.
        self.first_run = full or not known
        self.max_listing_pages = max_listing_pages
        self.probe = probe  # probe: try every channel, do not stop at the first that works
        self.domains = source.domains
        self.root = f"{urlsplit(source.url).scheme}://{urlsplit(source.url).netloc}/"
        self.reports: dict[str, ChannelReport] = {}
        self.used: list[str] = []  # the channels that fed this crawl
        self.home: Response | None = None
        self._yielded: set[str] = set()

    # -- the plan -----------------------------------------------------------------------------

    async def candidates(self) -> AsyncIterator[Candidate]:
        self.home = await self.fetch_page(self.source.url)
        for name, walk in (
            ("feed", self._feeds),
            ("sitemap", self._sitemaps),
            ("api", self._wp_api),
            ("listing", self._listings),
        ):
            report = self.reports[name] = ChannelReport(name, [])
            reached_known = False
            async for candidate, known in walk(report):
                report.found += 1
                reached_known = reached_known or known
                if self.probe:
                    if len(report.samples) < PROBE_SAMPLES:
                        report.samples.append(candidate.url)
                    if report.found >= PROBE_ENOUGH:
                        break  # a probe only asks whether the channel works
                    continue
                if known or candidate.url in self._yielded:
                    continue
                report.new += 1
                self._yielded.add(candidate.url)
                if name not in self.used:  # a crawl cut short (max_pages) still names its channel
                    self.used.append(name)
                yield candidate
            if self.probe or not report.found:
                continue
            if name not in self.used:
                self.used.append(name)
            # The feed is complete only when it reaches back to an article we have (and the
            # previous crawl left no gap behind that article); a sitemap,
            # the REST API or the listings are walked to their end (or to known ground).
            if name != "feed" or (reached_known and not self.first_run):
                return
        if not self.probe and not self.used:
            logger.warning("%s: no channel listed any article", self.source.name)

    @property
    def channel(self) -> str | None:
        """The channels that fed this crawl, e.g. "feed" or "feed+sitemap"."""
        return "+".join(self.used) or None

    def _mark(self, url: str, listed: str | None, via: str) -> tuple[Candidate, bool] | None:
        """A candidate and whether we already have it; None for links that are not articles."""
        url = normalize_url(url)
        if not in_domains(url, self.domains) or not looks_like_article(url):
            return None
        return Candidate(url, via, listed), url in self.known

    # -- channels -------------------------------------------------------------------------------

    async def _feeds(self, report: ChannelReport) -> AsyncIterator[tuple[Candidate, bool]]:
        urls = list(self.source.feeds)
        if self.home is not None:
            urls += feed_links(self.home.body, self.home.url)
        urls.append(urljoin(self.source.url, "feed/"))
        for url in _unique(urls):
            if not in_domains(url, self.domains):
                continue
            report.tried.append(url)
            response = await self.fetch(url)
            entries = parse_feed(response.body) if response is not None else []
            for link, published in entries:
                marked = self._mark(link, published, "feed")
                if marked:
                    yield marked
            # One working site feed is enough unless the source names its feeds itself.
            if entries and not self.source.feeds:
                return

    async def _sitemaps(self, report: ChannelReport) -> AsyncIterator[tuple[Candidate, bool]]:
        urls = list(self.source.sitemaps)
        robots = await self.fetch(urljoin(self.root, "robots.txt"))
        if robots is not None:
            urls += sitemaps_from_robots(robots.body, self.root)
        if not urls:
            urls = [urljoin(self.root, p) for p in ("wp-sitemap.xml", "sitemap_index.xml", "sitemap.xml")]
        for url in _unique(urls):
            report.tried.append(url)
            found = False
            async for marked in self._walk_sitemap(url, depth=0):
                found = True
                yield marked
            if found and not self.source.sitemaps:
                return

    async def _walk_sitemap(self, url: str, depth: int) -> AsyncIterator[tuple[Candidate, bool]]:
        response = await self.fetch(url)
        if response is None or depth > 3:
            return
        result = parse_sitemap(response.body)
        children = [c for c in result.sitemaps if is_post_sitemap(c[0])]
        for child, _ in _newest_first(children):
            any_new = False
            async for found in self._walk_sitemap(child, depth + 1):
                any_new = any_new or not found[1]
                yield found
            # Children are walked newest first: one with nothing new means the rest are old too.
            if not any_new and not self.first_run and not self.probe:
                return
        for loc, lastmod in _newest_first(result.urls):
            marked = self._mark(loc, lastmod, "sitemap")
            if marked:
                yield marked

    async def _wp_api(self, report: ChannelReport) -> AsyncIterator[tuple[Candidate, bool]]:
        base = self._api_root()
        for page in range(1, 10_000):
            url = urljoin(base, WP_POSTS_PATH.format(page=page))
            report.tried.append(url)
            response = await self.fetch(url)
            posts = parse_wp_posts(response.body) if response is not None else None
            if not posts:
                return
            any_new = False
            for link, date in posts:
                marked = self._mark(link, date, "api")
                if marked:
                    any_new = any_new or not marked[1]
                    yield marked
            total = response.headers.get(b"X-WP-TotalPages") if response is not None else None
            if (total and page >= int(total)) or (not any_new and not self.first_run):
                return

    def _api_root(self) -> str:
        # WordPress announces its REST root: <link rel="https://api.w.org/" href=".../wp-json/">.
        if self.home is not None:
            for href in self.home.xpath("//link[@rel='https://api.w.org/']/@href").getall():
                if in_domains(href, self.domains):
                    return href if href.endswith("/") else href + "/"
        return self.root.rstrip("/") + "/"

    async def _listings(self, report: ChannelReport) -> AsyncIterator[tuple[Candidate, bool]]:
        starts = list(self.source.listings)
        if self.home is not None:
            starts.append(self.home.url)
            starts += self._section_pages()
        for start in _unique(starts):
            url: str | None = start
            for _ in range(self.max_listing_pages):
                if url is None:
                    break
                report.tried.append(url)
                response = (
                    self.home
                    if self.home is not None and url == self.home.url
                    else await self.fetch_page(url)
                )
                if response is None:
                    break
                any_new = False
                for link in listing_links(response.body, response.url, self.domains):
                    marked = self._mark(link, None, "listing")
                    if marked:
                        any_new = any_new or not marked[1]
                        yield marked
                if not any_new and not self.first_run and not self.probe:
                    break
                url = next_listing_page(response.body, response.url, self.domains)

    def _section_pages(self, limit: int = 40) -> list[str]:
        """Index and section pages linked from the home page (menus first), for portals with
        neither feed nor sitemap: the index ("indeks", "terbaru") before the sections."""
        assert self.home is not None
        try:
            doc = lxml_html.fromstring(self.home.body)
        except (ValueError, lxml_html.etree.ParserError):
            return []
        pages: list[str] = []
        for anchor in doc.iter("a"):
            href = anchor.get("href")
            if not href:
                continue
            url = normalize_url(urljoin(self.home.url, href))
            path = urlsplit(url).path.strip("/")
            if (
                not in_domains(url, self.domains)
                or looks_like_article(url)
                or not path
                or path.count("/") > 2
                or url in pages
                or not (is_listing_url(url) or len(path.split("-")) <= 3)
                or re.search(r"/(page|halaman)/\d+", url)
            ):
                continue
            pages.append(url)
        pages.sort(key=lambda u: not _SECTION_HINT.search(urlsplit(u).path))
        return pages[:limit]


def _unique(urls: list[str]) -> list[str]:
    seen: set[str] = set()
    return [u for u in urls if not (u in seen or seen.add(u))]  # type: ignore[func-returns-value]


def _newest_first(entries: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Dated entries newest first; undated ones keep their order, numbered sitemaps
    (post-sitemap3.xml) highest number first, since the highest holds the newest posts."""
    if entries and all(date for _, date in entries):
        return sorted(entries, key=lambda e: e[1] or "", reverse=True)

    def number(entry: tuple[str, str | None]) -> int:
        found = re.findall(r"(\d+)(?=\D*$)", entry[0].rsplit("/", 1)[-1])
        return int(found[-1]) if found else 0

    if len(entries) > 1 and len({number(e) for e in entries}) == len(entries):
        return sorted(entries, key=number, reverse=True)
    return entries

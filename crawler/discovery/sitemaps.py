"""Sitemaps: robots.txt ``Sitemap:`` lines, sitemap indexes, URL sets and news sitemaps."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots

# Child sitemaps of an index that never list articles (WordPress core, Yoast, Rank Math, AIOSEO).
_NON_POST_SITEMAP = re.compile(
    r"(page|category|categories|tag|taxonom|user|author|attachment|media|image|video|"
    r"product|portfolio|web-?story|local|kategori|penulis|topik|label)[-_]?(sitemap|\d|\.xml|$)"
    r"|sitemap[-_](page|category|tag|taxonom|user|author|attachment|image|video)",
    re.I,
)


MAX_UNZIPPED = 50 * 1024 * 1024  # the sitemap protocol's own limit for one file


@dataclass
class SitemapResult:
    """What one sitemap document holds: child sitemaps (for an index) or article URLs."""

    sitemaps: list[tuple[str, str | None]] = field(default_factory=list)  # (url, lastmod)
    urls: list[tuple[str, str | None]] = field(default_factory=list)  # (url, lastmod or news date)

    @property
    def empty(self) -> bool:
        return not self.sitemaps and not self.urls


def sitemaps_from_robots(body: bytes | str, base_url: str) -> list[str]:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return list(sitemap_urls_from_robots(data, base_url=base_url))


def is_post_sitemap(url: str) -> bool:
    """False for the child sitemaps of pages, taxonomies, authors and media."""
    name = url.rsplit("/", 1)[-1].split("?")[0]
    return not _NON_POST_SITEMAP.search(name)


def parse_sitemap(body: bytes) -> SitemapResult:
    """Read a sitemap (plain or gzipped). A document that is not a sitemap gives an empty result."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body, max_size=MAX_UNZIPPED)
        # ValueError: a gzip bomb, larger than MAX_UNZIPPED once unpacked
        except (OSError, ValueError):
            return SitemapResult()
    if b"<" not in body[:512]:
        return SitemapResult()
    try:
        sitemap = Sitemap(body)
    # StopIteration: an HTML page where a sitemap was expected (WordPress with plain permalinks
    # answers /wp-sitemap.xml with its home page), which lxml's XML iterator finds no root in.
    except (ValueError, SyntaxError, StopIteration):
        return SitemapResult()
    result = SitemapResult()
    for entry in sitemap:
        loc = entry.get("loc")
        if not loc:
            continue
        # Google News sitemaps carry the publication date in news:news/news:publication_date.
        news = entry.get("news")
        date = entry.get("lastmod")
        if isinstance(news, dict):
            date = news.get("publication_date") or date
        if sitemap.type == "sitemapindex":
            result.sitemaps.append((loc, date))
        elif sitemap.type == "urlset":
            result.urls.append((loc, date))
    return result

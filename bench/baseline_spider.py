"""The yardstick: a do-nothing Scrapy spider that fetches the same article pages as jajak.

It reads the portal's sitemaps and requests every URL they list, and its callback does nothing.
Run by bench/crawl.py with `scrapy runspider`.
"""

from __future__ import annotations

from scrapy.spiders import SitemapSpider


class BaselineSpider(SitemapSpider):
    name = "baseline"
    sitemap_follow = [r"posts-post"]

    def __init__(self, url: str = "", **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.sitemap_urls = [url.rstrip("/") + "/wp-sitemap.xml"]

    def parse(self, response):  # noqa: ANN001, ANN201 - the point is to do nothing
        self.pages = getattr(self, "pages", 0) + 1

    def closed(self, reason: str) -> None:
        from crawler.runs import peak_memory_mb

        print(f"BASELINE pages={getattr(self, 'pages', 0)} peak_mb={peak_memory_mb()}", flush=True)

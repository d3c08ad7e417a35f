"""Named spiders for the seed portals: `scrapy crawl prolite` is `scrapy crawl portal -a source=prolite`."""

from __future__ import annotations

from crawler.spiders.portal import PortalSpider


class ProliteSpider(PortalSpider):
    name = "prolite"
    source_name = "prolite"


class ProgresSpider(PortalSpider):
    name = "progres"
    source_name = "progres"

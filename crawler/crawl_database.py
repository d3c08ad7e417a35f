"""The database of a crawl (store stage): one Database that a crawl's spider, pipelines, run
extension and rendering plan share, so a crawl opens one engine and checks the schema once.

The crawl engine opens one for all the crawls it runs and gives it to each (`share`), as it gives
them its worker pool (crawler.workers); a crawl started any other way (`scrapy crawl`, a test's
crawler) opens its own at its first use and closes it when its engine stops.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy import signals

from crawler.config import Config
from crawler.storage import Database

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

_ATTRIBUTE = "jajak_database"  # where a crawler carries the database it was given


def share(crawler: Crawler, database: Database) -> None:
    """Give this database to a crawl before it starts; whoever opened it closes it."""
    setattr(crawler, _ATTRIBUTE, database)


def crawl_database(crawler: Crawler) -> Database:
    """The database this crawl was given, else one of its own, opened now."""
    database: Database | None = getattr(crawler, _ATTRIBUTE, None)
    if database is None:
        database = Database(Config.of(crawler.settings).database_url)
        share(crawler, database)
        crawler.signals.connect(database.close, signal=signals.engine_stopped)
    return database

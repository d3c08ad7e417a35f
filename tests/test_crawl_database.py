"""The database of a crawl: one Database per opener, no process-wide cache; a crawl's components
share the one their crawl engine gave them, else one of the crawl's own, closed with it."""

from __future__ import annotations

from types import SimpleNamespace

from scrapy import signals
from scrapy.utils.test import get_crawler

from crawler.crawl_database import crawl_database, share
from crawler.pipelines import StorePipeline
from crawler.sources import Source
from crawler.storage import Database, ensure_source


def test_each_opener_owns_its_database_and_closing_one_leaves_the_other(tmp_path):
    url = f"sqlite:///{tmp_path / 'j.db'}"
    with Database(url) as first:
        second = Database(url)
        with second.begin() as session:
            ensure_source(session, "a", "https://a.example/")
        first.close()
        with first.begin() as session:  # closed: its connections, not the database
            assert ensure_source(session, "a", "https://a.example/").id == 1

    assert first.engine is not second.engine
    assert second.engine.pool.checkedin() == 1  # still open, until its owner closes it
    second.close()


def test_a_crawl_uses_the_database_its_engine_gave_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'j.db'}"
    crawler = get_crawler(settings_dict={"JAJAK_DATABASE_URL": url})
    with Database(url) as database:
        share(crawler, database)
        store = StorePipeline.from_crawler(crawler)
        crawler.spider = SimpleNamespace(source=Source(name="a", url="https://a.example/"))  # what the store reads

        store.open_spider()

        assert crawl_database(crawler) is database and store.sessions is database.sessions


def test_a_crawl_given_none_opens_one_for_all_its_components_and_closes_it_when_it_stops(tmp_path):
    crawler = get_crawler(settings_dict={"JAJAK_DATABASE_URL": f"sqlite:///{tmp_path / 'j.db'}"})

    database = crawl_database(crawler)
    with database.begin() as session:
        ensure_source(session, "a", "https://a.example/")
    assert crawl_database(crawler) is database and database.engine.pool.checkedin() == 1

    crawler.signals.send_catch_log(signals.engine_stopped)

    assert database.engine.pool.checkedin() == 0

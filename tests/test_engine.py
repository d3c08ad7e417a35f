"""The crawl engine (crawler/engine.py): many source crawls in one process, each with its own run
record and stats; a crawl that raises stops no other; the crawl lock still holds; the log lines
of each crawl reach its own log file; a 304 does not rewrite a cached document's body."""

from __future__ import annotations

import logging
import sys

import pytest
from scrapy import Spider
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler
from sqlalchemy import select

from crawler.engine import _SOURCE, CrawlEvent, _SourceTagFormatter
from crawler.httpcache import RevalidatedCacheStorage
from crawler.jobs.engines import _Relay
from crawler.storage import CrawlRun, SourceRow, ensure_source, list_articles, open_database
from crawler.storage.locks import SourceLock

# --- components -----------------------------------------------------------------------------------


def test_every_line_of_a_record_names_its_source():
    formatter = _SourceTagFormatter("%(levelname)s %(name)s: %(message)s")
    spider = Spider(name="portal")
    spider.source_arg = "kabarbandung"
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord("scrapy.core.scraper", logging.ERROR, __file__, 1, "failed", None,
                                   sys.exc_info())
    record.spider = spider

    lines = formatter.format(record).splitlines()

    assert lines[0] == "kabarbandung\tERROR scrapy.core.scraper: failed"
    assert len(lines) > 2 and all(line.startswith("kabarbandung\t") for line in lines)
    assert lines[-1] == "kabarbandung\tRuntimeError: boom"


def test_a_record_without_a_spider_names_the_crawl_it_was_logged_in():
    formatter = _SourceTagFormatter("%(message)s")
    record = logging.LogRecord("crawler.runs", logging.INFO, __file__, 1, "progress", None, None)
    assert formatter.format(record) == "\tprogress"  # the engine's own
    token = _SOURCE.set("kabarmedan")
    try:
        assert formatter.format(record) == "kabarmedan\tprogress"
    finally:
        _SOURCE.reset(token)


def test_crawl_events_survive_the_pipe():
    event = CrawlEvent("kabarbandung", 1, 7, 2.5, "RuntimeError: boom")
    assert CrawlEvent.parse(event.line()) == event
    assert CrawlEvent.parse(CrawlEvent("kabarbandung").line()).exit_code is None  # started
    assert CrawlEvent.parse("not json") is None
    assert CrawlEvent.parse('["a list"]') is None


def test_the_relay_writes_each_crawls_lines_to_its_own_log_and_shows_one_failed_fetch(tmp_path, capsys):
    relay = _Relay(tmp_path, echo=True)
    lines = [
        "a\t2026-12-05 10:00:00 INFO scrapy.core.engine: Spider opened\n",
        "b\t2026-12-05 10:00:00 INFO crawler.spiders.portal: b: cannot fetch http://b/1: timeout\n",
        "b\t2026-12-05 10:00:01 INFO crawler.spiders.portal: b: cannot fetch http://b/2: timeout\n",
        "\t2026-12-05 10:00:01 INFO crawler.engine: stopping\n",
        "a\t2026-12-05 10:00:02 INFO crawler.runs: a: 3 pages fetched\n",
        "b\t2026-12-05 10:00:02 INFO crawler.runs: b: 2 pages fetched\n",
        "a\tTraceback (most recent call last):\n",
    ]

    relay.run(iter(lines))

    assert (tmp_path / "crawl-a.log").read_text().splitlines() == [
        "2026-12-05 10:00:00 INFO scrapy.core.engine: Spider opened",
        "2026-12-05 10:00:02 INFO crawler.runs: a: 3 pages fetched",
        "Traceback (most recent call last):",
    ]
    assert len((tmp_path / "crawl-b.log").read_text().splitlines()) == 3
    assert "crawler.engine: stopping" in (tmp_path / "engine.log").read_text()
    shown = capsys.readouterr().err.splitlines()
    assert shown == [
        "[b] INFO crawler.spiders.portal: b: cannot fetch http://b/1: timeout",
        "[engine] INFO crawler.engine: stopping",
        "[a] INFO crawler.runs: a: 3 pages fetched",
        f"[b] ... and 1 more pages that could not be fetched (see {tmp_path / 'crawl-b.log'})",
        "[b] INFO crawler.runs: b: 2 pages fetched",
    ]


def test_a_304_keeps_the_stored_body_and_freshens_the_headers(tmp_path):
    crawler = get_crawler(Spider, settings_dict={"HTTPCACHE_DIR": str(tmp_path), "HTTPCACHE_GZIP": True})
    crawler.spider = spider = Spider.from_crawler(crawler, name="portal")
    storage = RevalidatedCacheStorage(crawler.settings)  # as HttpCacheMiddleware builds it
    storage.open_spider(spider)
    request = Request("http://kabar.example/feed/")
    feed = b"<rss>" + b"<item>berita</item>" * 500 + b"</rss>"
    storage.store_response(spider, request, HtmlResponse(request.url, body=feed, headers={"ETag": '"v1"'}))
    body_file = next(tmp_path.rglob("response_body"))
    written = body_file.stat().st_mtime_ns

    cached = storage.retrieve_response(spider, request)
    cached.flags.append("cached")  # as HttpCacheMiddleware marks it
    cached.headers["Date"] = "Sat, 05 Dec 2026 10:00:00 GMT"  # freshened from the 304
    storage.store_response(spider, request, cached)

    again = storage.retrieve_response(spider, request)
    assert again.body == feed and again.headers["ETag"] == b'"v1"'
    assert again.headers["Date"] == b"Sat, 05 Dec 2026 10:00:00 GMT"
    assert body_file.stat().st_mtime_ns == written
    # A changed document (a 200, not flagged as cached) is stored whole.
    storage.store_response(spider, request, HtmlResponse(request.url, body=b"<rss/>"))
    assert storage.retrieve_response(spider, request).body == b"<rss/>"


# --- the engine process -------------------------------------------------------------------------

BOOM = '''
class BoomExtension:
    """Fails the crawl of the source "boom" before it starts, as a broken component would."""

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.spider.source.name == "boom":
            raise RuntimeError("boom: this crawl cannot start")
        return cls()
'''


def runs_by_source(database_url: str) -> dict[str, list[CrawlRun]]:
    with open_database(database_url)() as session:
        names = dict(session.execute(select(SourceRow.id, SourceRow.name)).all())
        runs: dict[str, list[CrawlRun]] = {}
        for run in session.scalars(select(CrawlRun).order_by(CrawlRun.id)):
            runs.setdefault(names[run.source_id], []).append(run)
        return runs


@pytest.mark.e2e
def test_one_engine_process_crawls_several_sources_each_with_its_own_run_and_stats(portal, crawl_env,
                                                                                   demo_articles):
    servers = {"satu": portal("wp-magazine"), "dua": portal("wp-news"), "tiga": portal("numeric")}
    for name, server in servers.items():
        crawl_env.add_source(name, server.url + "/")

    done = crawl_env.jajak("crawl", "--parallel", "2")

    assert done.returncode == 0, done.stderr[-3000:]
    runs = runs_by_source(crawl_env.database_url)
    assert sorted(runs) == sorted(servers)
    assert len({run.pid for crawls in runs.values() for run in crawls}) == 1  # one engine process
    for name, server in servers.items():
        (run,) = runs[name]
        assert run.finish_reason == "finished" and run.new_articles == len(demo_articles)
        assert run.stats["jajak/source"] == name
        assert run.stats.get("jajak/memory/workers", 0) <= 2  # one pool for the engine's crawls
        # Its own stats: the requests it counted are those its portal saw, no other crawl's.
        assert run.stats["downloader/request_count"] == len(server.requests)
        assert (crawl_env.home / "var" / "logs" / f"crawl-{name}.log").read_text().count("Spider opened") == 1
    with open_database(crawl_env.database_url)() as session:
        assert len(list_articles(session)) == 3 * len(demo_articles)


@pytest.mark.e2e
def test_a_crawl_that_raises_stops_no_other_and_is_recorded_as_crashed(portal, crawl_env, demo_articles,
                                                                       tmp_path):
    (tmp_path / "boom.py").write_text(BOOM, encoding="utf-8")
    for name in ("satu", "boom", "dua"):
        crawl_env.add_source(name, portal("wp-news").url + "/")
    env_path = {"PYTHONPATH": str(tmp_path)}
    extensions = '{"crawler.runs.CrawlRunExtension": 500, "boom.BoomExtension": 600}'

    done = crawl_env.jajak("crawl", "--parallel", "1", "-s", f"EXTENSIONS={extensions}", env=env_path)

    assert done.returncode == 1, done.stderr[-3000:]
    runs = runs_by_source(crawl_env.database_url)
    (boom,) = runs["boom"]
    assert boom.finish_reason == "crashed" and boom.finished_at is not None
    assert boom.stats["jajak/finish/why"] == "RuntimeError: boom: this crawl cannot start"
    for name in ("satu", "dua"):  # before and after it, in the same engine
        (run,) = runs[name]
        assert run.finish_reason == "finished" and run.new_articles == len(demo_articles), name
    assert "crashed (exit 1)" in done.stdout  # its row of the summary
    assert "boom: crashed: RuntimeError: boom: this crawl cannot start (log: " in done.stdout
    assert "Traceback" in (crawl_env.home / "var" / "logs" / "crawl-boom.log").read_text()


@pytest.mark.e2e
def test_a_source_being_crawled_elsewhere_is_refused_and_the_others_are_crawled(portal, crawl_env,
                                                                                demo_articles):
    for name in ("bebas", "dipegang"):
        crawl_env.add_source(name, portal("wp-news").url + "/")
    sessions = open_database(crawl_env.database_url)
    with sessions.begin() as session:
        held = ensure_source(session, "dipegang", "http://x/").id

    with SourceLock(sessions, held):  # another crawl of it, alive, in this process
        done = crawl_env.jajak("crawl", "dipegang", "bebas", "dipegang")

    assert done.returncode == 1, done.stderr[-3000:]
    runs = runs_by_source(crawl_env.database_url)
    (refused,) = runs["dipegang"]
    assert refused.finish_reason == "already_running" and refused.pages == 0
    assert "already being crawled by pid" in refused.stats["jajak/finish/why"]
    (crawled,) = runs["bebas"]
    assert crawled.finish_reason == "finished" and crawled.new_articles == len(demo_articles)


@pytest.mark.e2e
def test_ctrl_c_stops_the_running_crawl_cleanly_and_starts_no_other(portal, crawl_env):
    import signal
    import subprocess

    from tests.conftest import FAST
    from tests.test_orphans import hold, lock_holder, wait_for

    first, second = portal("wp-news"), portal("wp-news")
    release = hold(first)
    crawl_env.add_source("pertama", first.url + "/")
    crawl_env.add_source("kedua", second.url + "/")
    parent = subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", "--parallel", "1", *FAST],
                              cwd=crawl_env.home, env=crawl_env.env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: lock_holder(crawl_env.database_url), "the first crawl to hold its source")
        parent.send_signal(signal.SIGINT)
        release.set()
        out, err = parent.communicate(timeout=120)
    finally:
        release.set()
        if parent.poll() is None:
            parent.kill()
            parent.communicate()

    assert parent.returncode == 130, err[-3000:]
    runs = runs_by_source(crawl_env.database_url)
    assert list(runs) == ["pertama"]  # the second crawl was never started
    (stopped,) = runs["pertama"]
    assert stopped.finish_reason == "shutdown" and stopped.finished_at is not None
    assert lock_holder(crawl_env.database_url) is None
    assert second.requests == []

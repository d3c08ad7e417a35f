"""Crawl results say why: a failed or cut crawl shows its reason and its log in `jajak crawl`'s
summary and in `jajak status`."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta

import pytest
from scrapy.exceptions import CannotResolveHostError, DownloadTimeoutError
from twisted.internet import error as twisted_error

from crawler.failures import WHY, describe, explain, log_tail
from crawler.jobs import CrawlResult, _read_back, summary_table
from crawler.runs import _why
from crawler.sources import Source
from crawler.storage import CrawlRun, open_database


@pytest.mark.parametrize(("error", "url", "says"), [
    (twisted_error.DNSLookupError("no results"), "http://portal.example/feed/", "DNS lookup failed for portal.example"),
    (CannotResolveHostError("x"), "http://portal.example/", "DNS lookup failed for portal.example"),
    (twisted_error.ConnectionRefusedError(), "http://127.0.0.1:9/", "connection refused by 127.0.0.1:9"),
    (DownloadTimeoutError("Getting http://x/ took longer than 60.0 seconds."), None, "timeout after 60 s"),
    (ValueError("first line\nlast line"), None, "ValueError: first line last line"),
])
def test_a_failure_is_one_short_line(error, url, says):
    assert describe(error, url) == says


@pytest.mark.parametrize(("reason", "stats", "why"), [
    ("finished", {}, None),
    ("unreachable", {"jajak/failure/last": "connection refused by h"}, "connection refused by h"),
    ("unreachable", {}, "no answer from the site"),
    ("no_articles_listed", {}, "no feed, sitemap, REST API or listing page listed an article"),
    ("browser_missing", {"jajak/render/error": "x needs a browser"}, "x needs a browser"),
    ("closespider_timeout", {}, "stopped after CLOSESPIDER_TIMEOUT"),
    ("cancelled", {"jajak/failure/last": "KeyError: 'x'"}, "KeyError: 'x'"),
])
def test_a_crawl_that_did_not_simply_finish_says_why(reason, stats, why):
    assert _why(reason, stats) == why


def test_the_reason_is_not_repeated():
    assert explain("s", "killed: timeout after 5 s", "timeout after 5 s", None) == "s: killed: timeout after 5 s"
    line = explain("s", "unreachable", "connection refused", "l.log")
    assert line == "s: unreachable: connection refused (log: l.log)"


def test_the_last_line_of_a_log_is_the_message(tmp_path):
    log = tmp_path / "crawl-x.log"
    log.write_text("2026-11-20 08:00:00 INFO scrapy.core.engine: Spider opened\nTraceback (most recent call last):\n"
                   '  File "x.py", line 1, in <module>\nsqlite3.OperationalError: disk I/O error\n\n', encoding="utf-8")

    assert log_tail(log) == "sqlite3.OperationalError: disk I/O error"
    assert log_tail(tmp_path / "missing.log") is None


def test_a_crashed_crawl_keeps_its_last_words(tmp_path):
    url = f"sqlite:///{tmp_path / 'jajak.db'}"
    log = tmp_path / "crawl-crashy.log"
    log.write_text("Traceback (most recent call last):\nMemoryError: cannot allocate 10 GB\n", encoding="utf-8")
    source = Source(name="crashy", url="http://127.0.0.1:9/")
    results = {"crashy": CrawlResult("crashy", 1, 0.5, log=log)}

    _read_back([source], results, url, datetime.now(UTC) - timedelta(seconds=5))

    with open_database(url)() as session:
        run = session.query(CrawlRun).one()
    assert run.finish_reason == "crashed (exit 1)" and run.stats[WHY] == "MemoryError: cannot allocate 10 GB"
    assert f"crashy: crashed (exit 1): MemoryError: cannot allocate 10 GB (log: {log})" in summary_table(
        list(results.values()))


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers: a hung site."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield server.getsockname()[1]
    server.close()


@pytest.mark.e2e
def test_summary_and_status_say_why_each_crawl_failed(crawl_env, silent_port):
    crawl_env.add_source("dead", "http://127.0.0.1:9/")
    crawl_env.add_source("hung", f"http://127.0.0.1:{silent_port}/")

    done = crawl_env.jajak("crawl", "-q", "-s", "RETRY_TIMES=0", "-s", "DOWNLOAD_TIMEOUT=1")
    status = crawl_env.jajak("status")
    as_json = json.loads(crawl_env.jajak("status", "--json").stdout)

    log_dir = crawl_env.home / "var" / "logs"
    dead = f"dead: unreachable: connection refused by 127.0.0.1:9 (log: {log_dir / 'crawl-dead.log'})"
    hung = f"hung: unreachable: timeout after 1 s (log: {log_dir / 'crawl-hung.log'})"
    assert done.returncode == 0, done.stderr[-2000:]  # a site that is down is no failure of jajak
    assert dead in done.stdout and hung in done.stdout
    assert dead in status.stdout and hung in status.stdout
    rows = {r["source"]: r for r in as_json["sources"]}
    assert rows["dead"]["why"] == "connection refused by 127.0.0.1:9"
    assert rows["hung"]["log"] == str(log_dir / "crawl-hung.log")

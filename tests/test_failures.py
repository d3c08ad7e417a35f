"""Crawl results say why: a failed or cut crawl shows its reason and its log in `jajak crawl`'s
summary and in `jajak status`."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta

import pytest
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as twisted_error
from twisted.web.client import ResponseNeverReceived

from crawler.failures import WHY, describe, diagnose, explain, log_tail
from crawler.jobs.engines import CrawlResult, _read_back, summary_table
from crawler.runs import _why, failed_fetches, nothing_listed
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


def _http_error(status: int) -> HttpError:
    url = "http://portal.example/a/"
    return HttpError(Response(url, status=status, request=Request(url)), "Ignoring non-200 response")


@pytest.mark.parametrize(("error", "kind", "says"), [
    (ResponseDataLossError(), "truncated",
     "truncated answer from portal.example (closed before its announced length)"),
    (DownloadCancelledError("Expected to receive 20971520 bytes which is larger than download max size (10485760) "
                            "in request <GET http://portal.example/a/>."), "too_large",
     "answer from portal.example larger than DOWNLOAD_MAXSIZE (10 MB)"),
    (DownloadCancelledError(), "too_large", "answer from portal.example larger than DOWNLOAD_MAXSIZE"),
    (IgnoreRequest("Ignored response <200 http://portal.example/a/> because its body (102 B compressed, 10485800 B "
                   "decompressed so far) exceeded DOWNLOAD_MAXSIZE (10485760 B) during decompression."), "too_large",
     "answer from portal.example larger than DOWNLOAD_MAXSIZE (10 MB)"),
    (DownloadFailedError("[<twisted.python.failure.Failure twisted.web._newclient._DataLoss>]"), "reset",
     "connection closed by portal.example before a whole answer (reset)"),
    (ResponseNeverReceived([twisted_error.ConnectionLost()]), "reset",
     "connection closed by portal.example before a whole answer (reset)"),
    (_http_error(503), "http_503", "HTTP 503 from portal.example"),
    (IgnoreRequest("Forbidden by robots.txt"), "robots", "forbidden by the robots.txt of portal.example"),
    (IgnoreRequest("redirect loop: http://portal.example/a/ -> http://portal.example/b/"), "redirect_loop",
     "redirect loop at portal.example"),
    (IgnoreRequest("max redirections reached"), "redirect_loop", "too many redirects from portal.example"),
    (IgnoreRequest("redirected off the source's domains: http://portal.example/a/ -> http://other.example:81/x"),
     "offsite", "redirected off the source's domains, to other.example:81"),
    (IgnoreRequest("Filtered offsite request to 'other.example'"), "offsite",
     "not fetched: off the source's domains ('other.example')"),
    (twisted_error.ConnectionRefusedError(), "refused", "connection refused by portal.example"),
])
def test_a_failure_has_a_kind_and_a_line(error, kind, says):
    assert diagnose(error, "http://portal.example/a/") == (kind, says)


@pytest.mark.parametrize(("stats", "reason"), [
    ({}, "unreachable"),
    ({"downloader/response_status_count/503": 12, "downloader/response_status_count/429": 3}, "unreachable"),
    ({"downloader/response_status_count/200": 1, "jajak/failures/robots": 1}, "robots_disallowed"),
    ({"downloader/response_status_count/404": 5, "downloader/response_status_count/503": 1}, "no_articles_listed"),
])
def test_a_crawl_that_found_no_channel_says_whether_the_site_answered(stats, reason):
    assert nothing_listed(stats) == reason


def test_failed_fetches_are_one_line_by_kind():
    stats = {"jajak/failures/timeout": 2, "jajak/failures/http_503": 1, "jajak/failures/reset": 2,
             "jajak/failure/last": "timeout after 30 s"}

    assert failed_fetches(stats) == "5 failed fetches (reset 2, timeout 2, http_503 1), last: timeout after 30 s"
    assert failed_fetches({}) is None


def test_the_summary_names_a_finished_crawl_only_when_fetches_failed():
    lossy = CrawlResult("lossy", 0, 1.0, finish_reason="finished", failed="1 failed fetch (reset 1), last: x")
    fine = CrawlResult("fine", 0, 1.0, finish_reason="finished")

    assert summary_table([lossy, fine]).endswith("\n\nlossy: finished: 1 failed fetch (reset 1), last: x")


@pytest.mark.parametrize(("reason", "stats", "why"), [
    ("finished", {}, None),
    ("unreachable", {"jajak/failure/last": "connection refused by h"}, "connection refused by h"),
    ("unreachable", {}, "no answer from the site"),
    ("no_articles_listed", {}, "no feed, sitemap, REST API or listing page listed an article"),
    ("robots_disallowed", {"jajak/failure/last": "forbidden by robots.txt"}, "forbidden by robots.txt"),
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

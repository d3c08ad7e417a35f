"""Crawl faults: Retry-After honoured per host (capped), only http(s) requested, pages that are
not text never stored, secrets masked. Components are built as Scrapy builds them; one crawl
runs against a fault-injecting portal on 127.0.0.1."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from alerts.channels import mask_url
from crawler.middlewares import HttpOnlyMiddleware, RedirectGuardMiddleware, RetryAfterMiddleware, retry_after_seconds
from crawler.pagetext import not_text
from tests.portals.faults import PARAGRAPHS, Answer, FaultPortal, article


class FakeClock:
    """The middleware's clock, driven by the test: sleeping advances it at once."""

    def __init__(self) -> None:
        self.moment = 1000.0
        self.slept: list[float] = []

    def now(self) -> float:
        return self.moment

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.moment += seconds


def retry_middleware(clock: FakeClock, **settings: object) -> RetryAfterMiddleware:
    crawler = get_crawler(Spider, settings_dict={"JAJAK_RETRY_AFTER_MAX": 120, **settings})
    crawler.spider = crawler._create_spider("faults")  # noqa: SLF001 - as Scrapy's own tests do
    middleware = build_from_crawler(RetryAfterMiddleware, crawler)
    middleware.now, middleware.sleep = clock.now, clock.sleep
    return middleware


def answer(url: str, status: int, retry_after: str | None = None) -> tuple[Request, HtmlResponse]:
    request = Request(url)
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return request, HtmlResponse(url, status=status, headers=headers, body=b"", request=request)


# --- Retry-After ------------------------------------------------------------------------------


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=30), usegmt=True)

    assert retry_after_seconds("5") == 5.0
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds(later, now=now) == 30.0
    assert retry_after_seconds(format_datetime(now - timedelta(hours=1), usegmt=True), now=now) == 0.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


@pytest.mark.parametrize("status", [429, 503])
def test_the_host_waits_as_long_as_retry_after_asks(status):
    clock = FakeClock()
    middleware = retry_middleware(clock)
    request, response = answer("http://portal.example/a/", status, "5")

    retry = middleware.process_response(request, response)

    assert isinstance(retry, Request) and retry.url == request.url
    assert middleware.wait_for(Request("http://portal.example/b/")) == 5.0
    assert middleware.wait_for(Request("http://other.example/")) == 0.0
    asyncio.run(middleware.process_request(retry))
    assert clock.slept == [5.0]
    assert middleware.wait_for(Request("http://portal.example/c/")) == 0.0
    assert middleware.crawler.stats.get_value("jajak/retry_after/count") == 1


def test_a_long_retry_after_is_capped():
    clock = FakeClock()
    middleware = retry_middleware(clock, JAJAK_RETRY_AFTER_MAX=120)

    middleware.process_response(*answer("http://portal.example/a/", 429, "3600"))

    assert middleware.wait_for(Request("http://portal.example/a/")) == 120.0
    assert middleware.crawler.stats.get_value("jajak/retry_after/capped") == 1


@pytest.mark.parametrize(("status", "retry_after"), [(500, "5"), (429, "soon"), (429, None)])
def test_other_answers_are_retried_without_waiting(status, retry_after):
    middleware = retry_middleware(FakeClock())

    retry = middleware.process_response(*answer("http://portal.example/a/", status, retry_after))

    assert isinstance(retry, Request)
    assert middleware.wait_for(Request("http://portal.example/a/")) == 0.0


def test_retry_after_max_zero_turns_the_wait_off():
    middleware = retry_middleware(FakeClock(), JAJAK_RETRY_AFTER_MAX=0)

    middleware.process_response(*answer("http://portal.example/a/", 429, "5"))

    assert middleware.wait_for(Request("http://portal.example/a/")) == 0.0


# --- schemes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["ftp://portal.example/berkas.zip", "file:///etc/passwd", "data:text/html,x"])
def test_only_http_urls_are_requested(url):
    crawler = get_crawler(Spider)
    middleware = build_from_crawler(HttpOnlyMiddleware, crawler)

    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request(url))

    scheme = url.split(":")[0]
    assert crawler.stats.get_value(f"jajak/refused/scheme/{scheme}") == 1


def test_http_and_https_pass():
    middleware = build_from_crawler(HttpOnlyMiddleware, get_crawler(Spider))

    assert middleware.process_request(Request("https://portal.example/")) is None
    assert middleware.process_request(Request("http://portal.example/")) is None


# --- redirects ----------------------------------------------------------------------------------


def redirect(url: str, location: str, chain: tuple[str, ...] = ()) -> tuple[Request, HtmlResponse]:
    request = Request(url, meta={"redirect_urls": list(chain)} if chain else {})
    return request, HtmlResponse(url, status=301, headers={"Location": location}, body=b"", request=request)


def test_a_redirect_that_loops_or_leaves_the_source_fails_with_a_reason():
    crawler = get_crawler(Spider)
    crawler.spider = crawler._create_spider("faults")  # noqa: SLF001
    crawler.spider.allowed_domains = ["portal.example"]
    middleware = build_from_crawler(RedirectGuardMiddleware, crawler)

    moved = redirect("http://portal.example/a/", "https://www.portal.example/a/")
    assert middleware.process_response(*moved) is moved[1]
    with pytest.raises(IgnoreRequest, match="redirect loop"):
        middleware.process_response(*redirect("http://portal.example/b/", "/a/", chain=("http://portal.example/a/",)))
    with pytest.raises(IgnoreRequest, match="off the source's domains"):
        middleware.process_response(*redirect("http://portal.example/a/", "http://other.example:81/"))
    assert crawler.stats.get_value("jajak/refused/redirect_loop") == 1
    assert crawler.stats.get_value("jajak/refused/redirect_offsite") == 1


# --- pages that are not text ------------------------------------------------------------------


def test_article_text_is_text():
    text = " ".join(PARAGRAPHS) + " Rp 1,5 miliar \ufffd"  # one odd character is no reason to drop
    assert not_text(text) is None


@pytest.mark.parametrize(("body", "reason"), [
    (b"\x00" * 100_000, "nul"),
    (b"<html><body><p>Berita</p>\x00\x00</body></html>", "nul"),
    (bytes(range(128, 256)) * 400, "undecodable"),
    (bytes(range(1, 9)) * 10_000, "binary"),
])
def test_a_body_that_is_not_text_is_told_apart(body, reason):
    response = HtmlResponse("http://portal.example/a/", body=body, encoding="utf-8")

    assert not_text(response.text) == reason


def test_the_spider_stores_no_page_that_is_not_text(tmp_path):
    from crawler.spiders.portal import PortalSpider

    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - name: faults\n    url: http://portal.example/\n", encoding="utf-8")
    crawler = get_crawler(PortalSpider, settings_dict={"JAJAK_SOURCES": str(sources),
                                                        "JAJAK_DATABASE_URL": "sqlite://"})
    spider = crawler._create_spider(source="faults")  # noqa: SLF001
    request = Request("http://portal.example/2026/11/20/nol/")
    zeros = HtmlResponse(request.url, body=b"\x00" * 10_000_000, encoding="utf-8", request=request)
    page = HtmlResponse(request.url, body=article("Judul").body, encoding="utf-8", request=request)

    assert list(spider.parse_article(zeros)) == []
    assert crawler.stats.get_value("jajak/dropped/not_text/nul") == 1
    assert len(list(spider.parse_article(page))) == 1


# --- secrets ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "tgram:/123456789:AAHsecrettoken1234/-1001",
    "tgram:123456789:AAHsecrettoken1234",
    "123456789:AAHsecrettoken1234",
    "tgram://123456789:AAHsecrettoken1234/-1001",
])
def test_apprise_tokens_are_masked_even_in_urls_apprise_refuses(url):
    assert "AAHsecrettoken1234" not in mask_url(url)


def test_an_invalid_apprise_url_is_shown_masked(crawl_env, monkeypatch):
    monkeypatch.setenv("JAJAK_NOTIFY", "tgram:/123456789:AAHsecrettoken1234/-1001")
    crawl_env.add_source("one", "http://127.0.0.1:9/")

    done = crawl_env.jajak("digest", "--dry-run")

    assert done.returncode == 2 and "AAHsecrettoken1234" not in done.stderr and "tgram:****" in done.stderr


# --- one crawl against a portal full of faults -------------------------------------------------


@pytest.fixture
def fault_portal():
    portal = FaultPortal().start()
    yield portal
    portal.stop()


@pytest.mark.e2e
def test_a_crawl_survives_the_faults_and_stores_only_articles(fault_portal, crawl_env, monkeypatch):
    p = fault_portal
    p.script("/2026/11/20/biasa/", article("Berita biasa"))
    p.script("/2026/11/20/pelan/", Answer(429, b"slow down", {"Retry-After": "1"}), article("Setelah 429"))
    p.script("/2026/11/20/sibuk/", Answer(503, b"busy", {"Retry-After": "3600"}), article("Setelah 503"))
    p.script("/2026/11/20/nol/", Answer(body=b"\x00" * 10_000_000))
    p.script("/2026/11/20/biner/", Answer(body=bytes(range(128, 256)) * 1_000))  # no encoding fits
    p.feed(["/2026/11/20/biasa/", "/2026/11/20/pelan/", "/2026/11/20/sibuk/", "/2026/11/20/nol/",
            "/2026/11/20/biner/"])
    # A feed announced on the source's own host, but over FTP: passes the offsite check.
    ftp_feed = p.url.replace("http:", "ftp:") + "/feed/"
    p.script("/", Answer(body=f'<html><head><link rel="alternate" type="application/rss+xml" href="{ftp_feed}">'
                              f'<link rel="alternate" type="application/rss+xml" href="{p.url}/feed/">'
                              "<title>Portal</title></head><body></body></html>".encode()))
    crawl_env.add_source("faults", p.url + "/")
    monkeypatch.setenv("JAJAK_RETRY_AFTER_MAX", "1")

    done = crawl_env.scrapy("crawl", "portal", "-a", "source=faults")

    assert done.returncode == 0, done.stderr[-3000:]
    from tests.test_crawl_e2e import runs, stored

    titles = sorted(a.title for a in stored(crawl_env.database_url))
    assert titles == ["Berita biasa", "Setelah 429", "Setelah 503"]
    assert all("\ufffd" not in a.text and "\x00" not in a.text for a in stored(crawl_env.database_url))
    stats = runs(crawl_env.database_url)[-1].stats
    assert stats["jajak/dropped/not_text/nul"] == 1 and stats["jajak/dropped/not_text/undecodable"] == 1
    assert stats["jajak/refused/scheme/ftp"] == 1
    assert stats["jajak/retry_after/count"] == 2 and stats["jajak/retry_after/capped"] == 1
    slow, busy = p.times("/2026/11/20/pelan/"), p.times("/2026/11/20/sibuk/")
    assert len(slow) == 2 and slow[1] - slow[0] >= 0.9  # Retry-After: 1 was honoured
    assert len(busy) == 2 and 0.9 <= busy[1] - busy[0] < 30  # 3600 s capped at 1 s

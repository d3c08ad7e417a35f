"""The crawl's downloader middlewares (crawl stage): only http(s) URLs are ever requested, a
redirect that loops or leaves the source's domains ends its request with a reason, and a site
that answers 429 or 503 with Retry-After gets the pause it asked for (capped) before any further
request to its host."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Self
from urllib.parse import urljoin

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import task
from w3lib.url import safe_url_string

from crawler.config import Config
from crawler.discovery.urls import in_domains

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

SCHEMES = ("http", "https")
# Answers whose Retry-After is honoured: "too many requests" and "service unavailable".
RETRY_AFTER_STATUSES = (429, 503)


class HttpOnlyMiddleware:
    """Refuses every request that is not http(s): an ``ftp://``, ``file://`` or ``data:`` link
    on a source's own host passes Scrapy's offsite check (which looks at hosts only)."""

    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls()
        middleware.crawler = crawler
        return middleware

    def process_request(self, request: Request) -> None:
        scheme = urlparse_cached(request).scheme.lower()
        if scheme not in SCHEMES:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value(f"jajak/refused/scheme/{scheme or 'none'}")
            logger.info("not fetched (only http and https are): %s", request.url)
            raise IgnoreRequest(f"not an http(s) URL: {request.url}")


REDIRECTS = (301, 302, 303, 307, 308)


class RedirectGuardMiddleware:
    """Sees a redirect before Scrapy's RedirectMiddleware does: one back to a URL of its own
    chain (a loop) or to a host outside the source's domains ends the request with
    IgnoreRequest, so its errback records why. Left to Scrapy, the dupefilter and the offsite
    check would drop the redirected request silently, and the article would be lost unseen."""

    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls()
        middleware.crawler = crawler
        return middleware

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if response.status not in REDIRECTS or not location or request.meta.get("dont_redirect"):
            return response
        target = urljoin(response.url, safe_url_string(location.decode("latin-1")))
        stats = self.crawler.stats
        assert stats is not None
        if target in (*request.meta.get("redirect_urls", ()), request.url):
            stats.inc_value("jajak/refused/redirect_loop")
            raise IgnoreRequest(f"redirect loop: {request.url} -> {target}")
        domains = getattr(self.crawler.spider, "allowed_domains", None)
        if domains and not in_domains(target, domains):
            stats.inc_value("jajak/refused/redirect_offsite")
            raise IgnoreRequest(f"redirected off the source's domains: {request.url} -> {target}")
        return response


def retry_after_seconds(value: str | bytes | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delay-seconds or an HTTP date); None if unusable."""
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP date is GMT; a zone-less one is taken as such
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


async def reactor_sleep(seconds: float) -> None:
    """Wait without blocking the crawl: a timer on the running reactor."""
    from twisted.internet import reactor

    await maybe_deferred_to_future(task.deferLater(reactor, seconds, lambda: None))


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, plus Retry-After on 429 and 503: the retry, and every other
    request to the same host, waits until the time the server asked for (at most
    ``JAJAK_RETRY_AFTER_MAX`` seconds; 0 turns the wait off). ``now`` and ``sleep`` are the
    clock, so tests drive it instead of waiting."""

    def __init__(self, settings: BaseSettings, max_wait: float = 120.0,
                 now: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = reactor_sleep) -> None:
        super().__init__(settings)
        self.max_wait = max_wait
        self.now = now
        self.sleep = sleep
        self.not_before: dict[str, float] = {}  # host -> clock time of its next request

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = cls(crawler.settings, Config.of(crawler.settings).retry_after_max)
        middleware.crawler = crawler
        return middleware

    def wait_for(self, request: Request) -> float:
        """Seconds this request must still wait for its host's Retry-After (0: none)."""
        host = urlparse_cached(request).hostname or ""
        until = self.not_before.get(host)
        if until is None:
            return 0.0
        remaining = until - self.now()
        if remaining <= 0:
            del self.not_before[host]
            return 0.0
        return remaining

    async def process_request(self, request: Request) -> None:
        remaining = self.wait_for(request)
        if remaining > 0:
            await self.sleep(remaining)

    def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if response.status in RETRY_AFTER_STATUSES and not request.meta.get("dont_retry", False):
            self._note_retry_after(request, response)
        return super().process_response(request, response)

    def _note_retry_after(self, request: Request, response: Response) -> None:
        header = response.headers.get(b"Retry-After")
        asked = retry_after_seconds(header)
        if asked is None or self.max_wait <= 0:
            return
        wait = min(asked, self.max_wait)
        host = urlparse_cached(request).hostname or ""
        self.not_before[host] = max(self.not_before.get(host, 0.0), self.now() + wait)
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("jajak/retry_after/count")
        stats.max_value("jajak/retry_after/max_wait_s", round(wait, 1))
        if asked > wait:
            stats.inc_value("jajak/retry_after/capped")
        logger.info("%s answered %d with Retry-After %s: %s waits %.0f s%s", request.url, response.status,
                    (header or b"").decode("latin-1"), host, wait,
                    f" (capped at {self.max_wait:.0f} s)" if asked > wait else "")

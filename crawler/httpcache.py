"""Conditional requests for feeds, sitemaps and listings (crawl stage, downloader side).

Scrapy's HttpCacheMiddleware with this policy stores the discovery documents and revalidates
them on every crawl with If-None-Match / If-Modified-Since: an unchanged feed or sitemap costs a
304 and is read from the cache. Article pages are never cached: they are fetched once and then
skipped by the seen-URL check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.extensions.httpcache import RFC2616Policy

if TYPE_CHECKING:
    from scrapy.http import Request, Response

REVALIDATE_META = "jajak_revalidate"


class RevalidatePolicy(RFC2616Policy):
    """RFC 2616 revalidation for requests marked ``meta["jajak_revalidate"]``, nothing else."""

    def should_cache_request(self, request: Request) -> bool:
        return bool(request.meta.get(REVALIDATE_META)) and super().should_cache_request(request)

    def should_cache_response(self, response: Response, request: Request) -> bool:
        # Only successful documents are worth revalidating; a 404 feed is asked for again.
        return response.status == 200 and super().should_cache_response(response, request)

    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        # A monitor must see a new article within one crawl, so heuristic freshness (10% of the
        # Last-Modified age) and long max-age values are not trusted: always ask the server.
        self._set_conditional_validators(request, cachedresponse)
        return False

    def is_cached_response_valid(
        self, cachedresponse: Response, response: Response, request: Request
    ) -> bool:
        # Only "not modified" reuses the copy; RFC 2616 would also serve it over a 5xx answer,
        # which would hide a broken feed from the crawl's error count.
        return response.status == 304

"""Conditional requests for feeds, sitemaps and listings (crawl stage, downloader side).

Scrapy's HttpCacheMiddleware with this policy stores the discovery documents and revalidates
them on every crawl with If-None-Match / If-Modified-Since: an unchanged feed or sitemap costs a
304 and is read from the cache. Article pages are never cached: they are fetched once and then
skipped by the seen-URL check.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from time import time
from typing import TYPE_CHECKING

from scrapy.extensions.httpcache import FilesystemCacheStorage, RFC2616Policy
from scrapy.utils.python import to_bytes
from w3lib.http import headers_dict_to_raw

if TYPE_CHECKING:
    from scrapy import Spider
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


class RevalidatedCacheStorage(FilesystemCacheStorage):
    """Scrapy's filesystem cache, except that a stored copy a 304 confirmed keeps its body on
    disk: only its headers and time are written again. Scrapy rewrites (and gzips) the whole
    document, which made that write most of what a recheck of an unchanged feed cost."""

    def store_response(self, spider: Spider, request: Request, response: Response) -> None:
        path = Path(self._get_request_path(spider, request))
        if "cached" not in response.flags or not (path / "response_body").exists():
            super().store_response(spider, request, response)
            return
        metadata = {"url": request.url, "method": request.method, "status": response.status,
                    "response_url": response.url, "timestamp": time()}
        with self._open(path / "meta", "wb") as f:
            f.write(to_bytes(repr(metadata)))
        with self._open(path / "pickled_meta", "wb") as f:
            pickle.dump(metadata, f, protocol=4)
        with self._open(path / "response_headers", "wb") as f:
            f.write(headers_dict_to_raw(response.headers))

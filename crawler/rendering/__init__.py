"""JavaScript rendering for the sources that need it (crawl stage): scrapy-playwright on
Debian's Chromium, registered only for crawls of sources with ``render: true`` or ``auto``.

``plan_for(crawler, source)`` decides what a crawl renders; ``RenderPlan.meta()`` is the request
meta of a rendered page; the handler (``crawler.rendering.handler``) is loaded by Scrapy only.
"""

from __future__ import annotations

from crawler.rendering.browser import (
    BrowserMissing,
    browser_memory_mb,
    browser_rss_mb,
    find_chromium,
)
from crawler.rendering.plan import AGE_STAT, DECISION_STAT, RenderPlan, plan_for

__all__ = [
    "AGE_STAT",
    "DECISION_STAT",
    "BrowserMissing",
    "RenderPlan",
    "browser_memory_mb",
    "browser_rss_mb",
    "find_chromium",
    "plan_for",
]

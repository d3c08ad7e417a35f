"""The download handler of rendering crawls (crawl stage, downloader side): scrapy-playwright,
plus a browser restart every N pages, a count of rendered pages and the browser's peak memory.

Requests without ``meta["playwright"]`` (robots.txt, feeds, sitemaps, REST answers) go to
Scrapy's plain HTTP/1.1 handler, which scrapy-playwright's handler extends.
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextlib import suppress
from typing import TYPE_CHECKING, Any, Self

from playwright.async_api import Error as PlaywrightError
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from crawler.config import Config
from crawler.rendering.browser import browser_memory_mb

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

SAMPLE_EVERY = 0.5  # seconds between two looks at the browser's memory


class RenderDownloadHandler(ScrapyPlaywrightDownloadHandler):  # type: ignore[misc]
    """ScrapyPlaywrightDownloadHandler that restarts the browser after
    ``JAJAK_RENDER_RESTART_PAGES`` pages: a long crawl does not carry a browser's slowly growing
    caches and leaks. (A crashed browser is relaunched by scrapy-playwright itself,
    PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER.)"""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        # Scrapy builds one handler per scheme; http and https share this one, so a crawl
        # starts one Playwright driver and one browser, not two.
        shared = getattr(crawler, "_jajak_render_handler", None)
        if not isinstance(shared, cls):
            shared = cls(crawler)
            crawler._jajak_render_handler = shared  # type: ignore[attr-defined]
        return shared

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._closed = False
        self.restart_pages = Config.of(crawler.settings).render_restart_pages
        self.executable = str(self.config.launch_options.get("executable_path") or "chromium")
        self.in_flight = 0
        self.since_launch = 0
        self.peak_mb = 0.0
        self.peak_pss_mb = 0.0
        self._sampled_at = 0.0
        self._open = asyncio.Event()  # cleared while the browser drains before a restart
        self._open.set()

    async def download_request(self, request: Request, *args: Any) -> Response:
        if not request.meta.get("playwright"):
            plain: Response = await super().download_request(request, *args)
            return plain
        while not self._open.is_set():
            await self._open.wait()
        self.in_flight += 1
        try:
            response: Response = await super().download_request(request, *args)
        except Exception:
            self.stats.inc_value("jajak/render/failed")
            raise
        finally:
            self.in_flight -= 1
            self.since_launch += 1
            self.sample()
            if self.restart_pages and self.since_launch >= self.restart_pages:
                self._open.clear()  # no new page until the browser is fresh
                if self.in_flight == 0:
                    await self._restart()
        self.stats.inc_value("jajak/render/pages")
        return response

    def sample(self, force: bool = False) -> None:
        """Record the browser's memory (summed RSS, and PSS, of its processes) at new peaks."""
        now = time.monotonic()
        if not force and now - self._sampled_at < SAMPLE_EVERY:
            return
        self._sampled_at = now
        rss, pss = browser_memory_mb(self.executable)
        if rss > self.peak_mb:
            self.peak_mb = rss
            self.stats.set_value("jajak/render/browser_peak_mb", rss)
        if pss > self.peak_pss_mb:
            self.peak_pss_mb = pss
            self.stats.set_value("jajak/render/browser_peak_pss_mb", pss)

    async def _restart(self) -> None:
        try:
            self.sample(force=True)
            async with self.browser_launch_lock:
                browser = getattr(self, "browser", None)
                if browser is None:
                    return
                # Our own close: scrapy-playwright's disconnect callback would race with the
                # launch of the next browser, so it is taken off first.
                browser.remove_listener("disconnected", self._browser_disconnected_callback)
                contexts = [w.context for w in self.context_wrappers.values()]
                with suppress(PlaywrightError):
                    await asyncio.gather(*(context.close() for context in contexts))
                self.context_wrappers.clear()
                with suppress(PlaywrightError):
                    await browser.close()
                del self.browser
            self.stats.inc_value("jajak/render/browser_restarts")
            logger.info("browser restarted after %d pages", self.since_launch)
        finally:
            self.since_launch = 0
            self._open.set()

    async def close(self) -> None:
        if self._closed:  # registered for two schemes, closed once
            return
        self._closed = True
        self.sample(force=True)
        await super().close()

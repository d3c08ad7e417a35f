"""Which requests of a crawl are rendered (crawl stage): the source's ``render`` field, and for
``render: auto`` a decision made once per source and remembered in the crawl_runs stats.

``auto`` renders listings (home, section and index pages) when their plain HTML links to no
article but the rendered page does, and articles when the plain HTML holds no article text but
the rendered page does. The decision is read back from the source's last crawl and made again
every JAJAK_RENDER_RECHECK_RUNS crawls, so a portal that stops needing JavaScript is noticed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crawler.config import Config
from crawler.crawl_database import crawl_database
from crawler.discovery.listings import listing_links
from crawler.rendering.browser import AbortRequest, BrowserMissing, find_chromium, launch_options
from crawler.storage import ensure_source, last_run

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

    from crawler.sources import Source
    from crawler.storage import Database

logger = logging.getLogger(__name__)

HANDLER = "crawler.rendering.handler.RenderDownloadHandler"
DECISION_STAT = "jajak/render/decision"  # "render", "listings", "articles" or "plain"
AGE_STAT = "jajak/render/age"  # crawls since the decision was made (0: made by this crawl)
MIN_TEXT = 200  # characters of article text that count as "the page holds the article"
FetchAs = Callable[[str, bool], Awaitable["Response | None"]]


@dataclass
class RenderPlan:
    """What one crawl renders; the spider asks it for each request's meta."""

    mode: str = "off"  # "off", "on" (render: true) or "auto"
    listings: bool = False
    articles: bool = False
    probe: bool = False  # auto without a usable remembered decision: decide during this crawl
    age: int = 0
    settle_ms: int = 2000
    error: str | None = None  # rendering needed, but there is no browser

    @property
    def decision(self) -> str:
        if self.listings and self.articles:
            return "render"
        return "listings" if self.listings else "articles" if self.articles else "plain"

    def meta(self, render: bool) -> dict[str, Any]:
        """Request meta that sends a page through the browser (empty for a plain request)."""
        if not render:
            return {}
        from scrapy_playwright.page import PageMethod

        return {
            "playwright": True,
            "playwright_page_goto_kwargs": {"wait_until": "load"},
            # A fresh PageMethod per request: scrapy-playwright stores the result on it.
            "playwright_page_methods": [PageMethod(settle, self.settle_ms)],
        }

    async def decide(self, source: Source, fetch: FetchAs) -> None:
        """Decide for listings (the source's home page) whether rendering is needed."""
        plain = await fetch(source.url, False)
        if plain is not None and _links(plain, source):
            self.listings = False
            return
        rendered = await fetch(source.url, True)
        self.listings = rendered is not None and bool(_links(rendered, source))
        if rendered is None:
            self.probe = False  # the browser failed: crawl plain, decide again next time

    async def decide_articles(self, url: str, timezone: str, fetch: FetchAs) -> None:
        """Decide for article pages, on the first article discovery found."""
        plain = await fetch(url, False)
        plain_text = _text(plain, timezone)
        if len(plain_text) >= MIN_TEXT:
            self.articles = False
            return
        rendered = await fetch(url, True)
        if rendered is None:
            self.probe = False
            return
        self.articles = len(_text(rendered, timezone)) >= MIN_TEXT

    def record(self, stats: StatsCollector, decided: bool = True) -> None:
        stats.set_value("jajak/render/mode", self.mode)
        if self.mode == "auto" and decided:
            stats.set_value(DECISION_STAT, self.decision)
            stats.set_value(AGE_STAT, self.age)


async def settle(page: Any, timeout_ms: int) -> None:
    """Wait until the page's own scripts have fetched what they fetch (network idle), at most
    ``timeout_ms``: a page that polls forever is taken as it is then."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    if timeout_ms <= 0:  # 0 would mean "no limit" to Playwright
        return
    try:
        await page.wait_for_load_state("networkidle", timeout=timeout_ms)
    except PlaywrightTimeout:
        return


def plan_for(crawler: Crawler, source: Source) -> RenderPlan:
    """The crawl's RenderPlan; registers the rendering download handler when it may render.

    Called from the spider's ``from_crawler``, before Scrapy freezes the settings: a crawl that
    renders nothing never loads Playwright, so plain sources pay nothing for it.
    """
    settings = crawler.settings
    config = Config.of(settings)
    settle_ms = config.render_settle_ms
    if source.render is False:
        return RenderPlan(settle_ms=settle_ms)
    plan = RenderPlan(mode="on", listings=True, articles=True, settle_ms=settle_ms)
    if source.render == "auto":
        plan = _remembered(crawl_database(crawler), source, settle_ms, config.render_recheck_runs)
        if not (plan.probe or plan.listings or plan.articles):
            return plan  # remembered "plain": nothing to launch
    try:
        executable = find_chromium(config.chromium)
    except BrowserMissing as err:
        if plan.mode == "auto" and plan.probe:
            # Nothing is known yet: a plain crawl may still find everything.
            logger.warning("%s: render: auto cannot check JavaScript pages: %s", source.name, err)
            plan.probe = False
            return plan
        written = "true" if source.render is True else source.render
        plan.error = f"{source.name} needs a browser (render: {written}): {err}"
        return plan
    handlers = dict(settings.getdict("DOWNLOAD_HANDLERS"))
    handlers.update(http=HANDLER, https=HANDLER)
    settings.set("DOWNLOAD_HANDLERS", handlers, priority="spider")
    settings.set(
        "PLAYWRIGHT_LAUNCH_OPTIONS",
        launch_options(executable, settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS")),
        priority="spider",
    )
    settings.set("PLAYWRIGHT_ABORT_REQUEST", AbortRequest(source.domains), priority="spider")
    return plan


def _remembered(database: Database, source: Source, settle_ms: int, recheck: int) -> RenderPlan:
    with database.begin() as session:
        run = last_run(session, ensure_source(session, source.name, source.url).id)
        stats = dict(run.stats or {}) if run is not None and run.finished_at is not None else {}
    decision, age = stats.get(DECISION_STAT), int(stats.get(AGE_STAT) or 0) + 1
    if decision not in ("render", "listings", "articles", "plain") or age >= max(recheck, 1):
        return RenderPlan(mode="auto", probe=True, settle_ms=settle_ms)
    return RenderPlan(
        mode="auto",
        listings=decision in ("render", "listings"),
        articles=decision in ("render", "articles"),
        age=age,
        settle_ms=settle_ms,
    )


def _links(response: Response, source: Source) -> list[str]:
    return listing_links(response.body, response.url, source.domains)


def _text(response: Response | None, timezone: str) -> str:
    if response is None or not hasattr(response, "text"):
        return ""
    from crawler.extract import extract

    return extract(response.text, response.url, timezone=timezone).text.strip()

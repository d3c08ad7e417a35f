"""Stages 2-4 of the data flow as Scrapy item pipelines: extract -> classify -> store.

Each pipeline is glue around one function: ``crawler.extract.extract``, ``classifier.classify``
and ``crawler.storage.add_articles``.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Self

from scrapy import Request
from scrapy.exceptions import DropItem, IgnoreRequest

from crawler.classify_call import classify_fields
from crawler.config import Config
from crawler.crawl_database import crawl_database
from crawler.discovery.urls import host_of, in_domains, normalize_url
from crawler.extract import Extracted, extract, merge_pages
from crawler.extract.titles import AffixLearner, home_site_names, strip_affixes
from crawler.items import ArticleItem
from crawler.pagetext import not_text
from crawler.storage import add_articles, ensure_source, mark_seen
from crawler.storage.links import StoredShingles
from crawler.workers import ProcessWorkers

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger(__name__)
# Channels that list posts (not index pages): what they list is an article unless its page
# proves otherwise.
LISTING_CHANNELS = ("feed", "sitemap", "api")


class ExtractPipeline:
    """HTML -> article fields; fetches and joins the further pages of a split article."""

    crawler: Crawler

    def __init__(self, max_article_pages: int = 20, workers: ProcessWorkers | None = None) -> None:
        self.max_article_pages = max_article_pages
        self.workers = workers or ProcessWorkers(0)
        self.affixes = AffixLearner()  # one crawl = one source: its repeated title affixes
        self._home_names: tuple[str, ...] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        pipeline = cls(Config.of(crawler.settings).max_article_pages, ProcessWorkers.for_crawler(crawler))
        pipeline.crawler = crawler
        return pipeline

    def close_spider(self) -> None:
        # All items are through: the run records the workers' memory; they stop unless other
        # crawls of this engine still use them.
        if getattr(self, "crawler", None) is not None:
            self.workers.release(self.crawler)
        else:
            self.workers.close()

    def site_names(self) -> tuple[str, ...]:
        """The source's names: from its home page (read once per crawl, by discovery) and the
        affixes repeated across the titles seen so far."""
        if self._home_names is None:
            spider = getattr(self.crawler, "spider", None)
            home = getattr(getattr(spider, "discovery", None), "home", None)
            if home is not None and hasattr(home, "text"):
                self._home_names = home_site_names(home.text, home.url)
        return (*(self._home_names or ()), *sorted(self.affixes.names))

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        url = item.url or item.fetched_url
        names = self.site_names()
        first = await self.workers.run(
            extract, item.html, url, timezone=item.timezone, site_names=names, listed=item.listed
        )
        self.affixes.observe(first.page_title)
        listed_as_post = item.discovered_via in LISTING_CHANNELS
        parts = [first]
        more = first.continuation if first.is_article or listed_as_post else ()
        for page_url in more[: max(self.max_article_pages - 1, 0)]:
            page = await self._fetch(page_url)
            if page is None:
                # A half article is worse than none: leave it unstored, the next crawl retries.
                self.crawler.stats.inc_value("jajak/dropped/page_failed")
                raise DropItem(f"page {page_url} of {item.fetched_url} failed", log_level="INFO")
            parts.append(await self.workers.run(extract, page, page_url, timezone=item.timezone,
                                                site_names=names))
        self._count_bodies(parts)
        article = merge_pages(parts) if len(parts) > 1 else first
        if self.affixes.names:
            article = replace(article, title=strip_affixes(article.title, self.affixes.names))
        self._fill(item, article, len(parts))
        item.html = ""  # the HTML is not needed past this point; do not carry it to export
        stats = self.crawler.stats
        if item.is_article:
            stats.inc_value("jajak/pages/article")
            if item.published is None:
                stats.inc_value("jajak/extract/undated")
            if article.page_kind == "weak":
                stats.inc_value("jajak/extract/kept_as_listed")
        else:
            stats.inc_value("jajak/pages/not_article")
            if listed_as_post and not item.text.strip():
                # A listed post that gave no text: one of these is noise, many mean the
                # site's layout changed (source health watches the share).
                stats.inc_value("jajak/extract/empty")
        return item

    def _count_bodies(self, parts: list[Extracted]) -> None:
        """How often the fast path was in doubt and trafilatura read the body too (checked), and
        how often trafilatura's text was taken, by reason (fallback/<reason>)."""
        stats = self.crawler.stats
        for part in parts:
            if part.body_source != "fast":
                stats.inc_value("jajak/extract/checked")
            if part.body_source.startswith("fallback/"):
                stats.inc_value(f"jajak/extract/{part.body_source}")

    async def _fetch(self, url: str) -> str | None:
        try:
            # Page 2..N of an article is rendered like page 1 when the source needs a browser.
            render = getattr(self.crawler.spider, "render", None)
            meta = render.meta(render.articles) if render is not None else {}
            response = await self.crawler.engine.download_async(Request(url, meta=meta))
        except IgnoreRequest:
            return None
        except Exception as err:  # noqa: BLE001 - any network failure: counted, item dropped
            logger.info("cannot fetch article page %s: %s", url, err)
            return None
        self.crawler.stats.inc_value("jajak/pages/continuation")
        if response.status != 200 or not hasattr(response, "text"):
            return None
        reason = not_text(response.text)
        if reason is not None:
            self.crawler.stats.inc_value(f"jajak/dropped/not_text/{reason}")
            return None
        return str(response.text)

    @staticmethod
    def _fill(item: ArticleItem, article: Extracted, pages: int) -> None:
        fetched_domain = host_of(item.fetched_url).removeprefix("www.")
        # A canonical that points to another outlet (syndication) would hide whose page it is.
        canonical = normalize_url(article.url)
        item.url = canonical if in_domains(canonical, (fetched_domain,)) else item.fetched_url
        # A feed, sitemap or REST API lists posts, not index pages: a post it lists is an
        # article unless its page proves otherwise, however short; a long text from such a URL
        # is one even when its page looks like a listing (teasers all around it).
        listed_as_post = item.discovered_via in LISTING_CHANNELS
        if not article.text.strip():
            item.is_article, item.not_article = False, "no_text"
        elif article.is_article or (listed_as_post and (article.page_kind == "weak" or len(article.text) >= 400)):
            item.is_article, item.not_article = True, None
        else:
            item.is_article = False
            item.not_article = "weak_signals" if article.page_kind == "weak" else article.page_kind
        item.title = article.title
        item.text = article.text
        item.lead = article.lead
        item.published = article.published  # the listed date is one of extract's candidates
        item.modified = article.modified
        item.author = article.author
        item.section = article.section
        item.tags = list(article.tags)
        item.image = article.image
        item.language = article.language
        item.pages = pages


class ClassifyPipeline:
    """Title + text -> verdict (match, score, stage, cues, parties, sectors)."""

    crawler: Crawler

    def __init__(self, threshold: float | None = None, workers: ProcessWorkers | None = None) -> None:
        self.threshold = threshold
        self.workers = workers or ProcessWorkers(0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        threshold = Config.of(crawler.settings).classifier_threshold
        pipeline = cls(threshold, ProcessWorkers.for_crawler(crawler))
        pipeline.crawler = crawler
        return pipeline

    async def process_item(self, item: ArticleItem) -> ArticleItem:
        if not item.is_article:
            return item
        # The classifier is imported where classify_fields runs: in a worker process, or here
        # at the first article without workers (a recheck that finds nothing new loads none).
        match, score, stage, cues, parties, sectors, version = await self.workers.run(
            classify_fields, item.title, item.text, threshold=self.threshold)
        item.match = match
        item.score = round(score, 4)
        item.stage = stage
        item.cues = list(cues)
        item.parties = list(parties)
        item.sectors = list(sectors)
        item.classifier_version = version
        if match:
            self.crawler.stats.inc_value("jajak/classifier/match")
        return item


class StorePipeline:
    """Inserts new articles (idempotent: a known URL is never stored twice) in small batches,
    and remembers pages that are not articles so that no crawl fetches them again."""

    crawler: Crawler

    def __init__(self, batch_size: int = 50) -> None:
        self.batch_size = max(batch_size, 1)
        self.rows: list[dict[str, Any]] = []
        self.seen: list[str] = []
        self.sessions: sessionmaker[Session] | None = None
        self.source_id: int | None = None
        self.stored_shingles = StoredShingles()  # stored matches' shingles, kept between batches

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        config = Config.of(crawler.settings)
        pipeline = cls(config.store_batch)
        pipeline.crawler = crawler
        return pipeline

    def open_spider(self) -> None:
        self.sessions = crawl_database(self.crawler).sessions
        spider: Any = self.crawler.spider
        source = spider.source  # one crawl, one source
        with self.sessions.begin() as session:
            self.source_id = ensure_source(session, source.name, source.url).id

    def process_item(self, item: ArticleItem) -> ArticleItem:
        if not item.is_article:
            reason = item.not_article or "not_article"
            self.crawler.stats.inc_value(f"jajak/dropped/{reason}")
            if item.text.strip() or item.discovered_via not in LISTING_CHANNELS:
                self.seen.append(item.fetched_url)
                self._maybe_flush()
                raise DropItem(f"not an article ({reason}): {item.fetched_url}", log_level="INFO")
            # A post its site lists that gave no text (layout changed, page broken) is not
            # remembered: the next crawl asks for it again, so nothing is lost once it is fixed.
            raise DropItem(f"no text in listed post: {item.fetched_url}", log_level="INFO")
        self.rows.append(_row(item))
        self._maybe_flush()
        return item

    def close_spider(self) -> None:
        self.flush()

    def _maybe_flush(self) -> None:
        if len(self.rows) + len(self.seen) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not (self.rows or self.seen) or self.sessions is None or self.source_id is None:
            return
        # Two URLs of one story in one batch (an alias and its canonical) become one row.
        rows = list({row["url"]: row for row in reversed(self.rows)}.values())[::-1]
        self.rows = []
        seen, self.seen = self.seen, []
        run_id = self.crawler.stats.get_value("jajak/run_id")
        with self.sessions.begin() as session:
            for row in rows:
                row["source_id"] = self.source_id
                row["crawl_run_id"] = run_id
            inserted = set(add_articles(session, rows, known=self.stored_shingles))
            for row in rows:
                # An alias (a second URL of a stored article) is remembered, not stored again.
                if row["url"] not in inserted and row["fetched_url"] != row["url"]:
                    mark_seen(session, row["source_id"], row["fetched_url"], "redirect")
            for url in seen:
                mark_seen(session, self.source_id, url, "not_article")
        stats = self.crawler.stats
        new_matches = sum(1 for row in rows if row["url"] in inserted and row["match"])
        stats.inc_value("jajak/articles/new", len(inserted))
        stats.inc_value("jajak/articles/new_matches", new_matches)
        stats.inc_value("jajak/articles/duplicate", len(rows) - len(inserted))


def _row(item: ArticleItem) -> dict[str, Any]:
    return {
        "url": item.url,
        "fetched_url": item.fetched_url,
        "title": item.title,
        "text": item.text,
        "lead": item.lead,
        "published": item.published,
        "modified": item.modified,
        "author": item.author,
        "section": item.section,
        "tags": item.tags,
        "image": item.image,
        "language": item.language,
        "pages": item.pages,
        "match": bool(item.match),
        "score": item.score,
        "stage": item.stage,
        "cues": item.cues,
        "parties": item.parties,
        "sectors": item.sectors,
        "classifier_version": item.classifier_version,
        "discovered_via": item.discovered_via,
        "first_seen_at": item.fetched_at,
    }

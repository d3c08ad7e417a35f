"""The one item of the crawl: a fetched article page, filled in stage by stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# What feed exports (`scrapy crawl prolite -O out.jsonl`) write: everything but the raw HTML.
EXPORT_FIELDS = [
    "url", "source", "title", "published", "author", "section", "tags", "lead", "text",
    "image", "language", "pages", "match", "score", "stage", "parties", "sectors", "cues",
    "classifier_version", "discovered_via", "fetched_url", "fetched_at",
]


@dataclass
class ArticleItem:
    """Crawl fields come from the spider; the pipelines fill the rest in flow order."""

    # 1. crawl (spider)
    source: str
    fetched_url: str
    html: str = field(repr=False)
    fetched_at: datetime
    discovered_via: str
    listed: str | None = None  # a date the feed/sitemap gave, used when the page has none
    timezone: str = "Asia/Jakarta"
    # 2. extract (ExtractPipeline)
    url: str | None = None
    is_article: bool = True
    not_article: str | None = None  # why it is not: listing, static, weak_signals, no_text
    title: str = ""
    text: str = ""
    lead: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    author: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    language: str | None = None
    pages: int = 1
    # 3. classify (ClassifyPipeline)
    match: bool | None = None
    score: float | None = None
    stage: str | None = None
    cues: list[str] = field(default_factory=list)
    parties: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    classifier_version: str | None = None

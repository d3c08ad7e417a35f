"""Shared parts of the demo-portal themes: article preparation, Indonesian dates, Jinja setup,
lazy page registration, RSS and sitemap rendering. Each theme module builds a `Site` with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape

from crawler.demo.site import HTML, Resource, Site

WIB = timezone(timedelta(hours=7))
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]
MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
TEMPLATES = Path(__file__).with_name("templates")
SPLIT_WORDS = 540  # articles longer than this are split into pages where a theme splits them


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


# -- Indonesian date strings, each as some real portal prints it ---------------------------------
def long_date(dt: datetime) -> str:
    """'Kamis, 6 Februari 2025'."""
    return f"{DAYS[dt.weekday()]}, {dt.day} {MONTHS[dt.month - 1]} {dt.year}"


def theme_header_date(dt: datetime) -> str:
    """WordPress theme header style, month before day: 'Sabtu, Juli 5, 2025'."""
    return f"{DAYS[dt.weekday()]}, {MONTHS[dt.month - 1]} {dt.day}, {dt.year}"


def disway_date(dt: datetime) -> str:
    """Disway byline style: 'Sabtu 01 Feb 2025 - 18:29 WIB'."""
    return f"{DAYS[dt.weekday()]} {dt.day:02d} {MONTHS_SHORT[dt.month - 1]} {dt.year} - {dt:%H:%M} WIB"


def rfc822(dt: datetime) -> str:
    return dt.strftime("%a, %d %b %Y %H:%M:%S %z")


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds")


def iso_utc(dt: datetime) -> str:
    """'2025-03-15T07:57:21Z'."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def wp_local(dt: datetime, utc: bool = False) -> str:
    """WordPress REST dates carry no offset: local time for `date`, UTC for `date_gmt`."""
    return (dt.astimezone(UTC) if utc else dt).strftime("%Y-%m-%dT%H:%M:%S")


@dataclass
class Post:
    """An article as the themes see it (dates parsed, tags slugged, pages split)."""

    id: int
    slug: str
    title: str
    section: str
    category_slug: str
    tags: list[tuple[str, str]]
    author: str
    author_slug: str
    dateline: str
    published: datetime
    modified: datetime
    paragraphs: list[str]
    image_caption: str
    pages: list[list[str]] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)

    @property
    def excerpt(self) -> str:
        words = self.paragraphs[0].split()
        return " ".join(words[:30]) + (" [&hellip;]" if len(words) > 30 else "")


def split_pages(paragraphs: list[str]) -> list[list[str]]:
    """One page, or three roughly equal pages (by words) for a long article."""
    total = sum(len(p.split()) for p in paragraphs)
    if total <= SPLIT_WORDS or len(paragraphs) < 6:
        return [paragraphs]
    pages: list[list[str]] = [[]]
    seen = 0
    for para in paragraphs:
        if seen >= total * len(pages) / 3 and len(pages) < 3:
            pages.append([])
        pages[-1].append(para)
        seen += len(para.split())
    return pages


def prepare(articles: Iterable[dict[str, Any]]) -> list[Post]:
    """Posts newest first."""
    posts = []
    for art in articles:
        published = datetime.fromisoformat(art["published"]).astimezone(WIB)
        modified = datetime.fromisoformat(art["modified"]).astimezone(WIB) if art.get("modified") \
            else published
        posts.append(Post(
            id=int(art["id"]), slug=art["slug"], title=art["title"], section=art["section"],
            category_slug=art["category_slug"], tags=[(t, slugify(t)) for t in art["tags"]],
            author=art["author"], author_slug=slugify(art["author"]), dateline=art["dateline"],
            published=published, modified=modified, paragraphs=list(art["paragraphs"]),
            image_caption=art["image_caption"], pages=split_pages(list(art["paragraphs"])), raw=art,
        ))
    posts.sort(key=lambda p: (p.published, p.id), reverse=True)
    return posts


def chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


class Portal:
    """Everything a theme needs while it fills a Site."""

    def __init__(self, theme_dir: str | Path, articles: Iterable[dict[str, Any]], base_url: str,
                 now: datetime | None, **site_info: Any) -> None:
        self.posts = prepare(articles)
        self.base = base_url.rstrip("/")
        self.host = urlsplit(self.base).netloc
        latest = self.posts[0].published if self.posts else datetime(2025, 1, 1, tzinfo=WIB)
        # Deterministic default: the morning after the newest article, so the header "today"
        # never equals an article date and rebuilt sites keep their ETags.
        self.now = (now or (latest + timedelta(days=1)).replace(hour=6, minute=15, second=0))
        self.now = self.now.astimezone(WIB)
        self.site = Site()
        self.info = site_info
        self.by_id = {p.id: p for p in self.posts}
        self.by_category: dict[str, list[Post]] = {}
        self.by_tag: dict[str, list[Post]] = {}
        self.by_author: dict[str, list[Post]] = {}
        self.names: dict[str, str] = {}
        for post in self.posts:
            self.by_category.setdefault(post.category_slug, []).append(post)
            self.names[post.category_slug] = post.section
            self.by_author.setdefault(post.author_slug, []).append(post)
            self.names["author:" + post.author_slug] = post.author
            for name, slug in post.tags:
                self.by_tag.setdefault(slug, []).append(post)
                self.names["tag:" + slug] = name
        dirs = [Path(theme_dir), TEMPLATES / "common"]
        self.env = Environment(loader=FileSystemLoader([str(d) for d in dirs]),
                               autoescape=select_autoescape(["html", "xml"]),
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
        self.env.filters.update(long_date=long_date, disway_date=disway_date, iso=iso,
                                rfc822=rfc822, iso_utc=iso_utc, header_date=theme_header_date)
        self.env.globals.update(base=self.base, now=self.now, site=site_info, portal=self)

    def url(self, path: str) -> str:
        return self.base + path

    def render(self, template: str, **ctx: Any) -> str:
        return self.env.get_template(template).render(**ctx)

    def add(self, key: str, make: Callable[[], Resource]) -> None:
        self.site[key] = make

    def page(self, key: str, template: str, last_modified: datetime | None = None,
             content_type: str = HTML, headers: dict[str, str] | None = None, **ctx: Any) -> None:
        """Register a lazily rendered template under `key`."""
        def make() -> Resource:
            body = self.render(template, **ctx)
            return Resource(body.encode(), content_type, headers=dict(headers or {}),
                            last_modified=last_modified or self.now)
        self.site[key] = make

    def static(self, key: str, body: str, content_type: str, status: int = 200,
               headers: dict[str, str] | None = None) -> None:
        self.site[key] = Resource(body.encode(), content_type, status, dict(headers or {}),
                                  last_modified=self.now)

    def other(self, post: Post, step: int = 1) -> Post:
        """A different post for "Baca Juga" inserts (the `step`-th older one, wrapping)."""
        return self.posts[(self.index_of(post) + step) % len(self.posts)]

    def index_of(self, post: Post) -> int:
        if not hasattr(self, "_positions"):
            self._positions = {p.id: i for i, p in enumerate(self.posts)}
        return self._positions[post.id]

    def related(self, post: Post, n: int = 3) -> list[Post]:
        same = [p for p in self.by_category[post.category_slug][:n + 1] if p.id != post.id]
        return same[:n] or [self.other(post)]

    def latest_modified(self, posts: list[Post]) -> datetime:
        return max((p.modified for p in posts), default=self.now)

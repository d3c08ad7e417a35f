"""RSS feeds and XML sitemaps for the demo-portal themes (rendered from templates/common)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from crawler.demo.site import RSS, XML, Resource
from crawler.demo.themes.base import Portal, Post, iso


def add_rss(portal: Portal, key: str, posts: list[Post], *, link: Callable[[Post], str],
            content: Callable[[Post], str] | None, title: str, channel_link: str,
            description: str = "", size: int = 10) -> None:
    """WordPress-style RSS 2.0 of the `size` newest posts."""
    latest = posts[:size]

    def items() -> list[dict[str, object]]:
        return [{
            "title": p.title, "link": link(p), "creator": p.author, "published": p.published,
            "categories": [p.section] + [name for name, _ in p.tags],
            "guid": f"{portal.base}/?p={p.id}", "description": p.excerpt,
            "content": content(p) if content else "",
        } for p in latest]

    build = max((p.modified for p in latest), default=portal.now)
    portal.add(key, lambda: _xml(portal, "rss.xml", RSS, build, title=title, items=items(), build_date=build,
                                 self_url=portal.url(key), link=channel_link,
                                 description=description))


def add_urlset(portal: Portal, key: str, urls: Sequence[Mapping[str, object]],
               images: bool = False) -> None:
    """A <urlset>; each url is {loc, lastmod?: datetime, image?: str}."""
    stamps = [when for u in urls if isinstance(when := u.get("lastmod"), datetime)]
    last = max(stamps, default=portal.now)

    def make() -> Resource:
        rows = [{**u, "lastmod": iso(mod) if isinstance(mod := u.get("lastmod"), datetime) else mod}
                for u in urls]
        return _xml(portal, "urlset.xml", XML, last, urls=rows, images=images)

    portal.add(key, make)


def add_sitemapindex(portal: Portal, key: str, sitemaps: Sequence[Mapping[str, object]]) -> None:
    """A <sitemapindex>; each entry is {loc, lastmod?: datetime}."""
    stamps = [when for s in sitemaps if isinstance(when := s.get("lastmod"), datetime)]
    last = max(stamps, default=portal.now)
    rows = [{**s, "lastmod": iso(when) if isinstance(when := s.get("lastmod"), datetime) else None}
            for s in sitemaps]
    portal.add(key, lambda: _xml(portal, "sitemapindex.xml", XML, last, sitemaps=rows))


def _xml(portal: Portal, template: str, content_type: str, last: datetime,
         **ctx: object) -> Resource:
    return Resource(portal.render(template, **ctx).encode(), content_type, last_modified=last)

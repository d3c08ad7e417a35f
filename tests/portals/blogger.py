"""Held-out Blogger-like portal for tests: `/YYYY/MM/slug.html`, Atom feed, `/sitemap.xml`.

Markup deliberately differs from the shipped themes (crawler/demo/themes); nothing in the
crawler may special-case it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from crawler.demo.site import ATOM, TEXT, Site
from crawler.demo.themes.base import Portal, Post, chunks, iso, iso_utc
from crawler.demo.themes.feeds import add_urlset

TEMPLATES = Path(__file__).with_name("templates")
PER_PAGE = 8
FEED_SIZE = 25


def build_site(articles: list[dict[str, Any]], base_url: str,
               now: datetime | None = None) -> Site:
    portal = Portal(TEMPLATES, articles, base_url, now, name="Warta Bumi Rafflesia",
                    tagline="Kabar dari Bumi Rafflesia", blog_id="7310046519082263")
    posts = portal.posts

    def link(post: Post) -> str:
        return portal.url(f"/{post.published:%Y/%m}/{post.slug}.html")

    portal.env.filters["link"] = link
    portal.env.filters["iso_utc"] = iso_utc
    portal.info["labels"] = sorted(portal.by_tag)

    pages = chunks(posts, PER_PAGE)
    for n, group in enumerate(pages):
        # Blogger pages back through time with ?updated-max=<last post's date>.
        key = "/" if n == 0 else _older_key(pages[n - 1][-1])
        older = portal.url(_older_key(group[-1])) if n + 1 < len(pages) else None
        portal.page(key, "home.html", portal.latest_modified(group), posts=group, older=older,
                    canonical=portal.url(key), heading="")
    for slug, group in portal.by_tag.items():
        key = f"/search/label/{quote(portal.names['tag:' + slug])}"
        portal.page(key, "home.html", portal.latest_modified(group), posts=group[:20],
                    older=None, canonical=portal.url(key), heading=portal.names["tag:" + slug])
    for i, post in enumerate(posts):
        newer = posts[i - 1] if i > 0 else None
        older = posts[i + 1] if i + 1 < len(posts) else None
        portal.page(link(post).removeprefix(portal.base), "post.html", post.modified, post=post,
                    newer=newer, older=older, canonical=link(post))
    portal.page("/p/redaksi.html", "static.html", title="Redaksi",
                paragraphs=["Warta Bumi Rafflesia dikelola relawan jurnalis warga di Bengkulu.",
                            "Kirim tulisan ke redaksi melalui surel yang tertera di profil."],
                canonical=portal.url("/p/redaksi.html"))

    latest = posts[:FEED_SIZE]
    portal.page("/feeds/posts/default", "atom.xml", portal.latest_modified(latest), ATOM,
                posts=latest, total=len(posts), updated=portal.latest_modified(latest))
    add_urlset(portal, "/sitemap.xml", [{"loc": link(p), "lastmod": p.modified} for p in posts])
    portal.static("/robots.txt", "User-agent: Mediapartners-Google\nDisallow: \n\n"
                  "User-agent: *\nDisallow: /search\nAllow: /\n\n"
                  f"Sitemap: {portal.url('/sitemap.xml')}\n", TEXT)
    return portal.site


def _older_key(post: Post) -> str:
    return f"/search?updated-max={quote(iso(post.published))}&max-results={PER_PAGE}"

"""Theme `numeric`: a Disway/Tribun-like custom CMS with `/read/{id}/{slug}` URLs, no feed, no
sitemap and no REST API; discovery must go through `/indeks` and section pages. Long articles
are split into `?page=N` pages and also offered whole at `?page=all` ("Tampilkan semua")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from markupsafe import escape

from crawler.demo.site import HTML, TEXT, Resource, Site
from crawler.demo.themes.base import TEMPLATES, Portal, Post, chunks
from crawler.demo.themes.static import static_pages

PER_PAGE = 20
HOME_SIZE = 15
EDITORS = ["Rahmat Hidayat", "Sinta Maharani", "Joko Prasetyo", "Lusi Andriani"]
BRAND = "HARIANKITA.ID"


def build(articles: list[dict[str, Any]], base_url: str, now: datetime | None = None) -> Site:
    portal = Portal(TEMPLATES / "numeric", articles, base_url, now, name="Harian Kita",
                    tagline="Berita Terkini Bengkulu dan Jawa Barat", short="HK")
    posts = portal.posts

    def link(post: Post) -> str:
        return portal.url(f"/read/{post.id}/{post.slug}")

    portal.env.filters["link"] = link
    portal.info["menu"] = sorted((slug, portal.names[slug]) for slug in portal.by_category)
    portal.info["popular"] = posts[3:8]

    portal.page("/", "listing.html", portal.latest_modified(posts[:HOME_SIZE]), heading="",
                headline=posts[0] if posts else None, posts=posts[1:HOME_SIZE], page_no=1,
                canonical=portal.url("/"), prev_url=None,
                next_url=portal.url("/indeks") if posts else None)
    _listing(portal, "/indeks", posts, "Indeks Berita")
    for slug, group in portal.by_category.items():
        _listing(portal, f"/kategori/{slug}", group, portal.names[slug])
    for post in posts:
        _article(portal, post, link(post))
    for slug, title, paragraphs in static_pages("Harian Kita", "Kota Bengkulu"):
        portal.page(f"/{slug}", "static.html", title=title, paragraphs=paragraphs,
                    canonical=portal.url(f"/{slug}"))
    portal.static("/robots.txt", "User-agent: *\nDisallow: /search\nDisallow: /api/\n", TEXT)
    return portal.site


def _listing(portal: Portal, path: str, posts: list[Post], heading: str) -> None:
    pages = chunks(posts, PER_PAGE)

    def url(n: int) -> str:
        return portal.url(path if n == 1 else f"{path}?page={n}")

    for n, group in enumerate(pages, start=1):
        key = path if n == 1 else f"{path}?page={n}"
        portal.page(key, "listing.html", portal.latest_modified(group), heading=heading,
                    headline=None, posts=group, page_no=n, canonical=url(n),
                    prev_url=url(n - 1) if n > 1 else None,
                    next_url=url(n + 1) if n < len(pages) else None)


def _blocks(portal: Portal, post: Post, paragraphs: list[str], first_page: bool,
            step: int) -> list[str]:
    blocks = []
    for i, para in enumerate(paragraphs):
        if first_page and i == 0:
            blocks.append(f"<p><strong>{escape(post.dateline)}, {BRAND}</strong> - "
                          f"{escape(para)}</p>")
        else:
            blocks.append(f"<p>{escape(para)}</p>")
        # Disway-style inserts: one related, one from far down the index.
        if i in (1, 4):
            other = portal.other(post, step + (7 if i == 4 else 0))
            blocks.append(f'<p><strong>BACA JUGA:</strong> <a href="'
                          f'{portal.url(f"/read/{other.id}/{other.slug}")}">'
                          f"{escape(other.title)}</a></p>")
    return blocks


def _article(portal: Portal, post: Post, article_url: str) -> None:
    editor = EDITORS[post.id % len(EDITORS)]
    key = article_url.removeprefix(portal.base)
    count = len(post.pages)
    common = dict(post=post, editor=editor, article_url=article_url, canonical=article_url,
                  related=portal.related(post), host=portal.host, page_count=count)

    def make(page_no: int) -> Resource:
        if page_no == 0:  # ?page=all
            blocks = _blocks(portal, post, post.paragraphs, True, 1)
        else:
            blocks = _blocks(portal, post, post.pages[page_no - 1], page_no == 1, page_no)
        body = portal.render("article.html", blocks=blocks, page_no=page_no,
                             last_page=page_no in (0, count), **common)
        return Resource(body.encode(), HTML, last_modified=post.modified)

    portal.add(key, lambda: make(1))
    if count > 1:
        portal.add(key + "?page=1", lambda: make(1))
        portal.add(key + "?page=all", lambda: make(0))
        for n in range(2, count + 1):
            portal.add(f"{key}?page={n}", lambda n=n: make(n))  # type: ignore[misc]

"""Theme `wp-news`: a Progres.id-like WordPress news portal with `.html` permalinks, AMP views,
Yoast sitemaps (not announced in robots.txt), an RSS feed linked only from <head>, and the
REST API switched off."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crawler.demo.site import TEXT, Site
from crawler.demo.themes.base import TEMPLATES, Portal, Post, chunks
from crawler.demo.themes.feeds import add_rss, add_sitemapindex, add_urlset
from crawler.demo.themes.static import static_pages

PER_PAGE = 10
YOAST_MAX = 1000  # Yoast SEO's default entries per sitemap file


def build(articles: list[dict[str, Any]], base_url: str, now: datetime | None = None) -> Site:
    portal = Portal(TEMPLATES / "wp_news", articles, base_url, now, name="Portal.id",
                    tagline="Portal Berita Bengkulu dan Sekitarnya", brand="PORTAL.ID")
    posts = portal.posts

    def link(post: Post) -> str:
        return portal.url(f"/{post.category_slug}/{post.slug}.html")

    portal.env.filters["link"] = link
    portal.info["menu"] = sorted((slug, portal.names[slug]) for slug in portal.by_category)
    portal.info["popular"] = posts[1:6]

    _listing(portal, "", posts, "", "home blog")
    for slug, group in portal.by_category.items():
        _listing(portal, f"/{slug}", group, portal.names[slug], f"archive category category-{slug}")
    for slug, group in portal.by_tag.items():
        _listing(portal, f"/tag/{slug}", group, portal.names["tag:" + slug], f"archive tag tag-{slug}")
    for slug, group in portal.by_author.items():
        _listing(portal, f"/author/{slug}", group, portal.names["author:" + slug],
                 f"archive author author-{slug}")
    for post in posts:
        canonical = link(post)
        key = canonical.removeprefix(portal.base)
        ctx: dict[str, Any] = dict(post=post, canonical=canonical, related=portal.related(post),
                                   image=portal.url(f"/wp-content/uploads/{post.published:%Y/%m}/{post.id}.jpg"))
        portal.page(key, "article.html", post.modified, **ctx)
        portal.page(key + "?amp=1", "amp.html", post.modified, **ctx)
    pages = static_pages("Portal.id", "Kota Bengkulu")
    for slug, title, paragraphs in pages:
        portal.page(f"/{slug}/", "static.html", title=title, paragraphs=paragraphs,
                    canonical=portal.url(f"/{slug}/"))

    add_rss(portal, "/feed/", posts, link=link, content=None, title="Portal.id",
            channel_link=portal.url("/"), description="Portal Berita Bengkulu dan Sekitarnya")
    _yoast(portal, link, [slug for slug, _, _ in pages])
    # Like many small portals: robots.txt without a Sitemap line, so it must be guessed.
    portal.static("/robots.txt", "User-agent: *\nDisallow: /wp-admin/\n"
                  "Allow: /wp-admin/admin-ajax.php\n", TEXT)
    return portal.site


def _listing(portal: Portal, prefix: str, posts: list[Post], heading: str,
             body_class: str) -> None:
    pages = chunks(posts, PER_PAGE)

    def page_url(n: int) -> str:
        return portal.url(f"{prefix}/" if n == 1 else f"{prefix}/page/{n}/")

    for n, group in enumerate(pages, start=1):
        key = f"{prefix}/" if n == 1 else f"{prefix}/page/{n}/"
        portal.page(key, "listing.html", portal.latest_modified(group), posts=group,
                    heading=heading, page_no=n, page_count=len(pages), canonical=page_url(n),
                    page_url=page_url, body_class=body_class,
                    prev_url=page_url(n - 1) if n > 1 else None,
                    next_url=page_url(n + 1) if n < len(pages) else None)


def _yoast(portal: Portal, link: Any, page_slugs: list[str]) -> None:
    # Yoast lists posts oldest-modified first, so new posts land in the last file.
    by_modified = sorted(portal.posts, key=lambda p: (p.modified, p.id))
    index: list[dict[str, object]] = []
    for n, group in enumerate(chunks(by_modified, YOAST_MAX), start=1):
        key = "/post-sitemap.xml" if n == 1 else f"/post-sitemap{n}.xml"
        add_urlset(portal, key, [
            {"loc": link(p), "lastmod": p.modified,
             "image": portal.url(f"/wp-content/uploads/{p.published:%Y/%m}/{p.id}.jpg")}
            for p in group], images=True)
        index.append({"loc": portal.url(key), "lastmod": group[-1].modified if group else None})
    add_urlset(portal, "/page-sitemap.xml", [{"loc": portal.url("/")}] +
               [{"loc": portal.url(f"/{slug}/")} for slug in page_slugs])
    index.append({"loc": portal.url("/page-sitemap.xml"), "lastmod": portal.now})
    add_urlset(portal, "/category-sitemap.xml",
               [{"loc": portal.url(f"/{slug}/"), "lastmod": group[0].modified}
                for slug, group in portal.by_category.items()])
    index.append({"loc": portal.url("/category-sitemap.xml"),
                  "lastmod": portal.latest_modified(portal.posts)})
    add_sitemapindex(portal, "/sitemap_index.xml", index)

"""Theme `wp-magazine`: a Prolite-like WordPress magazine portal (feeds, core sitemaps, REST API,
tag/category/author archives, multi-page posts, `?print=print` views)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from markupsafe import escape

from crawler.demo.site import JSON, TEXT, Resource, Site
from crawler.demo.themes.base import TEMPLATES, WIB, Portal, Post, chunks, iso, wp_local
from crawler.demo.themes.feeds import add_rss, add_sitemapindex, add_urlset
from crawler.demo.themes.static import static_pages

PER_PAGE = 10
SITEMAP_MAX = 2000  # WordPress core default for wp_sitemaps_max_urls


def build(articles: list[dict[str, Any]], base_url: str, now: datetime | None = None) -> Site:
    portal = Portal(TEMPLATES / "wp_magazine", articles, base_url, now, name="Prolite",
                    tagline="Berita Bandung Raya Terkini", brand="Prolite",
                    credit="dok Pemkot Bandung")
    posts = portal.posts
    portal.info["menu"] = sorted((slug, portal.names[slug]) for slug in portal.by_category)[:8]
    portal.info["popular"] = posts[2:7]
    portal.info["tag_cloud"] = sorted(
        ((slug, portal.names["tag:" + slug]) for slug in portal.by_tag),
        key=lambda item: -len(portal.by_tag[item[0]]))[:15]

    _listing(portal, "", posts, heading="", kind="", body_class="home blog")
    for slug, group in portal.by_category.items():
        _listing(portal, f"/category/{slug}", group, portal.names[slug], "Kategori",
                 f"archive category category-{slug}", feed=True)
    for slug, group in portal.by_tag.items():
        _listing(portal, f"/tag/{slug}", group, portal.names["tag:" + slug], "Tag",
                 f"archive tag tag-{slug}")
    for slug, group in portal.by_author.items():
        _listing(portal, f"/author/{slug}", group, portal.names["author:" + slug], "Penulis",
                 f"archive author author-{slug}")
    for post in posts:
        _article(portal, post)
    for slug, title, paragraphs in static_pages("Prolite", "Kota Bandung"):
        portal.page(f"/{slug}/", "static.html", title=title, paragraphs=paragraphs,
                    canonical=portal.url(f"/{slug}/"))

    add_rss(portal, "/feed/", posts, link=lambda p: portal.url(f"/{p.slug}/"),
            content=lambda p: "\n".join(_content_blocks(portal, p, all_pages=True)),
            title="Prolite", channel_link=portal.url("/"), description="Berita Bandung Raya")
    add_rss(portal, "/comments/feed/", [], link=lambda p: "", content=None,
            title="Komentar untuk Prolite", channel_link=portal.url("/"))
    for slug, group in portal.by_category.items():
        add_rss(portal, f"/category/{slug}/feed/", group, link=lambda p: portal.url(f"/{p.slug}/"),
                content=None, title=f"Prolite » {portal.names[slug]}",
                channel_link=portal.url(f"/category/{slug}/"))
    _sitemaps(portal)
    portal.static("/robots.txt", "User-agent: *\nDisallow: /wp-admin/\n"
                  "Allow: /wp-admin/admin-ajax.php\n\n"
                  f"Sitemap: {portal.url('/wp-sitemap.xml')}\n", TEXT)
    _rest(portal)
    return portal.site


def _listing(portal: Portal, prefix: str, posts: list[Post], heading: str, kind: str,
             body_class: str, feed: bool = False) -> None:
    pages = chunks(posts, PER_PAGE)

    def url(n: int) -> str:
        return portal.url(f"{prefix}/" if n == 1 else f"{prefix}/page/{n}/")

    for n, group in enumerate(pages, start=1):
        key = f"{prefix}/" if n == 1 else f"{prefix}/page/{n}/"
        ctx: dict[str, Any] = dict(posts=group, heading=heading, kind=kind, page_no=n, canonical=url(n),
                                   body_class=body_class + (" paged" if n > 1 else ""),
                                   prev_url=url(n - 1) if n > 1 else None,
                                   next_url=url(n + 1) if n < len(pages) else None,
                                   feed_url=portal.url(f"{prefix}/feed/") if feed else None)
        modified = portal.latest_modified(group)
        portal.page(key, "listing.html", modified, **ctx)
        # PDF & Print plugin: the whole archive page in full text, without dates.
        portal.page(key + "?print=print-search", "print.html", modified, heading=heading or "Prolite",
                    canonical=url(n), items=[_print_item(portal, p) for p in group])


def _image(portal: Portal, post: Post) -> str:
    return portal.url(f"/wp-content/uploads/{post.published:%Y/%m}/{post.slug[:40]}.jpg")


def _content_blocks(portal: Portal, post: Post, page: int = 1, all_pages: bool = False,
                    markers: bool = False) -> list[str]:
    """The post_content as typed by the journalist: dateline, paragraphs, an in-body photo
    whose credit is printed twice (caption + credit line, as on Prolite)."""
    credit = escape(portal.info["credit"])
    blocks: list[str] = []
    page_range = range(len(post.pages)) if all_pages else [page - 1]
    for index in page_range:
        if index > 0 and markers:
            blocks.append("<!--nextpage-->")
        for i, para in enumerate(post.pages[index]):
            if index == 0 and i == 0:
                blocks.append(f"<p><strong>{escape(post.dateline)}, Prolite</strong> &#8211; "
                              f"{escape(para)}</p>")
            else:
                blocks.append(f"<p>{escape(para)}</p>")
            if index == 0 and i == 1:
                blocks.append(
                    f'<figure class="wp-block-image size-large"><img src="{_image(portal, post)}" '
                    f'alt="{credit}" width="800" height="450"><figcaption class="wp-element-caption">'
                    f'{credit}</figcaption></figure>\n<p class="has-small-font-size">{credit}</p>')
    return blocks


def _print_item(portal: Portal, post: Post) -> dict[str, Any]:
    return {"post": post, "image": _image(portal, post),
            "blocks": _content_blocks(portal, post, all_pages=True)}


def _article(portal: Portal, post: Post) -> None:
    link = portal.url(f"/{post.slug}/")
    index = portal.index_of(post)
    newer = portal.posts[index - 1] if index > 0 else None
    older = portal.posts[index + 1] if index + 1 < len(portal.posts) else None
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": post.title,
        "datePublished": iso(post.published), "dateModified": iso(post.modified),
        "author": {"@type": "Person", "name": post.author,
                   "url": portal.url(f"/author/{post.author_slug}/")},
        "publisher": {"@type": "Organization", "name": "Prolite",
                      "logo": {"@type": "ImageObject", "url": portal.url("/logo.png")}},
        "image": [_image(portal, post)], "mainEntityOfPage": link,
        "articleSection": post.section, "keywords": [name for name, _ in post.tags],
    }
    for n in range(1, len(post.pages) + 1):
        key = f"/{post.slug}/" if n == 1 else f"/{post.slug}/{n}/"

        def make(n: int = n, key: str = key) -> Resource:
            blocks = _content_blocks(portal, post, page=n)
            if n == 1:
                other = portal.other(post)
                insert = (f'<p class="baca-juga"><strong>Baca Juga:</strong> <a href="'
                          f'{portal.url("/" + other.slug + "/")}">{escape(other.title)}</a></p>')
                blocks.insert(2, insert)
            body = portal.render("article.html", post=post, blocks=blocks, page_no=n,
                                 page_count=len(post.pages), canonical=portal.url(key), ld=ld,
                                 image=_image(portal, post), related=portal.related(post),
                                 newer=newer, older=older)
            return Resource(body.encode(), "text/html; charset=UTF-8",
                            headers={"Link": f'<{portal.url(f"/?p={post.id}")}>; rel=shortlink'},
                            last_modified=post.modified)

        portal.add(key, make)
    portal.page(f"/{post.slug}/?print=print", "print.html", post.modified, heading=post.title,
                canonical=link, items=[_print_item(portal, post)])
    portal.site[f"/?p={post.id}"] = Resource(b"", "text/html; charset=UTF-8", 301,
                                             {"Location": link})


def _sitemaps(portal: Portal) -> None:
    by_id = sorted(portal.posts, key=lambda p: p.id)  # core sitemaps list posts by ID ascending
    files = chunks(by_id, SITEMAP_MAX)
    index: list[dict[str, object]] = []
    for n, group in enumerate(files, start=1):
        key = f"/wp-sitemap-posts-post-{n}.xml"
        add_urlset(portal, key, [{"loc": portal.url(f"/{p.slug}/"), "lastmod": p.modified}
                                 for p in group])
        index.append({"loc": portal.url(key)})
    pages = [{"loc": portal.url(f"/{slug}/")} for slug, _, _ in static_pages("Prolite", "")]
    add_urlset(portal, "/wp-sitemap-posts-page-1.xml", pages)
    add_urlset(portal, "/wp-sitemap-taxonomies-category-1.xml",
               [{"loc": portal.url(f"/category/{slug}/")} for slug in portal.by_category])
    add_urlset(portal, "/wp-sitemap-taxonomies-post_tag-1.xml",
               [{"loc": portal.url(f"/tag/{slug}/")} for slug in portal.by_tag])
    add_urlset(portal, "/wp-sitemap-users-1.xml",
               [{"loc": portal.url(f"/author/{slug}/")} for slug in portal.by_author])
    for name in ("posts-page", "taxonomies-category", "taxonomies-post_tag", "users"):
        index.append({"loc": portal.url(f"/wp-sitemap-{name}-1.xml")})
    add_sitemapindex(portal, "/wp-sitemap.xml", index)


def _term_ids(portal: Portal) -> dict[str, int]:
    """Stable numeric ids for authors, categories and tags, as the REST API exposes them."""
    ids = portal.info.get("term_ids")
    if ids is None:
        ids = {}
        for kind, terms in (("author", portal.by_author), ("category", portal.by_category),
                            ("tag", portal.by_tag)):
            ids.update({f"{kind}:{slug}": n for n, slug in enumerate(sorted(terms), start=2)})
        portal.info["term_ids"] = ids
    return ids


def _rest_item(portal: Portal, post: Post) -> dict[str, Any]:
    link = portal.url(f"/{post.slug}/")
    ids = _term_ids(portal)
    return {
        "id": post.id, "date": wp_local(post.published), "date_gmt": wp_local(post.published, True),
        "guid": {"rendered": portal.url(f"/?p={post.id}")},
        "modified": wp_local(post.modified), "modified_gmt": wp_local(post.modified, True),
        "slug": post.slug, "status": "publish", "type": "post", "link": link,
        "title": {"rendered": str(escape(post.title))},
        "content": {"rendered": "\n".join(_content_blocks(portal, post, all_pages=True,
                                                         markers=True)), "protected": False},
        "excerpt": {"rendered": f"<p>{post.excerpt}</p>\n", "protected": False},
        "author": ids["author:" + post.author_slug],
        "featured_media": 0, "comment_status": "open", "sticky": False, "format": "standard",
        "categories": [ids["category:" + post.category_slug]],
        "tags": [ids["tag:" + slug] for _, slug in post.tags],
    }


def _rest_error(code: str, message: str, status: int) -> Resource:
    body = json.dumps({"code": code, "message": message, "data": {"status": status}})
    return Resource(body.encode(), JSON, status)


def _rest(portal: Portal) -> None:
    api = portal.url("/wp-json/")
    portal.static("/wp-json/", json.dumps({
        "name": "Prolite", "description": "Berita Bandung Raya Terkini", "url": portal.base,
        "home": portal.base, "gmt_offset": "7", "timezone_string": "Asia/Jakarta",
        "namespaces": ["oembed/1.0", "wp/v2", "wp-site-health/v1"],
        "routes": {"/wp/v2/posts": {"namespace": "wp/v2", "methods": ["GET"]}},
    }), JSON)
    cache: dict[str, Resource] = {}

    def route(path: str, query: dict[str, str]) -> Resource | None:
        if path.rstrip("/") == "/wp-json/wp/v2/posts":
            key = json.dumps(sorted((k, v) for k, v in query.items() if k != "_fields"))
            if key not in cache:
                if len(cache) > 512:
                    cache.clear()
                cache[key] = _rest_posts(portal, query)
            return cache[key]
        if path.startswith("/wp-json/wp/v2/posts/"):
            tail = path.removeprefix("/wp-json/wp/v2/posts/").strip("/")
            post = portal.by_id.get(int(tail)) if tail.isdigit() else None
            if post is None:
                return _rest_error("rest_post_invalid_id", "ID pos tidak valid.", 404)
            return Resource(json.dumps(_rest_item(portal, post)).encode(), JSON,
                            last_modified=post.modified)
        if path.startswith("/wp-json"):
            return _rest_error("rest_no_route", "Tidak ada rute yang cocok dengan URL.", 404)
        return None

    portal.site.add_route("/wp-json", route)
    portal.info["api"] = api


def _local(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=WIB)


def _rest_posts(portal: Portal, query: dict[str, str]) -> Resource:
    try:
        per_page = int(query.get("per_page", "10"))
        page = int(query.get("page", "1"))
    except ValueError:
        return _rest_error("rest_invalid_param", "Parameter tidak valid: per_page, page", 400)
    if not 1 <= per_page <= 100 or page < 1:
        return _rest_error("rest_invalid_param", "Parameter tidak valid: per_page", 400)
    posts = portal.posts
    try:
        # WordPress reads a date without offset as site-local time (WIB here).
        if "after" in query:
            after = _local(query["after"])
            posts = [p for p in posts if p.published > after]
        if "modified_after" in query:
            after = _local(query["modified_after"])
            posts = [p for p in posts if p.modified > after]
    except ValueError:
        return _rest_error("rest_invalid_param", "Parameter tidak valid: after", 400)
    if query.get("order") == "asc":
        posts = list(reversed(posts))
    total = len(posts)
    total_pages = max(1, -(-total // per_page)) if total else 0
    if page > max(total_pages, 1):
        return _rest_error("rest_post_invalid_page_number",
                           "Nomor halaman yang diminta lebih besar dari jumlah halaman yang tersedia.",
                           400)
    group = posts[(page - 1) * per_page: page * per_page]
    body = json.dumps([_rest_item(portal, p) for p in group], ensure_ascii=False)
    return Resource(body.encode(), JSON, headers={"X-WP-Total": str(total),
                                                  "X-WP-TotalPages": str(total_pages)},
                    last_modified=portal.latest_modified(group))

"""URL handling for the extract stage: canonical article URLs (tracking, AMP and print views
removed) and the article's own pager links (multi-page articles)."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import html as lxml_html

_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|igshid)$", re.I)
# Parameters that only select another view of the same article.
_VIEW_PARAMS = {("amp", "1"), ("amp", ""), ("amp", "true"), ("print", "print"), ("print", "1")}
_PAGE_KEYS = ("page", "halaman", "hal")
_ALL_VALUES = ("all", "semua")
_TRAILING_PAGE = re.compile(r"^(?P<base>.+?)/(?P<n>[2-9]|[1-4]\d)/?$")
_ALL_TEXT = re.compile(r"^\s*(tampilkan semua|lihat semua halaman|baca dalam satu halaman|"
                       r"show all|single page|lihat semua)\s*$", re.I)


@lru_cache(maxsize=8192)  # share buttons and pagers repeat the same URLs on every page
def clean_url(url: str, *, drop_views: bool = True) -> str:
    """Drop the fragment and tracking parameters; optionally AMP/print view markers."""
    parts = urlsplit(url.strip())
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.match(k) and not (drop_views and (k.lower(), v.lower()) in _VIEW_PARAMS)
    ]
    path = parts.path or "/"
    if drop_views:
        # WordPress AMP endpoint "/slug/amp/" (not Disway's "/amp/<id>/", which needs canonical)
        path = re.sub(r"(?<=.)/amp/?$", "/", path)
    netloc = parts.netloc.lower()
    return urlunsplit((parts.scheme.lower(), netloc, path, urlencode(query), ""))


def absolute(href: str | None, base: str) -> str | None:
    if not href or not href.strip() or href.strip().startswith(("javascript:", "mailto:", "#")):
        return None
    return urljoin(base, href.strip())


@lru_cache(maxsize=8192)
def _page_of(url: str) -> tuple[str, int | str]:
    """Split `url` into (article key, page number or "all")."""
    parts = urlsplit(clean_url(url))
    query = parse_qsl(parts.query, keep_blank_values=True)
    rest = []
    page: int | str = 1
    for k, v in query:
        if k.lower() in _PAGE_KEYS:
            if v.lower() in _ALL_VALUES:
                page = "all"
            elif v.isdigit():
                page = int(v)
            continue
        rest.append((k, v))
    path = parts.path
    m = _TRAILING_PAGE.match(path)
    # "/page/2/" is archive pagination, never a split article
    if m and page == 1 and not m["base"].endswith("/page"):
        page, path = int(m["n"]), m["base"] + "/"
    key = urlunsplit(("", parts.netloc, path.rstrip("/"), urlencode(sorted(rest)), ""))
    return key, page


def _stems(url: str) -> set[str]:
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s and not s.isdigit()]
    if segments:
        return {segments[-1]}
    # "/?p=11": the article is its query ("?p=11&page=2" is its page 2)
    return {f"{k}={v}" for k, v in parse_qsl(parts.query) if k.lower() not in _PAGE_KEYS}


def _maybe_same(href: str | None, stems: set[str]) -> bool:
    if not href:
        return False
    href = href.strip()
    return href.startswith("?") or href.rstrip("/").isdigit() or any(s in href for s in stems)


def continuation_links(
    tree: lxml_html.HtmlElement, page_url: str, canonical: str
) -> tuple[str, ...]:
    """Further pages of this article (or its single-page view) found among the page's links."""
    keys = {_page_of(page_url)[0], _page_of(canonical)[0]}
    current = _page_of(page_url)[1]
    current_n = current if isinstance(current, int) else 1
    pages: dict[int, str] = {}
    all_view: str | None = None
    # Cheap pre-filter: a page of this article repeats its slug or is a bare query/number link.
    stems = {s for u in (page_url, canonical) for s in _stems(u)}
    anchors = [a for a in tree.iter("a") if _maybe_same(a.get("href"), stems)]
    candidates = [(a.get("href"), a.text_content()) for a in anchors]
    candidates += [(href, "") for href in (
        el.get("href") for el in tree.iter("link") if "next" in (el.get("rel") or "").lower()
    ) if _maybe_same(href, stems)]
    for href, label in candidates:
        url = absolute(href, page_url)
        if not url or urlsplit(url).scheme not in ("http", "https"):
            continue
        key, page = _page_of(url)
        if key not in keys:
            continue
        if page == "all" or (label and _ALL_TEXT.match(label)):
            all_view = all_view or clean_url(url)
        elif isinstance(page, int) and page > current_n:
            pages.setdefault(page, clean_url(url))
    if all_view:
        return (all_view,)
    return tuple(pages[n] for n in sorted(pages))

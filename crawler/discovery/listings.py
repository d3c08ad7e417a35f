"""Listing pages (home, sections, index pages): article links and the next page of the list."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import html as lxml_html

from crawler.discovery.urls import in_domains, looks_like_article, normalize_url

_NEXT_TEXT = re.compile(
    r"^\s*(selanjutnya|berikutnya|halaman berikutnya|next( page)?|older( posts| entries)?|"
    r"lebih lama|berita lainnya|muat lebih|load more|›|»|>|>>|→)\s*[›»>→]*\s*$",
    re.I,
)


def _document(page: bytes | str) -> lxml_html.HtmlElement | None:
    try:
        return lxml_html.fromstring(page)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return None


def listing_links(page: bytes | str, base_url: str, domains: tuple[str, ...]) -> list[str]:
    """Normalised links on a page that look like articles of the portal, in page order."""
    doc = _document(page)
    if doc is None:
        return []
    seen: set[str] = set()
    links: list[str] = []
    for anchor in doc.iter("a"):
        href = anchor.get("href")
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "whatsapp:")):
            continue
        url = normalize_url(urljoin(base_url, href))
        if url in seen or not in_domains(url, domains) or not looks_like_article(url):
            continue
        seen.add(url)
        links.append(url)
    return links


def _page_number(url: str) -> int | None:
    parts = urlsplit(url)
    match = re.search(r"/(?:page|halaman)/(\d+)/?$", parts.path)
    if match:
        return int(match.group(1))
    for key, value in parse_qsl(parts.query):
        if key in ("page", "halaman", "hal", "paged", "p") and value.isdigit():
            return int(value)
    return None


def next_listing_page(page: bytes | str, base_url: str, domains: tuple[str, ...]) -> str | None:
    """The next page of a paginated list: rel="next", a "Selanjutnya"/"Berikutnya"/"Next" link,
    or the link to page N+1 ("/page/3/", "?page=3") of the current page N."""
    doc = _document(page)
    if doc is None:
        return None
    current = _page_number(base_url) or 1
    candidates: list[str] = []
    for element in doc.xpath("//link[@rel='next'] | //a[contains(concat(' ', @rel, ' '), ' next ')]"):
        if element.get("href"):
            candidates.append(urljoin(base_url, element.get("href")))
    numbered: list[str] = []
    for anchor in doc.iter("a"):
        href = anchor.get("href")
        if not href:
            continue
        url = urljoin(base_url, href)
        text = anchor.text_content().strip()
        label = (anchor.get("aria-label") or anchor.get("title") or "").strip()
        if _NEXT_TEXT.match(text) or _NEXT_TEXT.match(label) or "next" in (anchor.get("class") or ""):
            candidates.append(url)
        elif _page_number(url) == current + 1:
            numbered.append(url)
    for url in candidates + numbered:
        if not in_domains(url, domains) or normalize_url(url) == normalize_url(base_url):
            continue
        number = _page_number(url)
        # A "next" link that leads back (or to an article) is not the list's next page.
        if number is not None and number <= current:
            continue
        if number is None and looks_like_article(normalize_url(url)):
            continue
        return url
    return None

"""RSS and Atom: where a portal announces its feeds, and the article links a feed lists."""

from __future__ import annotations

import io
from urllib.parse import urljoin

import feedparser
from lxml import html as lxml_html

_FEED_TYPES = {
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
}


def feed_links(page: bytes | str, base_url: str) -> list[str]:
    """Feeds announced by ``<link rel="alternate" type="application/rss+xml">`` in a page.

    Comment feeds (WordPress adds one per post) are left out: they list comments, not articles.
    """
    try:
        doc = lxml_html.fromstring(page)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return []
    found: list[str] = []
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = link.get("href")
        if "alternate" not in rel or kind not in _FEED_TYPES or not href:
            continue
        title = (link.get("title") or "").lower()
        url = urljoin(base_url, href)
        if "comment" in title or "komentar" in title or "/comments/" in url:
            continue
        if url not in found:
            found.append(url)
    return found


def parse_feed(body: bytes) -> list[tuple[str, str | None]]:
    """Article links of an RSS/Atom document with their published date (ISO), newest first as
    the feed lists them. A document that is not a feed gives an empty list."""
    # A stream, never the bytes themselves: feedparser reads a string that looks like a URL or a
    # path as one to open. Only links and dates are used, so the entries' HTML is neither
    # sanitized nor has its links resolved (that was more than half of a recheck's parse).
    parsed = feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)
    if parsed.bozo and not parsed.entries:
        return []
    entries: list[tuple[str, str | None]] = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            # Atom feeds may carry several links; the alternate one is the article.
            for candidate in entry.get("links", []):
                if candidate.get("rel") in (None, "alternate") and candidate.get("href"):
                    link = candidate["href"]
                    break
        if link:
            entries.append((link, entry.get("published") or entry.get("updated")))
    return entries

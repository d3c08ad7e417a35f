"""The extract stage proper: one HTML page in, one `Extracted` value out (crawl -> extract
-> classify); multi-page articles are joined with `merge_pages`."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace

from lxml import etree
from lxml import html as lxml_html

from .body import FAST, body_text
from .dates import zone
from .fields import (
    canonical_url,
    find_author,
    find_image,
    find_language,
    find_section,
    find_tags,
    find_title,
    title_region,
)
from .meta import read_meta
from .model import Extracted
from .pagekind import count_teasers, decide, url_kind
from .published import find_published, off_article
from .urls import continuation_links

# trafilatura logs a warning for every page too short to extract (listings, static pages).
logging.getLogger("trafilatura").setLevel(logging.ERROR)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def parse_html(html: str | bytes) -> lxml_html.HtmlElement:
    """Parse once with lxml; bytes keep their declared charset, str drops an XML declaration."""
    if isinstance(html, str):
        html = _XML_DECL.sub("", html)
    if not html or not html.strip():
        return lxml_html.document_fromstring("<html><body></body></html>")
    try:
        return lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):  # e.g. a document of comments only
        return lxml_html.document_fromstring("<html><body></body></html>")


def extract(
    html: str | bytes,
    url: str,
    *,
    timezone: str = "Asia/Jakarta",
    site_names: Sequence[str] = (),
    listed: str | None = None,
) -> Extracted:
    """Extract the article carried by `html`, fetched from `url`.

    `site_names`: names the source is known by (its home page, its repeated title affixes);
    `listed`: the date the feed, sitemap or REST API gave for this URL (RFC 822 or ISO 8601).
    """
    tz = zone(timezone)
    tree = parse_html(html)
    pm = read_meta(tree)
    canonical = canonical_url(pm, url)
    title, title_el = find_title(tree, pm, url, site_names)
    region = _on_article(list(title_region(title_el, 1500)), title_el)
    published, modified = find_published(pm, title_el, region, url, tz, listed)
    author = find_author(pm, list(title_region(title_el, 600)))
    section, tags = find_section(pm, tree), find_tags(pm, tree)
    image = find_image(pm, title_el, url)
    teasers = count_teasers(tree)
    pager = continuation_links(tree, url, canonical)
    if url_kind(canonical) == "listing":
        text, lead, how = "", None, FAST  # teaser lists are not article text; trafilatura is slow on them
    else:
        text, lead, how = body_text(tree, url, title, title_el)  # last: takes the body out of tree
    kind = decide(tree, pm, canonical, title, text, published, teasers)
    return Extracted(
        url=canonical,
        title=title,
        text=text,
        lead=lead,
        published=published,
        modified=modified,
        author=author,
        section=section,
        tags=tags,
        image=image,
        language=find_language(pm, text),
        is_article=kind == "article",
        continuation=pager if kind in ("article", "weak") else (),
        page_kind=kind,
        page_title=" ".join((tree.findtext(".//title") or "").split()),
        body_source=how,
    )


def _on_article(region: list[lxml_html.HtmlElement], title_el: lxml_html.HtmlElement | None
                ) -> list[lxml_html.HtmlElement]:
    """The title region without nav/sidebar/related zones that do not also hold the headline."""
    if title_el is None:
        return []
    shared = {id(a) for a in title_el.iterancestors()}
    return [el for el in region if not off_article(el, None, shared)]


def merge_pages(parts: Sequence[Extracted]) -> Extracted:
    """Join the pages of a split article: first page's metadata, texts in order, repeats dropped."""
    if not parts:
        raise ValueError("merge_pages needs at least one page")
    seen: set[str] = set()
    paragraphs: list[str] = []
    for part in parts:
        for para in part.text.split("\n\n"):
            key = re.sub(r"\W+", " ", para).strip().lower()
            if not key or key in seen:
                continue  # headers, captions and teasers repeated on every page
            seen.add(key)
            paragraphs.append(para)
    first = parts[0]
    tags = tuple(dict.fromkeys(t for p in parts for t in p.tags))
    return replace(first, text="\n\n".join(paragraphs), tags=tags, continuation=())

"""Article fields for the extract stage: title, canonical URL, dates, author, section, tags,
image and language, from structured metadata first and the title block second."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, tzinfo
from urllib.parse import urlsplit

from lxml import html as lxml_html

from .dates import parse_iso, search_date
from .meta import PageMeta, ld_list, ld_text
from .urls import absolute, clean_url

_SEPARATORS = re.compile(r"\s+[|\-–—•:]\s+")
_DATEISH = re.compile(r"date|time|tanggal|waktu|publish|posted|byline|meta|info|author|penulis",
                      re.I)
_OFF_ARTICLE = re.compile(r"nav|menu|top-?bar|sidebar|widget|footer|related|terkait|breaking"
                          r"|ticker|trending|popular|populer|comment|komentar", re.I)
_BYLINE_AUTHOR = re.compile(
    r"(?:^|\b)(?i:reporter|penulis|oleh|by|pewarta|author)\s*:?\s*"
    r"(?P<name>[A-Z][\w.'’-]*(?:\s+(?!(?i:editor|redaktur|penyunting|fotografer|foto)\b)"
    r"[A-Z][\w.'’-]*){0,4})"
)
_BYLINE_KEY = re.compile(r"\b(reporter|penulis|oleh|by|pewarta|author)\b", re.I)
_PUBLISHED_KEYS = (
    "article:published_time", "og:published_time", "pubdate", "publishdate", "publish-date",
    "date", "dc.date", "dc.date.issued", "dcterms.created", "parsely-pub-date",
    "datepublished", "sailthru.date", "content_publisheddate",
)
_MODIFIED_KEYS = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
                  "last-modified")


def norm_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def site_names(pm: PageMeta, url: str) -> list[str]:
    names = [n for n in (pm.first("og:site_name"), pm.first("application-name")) if n]
    for item in pm.ld_items:
        if {"website", "organization", "newsmediaorganization"} & {
            str(t).lower() for t in ([item.get("@type")] if isinstance(item.get("@type"), str)
                                     else item.get("@type") or [])
        }:
            name = ld_text(item.get("name"))
            if name:
                names.append(name)
    ld = pm.article_ld
    if ld and ld_text(ld.get("publisher")):
        names.append(ld_text(ld.get("publisher")) or "")
    host = urlsplit(url).netloc.lower().removeprefix("www.")
    names.append(host)
    names.append(host.split(".")[0])
    return [n for n in names if n]


_SUFFIX_START = re.compile(r"\s*[-|:–—•»~/]")


def strip_site_suffix(title: str, names: list[str]) -> str:
    """Remove " - Site Name" / " | Site" from a headline."""
    title = norm_space(title)
    low_names = {re.sub(r"[^a-z0-9]", "", n.lower()) for n in names}
    parts = _SEPARATORS.split(title)
    while len(parts) > 1:
        tail = re.sub(r"[^a-z0-9]", "", parts[-1].lower())
        known = any(tail and (tail == n or tail in n or n in tail) for n in low_names if n)
        piped = " | " in title and len(parts[-1].split()) <= 4
        if not (known or piped):
            break
        title = title[: title.rfind(parts[-1])].rstrip(" |-–—•:")
        parts = parts[:-1]
    return title


def find_title(tree: lxml_html.HtmlElement, pm: PageMeta, url: str
               ) -> tuple[str, lxml_html.HtmlElement | None]:
    """The headline and the element that shows it on the page (None when not found)."""
    ld = pm.article_ld
    doc_title = tree.findtext(".//title") or ""
    names = site_names(pm, url)
    candidates = [pm.first("og:title"), ld_text(ld.get("headline")) if ld else None,
                  pm.first("twitter:title"), doc_title]
    headings = [h for h in tree.iter("h1", "h2", "h3") if norm_space(h.text_content())]
    title = ""
    for cand in candidates:
        if cand and norm_space(cand):
            title = strip_site_suffix(cand, names)
            break
    key = title.lower()
    for h in headings:
        text = norm_space(h.text_content())
        if key and (text.lower() == key or (len(text) > 15 and key.startswith(text.lower()))):
            return (title if len(title) >= len(text) else text), h
    h1 = next((h for h in headings if h.tag == "h1"), None)
    if not title and h1 is not None:
        title = norm_space(h1.text_content())
    if h1 is not None and title == norm_space(h1.text_content()):
        return title, h1
    shown = _shown_title(tree, key)
    if shown is None:
        return title, None
    return norm_space(shown.text_content()), shown


def _shown_title(tree: lxml_html.HtmlElement, key: str) -> lxml_html.HtmlElement | None:
    """The element showing the headline when the page has no heading for it: home-grown CMSs
    print it in <b>, <strong>, <div class="judul">, a table cell... The page title may carry a
    site suffix we could not recognise (" :: Warta"): the shown text is then a prefix of it."""
    if len(key) < 15:
        return None
    for el in tree.iter("b", "strong", "div", "span", "p", "td", "font"):
        text = el.text_content()
        if len(text) > len(key) + 10:
            continue
        shown = norm_space(text).lower()
        if len(shown) >= 15 and (
            shown == key or (key.startswith(shown) and _SUFFIX_START.match(key[len(shown):]))
        ):
            return el
    return None


def canonical_url(pm: PageMeta, page_url: str) -> str:
    ld = pm.article_ld
    ld_url = None
    if ld:
        ld_url = ld_text(ld.get("url")) or ld_text(ld.get("mainEntityOfPage"))
    for cand in (*(pm.links.get("canonical") or ()), pm.first("og:url"), ld_url):
        url = absolute(cand, page_url)
        if url and urlsplit(url).scheme in ("http", "https"):
            return clean_url(url)
    return clean_url(page_url)


def _off_article(el: lxml_html.HtmlElement, shared: set[int]) -> bool:
    """Inside a nav/sidebar/related zone that does not also hold the headline."""
    for anc in el.iterancestors():
        if id(anc) in shared:
            return False  # wrappers around the headline too (Blogger's "widget Blog")
        if anc.tag in ("nav", "aside", "footer"):
            return True
        if _OFF_ARTICLE.search(f"{anc.get('class', '')} {anc.get('id', '')}"):
            return True
    return False


def title_region(title_el: lxml_html.HtmlElement | None, budget: int = 1500
                 ) -> Iterator[lxml_html.HtmlElement]:
    """Elements of the title block and those right after the headline, in document order.

    The site header's "today" date sits before the headline and outside its block, so it is
    never visited.
    """
    if title_el is None:
        return
    block = title_el.getparent()
    head_len = len(title_el.text_content())
    if block is not None and (block.tag in ("body", "html")
                              or len(block.text_content()) - head_len > 3000):
        block = None  # a page-wide wrapper would bring the site header's date along
    for _ in range(2):
        parent = block.getparent() if block is not None else None
        if parent is None or parent.tag in ("body", "html"):
            break
        if len(parent.text_content()) - head_len > 400:
            break
        block = parent
    seen: set[int] = set()
    if block is not None:
        for el in block.iter():
            seen.add(id(el))
            if isinstance(el.tag, str):
                yield el
    used = 0
    for el in title_el.iterdescendants():
        seen.add(id(el))
    started = False
    root = title_el.getroottree().getroot()
    for el in root.iter():
        if el is title_el:
            started = True
            continue
        if not started or id(el) in seen or not isinstance(el.tag, str):
            continue
        used += len(el.text or "") + len(el.tail or "")
        if used > budget:
            return
        yield el


def find_dates(
    tree: lxml_html.HtmlElement, pm: PageMeta, title_el: lxml_html.HtmlElement | None, tz: tzinfo
) -> tuple[datetime | None, datetime | None]:
    """(published, modified) in the order: JSON-LD, meta tags, <time>, title-block text."""
    ld = pm.article_ld
    published = modified = None
    if ld:
        published = _iso(ld_text(ld.get("datePublished")) or ld_text(ld.get("dateCreated")), tz)
        modified = _iso(ld_text(ld.get("dateModified")), tz)
    published = published or _first_iso(pm, _PUBLISHED_KEYS, tz)
    modified = modified or _first_iso(pm, _MODIFIED_KEYS, tz)
    limit = datetime.now(tz) + timedelta(days=1)
    if published and published > limit:
        published = None
    if published:
        return published.astimezone(tz), modified and modified.astimezone(tz)
    modified = modified and modified.astimezone(tz)
    shared = {id(a) for a in title_el.iterancestors()} if title_el is not None else set()
    region = [el for el in title_region(title_el) if not _off_article(el, shared)]
    for el in region:
        if el.tag == "time" or el.get("itemprop") == "datePublished":
            value = el.get("datetime") or el.get("content") or el.get("title") or ""
            dt = _iso(value, tz) or _text_date(value, tz, limit)
            if dt:
                return dt, modified
    dated = [el for el in region if _DATEISH.search(f"{el.get('class', '')} {el.get('id', '')}")]
    for el in dated + region:
        for chunk in (el.text, el.tail) if el not in dated else (el.text_content(),):
            dt = _text_date(chunk, tz, limit)
            if dt:
                return dt, modified
    return None, modified


def _text_date(text: str | None, tz: tzinfo, limit: datetime) -> datetime | None:
    if not text or not re.search(r"\d", text):
        return None
    hit = search_date(text, tz, base=None)
    # a year-less "(11/8)" in the lead is an event date, not the publication date
    if hit and re.search(r"\d{4}|/\d{2}\b", text[hit[1]: hit[1] + 40]) and hit[0] <= limit:
        return hit[0]
    return None


def _iso(value: str | None, tz: tzinfo) -> datetime | None:
    if not value:
        return None
    return parse_iso(value, tz) or (hit[0] if (hit := search_date(value, tz)) else None)


def _first_iso(pm: PageMeta, keys: tuple[str, ...], tz: tzinfo) -> datetime | None:
    for key in keys:
        for value in pm.all(key):
            dt = _iso(value, tz)
            if dt:
                return dt
    return None


def find_author(pm: PageMeta, region: list[lxml_html.HtmlElement]) -> str | None:
    ld = pm.article_ld
    if ld and ld_text(ld.get("author")):
        return ld_text(ld.get("author"))
    for key in ("author", "article:author", "parsely-author", "dc.creator", "byl",
                "content_author"):
        value = pm.first(key)
        if value and not value.startswith("http"):
            return re.sub(r"^(oleh|by)\s+", "", value, flags=re.I)
    for el in region:
        if el.get("rel") == "author" or el.get("itemprop") == "author":
            name = norm_space(el.text_content())
            if name:
                return name
    for el in region:
        line = norm_space(el.text_content())
        if el.text and len(line) < 100 and _BYLINE_KEY.search(el.text):
            m = _BYLINE_AUTHOR.search(line)
            if m:
                return m["name"].strip()
    return None


def find_tags(pm: PageMeta, tree: lxml_html.HtmlElement) -> tuple[str, ...]:
    tags = pm.all("article:tag")
    ld = pm.article_ld
    if not tags and ld:
        tags = ld_list(ld.get("keywords"))
    if not tags:
        tags = [norm_space(a.text_content()) for a in tree.xpath("//a[@rel='tag']")]
    seen: dict[str, None] = {}
    for t in tags:
        if t and t.lower() not in {s.lower() for s in seen}:
            seen[t] = None
    return tuple(seen)


def find_section(pm: PageMeta, tree: lxml_html.HtmlElement) -> str | None:
    ld = pm.article_ld
    section = (ld_text(ld.get("articleSection")) if ld else None) or pm.first("article:section")
    if not section:
        # WordPress marks the post's categories with rel="category tag"
        links = tree.xpath("//a[contains(concat(' ', @rel, ' '), ' category ')]")
        section = norm_space(links[0].text_content()) if links else None
    return section or None


def find_image(pm: PageMeta, title_el: lxml_html.HtmlElement | None, url: str) -> str | None:
    ld = pm.article_ld
    cands = [pm.first("og:image", "og:image:url", "twitter:image"),
             ld_text(ld.get("image")) if ld else None]
    for cand in cands:
        image = absolute(cand, url)
        if image and not image.startswith("data:"):
            return image
    if title_el is None:
        return None
    # Only when the page declares no lead image: the first picture of the article block.
    for el in title_region(title_el, 4000):
        if el.tag in ("img", "amp-img"):
            image = absolute(el.get("src") or el.get("data-src"), url)
            if image and not image.startswith("data:"):
                return image
    return None


def find_language(pm: PageMeta, text: str) -> str | None:
    for value in (pm.html_lang, pm.first("og:locale"), pm.first("content-language"),
                  pm.first("language")):
        if value and re.match(r"^[a-z]{2,3}\b", value.strip().lower()):
            return re.split(r"[-_]", value.strip().lower())[0]
    words = re.findall(r"[a-z]+", text.lower()[:3000])
    if len(words) < 20:
        return None
    ind = sum(w in {"yang", "dan", "di", "dengan", "untuk", "ini", "dari", "dalam"} for w in words)
    eng = sum(w in {"the", "and", "of", "to", "in", "is", "that", "for"} for w in words)
    return "id" if ind >= eng else "en"

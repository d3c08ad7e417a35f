"""Article fields for the extract stage: title, canonical URL, dates, author, section, tags,
image and language, from structured metadata first and the title block second."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from urllib.parse import urlsplit

from lxml import html as lxml_html

from .meta import PageMeta, ld_list, ld_text
from .titles import SEPARATOR, page_site_names, strip_affixes
from .urls import absolute, clean_url

_SUFFIX_START = re.compile(r"\s*(?:[-|:–—•»~/]|::)")
_BYLINE_AUTHOR = re.compile(
    r"(?:^|\b)(?i:reporter|penulis|oleh|by|pewarta|author)\s*:?\s*"
    r"(?P<name>[A-Z][\w.'’-]*(?:\s+(?!(?i:editor|redaktur|penyunting|fotografer|foto)\b)"
    r"[A-Z][\w.'’-]*){0,4})"
)
_BYLINE_KEY = re.compile(r"\b(reporter|penulis|oleh|by|pewarta|author)\b", re.I)


def norm_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _affixed(title: str, shown: str) -> bool:
    """`title` is `shown` plus a site-name prefix or suffix: "Judul – Situs", "Situs - Judul"."""
    t, s = title.lower(), shown.lower()
    if len(s) < 15 or len(s) >= len(t):
        return False
    if t.startswith(s) and _SUFFIX_START.match(t[len(s):]):
        return True
    return t.endswith(s) and bool(re.search(r"(?:\s[-|:–—•»~/]|:|::)\s*$", t[: -len(s)]))


def find_title(tree: lxml_html.HtmlElement, pm: PageMeta, url: str, known_names: Sequence[str] = ()
               ) -> tuple[str, lxml_html.HtmlElement | None]:
    """The headline and the element that shows it on the page (None when not found).

    Site-name affixes are stripped with the names the page and the source give; a heading that
    shows the title without an affix we could not name is preferred to the affixed title."""
    ld = pm.article_ld
    doc_title = tree.findtext(".//title") or ""
    candidates = [pm.first("og:title"), ld_text(ld.get("headline")) if ld else None,
                  pm.first("twitter:title"), doc_title]
    # A home page's title is the site's own name: nothing to strip there. The page's names are
    # only looked for when a title has a separator that could set one off.
    home = urlsplit(url).path in ("", "/") and not urlsplit(url).query
    affixed = any(c and SEPARATOR.search(c) for c in candidates)
    names = [*page_site_names(tree, pm, url), *known_names] if affixed and not home else []
    headings = [h for h in tree.iter("h1", "h2", "h3") if norm_space(h.text_content())]
    title = ""
    for cand in candidates:
        if cand and norm_space(cand):
            title = strip_affixes(cand, names)
            break
    key = title.lower()
    for h in headings:
        if norm_space(h.text_content()).lower() == key:
            return title, h
    for h in headings:
        text = norm_space(h.text_content())
        if key and _affixed(title, text):
            return text, h
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

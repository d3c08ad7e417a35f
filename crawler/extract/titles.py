"""Site-name affixes of page titles: "Judul – Nama Situs", "Nama Situs - Judul", "Judul | Situs".

The names come from three places: what the page says about itself (og:site_name, JSON-LD
WebSite/Organization, the feed link "Situs » Feed", the text of links to the site's root such as
the logo link), what the source's home page says (read once per crawl, see `home_site_names`),
and the text that repeats across the source's own titles (`AffixLearner`, fed page by page).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from urllib.parse import urlsplit

from lxml import html as lxml_html

from .meta import PageMeta, ld_text, read_meta

# A separator between a headline and a site name needs spaces around it (or a colon after a
# prefix): "Judul - Situs", "Situs | Judul", "Situs: Judul"; never a hyphen inside a word.
SEPARATOR = re.compile(r"\s+(?:[|\-–—•»~/]|::)\s+|:\s+")
_FEED_TITLE = re.compile(r"^(?P<name>.+?)\s*(?:»|&raquo;|-|–|—|\|)\s*(?:feed|umpan|rss|atom)\b", re.I)
_MAX_NAME_WORDS = 6


def key(text: str) -> str:
    """Comparison form of a name: letters and digits only, lower case."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def page_site_names(tree: lxml_html.HtmlElement, pm: PageMeta, url: str) -> list[str]:
    """Names the page gives for its own site."""
    names = [n for n in (pm.first("og:site_name"), pm.first("application-name"),
                         pm.first("apple-mobile-web-app-title")) if n]
    for item in pm.ld_items:
        raw = item.get("@type")
        types = {str(t).lower() for t in ([raw] if isinstance(raw, str) else raw or [])}
        if types & {"website", "organization", "newsmediaorganization"}:
            name = ld_text(item.get("name"))
            if name:
                names.append(name)
    ld = pm.article_ld
    if ld and ld_text(ld.get("publisher")):
        names.append(ld_text(ld.get("publisher")) or "")
    for el in tree.iter("link"):
        if (el.get("rel") or "").lower() == "alternate" and "xml" in (el.get("type") or ""):
            m = _FEED_TITLE.match((el.get("title") or "").strip())
            if m:
                names.append(m["name"])
    parts = urlsplit(url)
    root = f"{parts.scheme}://{parts.netloc}".lower()
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip().lower()
        if href in ("/", root, root + "/") or (a.get("rel") or "").lower() == "home":
            text = " ".join(a.text_content().split())
            if text and len(text.split()) <= _MAX_NAME_WORDS:
                names.append(text)
    host = parts.netloc.lower().split(":")[0].removeprefix("www.")
    names += [host, host.split(".")[0]]
    return [n for n in dict.fromkeys(n.strip() for n in names) if n]


def home_site_names(html: str | bytes, url: str) -> tuple[str, ...]:
    """Names a source's home page gives for its site: its own signals plus its <title>, which on
    a home page is the site name (and often a tagline). Computed once per crawl."""
    from .core import parse_html  # the one HTML parser of the extract stage

    tree = parse_html(html)
    pm = read_meta(tree)
    names = page_site_names(tree, pm, url)
    title = " ".join((tree.findtext(".//title") or "").split())
    if title:
        parts = SEPARATOR.split(title)
        names += [p for p in parts if p and len(p.split()) <= _MAX_NAME_WORDS]
    return tuple(dict.fromkeys(names))


def _matches(part: str, names: set[str]) -> bool:
    k = key(part)
    return bool(k) and any(k == n or (len(n) >= 4 and (k in n or n in k)) for n in names if n)


def strip_affixes(title: str, names: Iterable[str]) -> str:
    """`title` without site-name prefixes and suffixes that match one of `names`."""
    title = " ".join(title.split())
    known = {key(n) for n in names}
    while True:
        seps = list(SEPARATOR.finditer(title))
        if not seps:
            return title
        last, first = seps[-1], seps[0]
        if _matches(title[last.end():], known) and last.start() > 0:
            title = title[: last.start()].rstrip()
        elif _matches(title[: first.start()], known) and first.end() < len(title):
            title = title[first.end():].lstrip()
        else:
            return title


class AffixLearner:
    """The text that repeats as the first or last part of a source's page titles is its site
    name: seen in `min_titles` different titles, it is stripped from all of them."""

    def __init__(self, min_titles: int = 3) -> None:
        self.min_titles = min_titles
        self._seen: set[str] = set()
        self._parts: Counter[str] = Counter()
        self.names: set[str] = set()

    def observe(self, page_title: str) -> None:
        title = " ".join(page_title.split())
        if not title or title in self._seen or len(self._seen) > 500:
            return
        self._seen.add(title)
        seps = list(SEPARATOR.finditer(title))
        if not seps:
            return
        for part in {title[seps[-1].end():], title[: seps[0].start()]}:
            if part and len(part.split()) <= _MAX_NAME_WORDS:
                self._parts[part] += 1
                if self._parts[part] >= self.min_titles:
                    self.names.add(part)

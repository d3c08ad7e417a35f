"""Page-kind decision for the extract stage: one news article, or a listing/static page that
the classifier must not see."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

from lxml import html as lxml_html

from .meta import LISTING_TYPES, PageMeta

_LISTING_PATH = re.compile(
    r"/(tag|tags|topik|topic|category|categories|kategori|kanal|rubrik|author|penulis|authors"
    r"|search|cari|pencarian|indeks|index|arsip|archive|archives|label|terpopuler|terkini)(/|$)"
    r"|/page/\d+/?$|^/\d{4}/(\d{2}/)?(\d{2}/)?$",
    re.I,
)
_STATIC_SLUG = re.compile(
    r"^/(redaksi|susunan-redaksi|tentang|tentang-kami|about|about-us|kontak|kontak-kami|contact"
    r"|contact-us|hubungi-kami|pedoman-media-siber|pedoman-pemberitaan-media-siber|pedoman-siber"
    r"|privacy|privacy-policy|kebijakan-privasi|disclaimer|syarat-dan-ketentuan|term-of-use"
    r"|terms|karir|karier|info-iklan|iklan|sitemap|kode-etik|standar-perlindungan-wartawan)"
    r"(\.html?)?/?$",
    re.I,
)
_STATIC_TITLE = re.compile(
    r"^(redaksi|susunan redaksi|tentang( kami)?|about( us)?|kontak( kami)?|contact( us)?"
    r"|hubungi kami|pedoman (pemberitaan )?media siber|kebijakan privasi|privacy policy"
    r"|disclaimer|syarat dan ketentuan|info iklan|karir|kode etik( jurnalistik)?)\s*$",
    re.I,
)
_BODY_LISTING = re.compile(r"\b(archive|tag|category|author|search|search-results|home|blog|paged)\b")
_BODY_SINGLE = re.compile(r"\b(single|single-post|postid-\d+)\b")
_BODY_STATIC = re.compile(r"\b(page-template\S*|page-id-\d+)\b")
_SKIP_ZONES = re.compile(r"related|terkait|sidebar|widget|footer|popular|populer|menu|nav", re.I)


def url_kind(url: str) -> str | None:
    """'listing' or 'static' when the URL alone says so, else None."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if path == "/" and not any(k in ("p", "page_id") for k, _ in parse_qsl(parts.query)):
        return "listing"
    if any(k in ("s", "q") for k, _ in parse_qsl(parts.query)):
        return "listing"
    if _STATIC_SLUG.match(path):
        return "static"
    if _LISTING_PATH.search(path):
        return "listing"
    return None


def count_teasers(tree: lxml_html.HtmlElement) -> int:
    """Headline links of other articles outside related/sidebar zones (a listing's content)."""
    count = 0
    for heading in tree.xpath("//h2[a]|//h3[a]|//h4[a]|//article[.//a]"):
        if len(heading.text_content().strip()) < 20:
            continue
        zone = heading.xpath(
            "ancestor::*[self::aside or self::nav or self::footer or contains(@class,'related')"
            " or contains(@class,'terkait') or contains(@class,'widget')"
            " or contains(@class,'sidebar')]"
        )
        if not zone:
            count += 1
    return count


def decide(
    tree: lxml_html.HtmlElement,
    pm: PageMeta,
    url: str,
    title: str,
    text: str,
    published: datetime | None,
    teasers: int,
) -> str:
    """The page's kind (see Extracted.page_kind): "article"; "listing" or "static" when the page
    proves it is not an article; "weak" when its own signals do not say."""
    by_url = url_kind(url)
    if by_url is not None:
        return by_url
    if _STATIC_TITLE.match(title.strip()):
        return "static"
    body = tree.find("body")
    body_class = (body.get("class") or "") if body is not None else ""
    og_type = (pm.first("og:type") or "").lower()
    has_ld_article = pm.article_ld is not None
    listing_ld = bool(pm.ld_types & LISTING_TYPES) and not has_ld_article
    many_teasers = teasers >= 6 and not (has_ld_article and og_type == "article")
    single = bool(_BODY_SINGLE.search(body_class))
    score = 0
    score += 3 if has_ld_article else 0
    score += 1 if og_type == "article" else 0
    # Many small CMSs say og:type "website" on every page; it only counts against undated pages.
    score -= 1 if og_type in ("website", "profile", "blog") and not published else 0
    score += 2 if published else -3
    score += 1 if len(text) >= 500 else 0
    score -= 2 if len(text) < 200 else 0
    score -= 3 if listing_ld else 0
    if single:
        score += 1
    elif _BODY_LISTING.search(body_class) or _BODY_STATIC.search(body_class):
        score -= 2
    score -= 4 if many_teasers else 0
    if score >= 3:
        return "article"
    # Not an article by its own signals: is that proven, or only weak?
    # A body class such as "home" or "blog" is no proof: some themes put it on every page.
    if listing_ld or many_teasers:
        return "listing"
    if not single and _BODY_STATIC.search(body_class):
        return "static"
    return "weak"

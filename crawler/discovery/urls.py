"""URL rules of discovery: one normal form per page, and article links told apart from the rest.

Pure functions on strings; the spider uses them before it requests anything, so that a page is
never fetched twice under two spellings and index, tag, author and static pages are not taken
for articles.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|yclid|mc_cid|mc_eid|ref|source|amp|_ga)$")
# View switches that show the same article: AMP and print views, and "all pages" switches.
VIEW_PARAMS = {"amp", "print", "output", "outputType", "m"}

_FILE_EXT = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|ico|bmp|pdf|docx?|xlsx?|pptx?|zip|rar|gz|mp[34]|m4a|avi|mov|"
    r"webm|css|js|json|xml|rss|atom|txt|woff2?|ttf|eot)$",
    re.I,
)
# First path segments (or any segment, for the ones that are never content) of non-article pages.
_NON_ARTICLE_SEGMENTS = {
    "tag", "tags", "topik", "topic", "category", "kategori", "kanal", "rubrik", "label",
    "author", "penulis", "editor", "reporter", "page", "halaman", "search", "cari", "pencarian",
    "feed", "feeds", "rss", "wp-admin", "wp-content", "wp-includes", "wp-json", "wp-login.php",
    "cdn-cgi", "login", "register", "daftar", "masuk", "indeks", "index", "arsip", "archive",
    "video", "videos", "foto", "galeri", "gallery", "tv", "podcast", "amp-stories",
    "comments", "trackback", "embed", "attachment", "xmlrpc.php", "sitemap",
}
_STATIC_SLUGS = {
    "redaksi", "susunan-redaksi", "tentang", "tentang-kami", "about", "about-us", "kontak",
    "kontak-kami", "hubungi-kami", "contact", "contact-us", "pedoman-media-siber",
    "pedoman-pemberitaan-media-siber", "kebijakan-privasi", "privacy-policy", "privacy",
    "disclaimer", "syarat-dan-ketentuan", "syarat-ketentuan", "terms", "karir", "karier",
    "iklan", "info-iklan", "pasang-iklan", "kode-etik", "standar-perlindungan-wartawan",
    "ketentuan-layanan", "sitemap", "beranda", "home", "newsletter", "langganan",
}
_DATE_PATH = re.compile(r"/(19|20)\d{2}/\d{1,2}(/\d{1,2})?/")
_NUMERIC_ID = re.compile(r"(^|[/\-_.])(pr-)?\d{3,}([/\-_.]|$)")
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_ID_QUERY = re.compile(r"(^|&)(id|p|nid|aid|pid|artid|news_?id|post_?id|berita_?id|artikel_?id)=\d+(&|$)", re.I)


def normalize_url(url: str) -> str:
    """The one spelling we store and compare: lower-case host, no fragment, no tracking or view
    parameters, no default port, sorted query."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(k) and k not in VIEW_PARAMS
    ]
    path = parts.path or "/"
    # WordPress AMP endpoint: /slug/amp/ is the same article as /slug/.
    if path.endswith(("/amp/", "/amp")):
        path = path[: path.rindex("/amp")] + "/"
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def in_domains(url: str, domains: tuple[str, ...] | list[str]) -> bool:
    """True when the URL's host is one of the domains or a subdomain of one."""
    host = host_of(url)
    return any(host == d or host.endswith("." + d) for d in domains)


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def continuation_base(url: str) -> str | None:
    """For page N>=2 of a split article (/slug/2/, ?page=2, ?halaman=3) the URL of page 1."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    for key in ("page", "halaman", "hal", "p"):
        value = query.get(key, "")
        if key != "p" and _PAGE_NUMBER.match(value) and int(value) >= 2:
            rest = urlencode(sorted((k, v) for k, v in query.items() if k != key))
            return urlunsplit((parts.scheme, parts.netloc, parts.path, rest, ""))
    segs = _segments(parts.path)
    if len(segs) >= 2 and _PAGE_NUMBER.match(segs[-1]) and int(segs[-1]) >= 2:
        if segs[-2] in ("page", "halaman"):
            return None  # listing pagination, not an article page
        if _looks_like_slug(segs[-2]):
            return urlunsplit((parts.scheme, parts.netloc, "/" + "/".join(segs[:-1]) + "/", "", ""))
    return None


def _looks_like_slug(segment: str) -> bool:
    words = [w for w in re.split(r"[-_]+", segment.removesuffix(".html")) if w]
    return len(words) >= 3 and sum(w.isalpha() for w in words) >= 2


def is_listing_url(url: str) -> bool:
    """A URL that names an index, archive, tag, category, author or search page."""
    parts = urlsplit(url)
    segs = [s.lower() for s in _segments(parts.path)]
    query = parts.query.lower()
    if not segs:
        return True
    if re.search(r"(^|&)(s|q|cat|tag|author)=", query):
        return True
    return any(s in _NON_ARTICLE_SEGMENTS for s in segs[:-1]) or segs[0] in _NON_ARTICLE_SEGMENTS


def looks_like_article(url: str) -> bool:
    """Guess from the URL alone whether it names one article (the page itself decides later).

    Articles carry a descriptive slug (three or more words), a numeric id, or a date path;
    index, tag, author, search and static pages carry none of these, or a known segment.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    path = parts.path
    if _FILE_EXT.search(path) and not path.lower().endswith((".html", ".htm", ".php")):
        return False
    segs = [s.lower() for s in _segments(path)]
    if not segs:
        # WordPress shortlinks (/?p=123) are articles; other root URLs are the home page.
        return bool(re.fullmatch(r"p=\d+", parts.query))
    if _ID_QUERY.search(parts.query) and not is_listing_url(url):
        return True  # script-style CMSs: /berita/detail.php?id=123, /news.php?nid=45
    if is_listing_url(url) or continuation_base(url) is not None:
        return False
    last = segs[-1].removesuffix(".html").removesuffix(".htm")
    if last in _STATIC_SLUGS or (len(segs) == 1 and segs[0] in _NON_ARTICLE_SEGMENTS):
        return False
    if _looks_like_slug(last):
        return True
    if _DATE_PATH.search(path + "/") and len(last) > 3:
        return True
    return bool(_NUMERIC_ID.search("/" + "/".join(segs)) and len(segs) >= 2)

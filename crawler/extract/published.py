"""The publication date, chosen by agreement among every candidate the page and its discovery
channel give: JSON-LD, meta tags, the article's <time datetime> (even in the post's footer),
visible text near the headline (Indonesian day and month names, WIB/WITA/WIT), the URL's
/YYYY/MM/DD/, and the date the feed, sitemap or REST API listed for the URL.

Rules, in order:
1. A structured timestamp (JSON-LD, meta, <time datetime>) whose offset contradicts the visible
   clock of the same page ("T15:56:00Z" where the page shows "15:56 WIB") gives way to the
   visible clock read in the source's time zone.
2. Otherwise the first structured timestamp, then a visible date with a time.
3. A date without a time (visible day, URL) takes the listed time when both fall on that day.
4. No date on the page: the listed date.
The theme header's "today" is never read: visible text is only read around the headline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from urllib.parse import urlsplit

from lxml import html as lxml_html

from .dates import parse_iso, parse_listed, sane, search_date
from .meta import PageMeta, ld_text

PUBLISHED_KEYS = (
    "article:published_time", "og:published_time", "pubdate", "publishdate", "publish-date",
    "date", "dc.date", "dc.date.issued", "dcterms.created", "parsely-pub-date",
    "datepublished", "sailthru.date", "content_publisheddate",
)
MODIFIED_KEYS = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified",
                 "last-modified")
_DATEISH = re.compile(r"date|time|tanggal|waktu|publish|posted|byline|meta|info|author|penulis", re.I)
_OFF_ARTICLE = re.compile(r"nav|menu|top-?bar|sidebar|widget|footer|related|terkait|breaking"
                          r"|ticker|trending|popular|populer|comment|komentar|respond", re.I)
_SITE_HEADER = re.compile(r"site-header|masthead|header-top|top-?header|\btoday\b|hari-ini", re.I)
_MODIFIED_CLASS = re.compile(r"modified|updated|diperbarui", re.I)
_PUBLISHED_CLASS = re.compile(r"published|entry-date|post-date|pubdate|datepublished|posted", re.I)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/")
_CLOCK = re.compile(r"(?<!\d)([01]?\d|2[0-3])[.:]([0-5]\d)(?!\d)")


@dataclass(frozen=True)
class Candidate:
    when: datetime
    kind: str  # "ld", "meta", "time", "text", "url", "listed"
    timed: bool  # carries a time of day, not only a day


def _timed_iso(value: str) -> bool:
    return bool(re.search(r"\d[T ]\d{1,2}:\d{2}", value))


def structured(pm: PageMeta, tz: tzinfo) -> list[Candidate]:
    """JSON-LD datePublished and meta tags, in that order."""
    found = []
    ld = pm.article_ld
    if ld:
        value = ld_text(ld.get("datePublished")) or ld_text(ld.get("dateCreated"))
        if value and (dt := parse_iso(value, tz) or _search(value, tz)):
            found.append(Candidate(dt, "ld", _timed_iso(value)))
    for key in PUBLISHED_KEYS:
        for value in pm.all(key):
            dt = parse_iso(value, tz) or _search(value, tz)
            if dt:
                found.append(Candidate(dt, "meta", _timed_iso(value)))
                break
        if found and found[-1].kind == "meta":
            break
    return found


def modified_date(pm: PageMeta, tz: tzinfo) -> datetime | None:
    ld = pm.article_ld
    value = ld_text(ld.get("dateModified")) if ld else None
    values = [value] if value else []
    for key in MODIFIED_KEYS:
        values += pm.all(key)
    for v in values:
        dt = parse_iso(v, tz) or _search(v, tz)
        if dt:
            return dt.astimezone(tz)
    return None


def _search(value: str, tz: tzinfo) -> datetime | None:
    hit = search_date(value, tz)
    return hit[0] if hit else None


def off_article(el: lxml_html.HtmlElement, stop: lxml_html.HtmlElement | None, shared: set[int]) -> bool:
    """Inside a nav/sidebar/related/comment zone below `stop` that does not hold the headline."""
    for anc in el.iterancestors():
        if anc is stop or id(anc) in shared:
            return False
        # Inside the article's own block (stop), its footer holds the post's date (WordPress).
        if anc.tag in ("nav", "aside") or anc.tag == ("footer" if stop is None else "header"):
            return True
        marker = f"{anc.get('class', '')} {anc.get('id', '')}"
        if _OFF_ARTICLE.search(marker) and not (anc.tag == "footer" and stop is not None):
            return True
        if stop is not None and _SITE_HEADER.search(marker):
            return True
    return False


def time_elements(title_el: lxml_html.HtmlElement | None, tz: tzinfo) -> list[Candidate]:
    """<time datetime> / itemprop=datePublished of the article: the nearest block around the
    headline that has one (a WordPress post prints it in its own footer), published first."""
    if title_el is None:
        return []
    shared = {id(a) for a in title_el.iterancestors()}
    for anc in title_el.iterancestors():
        if anc.tag in ("body", "html"):
            break  # the whole page would bring the site header's "today" along
        els = [el for el in anc.xpath(".//time[@datetime]|.//*[@itemprop='datePublished']")
               if not off_article(el, anc, shared)]
        if not els:
            continue
        els.sort(key=lambda el: (bool(_MODIFIED_CLASS.search(el.get("class", "")))
                                 and not _PUBLISHED_CLASS.search(el.get("class", "").replace("updated", "")),
                                 not _PUBLISHED_CLASS.search(f"{el.get('class', '')} {el.get('itemprop', '')}")))
        out = []
        for el in els:
            value = el.get("datetime") or el.get("content") or el.get("title") or ""
            dt = parse_iso(value, tz) or _search(value, tz)
            if dt:
                out.append(Candidate(dt, "time", _timed_iso(value)))
        return out
    return []


def visible(region: list[lxml_html.HtmlElement], tz: tzinfo, limit: datetime) -> list[Candidate]:
    """Dates written near the headline: date-like elements first, then any text there."""
    dated = [el for el in region if _DATEISH.search(f"{el.get('class', '')} {el.get('id', '')}")]
    for el in dated + region:
        chunks = (el.text_content(),) if el in dated else (el.text, el.tail)
        for chunk in chunks:
            hit = _text_date(chunk, tz, limit)
            if hit:
                return [hit]
    return []


def _text_date(text: str | None, tz: tzinfo, limit: datetime) -> Candidate | None:
    if not text or not re.search(r"\d", text):
        return None
    hit = search_date(text, tz, base=None)
    # a year-less "(11/8)" in the lead is an event date, not the publication date
    if hit and re.search(r"\d{4}|/\d{2}\b", text[hit[1]: hit[1] + 40]) and hit[0] <= limit:
        timed = bool(_CLOCK.search(text[hit[1]: hit[1] + 60])) and (hit[0].hour, hit[0].minute) != (0, 0)
        return Candidate(hit[0], "text", timed)
    return None


def url_date(url: str, tz: tzinfo) -> Candidate | None:
    m = _URL_DATE.search(urlsplit(url).path)
    if not m:
        return None
    try:
        when = sane(datetime(int(m[1]), int(m[2]), int(m[3]), tzinfo=tz))
    except ValueError:
        return None
    return Candidate(when, "url", False) if when else None


def choose(cands: list[Candidate], listed: datetime | None, tz: tzinfo, limit: datetime) -> datetime | None:
    """The publication date by agreement among `cands` (page order of trust) and `listed`."""
    cands = [c for c in cands if c.when <= limit]
    timed = [c for c in cands if c.timed]
    shown = [c for c in timed if c.kind == "text"]
    chosen: datetime | None = None
    for c in timed:
        if c.kind == "text":
            chosen = c.when
            break
        # Rule 1: a structured offset that contradicts the visible clock of the same page.
        wall = c.when.replace(tzinfo=None)
        for v in shown:
            if v.when != c.when and v.when.replace(tzinfo=None) == wall.replace(second=v.when.second):
                chosen = v.when
                break
        chosen = chosen or c.when
        break
    if chosen is None:
        days = [c for c in cands if not c.timed]
        if days:
            day = days[0].when.astimezone(tz).date()
            same_day = listed is not None and listed.astimezone(tz).date() == day
            chosen = listed if same_day else days[0].when  # rule 3: the listed time on that day
        elif listed is not None and listed <= limit:
            chosen = listed  # rule 4
    return chosen.astimezone(tz) if chosen else None


def find_published(
    pm: PageMeta,
    title_el: lxml_html.HtmlElement | None,
    region: list[lxml_html.HtmlElement],
    url: str,
    tz: tzinfo,
    listed: str | None = None,
) -> tuple[datetime | None, datetime | None]:
    """(published, modified) of the page."""
    limit = datetime.now(tz) + timedelta(days=1)
    cands = structured(pm, tz) + time_elements(title_el, tz) + visible(region, tz, limit)
    if (u := url_date(url, tz)) is not None:
        cands.append(u)
    return choose(cands, parse_listed(listed, tz), tz, limit), modified_date(pm, tz)

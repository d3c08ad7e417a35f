"""Date parsing for the extract stage: Indonesian (and English) date strings from bylines,
headers and meta tags become timezone-aware datetimes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from datetime import timezone as dt_timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MONTHS: dict[str, int] = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "agust": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}
# Longest names first so "Sept" wins over "Sep" and "Agustus" over "Agu".
_MON = "|".join(sorted(MONTHS, key=len, reverse=True))
_ZONES = {"wib": 7, "wita": 8, "wit": 9}

# Optional time after a date: "- 18:29 WIB", ", 15:53 WIB", "pukul 08.30 Wita", "10:07 AM".
_TIME = (
    r"(?:\s*(?:pagi|siang|sore|malam|dini\s+hari))?(?:\s*sekitar)?"
    r"(?:\s*(?:[,|\-–—]|pukul|jam|at)?\s*(?:pukul\s+|jam\s+)?"
    r"(?P<H>[01]?\d|2[0-3])[.:](?P<M>[0-5]\d)(?:[.:](?P<S>[0-5]\d))?"
    r"(?:\s*(?P<ampm>[ap]\.?m\.?)(?![a-z]))?)?"
    r"(?:\s*(?P<tz>wita|wib|wit)(?![a-z]))?"
)
_TEXTUAL = re.compile(
    r"(?<![\w])(?P<d>\d{1,2})\s*(?P<mon>" + _MON + r")\.?\s*,?\s*(?P<y>\d{4})(?!\d)" + _TIME,
    re.I,
)
_US = re.compile(
    r"(?<![\w])(?P<mon>" + _MON + r")\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})(?!\d)" + _TIME, re.I
)
_NUMERIC = re.compile(
    r"(?<![\d/.\-])(?P<d>\d{1,2})\s?(?P<sep>[/\-.])\s?(?P<m>\d{1,2})\s?(?P=sep)\s?"
    r"(?P<y>\d{4}|\d{2})(?![\d/])" + _TIME,
    re.I,
)
# Year-less dates are only trusted in brackets, the Indonesian news idiom "Senin (11/8)".
_BRACKETED = re.compile(r"\(\s*(?P<d>\d{1,2})\s?[/\-]\s?(?P<m>\d{1,2})\s*\)" + _TIME, re.I)
_ISO = re.compile(
    r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?(?P<off>Z|[+-]\d{2}:?\d{2})?)?",
)
_TIME_FIRST = re.compile(
    r"(?<!\d)(?P<H>[01]?\d|2[0-3])[.:](?P<M>[0-5]\d)\s*(?P<tz>wita|wib|wit)(?![a-z])", re.I
)
# Dates outside these years are typos or placeholders ("0001-01-01", "9999-12-31"), never a news
# date; they are dropped, which also keeps every offset conversion inside datetime's range.
FIRST_YEAR, LAST_YEAR = 1990, 2100
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "\u00a0": " "})


@lru_cache(maxsize=16)
def zone(name: str) -> tzinfo:
    """Return the IANA zone `name`, falling back to WIB (+07) when it is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt_timezone(timedelta(hours=7), "WIB")


def sane(dt: datetime | None) -> datetime | None:
    """``dt`` when its year can be a news date (FIRST_YEAR..LAST_YEAR), else None."""
    return dt if dt is not None and FIRST_YEAR <= dt.year <= LAST_YEAR else None


def _build(
    m: re.Match[str], year: int, month: int, day: int, tz: tzinfo
) -> datetime | None:
    gd = m.groupdict()
    hour = int(gd["H"]) if gd.get("H") else 0
    minute = int(gd["M"]) if gd.get("M") else 0
    second = int(gd["S"]) if gd.get("S") else 0
    ampm = (gd.get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if gd.get("tz"):
        tz = dt_timezone(timedelta(hours=_ZONES[gd["tz"].lower()]))
    try:
        return sane(datetime(year, month, day, hour, minute, second, tzinfo=tz))
    except ValueError:  # typos such as "(7/0/2020)" or "31 Februari"
        return None


def _year(text: str) -> int:
    y = int(text)
    if y < 100:  # "Rabu (10/05/17)": two-digit years are this century
        y += 2000
    return y


def parse_iso(text: str, tz: tzinfo) -> datetime | None:
    """Parse an ISO 8601 timestamp (meta tags, JSON-LD, <time datetime>); naive -> `tz`."""
    m = _ISO.search(text.strip())
    if not m:
        return None
    off = m["off"]
    try:
        dt = datetime(
            int(m["y"]), int(m["m"]), int(m["d"]),
            int(m["H"] or 0), int(m["M"] or 0), int(m["S"] or 0),
        )
    except ValueError:
        return None
    if sane(dt) is None:
        return None
    if off:
        if off == "Z":
            return dt.replace(tzinfo=UTC)
        sign = 1 if off[0] == "+" else -1
        digits = off[1:].replace(":", "")
        delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        try:
            return dt.replace(tzinfo=dt_timezone(sign * delta))
        except ValueError:  # "+99:99": no zone is 24 hours or more away from UTC
            return None
    return dt.replace(tzinfo=tz)


def parse_listed(value: str | None, tz: tzinfo) -> datetime | None:
    """A date a discovery channel gave for a URL: ISO 8601 (sitemap lastmod, REST date_gmt
    with "Z") or RFC 822 (RSS pubDate); naive values are taken in `tz`."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return parse_iso(value, tz)
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        hit = search_date(value, tz)
        return hit[0] if hit else None
    return sane(parsed if parsed.tzinfo else parsed.replace(tzinfo=tz))


def search_date(
    text: str, tz: tzinfo, base: datetime | None = None
) -> tuple[datetime, int] | None:
    """Find the first date in `text` with the hand-written patterns; return it and its offset."""
    text = text.translate(_APOSTROPHES)
    found: list[tuple[int, datetime]] = []
    for rx in (_TEXTUAL, _US):
        m = rx.search(text)
        if m:
            dt = _build(m, int(m["y"]), MONTHS[m["mon"].lower()], int(m["d"]), tz)
            if dt:
                found.append((m.start(), dt))
    m = _ISO.search(text)
    if m:
        dt = parse_iso(m.group(0), tz)
        if dt:
            found.append((m.start(), dt))
    for m in _NUMERIC.finditer(text):
        # "08.30.2024" is unlikely; a dot-separated triple is only a date with a 4-digit year
        if m["sep"] == "." and len(m["y"]) != 4:
            continue
        dt = _build(m, _year(m["y"]), int(m["m"]), int(m["d"]), tz)
        if dt:
            found.append((m.start(), dt))
            break
    if not found:
        m = _BRACKETED.search(text)
        if m:
            ref = base or datetime.now(tz)
            dt = _build(m, ref.year, int(m["m"]), int(m["d"]), tz)
            if dt and ref.tzinfo and dt > ref + timedelta(days=1):
                dt = _build(m, ref.year - 1, int(m["m"]), int(m["d"]), tz)
            if dt:
                found.append((m.start(), dt))
    if not found:
        return None
    start, dt = min(found, key=lambda pair: pair[0])
    if len(text) <= 100 and dt.hour == 0 and dt.minute == 0:
        # "pukul 07.30 Wita, 12 Juni 2024": the time and zone come before the date
        t = _TIME_FIRST.search(text)
        if t:
            offset = timedelta(hours=_ZONES[t["tz"].lower()])
            dt = dt.replace(hour=int(t["H"]), minute=int(t["M"]), tzinfo=dt_timezone(offset))
    return dt, start


def _dateparser_fallback(text: str, tzname: str, base: datetime | None) -> datetime | None:
    import dateparser  # imported lazily: it costs ~0.3 s and is rarely needed

    tz = zone(tzname)
    settings: dict[str, object] = {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": True,
        # dateparser (pytz) refuses a zone name it does not know: give it the zone jajak uses.
        "TIMEZONE": getattr(tz, "key", None) or "+0700",
    }
    if base is not None:
        settings["RELATIVE_BASE"] = base.replace(tzinfo=None)
    cleaned = re.sub(r"\b(pagi|siang|sore|malam|dini hari)\b", " ", text, flags=re.I)
    cleaned = re.sub(r"\bJum'at\b", "Jumat", cleaned, flags=re.I)
    result: datetime | None = dateparser.parse(cleaned, languages=["id", "en"], settings=settings)
    if result is not None and result.tzinfo is None:
        result = result.replace(tzinfo=tz)
    return sane(result)


def parse_indonesian_date(
    text: str, *, timezone: str = "Asia/Jakarta", base: datetime | None = None
) -> datetime | None:
    """Parse an Indonesian/English date string such as "Jum'at, 7 Maret 2025 - 09:12 WIB".

    `timezone` applies when the string names no zone (WIB/WITA/WIT win); year-less dates
    ("Senin (11/8)") resolve into the past relative to `base` (default: now).
    """
    if not text or not text.strip():
        return None
    tz = zone(timezone)
    if base is not None and base.tzinfo is None:
        base = base.replace(tzinfo=tz)
    hit = search_date(text, tz, base)
    if hit:
        return hit[0]
    if len(text) > 80:  # dateparser on long prose finds false relatives ("2 bulan lagi")
        return None
    return _dateparser_fallback(text.translate(_APOSTROPHES), timezone, base)

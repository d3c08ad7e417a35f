"""Properties of the pure stages on random and adversarial input (hypothesis): extraction,
date parsing and the classifier never raise, and their outputs keep their types and ranges.

Runs are deterministic by default (``derandomize``: the same examples every time, no flaky
suite); ``HYPOTHESIS_PROFILE=explore`` draws new, more numerous examples to hunt for bugs.
A failing example found that way is pinned below with ``@example``.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from html import escape

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from classifier import classify
from classifier.sectors import SECTORS
from classifier.verdict import STAGES
from crawler.extract import Extracted, extract, parse_indonesian_date
from crawler.extract.dates import FIRST_YEAR, LAST_YEAR, parse_listed, zone

settings.register_profile(
    "jajak", max_examples=120, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
settings.register_profile("explore", parent=settings.get_profile("jajak"), max_examples=2000, derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "jajak"))

EARLIEST = datetime(1989, 12, 31, tzinfo=UTC)  # FIRST_YEAR in any zone: no portal published online before
URL = "http://portal.example/2026/11/20/berita-kerja-sama/"

# --- what the generators are made of ------------------------------------------------------------

DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Jum'at", "Jum’at", "Sabtu", "Minggu", "Ahad"]
MONTHS = ["Januari", "Februari", "Pebruari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "Agu",
          "Agt", "September", "Sept", "Oktober", "Nopember", "Desember", "Des", "May", "Oct"]
ZONES = ["WIB", "WITA", "WIT", "wib", "Wita", "UTC", "GMT+7", "+07:00", "Z"]
WORDS = ["pukul", "jam", "pagi", "siang", "sore", "malam", "dini hari", "sekitar", "lalu", "yang", "hari",
         "bulan", "tahun", "kemarin", "besok", "lagi", "AM", "p.m.", "T", "Diperbarui", "Terbit"]
SEPARATORS = [" ", ", ", " - ", "/", "-", ".", ":", " | ", "(", ")", "T", "  ", "\u00a0", "\n", ""]
# Absurd numbers next to ordinary ones: day 0 and 99, hour 24, years 0 and 99999, 20 digits.
NUMBERS = st.one_of(
    st.integers(0, 60), st.integers(1900, 2100), st.sampled_from([0, 24, 99, 9999, 99999, 2**31, 10**20]),
    st.integers(-10**6, 10**12),
)
TOKENS = st.one_of(
    st.sampled_from(DAYS + MONTHS + ZONES + WORDS), NUMBERS.map(str), st.sampled_from(SEPARATORS),
    st.text(max_size=6),
)
DATE_TEXT = st.one_of(st.lists(TOKENS, max_size=14).map("".join), st.text(max_size=60))

TAGS = ["div", "p", "span", "article", "section", "h1", "h2", "a", "time", "script", "style", "table",
        "td", "ul", "li", "header", "footer", "nav", "aside", "figure", "figcaption", "meta", "br", "b"]
ATTRS = ["class", "id", "datetime", "href", "itemprop", "content", "property", "rel", "style", "title"]
PARAGRAPH = ("Pemerintah Kota Bandung dan Kota Hamamatsu menjajaki kerja sama di bidang pendidikan "
             "vokasi dan kesehatan, Jumat (20/11/2026) pukul 09.30 WIB.")
TEXT = st.one_of(
    st.text(max_size=80), st.sampled_from([PARAGRAPH, "", " ", "\x00", "Baca Juga:", "20 November 2026"]),
    DATE_TEXT,
)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    attrs = st.lists(st.tuples(st.sampled_from(ATTRS), st.one_of(TEXT, DATE_TEXT)), max_size=3).map(
        lambda pairs: "".join(f' {k}="{escape(v)}"' for k, v in pairs))
    return st.builds(lambda tag, a, inner: f"<{tag}{a}>{inner}</{tag}>", st.sampled_from(TAGS), attrs,
                     st.lists(children, max_size=4).map("".join))


# Well-formed-ish markup of random tags, attributes and text, nested a few levels deep.
MARKUP = st.recursive(TEXT.map(escape), _element, max_leaves=25)
META = st.builds(
    lambda key, value: f'<meta property="{key}" content="{escape(value)}">',
    st.sampled_from(["article:published_time", "og:title", "og:type", "article:modified_time", "date"]),
    st.one_of(DATE_TEXT, st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00",
                                          "2026-11-20T08:00:00+07:00", "0000-00-00", "2026-13-45"])),
)
PAGE = st.builds(
    lambda heads, title, body: (f"<!DOCTYPE html><html><head><title>{escape(title)}</title>{''.join(heads)}"
                                f"</head><body>{body}</body></html>"),
    st.lists(META, max_size=4), TEXT, MARKUP,
)


def _nested(depth: int, tag: str = "div") -> str:
    return f"<{tag}>" * depth + f"<p>{PARAGRAPH}</p>" + f"</{tag}>" * depth


ADVERSARIAL = st.one_of(
    st.builds(_nested, st.integers(0, 3000), st.sampled_from(["div", "span", "b", "table", "p"])),
    st.integers(1_000, 200_000).map(lambda n: f'<html><body><div class="{"x" * n}" data-y="{"é" * n}">'
                                              f"<h1>Judul</h1><p>{PARAGRAPH}</p></div></body></html>"),
    st.binary(max_size=2000),  # invalid bytes, NULs, anything
    st.text(max_size=2000),  # random unicode, surrogates excluded by hypothesis
    st.sampled_from(["", " ", "\x00" * 50, "<html></html>", "<!-- only a comment -->", "<?xml version='1.0'?>",
                     "<html><head><script>var a = '<p>x</p>';</script></head></html>",
                     "<script>" + "document.write('<h1>Judul</h1>');" * 200 + "</script>",
                     "<style>p{}</style>" * 50, "\ufeff<html><body>\u200b</body></html>"]),
    st.lists(st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<h1>", "<", ">", "&", "&#0;", "&#xD800;",
                              "<![CDATA[", "]]>", "<!--", "-->", "\x00", PARAGRAPH]), max_size=300).map("".join),
)


def _check_extracted(got: Extracted) -> None:
    assert isinstance(got, Extracted)
    assert isinstance(got.title, str) and isinstance(got.text, str) and isinstance(got.url, str)
    assert got.lead is None or isinstance(got.lead, str)
    assert "\x00" not in got.title
    limit = datetime.now(UTC) + timedelta(days=2)
    for when in (got.published, got.modified):
        assert when is None or (when.tzinfo is not None and when.utcoffset() is not None)
    assert got.published is None or EARLIEST <= got.published <= limit, got.published
    assert all(isinstance(t, str) for t in got.tags) and all(isinstance(u, str) for u in got.continuation)
    assert got.page_kind in ("article", "listing", "static", "weak")


# --- extraction ---------------------------------------------------------------------------------


@given(PAGE, st.sampled_from([URL, "http://portal.example/", "http://portal.example/kategori/daerah/page/2/"]))
def test_extract_any_page_gives_an_article_value(html, url):
    _check_extracted(extract(html, url))


def _with_meta(key: str, value: str) -> str:
    return (f"<html><head><meta property='{key}' content='{value}'></head>"
            f"<body><h1>Judul</h1><p>{PARAGRAPH}</p></body></html>")


@given(ADVERSARIAL)
# Found by these properties: a timestamp at the edge of datetime's range raised OverflowError
# when its offset was converted, and a placeholder year 1 was taken as the publication date.
@example(_with_meta("article:published_time", "0001-01-01T00:00:00+14:00"))
@example(_with_meta("article:modified_time", "9999-12-31T23:59:59-12:00"))
@example(_with_meta("article:published_time", "0001-01-01"))
@example(_with_meta("article:published_time", "2026-11-20T08:00:00+99:99"))
def test_extract_survives_adversarial_documents(html):
    _check_extracted(extract(html, URL))
    if isinstance(html, str):
        _check_extracted(extract(html.encode("utf-8", "surrogatepass"), URL))


@given(PAGE, st.sampled_from(["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "WITA", "Not/AZone", ""]),
       st.one_of(st.none(), DATE_TEXT, st.sampled_from(["Fri, 20 Nov 2026 08:00:00 +0700", "0001-01-01",
                                                        "Fri, 99 Nov 99999 99:99:99 +9999"])))
def test_extract_with_any_timezone_and_listed_date(html, timezone, listed):
    _check_extracted(extract(html, URL, timezone=timezone, listed=listed))


# --- dates --------------------------------------------------------------------------------------


@given(DATE_TEXT, st.sampled_from(["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "Bogus/Zone"]),
       st.one_of(st.none(), st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1))))
# Found by this property: a zone name jajak does not know (it falls back to WIB) reached
# dateparser, whose pytz raised UnknownTimeZoneError.
@example("0", "Bogus/Zone", None)
def test_date_parsing_gives_an_aware_datetime_or_none(text, timezone, base):
    got = parse_indonesian_date(text, timezone=timezone, base=base)
    assert got is None or (isinstance(got, datetime) and got.utcoffset() is not None), got


@given(DATE_TEXT)
@example("Fri, 31 Dec 9999 23:59:59 -1200")
@example("0001-01-01T00:00:00+14:00")
def test_a_listed_date_gives_an_aware_datetime_or_none(text):
    got = parse_listed(text, zone("Asia/Jakarta"))
    assert got is None or (isinstance(got, datetime) and got.utcoffset() is not None), got
    assert got is None or FIRST_YEAR <= got.year <= LAST_YEAR, got


# --- the classifier -----------------------------------------------------------------------------

CUE_WORDS = ["kerja sama", "kerjasama", "menjajaki", "MoU", "nota kesepahaman", "Pemkot", "Bandung", "sister city",
             "PKS", "ditandatangani", "perpanjang", "pendidikan", "kesehatan", "Kabupaten", "Jepang", "dengan"]
SCRIPTS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)
CLASSIFIER_TEXT = st.one_of(
    SCRIPTS,
    st.lists(st.one_of(st.sampled_from(CUE_WORDS), SCRIPTS, st.sampled_from(list(".,;:!?()\"'-–—…\n "))),
             max_size=60).map(" ".join),
    st.integers(1, 60_000).map(lambda n: "a" * n),  # one very long word
    st.lists(st.sampled_from(CUE_WORDS), max_size=40).map("".join),  # no spaces at all
    st.text(st.sampled_from(".,;:!?()[]{}\"'-–—…/\\*#@%&\n\t "), max_size=2000),  # punctuation only
    st.tuples(st.sampled_from(CUE_WORDS + [PARAGRAPH]), st.integers(1, 800)).map(lambda p: (p[0] + " ") * p[1]),
    st.sampled_from(["Kerja sama Kota Bandung – 浜松市 – بandung — Жаңа 🤝 Hamamatsu", "\x00" * 100, "\ufffd" * 500]),
)


@given(CLASSIFIER_TEXT, CLASSIFIER_TEXT)
def test_classify_any_text_gives_a_verdict_in_range(title, text):
    verdict = classify(title, text)
    assert isinstance(verdict.match, bool)
    assert isinstance(verdict.score, float) and 0.0 <= verdict.score <= 1.0
    assert verdict.stage is None or verdict.stage in STAGES
    assert verdict.stage is None or verdict.match
    for values in (verdict.cues, verdict.parties, verdict.sectors):
        assert isinstance(values, tuple) and all(isinstance(v, str) and v.strip() for v in values)
    assert set(verdict.sectors) <= set(SECTORS) and len(set(verdict.sectors)) == len(verdict.sectors)
    assert len(set(verdict.parties)) == len(verdict.parties)

"""Indonesian date parsing and publication-date selection in crawler.extract."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from crawler.extract import extract, parse_indonesian_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Kamis 6 Februari 2025", "2025-02-06T00:00:00+07:00"),
        ("Selasa, 4 Februari 2025", "2025-02-04T00:00:00+07:00"),
        ("Rabu (29/9/2021)", "2021-09-29T00:00:00+07:00"),
        ("Jum'at, 7 Maret 2025 - 09:12 WIB", "2025-03-07T09:12:00+07:00"),
        ("Jum’at, 7 Maret 2025 - 09:12 WIB", "2025-03-07T09:12:00+07:00"),
        ("Sabtu 01 Feb 2025 - 18:29 WIB", "2025-02-01T18:29:00+07:00"),
        ("Rabu 04-03-2020,17:30 WIB", "2020-03-04T17:30:00+07:00"),
        ("17 Oktober 2021, 15:53 WIB", "2021-10-17T15:53:00+07:00"),
        ("09/06/2024, 11:00 WIB", "2024-06-09T11:00:00+07:00"),
        ("14 Ags 2013", "2013-08-14T00:00:00+07:00"),
        ("14 Agt 2013", "2013-08-14T00:00:00+07:00"),
        ("14 Agu 2013", "2013-08-14T00:00:00+07:00"),
        ("5 Pebruari 2019", "2019-02-05T00:00:00+07:00"),
        ("5 Nopember 2019", "2019-11-05T00:00:00+07:00"),
        ("3 Sept 2024", "2024-09-03T00:00:00+07:00"),
        ("Wednesday, 26 June 2019", "2019-06-26T00:00:00+07:00"),
        ("Saturday, 15 March 2025 10:07 AM", "2025-03-15T10:07:00+07:00"),
        ("Sabtu, 15 March 2025 10:07 PM", "2025-03-15T22:07:00+07:00"),
        ("Sabtu, Juli 5, 2025", "2025-07-05T00:00:00+07:00"),
        ("Sabtu malam (1/11/2025)", "2025-11-01T00:00:00+07:00"),
        ("Rabu (16/7/2025) pagi", "2025-07-16T00:00:00+07:00"),
        ("Rabu, 26 Maret 2025 | 18:36 WIB", "2025-03-26T18:36:00+07:00"),
        ("Jum'at, 03/05/2024 10:20 WIB", "2024-05-03T10:20:00+07:00"),
        ("Selasa 11 Mar 2025, 06:59 WIB", "2025-03-11T06:59:00+07:00"),
        ("Kamis (22 Nov 2018)", "2018-11-22T00:00:00+07:00"),
        ("Rabu (10/05/17)", "2017-05-10T00:00:00+07:00"),
        ("Rabu (27-1-2021)", "2021-01-27T00:00:00+07:00"),
        ("pada 29 Juli 2016, 14:15 WIB", "2016-07-29T14:15:00+07:00"),
        ("Senin, 12 Mei 2025 pukul 08.30 Wita", "2025-05-12T08:30:00+08:00"),
        ("Senin, 12 Mei 2025 pukul 08.30 WITA", "2025-05-12T08:30:00+08:00"),
        ("Selasa, 13 Mei 2025 19.45 wit", "2025-05-13T19:45:00+09:00"),
        ("pukul 07.30 Wita, 12 Juni 2024", "2024-06-12T07:30:00+08:00"),
        ("Last Updated 2023-03-15T07:57:21Z", "2023-03-15T07:57:21+00:00"),
        ("Minggu, 6/10/ 2024", "2024-10-06T00:00:00+07:00"),
    ],
)
def test_indonesian_date_strings(text: str, iso: str) -> None:
    got = parse_indonesian_date(text)
    assert got is not None
    assert got.isoformat() == iso


def test_source_timezone_applies_without_explicit_zone() -> None:
    got = parse_indonesian_date("Selasa, 4 Februari 2025 10:00", timezone="Asia/Makassar")
    assert got is not None and got.isoformat() == "2025-02-04T10:00:00+08:00"
    explicit = parse_indonesian_date("Selasa, 4 Februari 2025 10:00 WIB", timezone="Asia/Jayapura")
    assert explicit is not None and explicit.isoformat() == "2025-02-04T10:00:00+07:00"


@pytest.mark.parametrize(
    ("text", "base", "iso"),
    [
        ("Senin (11/8)", datetime(2025, 8, 20), "2025-08-11T00:00:00+07:00"),
        ("Senin (11/8)", datetime(2025, 8, 1), "2024-08-11T00:00:00+07:00"),
        ("Jumat malam (1/8)", datetime(2025, 8, 3, tzinfo=timezone(timedelta(hours=7))),
         "2025-08-01T00:00:00+07:00"),
        ("Minggu (15/9) pagi sekitar pukul 05.00 WIB", datetime(2025, 9, 20),
         "2025-09-15T05:00:00+07:00"),
    ],
)
def test_yearless_date_resolves_into_the_past_of_base(text: str, base: datetime, iso: str) -> None:
    got = parse_indonesian_date(text, base=base)
    assert got is not None and got.isoformat() == iso


@pytest.mark.parametrize("text", ["", "   ", "Jumat (7/0/2020)", "31 Februari 2025", "tanpa tanggal"])
def test_unparseable_strings_give_none(text: str) -> None:
    assert parse_indonesian_date(text) is None


def test_dateparser_fallback_handles_relative_dates() -> None:
    base = datetime(2025, 3, 10, 12, 0)
    got = parse_indonesian_date("2 hari yang lalu", base=base)
    assert got is not None and got.date().isoformat() == "2025-03-08"


def _page(top_bar: str, byline: str, head: str = "") -> str:
    paras = "".join(
        f"<p>Paragraf {i}: Pemerintah kota membahas rencana kerja sama dengan mitra dari luar "
        f"daerah dalam rapat yang dihadiri pejabat dinas terkait.</p>" for i in range(6)
    )
    return (
        f"<html lang='id'><head><meta property='og:type' content='article'>{head}</head><body>"
        f"<div class='top-bar'><span class='tanggal'>{top_bar}</span></div>"
        "<nav><a href='/'>Beranda</a><a href='/news/'>News</a></nav>"
        "<div class='content'><div class='post-header'><h1>Pemkot Bahas Rencana Kerja Sama</h1>"
        f"<div class='meta'>{byline}</div></div><div class='post-body'>{paras}</div></div>"
        "</body></html>"
    )


def test_header_today_date_is_not_taken() -> None:
    got = extract(_page("Minggu, 22 November 2026", "Oleh Redaksi"), "https://kota.test/a/")
    assert got.published is None
    got = extract(
        _page("Minggu, 22 November 2026", "Oleh Redaksi | Rabu, 8 Maret 2023 - 10:15 WIB"),
        "https://kota.test/a/",
    )
    assert got.published is not None
    assert got.published.isoformat() == "2023-03-08T10:15:00+07:00"


def test_future_byline_date_is_rejected() -> None:
    future = datetime.now(UTC) + timedelta(days=40)
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
              "September", "Oktober", "November", "Desember"]
    text = f"{future.day} {months[future.month - 1]} {future.year}"
    assert extract(_page("", text), "https://kota.test/a/").published is None


def test_structured_date_wins_over_text() -> None:
    head = "<script type='application/ld+json'>{\"@graph\": [{\"@type\": \"NewsArticle\", " \
           "\"headline\": \"x\", \"datePublished\": \"2024-06-09T11:00:00+07:00\"}]}</script>"
    got = extract(_page("", "Selasa, 4 Februari 2025", head), "https://kota.test/a/")
    assert got.published is not None and got.published.isoformat() == "2024-06-09T11:00:00+07:00"
    meta = "<meta property='article:published_time' content='2024-06-09T04:00:00+00:00'>"
    got = extract(_page("", "Selasa, 4 Februari 2025", meta), "https://kota.test/a/",
                  timezone="Asia/Makassar")
    assert got.published is not None and got.published.isoformat() == "2024-06-09T12:00:00+08:00"


def test_time_element_inside_article() -> None:
    byline = "<time datetime='2025-01-05T08:00:00+07:00'>5 Januari 2025</time>"
    got = extract(_page("Minggu, 22 November 2026", byline), "https://kota.test/a/")
    assert got.published is not None and got.published.isoformat() == "2025-01-05T08:00:00+07:00"

"""Extraction on pages made by real software (stock WordPress themes, Pelican, Jekyll), unit by unit
and end to end: titles without site-name affixes, dates to the minute, short posts kept,
bodies complete. The pages are tests/fixtures/realsoft (see its generate.py)."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import UTC, datetime

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler
from sqlalchemy import select

from crawler.extract import extract, merge_pages
from crawler.extract.dates import parse_listed, zone
from crawler.extract.titles import AffixLearner, home_site_names, strip_affixes
from crawler.items import ArticleItem
from crawler.pipelines import ExtractPipeline, StorePipeline
from crawler.storage import CrawlRun, list_articles, open_database
from tests.portals import realsoft
from tests.portals.realsoft import SITES, expected, manifest, page

ORIGIN = "http://127.0.0.1:8765"
CASES = [(site, art) for site in SITES for art in expected(site)["articles"]]


def _ids(case: tuple[str, dict]) -> str:
    return f"{case[0]}:{case[1]['url']}"


def _pages(site: str, art: dict) -> list[str]:
    """The request paths of an article: its first page and the further pages of a split post."""
    resources = manifest(site)["resources"]
    paths = [art["url"]]
    for n in range(2, art["pages"] + 1):
        paths += [p for p in (f"{art['url']}{n}/", f"{art['url']}&page={n}") if p in resources]
    return paths


def _extract(site: str, art: dict, **kwargs):
    tz = expected(site)["timezone"]
    parts = [extract(page(site, p, ORIGIN), ORIGIN + p, timezone=tz, **kwargs) for p in _pages(site, art)]
    return merge_pages(parts) if len(parts) > 1 else parts[0]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_fixture_site_is_there() -> None:
    assert {"jekyll-minima", "pelican", "wordpress-twentytwentyone", "wordpress-twentytwentytwo",
            "wordpress-twentytwentythree"} <= set(SITES)
    assert sum(a["short"] for _, a in CASES) >= 3 * len(SITES)


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_real_software_page_is_extracted_exactly(case: tuple[str, dict]) -> None:
    site, art = case
    got = _extract(site, art)
    assert got.title == art["title"]
    assert got.published is not None
    assert got.published.isoformat() == art["published"]
    assert _norm(got.text) == _norm(art["text"])
    assert got.page_kind in ("article", "weak")
    assert got.url == ORIGIN + art["url"]


@pytest.mark.parametrize("site", SITES)
def test_short_posts_are_articles_or_left_to_their_channel(site: str) -> None:
    for art in expected(site)["articles"]:
        if art["short"]:
            got = _extract(site, art)
            assert got.text
            assert got.page_kind in ("article", "weak")


def test_split_post_pages_point_to_each_other() -> None:
    site = "wordpress-twentytwentyone"
    art = next(a for a in expected(site)["articles"] if a["pages"] == 3)
    first = extract(page(site, art["url"], ORIGIN), ORIGIN + art["url"])
    assert first.continuation == (f"{ORIGIN}{art['url']}2/", f"{ORIGIN}{art['url']}3/")


def test_site_name_headline_is_not_the_title() -> None:
    """Pelican's theme prints the site name in <h1> and the headline in <h2>."""
    art = expected("pelican")["articles"][0]
    html = page("pelican", art["url"], ORIGIN)
    assert "<h1><a href" in html
    assert extract(html, ORIGIN + art["url"]).title == art["title"]


def test_a_section_label_heading_is_never_the_title() -> None:
    html = ("<html><head><title>Pemkot Ambon Tawarkan Kerja Sama Perikanan - Warta Timur</title></head><body>"
            "<h1 class='section'>Internasional</h1><article><h2>Pemkot Ambon Tawarkan Kerja Sama Perikanan</h2>"
            "<p>" + "Pemerintah kota menawarkan kerja sama perikanan tangkap kepada kedutaan. " * 10 + "</p>"
            "</article></body></html>")
    got = extract(html, "https://wartatimur.example/berita/ambon-tawarkan/")
    assert got.title == "Pemkot Ambon Tawarkan Kerja Sama Perikanan"


@pytest.mark.parametrize(
    ("title", "names", "stripped"),
    [
        ("Judul Berita Hari Ini – Kabar Priangan", ["Kabar Priangan"], "Judul Berita Hari Ini"),
        ("Catatan Pesisir - BMKG: Hujan Lebat Sore Ini", ["Catatan Pesisir"], "BMKG: Hujan Lebat Sore Ini"),
        ("Situs: Judul Berita", ["situs.com"], "Judul Berita"),
        ("Wali Kota: Pasar Dibuka Juni | Suara Borneo", ["Suara Borneo"], "Wali Kota: Pasar Dibuka Juni"),
        ("Bandung – Hamamatsu Jajaki Kerja Sama", ["Kabar Priangan"], "Bandung – Hamamatsu Jajaki Kerja Sama"),
        ("BMKG: Hujan Lebat Sore Ini", ["Kabar Priangan"], "BMKG: Hujan Lebat Sore Ini"),
    ],
)
def test_site_name_affixes_are_stripped(title: str, names: list[str], stripped: str) -> None:
    assert strip_affixes(title, names) == stripped


def test_affixes_are_learned_from_titles_that_repeat_them() -> None:
    learner = AffixLearner()
    for title in ("Satu Berita - Warta Kita", "Dua Berita - Warta Kita", "Dua Berita - Warta Kita"):
        learner.observe(title)
    assert learner.names == set()  # two different titles are not enough
    learner.observe("Tiga: Berita Lain - Warta Kita")
    assert learner.names == {"Warta Kita"}
    assert strip_affixes("Empat Berita - Warta Kita", learner.names) == "Empat Berita"


def test_document_title_affix_is_stripped_with_the_names_of_the_home_page() -> None:
    """A JavaScript-built page: nothing but <title> and the body; the home page names the site."""
    home = "<html><head><title>Kabar Lembah – Berita Lembah Hijau</title></head><body></body></html>"
    names = home_site_names(home, "https://kabarlembah.example/")
    assert "Kabar Lembah" in names
    html = ("<html><head><title>Pemkot Jajaki Kerja Sama Air Bersih – Kabar Lembah</title></head><body>"
            "<div><p>" + "Pemerintah kota menjajaki kerja sama pengelolaan air bersih. " * 12 + "</p></div>"
            "</body></html>")
    got = extract(html, "https://kabarlembah.example/berita/123", site_names=names)
    assert got.title == "Pemkot Jajaki Kerja Sama Air Bersih"


def _page(head: str = "", byline: str = "", url_path: str = "/berita/pemkot-jajaki/") -> str:
    body = "".join(f"<p>Kalimat ke-{i} dari berita pemerintah kota tentang kerja sama daerah.</p>" for i in range(8))
    return (f"<html><head><title>Pemkot Jajaki Kerja Sama</title>{head}</head><body>"
            "<header><span class='today'>Kamis, 4 Desember 2026</span></header>"
            f"<article><h1>Pemkot Jajaki Kerja Sama</h1><div class='meta'>{byline}</div>"
            f"<div class='entry-content'>{body}</div></article></body></html>")


@pytest.mark.parametrize(
    ("meta", "shown", "want"),
    [
        # the meta offset lies: the page's visible clock in WIB wins
        ("2015-11-05T15:56:00-07:00", "Kamis, 5 November 2015 - 15:56", "2015-11-05T15:56:00+07:00"),
        ("2016-02-23T15:06:00Z", "Selasa, 23 Februari 2016 15:06 WIB | 998 Views", "2016-02-23T15:06:00+07:00"),
        # the meta is right (the same instant as the visible clock): it stays
        ("2016-02-23T08:06:00Z", "Selasa, 23 Februari 2016 15:06 WIB", "2016-02-23T15:06:00+07:00"),
        ("2025-03-07T14:55:00+08:00", "Jumat, 7 Maret 2025 14:55 WITA", "2025-03-07T13:55:00+07:00"),
    ],
)
def test_visible_clock_wins_over_a_contradicting_meta_offset(meta: str, shown: str, want: str) -> None:
    html = _page(f'<meta property="article:published_time" content="{meta}">', shown)
    got = extract(html, "https://warta.test/berita/pemkot-jajaki/")
    assert got.published is not None
    assert got.published.isoformat() == want


def test_no_date_on_the_page_takes_the_channel_date() -> None:
    got = extract(_page(), "https://warta.test/berita/pemkot-jajaki/", listed="Thu, 13 Mar 2025 04:00:00 +0000")
    assert got.published is not None
    assert got.published.isoformat() == "2025-03-13T11:00:00+07:00"
    # the header's "today" is never the publication date
    assert extract(_page(), "https://warta.test/berita/pemkot-jajaki/").published is None


def test_a_day_without_time_takes_the_channel_time_of_that_day() -> None:
    html = _page(byline="Kamis, 13 Maret 2025")
    listed = extract(html, "https://warta.test/berita/x/", listed="2025-03-13T04:00:00Z").published
    assert listed is not None
    assert listed.isoformat() == "2025-03-13T11:00:00+07:00"
    other_day = extract(html, "https://warta.test/berita/x/", listed="2025-03-20T04:00:00Z").published
    assert other_day is not None
    assert other_day.isoformat() == "2025-03-13T00:00:00+07:00"


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("Thu, 13 Mar 2025 04:00:00 +0000", "2025-03-13T04:00:00+00:00"),
        ("2025-03-13T04:00:00Z", "2025-03-13T04:00:00+00:00"),
        ("2025-03-13T11:00:00+07:00", "2025-03-13T11:00:00+07:00"),
        ("2025-03-13", "2025-03-13T00:00:00+07:00"),
    ],
)
def test_channel_dates_are_read_by_the_one_date_parser(value: str, iso: str) -> None:
    got = parse_listed(value, zone("Asia/Jakarta"))
    assert got is not None
    assert got.isoformat() == iso


def test_an_html_page_where_a_sitemap_was_expected_is_an_empty_sitemap() -> None:
    """WordPress with plain permalinks answers /wp-sitemap.xml with its home page (HTTP 200)."""
    from crawler.discovery.sitemaps import parse_sitemap

    home = page("wordpress-twentytwentyone-plain", "/wp-sitemap.xml").encode()
    assert home.lstrip().startswith(b"<!doctype html")
    result = parse_sitemap(home)
    assert result.urls == []
    assert result.sitemaps == []


# -- the pipelines, built with get_crawler ---------------------------------------------------


def _item(site: str, art: dict, via: str, listed: str | None = None) -> ArticleItem:
    url = ORIGIN + art["url"]
    return ArticleItem(source=site, fetched_url=url, html=page(site, art["url"], ORIGIN), url=url,
                       fetched_at=datetime.now(UTC), discovered_via=via, listed=listed,
                       timezone=expected(site)["timezone"])


def _weak_short_post() -> tuple[str, dict]:
    for site, art in CASES:
        if art["short"] and extract(page(site, art["url"], ORIGIN), ORIGIN + art["url"]).page_kind == "weak":
            return site, art
    raise AssertionError("no fixture short post is weak on its own signals")


def test_a_short_post_a_channel_lists_is_kept_and_the_same_page_found_elsewhere_is_counted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    site, art = _weak_short_post()
    crawler = get_crawler(settings_dict={"JAJAK_WORKER_PROCESSES": 0, "JAJAK_DATABASE_URL": "sqlite://"})
    extract_stage = ExtractPipeline.from_crawler(crawler)

    kept = asyncio.run(extract_stage.process_item(_item(site, art, "feed")))
    assert kept.is_article
    assert kept.title == art["title"]
    assert kept.published is not None
    assert kept.published.isoformat() == art["published"]

    found = asyncio.run(extract_stage.process_item(_item(site, art, "listing")))
    assert not found.is_article
    assert found.not_article == "weak_signals"
    store = StorePipeline.from_crawler(crawler)
    store.sessions = open_database("sqlite://")
    with caplog.at_level(logging.INFO), pytest.raises(DropItem) as dropped:
        store.process_item(found)
    assert "not an article (weak_signals)" in str(dropped.value)
    assert dropped.value.log_level == "INFO"
    assert crawler.stats.get_value("jajak/dropped/weak_signals") == 1
    assert crawler.stats.get_value("jajak/extract/kept_as_listed") == 1


# -- end to end: the real spider against the saved sites ------------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize("site", SITES)
def test_real_software_site_is_crawled_completely(site, portal, crawl_env):
    server = portal(builder=realsoft.builder(site))
    exp = expected(site)
    crawl_env.add_source("realsoft", server.url + "/", timezone=exp["timezone"])

    done = crawl_env.scrapy("crawl", "portal", "-a", "source=realsoft")

    assert done.returncode == 0, done.stderr[-3000:]
    sessions = open_database(crawl_env.database_url)
    with sessions() as session:
        stored = {a.url.removeprefix(server.url): a for a in list_articles(session)}
    assert set(stored) == {a["url"] for a in exp["articles"]}, done.stderr[-3000:]
    with sessions() as session:
        run = session.scalars(select(CrawlRun)).one()
    assert run.finish_reason == "finished", done.stderr[-3000:]
    assert run.new_articles == len(exp["articles"])
    assert not any(key.startswith("jajak/dropped/") for key in run.stats or {}), run.stats
    for art in exp["articles"]:
        got = stored[art["url"]]
        assert got.title == art["title"]
        assert got.published is not None
        assert got.published.astimezone(zone(exp["timezone"])).isoformat() == art["published"]
        assert _norm(got.text) == _norm(art["text"])
        assert got.pages == art["pages"]
    assert "not an article" not in done.stderr or "INFO" in done.stderr


def test_the_extract_stage_strips_the_source_s_names_from_its_home_page_and_repeated_titles() -> None:
    """Pages whose only title is <title> with a site suffix nothing on the page names (a
    JavaScript-built portal's document.title): the home page, read once by discovery, names
    the site; a suffix the home page does not name is learned once three titles repeat it."""
    from types import SimpleNamespace

    from scrapy.http import HtmlResponse

    def article(title: str) -> str:
        return (f"<html><head><title>{title}</title></head><body><div class='isi'>"
                + "<p>Pemerintah kota membahas rencana kerja sama pengelolaan sampah dengan kampus.</p>" * 8
                + "</div></body></html>")

    crawler = get_crawler(settings_dict={"JAJAK_WORKER_PROCESSES": 0})
    home = HtmlResponse("https://lembah.example/", body=b"<title>Kabar Lembah</title>", encoding="utf-8")
    crawler.spider = SimpleNamespace(discovery=SimpleNamespace(home=home))
    stage = ExtractPipeline.from_crawler(crawler)

    def run(title: str) -> str:
        item = ArticleItem(source="lembah", fetched_url="https://lembah.example/berita/1", html=article(title),
                           fetched_at=datetime.now(UTC), discovered_via="feed")
        return asyncio.run(stage.process_item(item)).title

    assert run("Pemkot Bahas Kerja Sama Sampah - Kabar Lembah") == "Pemkot Bahas Kerja Sama Sampah"
    titles = [run(f"Berita Nomor {n} Tentang Sampah | Portal Warga Hijau") for n in range(1, 5)]
    assert titles[0] == "Berita Nomor 1 Tentang Sampah | Portal Warga Hijau"  # not yet learned
    assert titles[2:] == ["Berita Nomor 3 Tentang Sampah", "Berita Nomor 4 Tentang Sampah"]


def test_the_site_header_today_in_a_time_element_is_never_the_date() -> None:
    html = ("<html><body><div class='site-header'><time datetime='2026-12-04T06:00:00+07:00'>Kamis, 4 Desember "
            "2026</time></div><div class='wrap'><div class='post'><h1>Pemkot Jajaki Kerja Sama Air Bersih</h1>"
            "<div class='entry-content'>" + "<p>Pemerintah kota menjajaki kerja sama air bersih.</p>" * 6
            + "</div></div></div></body></html>")
    got = extract(html, "https://warta.test/berita/jajaki/", listed="2025-03-13T04:00:00Z")
    assert got.published is not None
    assert got.published.isoformat() == "2025-03-13T11:00:00+07:00"

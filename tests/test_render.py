"""Rendering JavaScript portals (crawler/rendering): render: true and auto crawl a portal whose
lists and bodies come from scripts; plain sources never start the browser; memory is reported;
a missing browser is one clear error for the source that needs it."""

from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace

import pytest
from scrapy import Spider
from scrapy.crawler import Crawler
from sqlalchemy import select

from crawler.demo.synthetic import synthetic_articles
from crawler.discovery.listings import listing_links
from crawler.extract import extract
from crawler.rendering import DECISION_STAT, BrowserMissing, find_chromium, plan_for
from crawler.rendering.browser import AbortRequest, launch_options
from crawler.rendering.plan import MIN_TEXT
from crawler.sources import Source
from crawler.storage import (
    CrawlRun,
    ensure_source,
    finish_run,
    list_articles,
    open_database,
    start_run,
)
from tests.conftest import FAST
from tests.portals.js_portal import build_site as js_portal

try:
    CHROMIUM: str | None = find_chromium()
except BrowserMissing as err:
    CHROMIUM, NO_CHROMIUM = None, str(err)

TRACKED = ("/aset/logo.png", "/aset/huruf.woff2", "/pelacak.js")  # image, font, third party


def stored(database_url: str, source: str) -> list:
    sessions = open_database(database_url)
    with sessions() as session:
        return [a for a in list_articles(session, source=source) if a.text]


def stored_titles(database_url: str, source: str) -> set[str]:
    return {a.title for a in stored(database_url, source)}


def runs_of(database_url: str, source: str) -> list[CrawlRun]:
    sessions = open_database(database_url)
    with sessions() as session:
        row = ensure_source(session, source, "http://127.0.0.1/")
        return list(session.scalars(
            select(CrawlRun).where(CrawlRun.source_id == row.id).order_by(CrawlRun.id)
        ))


def assert_no_browser(run: CrawlRun, log: str) -> None:
    stats = run.stats or {}
    assert not any(key.startswith(("playwright/", "jajak/render/pages")) for key in stats), stats
    assert "scrapy-playwright" not in log
    assert "Launching browser" not in log


# -- without a browser -------------------------------------------------------------------------


def test_js_portal_shows_nothing_without_javascript(demo_articles):
    site = js_portal(demo_articles, "http://127.0.0.1:8000")
    home = site["/"].body
    assert listing_links(home, "http://127.0.0.1:8000/", ("127.0.0.1",)) == []
    first = json.loads(site["/api/daftar?hal=1"].body)["items"][0]
    page = site[first["url"]].body.decode()
    text = extract(page, "http://127.0.0.1:8000" + first["url"]).text
    assert len(text) < MIN_TEXT
    assert "Memuat" in page and "Memuat" not in text  # a "loading..." placeholder is no article text
    assert first["title"] not in page


def test_abort_rule_keeps_the_page_and_its_scripts_only():
    abort = AbortRequest(("portal.example", "www.portal.example"))

    def request(url: str, kind: str) -> SimpleNamespace:  # the two fields Playwright's Request has
        return SimpleNamespace(url=url, resource_type=kind)

    assert not abort(request("https://portal.example/baca/1/x", "document"))
    assert not abort(request("https://www.portal.example/aset/app.js", "script"))
    assert not abort(request("https://cdn.portal.example/api/x", "fetch"))  # a subdomain
    assert not abort(request("data:text/plain,halo", "fetch"))
    assert abort(request("https://portal.example/logo.png", "image"))
    assert abort(request("https://portal.example/huruf.woff2", "font"))
    assert abort(request("https://portal.example/video.mp4", "media"))
    assert abort(request("https://www.googletagmanager.com/gtm.js", "script"))
    assert abort(request("http://localhost:8000/pelacak.js", "script"))


def test_launch_options_use_the_given_chromium_without_sandbox():
    options = launch_options("/usr/lib/chromium/chromium", {"headless": True, "args": ["--x"]})
    assert options["executable_path"] == "/usr/lib/chromium/chromium"
    assert options["headless"] is True
    assert options["chromium_sandbox"] is False
    assert options["args"][0] == "--x"
    assert "--disable-gpu" in options["args"]


def test_missing_chromium_path_is_one_clear_error(tmp_path):
    with pytest.raises(BrowserMissing, match="JAJAK_CHROMIUM=.*not an executable"):
        find_chromium(str(tmp_path / "chromium"))


def _crawler(database_url: str, **settings):
    # As the spider's from_crawler sees it: settings not frozen yet.
    return Crawler(Spider, {"JAJAK_DATABASE_URL": database_url, **settings})


def _remember(database_url: str, source: Source, stats: dict) -> None:
    sessions = open_database(database_url)
    with sessions.begin() as session:
        run_id = start_run(session, ensure_source(session, source.name, source.url).id, 1)
        finish_run(session, run_id, pages=1, new_articles=0, matches=0, errors=0,
                   finish_reason="finished", channel="listing", stats=stats)


def test_auto_decision_is_remembered_and_checked_again_after_n_runs(tmp_path):
    url = f"sqlite:///{tmp_path / 'j.db'}"
    source = Source(name="lembah", url="http://127.0.0.1:1/", render="auto")
    # No decision yet: decide during the crawl (here without a browser: crawl plain, warn).
    plan = plan_for(_crawler(url, JAJAK_CHROMIUM=str(tmp_path / "none")), source)
    assert (plan.mode, plan.decision, plan.error) == ("auto", "plain", None)

    _remember(url, source, {DECISION_STAT: "plain", "jajak/render/age": 0})
    crawler = _crawler(url, JAJAK_RENDER_RECHECK_RUNS=3)
    plan = plan_for(crawler, source)
    assert (plan.decision, plan.age, plan.probe) == ("plain", 1, False)
    # Remembered "plain": the crawl is a plain one, Playwright is not even registered.
    assert "scrapy_playwright" not in json.dumps(crawler.settings.getdict("DOWNLOAD_HANDLERS"))

    _remember(url, source, {DECISION_STAT: "listings", "jajak/render/age": 1})
    crawler = _crawler(url, JAJAK_RENDER_RECHECK_RUNS=3, JAJAK_CHROMIUM=CHROMIUM or "")
    plan = plan_for(crawler, source)
    assert (plan.listings, plan.articles, plan.age) == (True, False, 2)

    _remember(url, source, {DECISION_STAT: "listings", "jajak/render/age": 2})
    crawler = _crawler(url, JAJAK_RENDER_RECHECK_RUNS=3, JAJAK_CHROMIUM=str(tmp_path / "x"))
    plan = plan_for(crawler, source)
    # Third crawl: checked again (here without a browser, so this crawl stays plain).
    assert (plan.age, plan.decision) == (0, "plain")


def test_missing_browser_names_the_source_and_other_sources_still_crawl(
    portal, crawl_env, demo_articles
):
    js = portal(builder=js_portal)
    plain = portal("wp-news")
    crawl_env.add_source("lembah", js.url + "/", render="true")
    crawl_env.add_source("warta", plain.url + "/")

    done = _jajak(crawl_env, "crawl", "lembah", "warta", JAJAK_CHROMIUM="/nonexistent/chromium")

    message = "lembah needs a browser (render: true): JAJAK_CHROMIUM=/nonexistent/chromium"
    assert done.returncode == 2  # an installation problem: configuration, not a site that is down
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    row = next(line for line in done.stdout.splitlines() if line.startswith("lembah "))
    assert "browser_missing" in row
    assert runs_of(crawl_env.database_url, "lembah")[-1].finish_reason == "browser_missing"
    assert stored_titles(crawl_env.database_url, "warta") == {a["title"] for a in demo_articles}
    assert js.requests == []  # nothing was fetched for the source that cannot be rendered


def _jajak(crawl_env, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`jajak ARGS` like crawl_env.jajak(), with extra environment variables."""
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args, *FAST], cwd=crawl_env.home,
                          env={**crawl_env.env, **env}, capture_output=True, text=True,
                          timeout=300, check=False)


def _log(crawl_env, source: str) -> str:
    return (crawl_env.home / "var" / "logs" / f"crawl-{source}.log").read_text(encoding="utf-8")


# -- with Chromium -------------------------------------------------------------------------------

with_browser = pytest.mark.skipif(
    CHROMIUM is None,
    reason=f"no Chromium on this machine ({NO_CHROMIUM if CHROMIUM is None else ''})",
)


@pytest.mark.browser
@pytest.mark.e2e
@with_browser
def test_render_true_crawls_js_portal_completely_and_plain_portal_never_starts_the_browser(
    portal, crawl_env, demo_articles
):
    js = portal(builder=js_portal)
    plain = portal("wp-magazine")
    crawl_env.add_source("lembah", js.url + "/", render="true")
    crawl_env.add_source("warta", plain.url + "/")

    done = _jajak(crawl_env, "crawl", "lembah", "warta")

    assert done.returncode == 0, done.stderr[-3000:]
    titles = {a["title"] for a in demo_articles}
    lembah_titles = stored_titles(crawl_env.database_url, "lembah")
    assert lembah_titles == titles, _log(crawl_env, "lembah")[-3000:]
    assert stored_titles(crawl_env.database_url, "warta") == titles
    stats = runs_of(crawl_env.database_url, "lembah")[-1].stats or {}
    assert stats["jajak/render/pages"] >= len(demo_articles)
    assert stats["playwright/page_count"] == stats["playwright/page_count/closed"]  # all closed
    assert stats["jajak/render/browser_peak_mb"] > 0
    # Images, fonts and the tracker on another host were never asked for.
    assert stats["playwright/request_count/aborted"] >= 3 * len(demo_articles)
    assert not [path for _, path, _, _ in js.requests if path.startswith(TRACKED)]
    assert_no_browser(runs_of(crawl_env.database_url, "warta")[-1], _log(crawl_env, "warta"))


@pytest.mark.browser
@pytest.mark.e2e
@with_browser
def test_render_auto_renders_only_the_js_portal_and_remembers_its_decision(
    portal, crawl_env, demo_articles
):
    js = portal(builder=js_portal)
    plain = portal("wp-news")
    crawl_env.add_source("lembah", js.url + "/", render="auto")
    crawl_env.add_source("warta", plain.url + "/", render="auto")

    first = _jajak(crawl_env, "crawl", "lembah", "warta")

    assert first.returncode == 0, first.stderr[-3000:]
    titles = {a["title"] for a in demo_articles}
    lembah_titles = stored_titles(crawl_env.database_url, "lembah")
    assert lembah_titles == titles, _log(crawl_env, "lembah")[-3000:]
    assert stored_titles(crawl_env.database_url, "warta") == titles
    lembah = runs_of(crawl_env.database_url, "lembah")[-1].stats or {}
    warta = runs_of(crawl_env.database_url, "warta")[-1].stats or {}
    assert (lembah[DECISION_STAT], lembah["jajak/render/age"]) == ("render", 0)
    assert lembah["jajak/render/pages"] >= len(demo_articles)
    # The plain portal's HTML has links and text: it was checked, never rendered.
    assert (warta[DECISION_STAT], warta["jajak/render/age"]) == ("plain", 0)
    assert "playwright/browser_count" not in warta
    assert "jajak/render/pages" not in warta

    second = _jajak(crawl_env, "crawl", "lembah", "warta")

    assert second.returncode == 0, second.stderr[-3000:]
    lembah = runs_of(crawl_env.database_url, "lembah")[-1].stats or {}
    warta_run = runs_of(crawl_env.database_url, "warta")[-1]
    assert (lembah[DECISION_STAT], lembah["jajak/render/age"]) == ("render", 1)
    assert lembah["jajak/render/pages"] >= 1  # the home page, rendered to look for new articles
    warta = warta_run.stats or {}
    assert (warta[DECISION_STAT], warta["jajak/render/age"]) == ("plain", 1)
    log = _log(crawl_env, "warta")
    assert_no_browser(warta_run, log[log.rindex("Scrapy 2."):])  # the second crawl's log


@pytest.mark.browser
@pytest.mark.e2e
@with_browser
def test_200_rendered_pages_report_bounded_peak_memory(portal, crawl_env):
    articles = synthetic_articles(200, seed=6)
    js = portal(articles=articles, builder=js_portal)
    crawl_env.add_source("lembah", js.url + "/", render="true")

    done = _jajak(crawl_env, "crawl", "lembah", "-s", "JAJAK_RENDER_RESTART_PAGES=120")

    assert done.returncode == 0, done.stderr[-3000:]
    assert len(stored(crawl_env.database_url, "lembah")) == 200
    stats = runs_of(crawl_env.database_url, "lembah")[-1].stats or {}
    assert stats["jajak/render/pages"] >= 200
    assert stats["jajak/render/browser_restarts"] >= 1  # a fresh browser after 120 pages
    assert stats["playwright/page_count"] == stats["playwright/page_count/closed"]
    # Generous bounds: the summed RSS of ~10 Chromium processes counts shared pages repeatedly.
    assert 50 < stats["jajak/render/browser_peak_mb"] < 6000
    assert 30 < stats["jajak/memory/peak_mb"] < 1000

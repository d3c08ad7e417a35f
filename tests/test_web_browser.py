"""`jajak web` in a real browser: Debian's Chromium driven by Playwright (never Playwright's own
download) over the app served by uvicorn on 127.0.0.1. The inbox, its filters and search, a
story and its judgement, a fixture portal added as a source and its first crawl, the sources'
health, the added source's own page (and a failing one's) and the deliveries, as a person
clicks them.
Skipped, with the reason, where Chromium is absent (.ci/run installs it)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from crawler.rendering import BrowserMissing, find_chromium
from crawler.storage import list_articles, open_database
from crawler.storage.judgements import judgements_for_training
from crawler.web import create_app
from tests.conftest import FAST, ROOT
from tests.servers import serve_web
from tests.test_web import HOSTILE, stored  # noqa: F401 - the fixture: one database for both files

try:
    CHROMIUM: str | None = find_chromium()
    NO_CHROMIUM = ""
except BrowserMissing as err:
    CHROMIUM, NO_CHROMIUM = None, str(err)

PROBE_WAIT = 90_000  # ms: the web app's probe takes up to a minute (sources_add.PROBE_TIMEOUT)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.e2e,  # Chromium runs as a child process
    pytest.mark.skipif(CHROMIUM is None, reason=f"no Chromium for the browser test: {NO_CHROMIUM}"),
]


@pytest.fixture
def browser_page():
    from playwright.sync_api import sync_playwright

    from crawler.rendering.browser import launch_options

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options(CHROMIUM))
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(10_000)
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.dialogs = dialogs
        try:
            yield page
        finally:
            browser.close()


def _daemon_crawl(crawl_env, name: str) -> subprocess.CompletedProcess[str]:
    """The daemon's crawl job for one source (crawler.schedule.crawl_job: the crawl, then its
    health), in a process of its own as in tests/test_fleet.py: crawler.settings reads the
    environment once, at import. Loopback portals need no politeness delay."""
    env = {**crawl_env.env, "JAJAK_CRAWL_OVERRIDES": " ".join(FAST[1::2]), "JAJAK_NOTIFY": ""}
    return subprocess.run([sys.executable, "-c", f"from crawler.schedule import crawl_job; crawl_job({name!r})"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False)


def test_inbox_filter_search_story_judgement_add_source_sources_and_deliveries(
        stored, browser_page, portal, crawl_env, demo_articles, monkeypatch):  # noqa: F811
    from playwright.sync_api import expect

    for name, value in crawl_env.env.items():  # the probe's child: its cache under tmp_path
        if name.startswith("JAJAK_"):
            monkeypatch.setenv(name, value)
    magazine = portal("wp-magazine")  # a fixture portal on 127.0.0.1, not a source yet
    page = browser_page
    with serve_web(create_app(stored)) as base:
        # The inbox: stories newest first, the hostile title shown as text, never run.
        page.goto(base + "/")
        expect(page.get_by_role("heading", name="Partnership stories")).to_be_visible()
        stories = page.locator("article.story h2")
        expect(stories).to_have_count(3)
        expect(stories.first).to_contain_text(HOSTILE)
        expect(page.get_by_role("link", name="Bandung dan Hamamatsu Teken MoU")).to_be_visible()

        # Filters: a GET form; the choice stays selected on the filtered page.
        page.get_by_label("Stage").select_option("exploring")
        page.get_by_role("button", name="Filter").click()
        expect(page).to_have_url(re.compile(r"stage=exploring"))
        expect(page.get_by_role("link", name="Garut Jajaki Kerja Sama Pertanian dengan Korea")).to_be_visible()
        expect(page.get_by_role("link", name="Bandung dan Hamamatsu Teken MoU")).to_have_count(0)
        expect(page.get_by_label("Stage")).to_have_value("exploring")

        page.get_by_role("link", name="clear").click()
        page.get_by_label("Region").select_option("Kota Bandung")
        page.get_by_role("button", name="Filter").click()
        expect(stories).to_have_count(1)
        expect(stories.first).to_contain_text("Bandung dan Hamamatsu Teken MoU")

        # Search: every stored article with the words, matched or not.
        page.get_by_role("link", name="clear").click()
        page.get_by_label("Search").fill("dayeuhkolot")
        page.get_by_label("Search").press("Enter")
        expect(page.locator("ul.found")).to_contain_text("Banjir di Dayeuhkolot surut")

        # A story: both outlets, the cue marked; "Right" stores a judgement for each outlet.
        page.goto(base + "/")
        page.get_by_role("link", name="Bandung dan Hamamatsu Teken MoU").click()
        expect(page.locator("mark").first).to_contain_text("Kedua kota sepakat bertukar guru")
        expect(page.get_by_text("jabarnews").first).to_be_visible()
        page.get_by_role("button", name="Right", exact=True).click()
        expect(page.get_by_text("Judgement stored.")).to_be_visible()
        expect(page.get_by_text("kabarbandung: judged a partnership")).to_be_visible()

        # Add a fixture portal as a source: the probe shows the channels that work and three
        # articles as they would be stored; nothing is kept until "Save".
        page.get_by_role("link", name="Sources").click()
        page.get_by_role("link", name="Add a source by URL").click()
        page.get_by_label("Portal URL").fill(magazine.url + "/")
        page.get_by_label("Name").fill("kabarmagazine")
        with page.expect_navigation(timeout=PROBE_WAIT):  # the probe answers when it is done
            page.get_by_role("button", name="Probe").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"kabarmagazine: {magazine.url}/")
        feed = page.locator("tr").filter(has=page.get_by_role("cell", name="feed", exact=True))
        expect(feed.get_by_role("cell").nth(1)).to_have_text(re.compile(r"^yes \(\d+ article links\)$"))
        samples = page.locator("article.sample h3")
        expect(samples).to_have_count(3)
        assert set(samples.all_inner_texts()) <= {a["title"] for a in demo_articles}
        page.get_by_role("button", name="Save kabarmagazine", exact=True).click()
        expect(page.get_by_text("Done: added kabarmagazine.")).to_be_visible()
        expect(page.locator("tr", has_text="kabarmagazine")).to_contain_text(magazine.url)

        # Its first crawl: saved, never run yet; then the daemon's crawl job for it (what `jajak
        # run` starts within a minute of the save) and the sources page shows the run.
        page.get_by_role("link", name="Sources").click()
        added = page.locator("tbody tr", has_text="kabarmagazine")
        expect(added.get_by_role("cell").nth(4)).to_have_text("never")
        crawled = _daemon_crawl(crawl_env, "kabarmagazine")
        assert crawled.returncode == 0, crawled.stderr[-3000:]
        with open_database(stored.database_url)() as session:
            kept = list_articles(session, source="kabarmagazine")
        assert kept and {a.title for a in kept} <= {a["title"] for a in demo_articles}
        page.reload()
        expect(added.locator(".health")).to_have_text("healthy")
        expect(added.get_by_role("cell").nth(4)).to_have_text("finished")
        expect(added.get_by_role("cell").nth(5)).to_have_text(str(len(kept)))
        matched = [a.title for a in kept if a.match]
        assert matched  # the demo portal tells partnership stories
        expect(added.get_by_role("cell").nth(6)).to_have_text(str(len(matched)))

        # Its stories in the inbox, by the new source's name in the Source filter.
        page.get_by_role("link", name="Inbox").click()
        page.get_by_label("Source").select_option("kabarmagazine")
        page.get_by_role("button", name="Filter").click()
        expect(page).to_have_url(re.compile(r"source=kabarmagazine"))
        expect(stories.first).to_be_visible()
        assert set(stories.all_inner_texts()) <= set(matched)

        # Sources: health words and why, the chart, and the precision the judgement just made.
        page.get_by_role("link", name="Sources").click()
        jabar = page.locator("tr", has_text="jabarnews")
        expect(jabar.locator(".health")).to_have_text("failing")
        expect(jabar).to_contain_text("3 failed crawls in a row")
        bandung = page.locator("tr", has_text="kabarbandung")
        expect(bandung.locator("svg.chart rect")).to_have_count(14)
        expect(bandung).to_contain_text("100 %")

        # The added source's own page: its health, its first run, its matches linking to their
        # stories; Disable and Enable bring it back to its page.
        page.locator("tbody tr", has_text="kabarmagazine").get_by_role("link", name="kabarmagazine").click()
        expect(page).to_have_url(base + "/sources/kabarmagazine")
        expect(page.get_by_role("heading", level=1)).to_have_text("kabarmagazine")
        expect(page.locator(".health")).to_have_text("healthy")
        expect(page.locator("dl.source")).to_contain_text("added in the database (the web app)")
        runs = page.locator("table.runs tbody tr")
        expect(runs).to_have_count(1)
        expect(runs.first.get_by_role("cell").last).to_have_text("finished")
        expect(runs.first.get_by_role("cell").nth(3)).to_have_text(str(len(kept)))
        expect(page.locator("svg.chart rect")).to_have_count(14)
        newest = page.locator("ul.matches li a")
        expect(newest).to_have_count(min(len(matched), 20))
        assert set(newest.all_inner_texts()) <= set(matched)
        page.get_by_role("button", name="Disable").click()
        expect(page.get_by_text("Done: disabled.")).to_be_visible()
        expect(page.get_by_role("definition").filter(has=page.get_by_role("button", name="Enable"))).to_have_text(
            re.compile(r"^\s*no\s"))
        page.get_by_role("button", name="Enable").click()
        expect(page.get_by_text("Done: enabled.")).to_be_visible()
        newest.first.click()
        expect(page).to_have_url(re.compile(r"/story/\d+$"))
        expect(page.get_by_text("kabarmagazine").first).to_be_visible()

        # A failing source's page says why.
        page.get_by_role("link", name="Sources").click()
        page.get_by_role("link", name="jabarnews", exact=True).click()
        expect(page.locator(".health")).to_have_text("failing")
        expect(page.locator("dl.source")).to_contain_text("3 failed crawls in a row (last: unreachable, 1 errors)")
        expect(page.locator("table.runs tbody tr")).to_have_count(3)

        # Deliveries: the channel masked, with its failure's reason and the test button.
        page.get_by_role("link", name="Deliveries").click()
        expect(page.locator("section.channel")).to_contain_text("X-Token=****")
        expect(page.locator("section.channel")).to_contain_text("HTTP 500 from hooks.example")
        expect(page.get_by_role("button", name="Send test message")).to_be_visible()
        assert "s3cretTOKEN42" not in page.content()

    assert page.dialogs == []  # no script of an article ever ran
    with open_database(stored.database_url)() as session:
        judged = {(r["source"], r["label"]) for r in judgements_for_training(session)}  # what `jajak train` reads
    assert judged == {("kabarbandung", True), ("jabarnews", True)}

"""`jajak web` in a real browser: Debian's Chromium driven by Playwright (never Playwright's own
download) over the app served by uvicorn on 127.0.0.1. The inbox, its filters and search, a
story and its judgement, the sources' health and the deliveries, as a person clicks them.
Skipped, with the reason, where Chromium is absent (.ci/run installs it)."""

from __future__ import annotations

import re

import pytest

from crawler.rendering import BrowserMissing, find_chromium
from crawler.storage import open_database
from crawler.storage.judgements import judgements_for_training
from crawler.web import create_app
from tests.servers import serve_web
from tests.test_web import HOSTILE, stored  # noqa: F401 - the fixture: one database for both files

try:
    CHROMIUM: str | None = find_chromium()
    NO_CHROMIUM = ""
except BrowserMissing as err:
    CHROMIUM, NO_CHROMIUM = None, str(err)

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


def test_inbox_filter_search_story_judgement_sources_and_deliveries(stored, browser_page):  # noqa: F811
    from playwright.sync_api import expect

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

        # ADD A FIXTURE PORTAL AS A SOURCE: the "add a source by URL" page comes with branch
        # websrc; its browser steps go here, before the sources page is read.

        # Sources: health words and why, the chart, and the precision the judgement just made.
        page.get_by_role("link", name="Sources").click()
        jabar = page.locator("tr", has_text="jabarnews")
        expect(jabar.locator(".health")).to_have_text("failing")
        expect(jabar).to_contain_text("3 failed crawls in a row")
        bandung = page.locator("tr", has_text="kabarbandung")
        expect(bandung.locator("svg.chart rect")).to_have_count(14)
        expect(bandung).to_contain_text("100 %")

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

"""The web app's screenshots in docs/ (shown in the README): two local fixture portals (the demo
articles in two themes, as two outlets) and a third source that is down are crawled with
`jajak crawl` into a fresh database, `jajak digest` tries a channel that refuses, then Debian's
Chromium, driven by Playwright, walks the pages of `jajak web` and saves each as a PNG.

    python docs/screenshots.py [--out docs]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.config import Config  # noqa: E402
from crawler.demo import load_articles  # noqa: E402
from crawler.demo.server import PortalServer  # noqa: E402
from crawler.demo.themes import build_site  # noqa: E402
from crawler.jobs.engines import run_crawls  # noqa: E402
from crawler.rendering import find_chromium  # noqa: E402
from crawler.rendering.browser import launch_options  # noqa: E402
from crawler.sources import load_sources  # noqa: E402
from crawler.startup import project_settings  # noqa: E402
from crawler.web import create_app  # noqa: E402
from tests.servers import serve_web  # noqa: E402

FAST = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]
# A channel that refuses connections, with a token the pages must mask.
NOTIFY = "json://127.0.0.1:9/jajak?+X-Token=demo-secret-token"


def fill(workdir: Path) -> None:
    """Crawl the fixture portals into workdir's database and run one digest."""
    articles = load_articles()
    with PortalServer() as bengkulu, PortalServer() as bandung:
        bengkulu.set_site(build_site("wp-news", articles, bengkulu.url))
        bandung.set_site(build_site("wp-magazine", articles, bandung.url))
        (workdir / "sources.yaml").write_text(
            f"sources:\n  - name: kabarbengkulu\n    url: {bengkulu.url}/\n"
            f"  - name: bandungraya\n    url: {bandung.url}/\n"
            "  - name: portaltutup\n    url: http://127.0.0.1:9/\n",
            encoding="utf-8")
        # The crawls and the digest run in child processes, which read their configuration here.
        os.environ.update(JAJAK_SOURCES=str(workdir / "sources.yaml"), JAJAK_HOME=str(workdir),
                          JAJAK_DATABASE_URL=f"sqlite:///{workdir / 'jajak.db'}",
                          JAJAK_HTTPCACHE_DIR=str(workdir / "httpcache"), JAJAK_NOTIFY=NOTIFY)
        sources = load_sources(workdir / "sources.yaml")
        for crawl in range(3):  # three failed crawls in a row make the closed portal "failing"
            run_crawls(sources if crawl == 0 else sources[2:], database_url=os.environ["JAJAK_DATABASE_URL"],
                       log_dir=workdir / "logs", overrides=FAST, echo=False)
    digest = subprocess.run([sys.executable, "-m", "crawler.cli", "digest"], check=False, capture_output=True,
                            text=True, timeout=120)
    print(digest.stderr.strip(), file=sys.stderr)


def shoot(out: Path, workdir: Path) -> list[Path]:
    """Walk the pages in Chromium; returns the PNGs written."""
    from playwright.sync_api import expect, sync_playwright

    config = Config.from_settings(project_settings())
    shots: list[Path] = []
    with serve_web(create_app(config)) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(**launch_options(find_chromium()))
        page = browser.new_page(viewport={"width": 1280, "height": 960})

        def save(name: str) -> None:
            path = out / f"web-{name}.png"
            page.screenshot(path=path)
            shots.append(path)

        page.goto(base + "/")
        expect(page.locator("article.story").first).to_be_visible()
        save("inbox")
        page.get_by_label("Region").select_option("Kota Bandung")
        page.get_by_role("button", name="Filter").click()
        expect(page.locator("article.story").first).to_be_visible()
        save("inbox-region")
        page.goto(base + "/")
        page.get_by_label("Search").fill("Dayeuhkolot")
        page.get_by_label("Search").press("Enter")
        expect(page.locator("ul.found li").first).to_be_visible()
        page.locator("ul.found").scroll_into_view_if_needed()
        save("search")
        page.goto(base + "/")
        page.locator("article.story h2 a", has_text="Hamamatsu").click()
        page.get_by_role("button", name="Right", exact=True).click()
        expect(page.get_by_text("Judgement stored.")).to_be_visible()
        save("story")
        # Add a source: a third fixture portal probed, its preview shown (not saved: the other
        # pages show the crawled sources only).
        with PortalServer() as candidate:
            candidate.set_site(build_site("numeric", load_articles(), candidate.url))
            page.get_by_role("link", name="Sources").click()
            page.get_by_role("link", name="Add a source by URL").click()
            page.get_by_label("Portal URL").fill(candidate.url + "/")
            page.get_by_label("Name").fill("kabarjabar")
            with page.expect_navigation(timeout=90_000):
                page.get_by_role("button", name="Probe").click()
            expect(page.locator("article.sample h3").first).to_be_visible()
            save("sources-add")
        page.get_by_role("link", name="Sources").click()
        expect(page.locator("svg.chart").first).to_be_visible()
        save("sources")
        # A source's own page: its health, runs, chart and newest matches; and one that is down.
        page.get_by_role("link", name="bandungraya", exact=True).click()
        expect(page.locator("table.runs tbody tr").first).to_be_visible()
        save("source")
        page.goto(base + "/sources/portaltutup")
        expect(page.locator(".health")).to_have_text("failing")
        save("source-failing")
        page.get_by_role("link", name="Deliveries").click()
        page.get_by_role("button", name="Send test message").click()
        expect(page.get_by_role("status")).to_contain_text("Test message to")
        save("deliveries")
        browser.close()
    return shots


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jajak-screenshots-") as tmp:
        fill(Path(tmp))
        for path in shoot(args.out, Path(tmp)):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

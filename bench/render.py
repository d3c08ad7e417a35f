"""Rendering cost: pages/s of a crawl through Chromium (scrapy-playwright) against a plain crawl
of the same fixture portal, and the peak memory of the browser and of the crawl process.

Serves two portals of N articles (default 200) on 127.0.0.1 from this process: the wp-magazine
theme (plain HTML, crawled twice: render: false and render: true) and the JavaScript portal of
tests/portals/js_portal.py (render: true; a plain crawl finds nothing there). Each crawl is a
`scrapy crawl portal` child process into a fresh SQLite database, without politeness delays.
--record appends the rows to the "## Rendering" section of bench/RESULTS.md.

    python bench/render.py [--articles 200] [--record]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from crawler.demo.server import PortalServer  # noqa: E402
from crawler.demo.synthetic import synthetic_articles  # noqa: E402
from crawler.demo.themes import build_site  # noqa: E402
from crawler.rendering import BrowserMissing, find_chromium  # noqa: E402
from tests.portals.js_portal import build_site as js_portal  # noqa: E402

SETTINGS = [
    "DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "LOG_LEVEL=WARNING", "JAJAK_PROGRESS_INTERVAL=0",
]
SECTION = "## Rendering"


@dataclass
class Result:
    portal: str
    render: str
    seconds: float
    articles: int
    pages: int
    rendered: int
    crawl_mb: float
    browser_mb: float
    browser_pss_mb: float

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    def row(self) -> str:
        browser = f"{self.browser_mb:.0f} ({self.browser_pss_mb:.0f})" if self.rendered else "-"
        return (f"| {self.portal} | {self.render} | {self.articles} | {self.pages} "
                f"| {self.rendered} | {self.seconds:.1f} | {self.rate:.1f} | {self.crawl_mb:.0f} "
                f"| {browser} |")


def crawl(name: str, url: str, render: str, workdir: Path) -> Result:
    home = workdir / f"{name}-{render}"
    home.mkdir()
    (home / "sources.yaml").write_text(
        f"sources:\n  - name: {name}\n    url: {url}/\n    render: {render}\n", encoding="utf-8"
    )
    database = home / "jajak.db"
    env = {
        **os.environ, "JAJAK_HOME": str(home), "JAJAK_SOURCES": str(home / "sources.yaml"),
        "JAJAK_DATABASE_URL": f"sqlite:///{database}", "JAJAK_HTTPCACHE_DIR": str(home / "cache"),
        "SCRAPY_SETTINGS_MODULE": "crawler.settings",
    }
    command = [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", f"source={name}"]
    for setting in SETTINGS:
        command += ["-s", setting]
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"crawl of {name} (render: {render}) failed:\n{done.stderr[-3000:]}")
    with sqlite3.connect(database) as db:
        row = db.execute("SELECT stats FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
        articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    stats = json.loads(row[0]) if row and row[0] else {}
    return Result(
        portal=name, render=render, seconds=seconds, articles=articles,
        pages=int(stats.get("downloader/response_count", 0)),
        rendered=int(stats.get("jajak/render/pages", 0)),
        crawl_mb=float(stats.get("jajak/memory/peak_mb") or 0),
        browser_mb=float(stats.get("jajak/render/browser_peak_mb") or 0),
        browser_pss_mb=float(stats.get("jajak/render/browser_peak_pss_mb") or 0),
    )


def record(results: list[Result], articles: int) -> None:
    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    chromium = subprocess.run([find_chromium(), "--version"], capture_output=True, text=True,
                              check=False).stdout.strip()
    block = [
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {articles} articles, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {chromium}, load average {os.getloadavg()[0]:.1f} "
        "at the end (other jobs on the machine slow the rendered rows most):\n",
        "| portal | render | articles | responses | rendered | seconds | responses/s "
        "| crawl peak MB | browser peak MB RSS (PSS) |",
        "|---|---|---|---|---|---|---|---|---|",
        *[r.row() for r in results],
    ]
    if SECTION not in text:
        text = text.rstrip("\n") + (
            f"\n\n{SECTION}\n\n`python bench/render.py --record`: one `scrapy crawl` per row (wall "
            "time, interpreter start included). Browser peak = summed RSS of the Chromium "
            "processes (shared pages counted once per process, so an over-estimate; PSS in "
            "brackets splits shared pages and is the browser's real share); crawl peak "
            "= VmHWM of the Scrapy process.\n"
        )
    # Insert at the end of our section, before the next "## " heading if there is one.
    start = text.index(SECTION)
    following = text.find("\n## ", start + len(SECTION))
    end = len(text) if following == -1 else following
    text = text[:end].rstrip("\n") + "\n" + "\n".join(block) + "\n" + text[end:]
    path.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args()
    try:
        find_chromium()
    except BrowserMissing as err:
        raise SystemExit(f"bench/render.py needs Chromium: {err}") from err
    articles = synthetic_articles(args.articles, seed=1)
    plain, js = PortalServer().start(), PortalServer().start()
    try:
        plain.set_site(build_site("wp-magazine", articles, plain.url))
        js.set_site(js_portal(articles, js.url))
        with tempfile.TemporaryDirectory(prefix="jajak-bench-render-") as tmp:
            results = [
                crawl("magazine", plain.url, "false", Path(tmp)),
                crawl("magazine", plain.url, "true", Path(tmp)),
                crawl("lembah", js.url, "true", Path(tmp)),
            ]
    finally:
        plain.stop()
        js.stop()
    print("| portal | render | articles | responses | rendered | seconds | responses/s "
          "| crawl peak MB | browser peak MB RSS (PSS) |")
    for result in results:
        print(result.row())
    base, rendered = results[0], results[1]
    print(f"rendering the same portal: {base.rate / rendered.rate:.1f}x slower, "
          f"+{rendered.browser_mb:.0f} MB browser RSS", file=sys.stderr)
    if args.record:
        record(results, args.articles)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`jajak demo`: serve the bundled sample portal on 127.0.0.1, crawl it into a temporary
database and print what matched, offline, in seconds."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import textwrap
from pathlib import Path

from crawler.demo import load_articles
from crawler.demo.server import PortalServer
from crawler.demo.themes import build_site
from crawler.jobs.engines import run_crawls, summary_table
from crawler.sources import load_sources
from crawler.storage import Database, list_articles

# The demo portal is ours and on loopback: no need to be gentle with it.
FAST = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]


def run_demo(*, keep: bool = False, theme: str = "wp-magazine") -> int:
    workdir = Path(tempfile.mkdtemp(prefix="jajak-demo-"))
    try:
        with PortalServer() as server:
            articles = load_articles()
            server.set_site(build_site(theme, articles, server.url))
            sources_file = workdir / "sources.yaml"
            sources_file.write_text(
                f"sources:\n  - name: demo\n    url: {server.url}/\n", encoding="utf-8"
            )
            database_url = f"sqlite:///{workdir / 'demo.db'}"
            # The crawl runs in a child process, which reads its configuration from here.
            os.environ.update(
                JAJAK_SOURCES=str(sources_file),
                JAJAK_DATABASE_URL=database_url,
                JAJAK_HTTPCACHE_DIR=str(workdir / "httpcache"),
                JAJAK_HOME=str(workdir),
            )
            print(f"Sample portal ({len(articles)} articles) served at {server.url}/", file=sys.stderr)
            results = run_crawls(
                load_sources(sources_file),
                database_url=database_url,
                log_dir=workdir / "logs",
                overrides=FAST,
                echo=False,
            )
        print(summary_table(results))
        print()
        _print_matches(database_url)
        if keep:
            print(f"\nDatabase kept: {database_url}")
        return 0 if all(r.exit_code == 0 for r in results) else 1
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


def _print_matches(database_url: str) -> None:
    with Database(database_url) as database, database.sessions() as session:
        stored = list_articles(session)
        matches = [a for a in stored if a.match]
        print(f"{len(matches)} of {len(stored)} articles are partnership talks:\n")
        for article in matches:
            published = article.published.strftime("%d %b %Y") if article.published else "undated"
            print(f"* {article.title}")
            print(f"  {published} · stage: {article.stage} · score: {article.score:.2f}")
            if article.parties:
                print(f"  parties: {', '.join(article.parties)}")
            if article.sectors:
                print(f"  sectors: {', '.join(article.sectors)}")
            if article.cues:
                print(textwrap.fill(f"“{article.cues[0]}”", width=96, initial_indent="  ",
                                    subsequent_indent="   "))
            print(f"  {article.url}\n")

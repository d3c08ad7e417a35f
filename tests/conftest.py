"""Shared fixtures: fixture portals on 127.0.0.1, crawl environments, PostgreSQL when reachable."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crawler.demo import load_articles
from crawler.demo.server import PortalServer
from crawler.demo.themes import build_site

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
POSTGRES_URL = os.environ.get(
    "JAJAK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# Our fixture portals are on loopback: no politeness delay needed in tests.
FAST = [
    "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "LOG_LEVEL=INFO",
    "-s", "JAJAK_PROGRESS_INTERVAL=0",
]


@pytest.fixture(scope="session")
def demo_articles() -> list[dict[str, Any]]:
    return load_articles()


@pytest.fixture
def portal(demo_articles: list[dict[str, Any]]) -> Iterator[Callable[..., PortalServer]]:
    """Start a fixture portal: ``portal("wp-news")`` or ``portal(builder=fn)``."""
    servers: list[PortalServer] = []

    def start(theme: str = "wp-magazine", articles: list[dict[str, Any]] | None = None,
              builder: Callable[..., Any] | None = None) -> PortalServer:
        server = PortalServer().start()
        servers.append(server)
        chosen = demo_articles if articles is None else articles
        site = builder(chosen, server.url) if builder else build_site(theme, chosen, server.url)
        server.set_site(site)
        return server

    yield start
    for server in servers:
        server.stop()


@dataclass
class CrawlEnv:
    """A place to crawl into: sources file, database, HTTP cache, all under tmp_path."""

    home: Path
    database_url: str

    @property
    def sources_file(self) -> Path:
        return self.home / "sources.yaml"

    def write_sources(self, text: str) -> None:
        self.sources_file.write_text(text, encoding="utf-8")

    def add_source(self, name: str, url: str, **extra: Any) -> None:
        lines = [f"  - name: {name}", f"    url: {url}"]
        lines += [f"    {key}: {value}" for key, value in extra.items()]
        existing = self.sources_file.read_text(encoding="utf-8") if self.sources_file.exists() else "sources:\n"
        self.write_sources(existing + "\n".join(lines) + "\n")

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "JAJAK_HOME": str(self.home),
            "JAJAK_SOURCES": str(self.sources_file),
            "JAJAK_DATABASE_URL": self.database_url,
            "JAJAK_HTTPCACHE_DIR": str(self.home / "httpcache"),
            "SCRAPY_SETTINGS_MODULE": "crawler.settings",
        }

    def scrapy(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "scrapy", *args]
        if args and args[0] == "crawl":
            command += FAST
        return subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True,
                              timeout=timeout, check=False)

    def jajak(self, *args: str, stdin: str | None = None, timeout: float = 180,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "crawler.cli", *args]
        if args and args[0] == "crawl":
            command += FAST
        return subprocess.run(command, cwd=self.home, env={**self.env, **(env or {})}, capture_output=True, text=True,
                              input=stdin, timeout=timeout, check=False)


@pytest.fixture
def crawl_env(tmp_path: Path) -> CrawlEnv:
    return CrawlEnv(tmp_path, f"sqlite:///{tmp_path / 'jajak.db'}")


def _postgres_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database URL whose search_path is a fresh schema, dropped afterwards."""
    if not _postgres_reachable():
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432 (start it to run this test)")
    import sqlalchemy as sa

    schema = f"jajak_e2e_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as err:
        pytest.skip(f"PostgreSQL at {POSTGRES_URL} refused the connection: {err.orig}")
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def store_matches(url: str, count: int, start: int = 0) -> list[str]:
    """Store ``count`` distinct matched articles published in the last hours, without
    upgrading the schema (the articles table is the same since 0001; the story links of 0011
    are made on first use); returns their titles."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy.orm import Session

    from crawler.storage import add_articles, ensure_source, make_engine

    now = datetime.now(UTC)
    titles = [f"Kabupaten Nomor {n} Jajaki Kerja Sama Pengelolaan Air dengan Kota Mitra {n}"
              for n in range(start, start + count)]
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        source = ensure_source(session, "kabarbengkulu", "http://kabar.example/")
        add_articles(session, [{
            "source_id": source.id, "url": f"http://kabar.example/berita/{n}", "title": title,
            "text": f"{title}. Pertemuan ke-{n} " + " ".join(f"kata{n}x{i}" for i in range(40)),
            "match": True, "score": 0.9, "stage": "exploring", "published": now - timedelta(hours=n + 1),
        } for n, title in zip(range(start, start + count), titles, strict=True)], link=False)
    engine.dispose()
    return titles

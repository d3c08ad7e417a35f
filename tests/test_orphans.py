"""No orphans, no double crawls, no stale runs (end to end, in subprocesses): a crawl child dies
with a `jajak crawl` killed by SIGKILL, a second crawl of a source being crawled is refused
with the holder named, a run left open by a killed crawl is closed as interrupted, and
`jajak status` works on a read-only database."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from crawler.storage import CrawlLock, CrawlRun, ensure_source, list_articles, open_database, start_run
from crawler.storage.locks import pid_alive
from tests.conftest import FAST, CrawlEnv

pytestmark = pytest.mark.e2e


def hold(server) -> threading.Event:
    """Make every answer of the portal wait until the returned event is set (or 120 s)."""
    release = threading.Event()
    respond = server.respond

    def held(key, headers):
        release.wait(120)
        return respond(key, headers)

    server.respond = held
    return release


def start_crawl(env: CrawlEnv, *names: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", *names, *FAST], cwd=env.home,
                            env=env.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition, what: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"waited {timeout:.0f} s for {what}")


def lock_holder(url: str) -> int | None:
    with open_database(url)() as session:
        lock = session.scalars(select(CrawlLock)).first()
        return lock.pid if lock else None


def all_runs(url: str) -> list[CrawlRun]:
    with open_database(url)() as session:
        return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def dead_pid() -> int:
    done = subprocess.Popen(["true"])
    done.wait()
    return done.pid


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def env(request, tmp_path) -> CrawlEnv:
    if request.param == "sqlite":
        return CrawlEnv(tmp_path, f"sqlite:///{tmp_path / 'jajak.db'}")
    return CrawlEnv(tmp_path, request.getfixturevalue("postgres_url"))


def test_a_crawl_dies_with_its_killed_parent_and_the_next_crawl_closes_its_run(portal, crawl_env, demo_articles):
    server = portal("wp-news")
    release = hold(server)
    crawl_env.add_source("fixture", server.url + "/")
    parent = start_crawl(crawl_env, "fixture")
    try:
        child = wait_for(lambda: all_runs(crawl_env.database_url) and lock_holder(crawl_env.database_url),
                         "the crawl child to hold its source and start its run")
        assert child != parent.pid and pid_alive(child)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        wait_for(lambda: not pid_alive(child), "the crawl child to die with its parent", timeout=15)
    finally:
        release.set()
        parent.kill()
        parent.communicate()

    status = crawl_env.jajak("status")
    assert status.returncode == 0 and "interrupted" in status.stdout, status.stdout + status.stderr

    again = crawl_env.jajak("crawl", "fixture")

    assert again.returncode == 0, again.stderr[-3000:]
    assert "closed as interrupted" in again.stderr
    killed, finished = all_runs(crawl_env.database_url)
    assert killed.finish_reason == "interrupted" and killed.pid == child
    assert "ended without recording an end" in killed.stats["jajak/finish/why"]
    assert finished.finish_reason == "finished"
    with open_database(crawl_env.database_url)() as session:
        articles = list_articles(session)
    assert sorted(a.title for a in articles) == sorted(a["title"] for a in demo_articles)
    assert lock_holder(crawl_env.database_url) is None  # released at the end


def test_a_second_crawl_of_a_source_being_crawled_is_refused(portal, env, demo_articles):
    server = portal("wp-news")
    release = hold(server)
    env.add_source("fixture", server.url + "/")
    first = start_crawl(env, "fixture")
    try:
        holder = wait_for(lambda: lock_holder(env.database_url), "the first crawl to hold its source")
        second = env.jajak("crawl", "fixture", timeout=60)
    finally:
        release.set()
        out, err = first.communicate(timeout=180)

    assert second.returncode == 1, second.stdout + second.stderr
    reason = f"already being crawled by pid {holder} on host "
    assert reason in second.stdout  # the summary's line for the source
    assert "already_running" in second.stdout
    assert first.returncode == 0, err[-3000:]
    runs = {r.finish_reason: r for r in all_runs(env.database_url)}
    assert sorted(runs) == ["already_running", "finished"]  # the first crawl's run was not touched
    refused = runs["already_running"]
    assert refused.pages == refused.new_articles == 0 and reason in refused.stats["jajak/finish/why"]
    with open_database(env.database_url)() as session:
        articles = list_articles(session)
    assert len(articles) == len({a.url for a in articles}) == len(demo_articles)
    assert {a.crawl_run_id for a in articles} == {runs["finished"].id}


def test_scrapy_crawl_of_a_source_being_crawled_ends_at_once_with_the_reason(portal, crawl_env):
    server = portal("wp-news")
    release = hold(server)
    crawl_env.add_source("fixture", server.url + "/")
    first = start_crawl(crawl_env, "fixture")
    try:
        holder = wait_for(lambda: lock_holder(crawl_env.database_url), "the first crawl to hold its source")
        second = crawl_env.scrapy("crawl", "portal", "-a", "source=fixture", timeout=60)
    finally:
        release.set()
        first.communicate(timeout=180)

    assert second.returncode == 1
    assert f"fixture: not crawled: already being crawled by pid {holder} on host" in second.stderr
    assert "Spider opened" not in second.stderr  # refused before Scrapy started


def test_a_run_left_open_by_a_killed_crawl_is_shown_and_closed_as_interrupted(portal, crawl_env):
    server = portal("wp-news")
    crawl_env.add_source("fixture", server.url + "/")
    sessions = open_database(crawl_env.database_url)
    with sessions.begin() as session:
        stale = start_run(session, ensure_source(session, "fixture", server.url + "/").id, pid=dead_pid())

    status = crawl_env.jajak("status", "--json")
    assert status.returncode == 0, status.stderr
    assert '"result": "interrupted"' in status.stdout

    done = crawl_env.jajak("crawl", "fixture")

    assert done.returncode == 0, done.stderr[-3000:]
    runs = all_runs(crawl_env.database_url)
    assert runs[0].id == stale and runs[0].finish_reason == "interrupted" and runs[0].finished_at
    assert runs[1].finish_reason == "finished"


def test_status_only_reads_and_works_on_a_read_only_database(portal, crawl_env):
    server = portal("wp-news")
    crawl_env.add_source("fixture", server.url + "/")
    crawl_env.add_source("never", "http://127.0.0.2:9/")
    assert crawl_env.jajak("crawl", "fixture").returncode == 0
    path = Path(crawl_env.database_url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as connection:  # everything into the file itself
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = hashlib.sha256(path.read_bytes()).hexdigest()

    done = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "status"], cwd=crawl_env.home, capture_output=True, text=True,
        env={**crawl_env.env, "JAJAK_DATABASE_URL": f"sqlite:///file:{path}?mode=ro&uri=true"}, timeout=120,
    )

    assert done.returncode == 0, done.stderr
    assert "fixture" in done.stdout and "finished" in done.stdout and "never" in done.stdout
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before

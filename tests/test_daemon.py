"""The daemon: scheduler wiring (inspected, never slept on), health verdicts, and `jajak run`
end to end with schedules compressed to seconds against fixture portals and a local webhook."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from crawler.config import cron_trigger
from crawler.health import DEGRADED, FAILING, HEALTHY, SILENT, RunFacts, assess
from crawler.schedule import REFRESH_JOB, CrawlExecutor, build_scheduler
from crawler.sources import load_sources
from crawler.storage import Database, list_articles, open_database
from tests.conftest import ROOT

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


# --- scheduler wiring -------------------------------------------------------------------------


def settings_for(crawl_env, **extra):
    from scrapy.settings import Settings

    import crawler.settings as defaults

    settings = Settings()
    settings.setmodule(defaults)
    settings.set("JAJAK_DATABASE_URL", crawl_env.database_url)
    settings.set("JAJAK_SOURCES", str(crawl_env.sources_file))
    for key, value in extra.items():
        settings.set(key, value)
    return settings


def test_one_job_per_enabled_source_and_the_digest(crawl_env):
    crawl_env.write_sources(
        "sources:\n"
        "  - {name: a, url: 'https://a.example/', schedule: '*/15 * * * *', timezone: WITA}\n"
        "  - {name: b, url: 'https://b.example/'}\n"
        "  - {name: c, url: 'https://c.example/', enabled: false}\n"
    )
    settings = settings_for(crawl_env)
    scheduler = build_scheduler(settings, load_sources(crawl_env.sources_file))

    jobs = {job.id: job for job in scheduler.get_jobs()}

    assert set(jobs) == {"crawl:a", "crawl:b", "digest", REFRESH_JOB}
    assert isinstance(jobs["crawl:a"].trigger, CronTrigger)
    assert str(jobs["crawl:a"].trigger.timezone) == "Asia/Makassar"
    interval = jobs["crawl:b"].trigger
    assert isinstance(interval, IntervalTrigger) and interval.interval == timedelta(minutes=30)
    assert interval.jitter == 300
    digest = jobs["digest"].trigger
    assert str(digest.timezone) == "Asia/Jakarta" and "hour='7'" in repr(digest)
    for job in jobs.values():
        assert job.max_instances == 1 and job.coalesce is True and job.misfire_grace_time == 900
    assert jobs["crawl:a"].executor == "crawls" and jobs["crawl:a"].args == ("a",)


def test_restart_with_an_edited_sources_file_updates_the_stored_jobs(crawl_env):
    def stored_jobs(text):
        crawl_env.write_sources(text)
        scheduler = build_scheduler(settings_for(crawl_env), load_sources(crawl_env.sources_file))
        started = threading.Event()
        scheduler.add_listener(lambda _e: started.set(), EVENT_SCHEDULER_STARTED)
        thread = threading.Thread(target=scheduler.start, daemon=True)
        thread.start()
        assert started.wait(10)
        jobs = {job.id: str(job.trigger) for job in scheduler.get_jobs()}
        scheduler.shutdown(wait=False)
        thread.join(10)
        return jobs

    first = stored_jobs("sources:\n  - {name: a, url: 'https://a.example/'}\n"
                        "  - {name: b, url: 'https://b.example/'}\n")
    second = stored_jobs("sources:\n  - {name: a, url: 'https://a.example/', schedule: '0 * * * *'}\n"
                         "  - {name: c, url: 'https://c.example/'}\n")

    assert {"crawl:a", "crawl:b", "digest"} <= set(first)
    assert "crawl:b" not in second and {"crawl:a", "crawl:c", "digest"} <= set(second)
    assert "cron" in second["crawl:a"]


def handed(given: queue.Queue, engine=None) -> None:
    """A job (named by import path, as the stored crawl jobs are) that says what engine it got."""
    given.put(engine)


def test_the_crawl_executor_hands_its_engine_to_each_job_and_stores_none():
    engine = object()  # the daemon's EngineService; any object is passed the same way
    scheduler = BackgroundScheduler(jobstores={"default": MemoryJobStore()},
                                    executors={"default": CrawlExecutor(1, engine)})
    given: queue.Queue = queue.Queue()
    scheduler.add_job("tests.test_daemon:handed", IntervalTrigger(hours=1), args=[given], id="crawl:a",
                      next_run_time=datetime.now(UTC))
    scheduler.start()
    try:
        assert given.get(timeout=10) is engine
        assert scheduler.get_job("crawl:a").kwargs == {}  # the stored job stays picklable
    finally:
        scheduler.shutdown()


def test_the_daemons_engine_goes_to_the_crawl_executor_only(crawl_env):
    crawl_env.write_sources("sources:\n  - {name: a, url: 'https://a.example/'}\n")
    engine = object()
    scheduler = build_scheduler(settings_for(crawl_env), load_sources(crawl_env.sources_file), engine)

    assert scheduler._lookup_executor("crawls").engine is engine
    assert not hasattr(scheduler._lookup_executor("default"), "engine")  # digests need none


def test_six_field_cron_has_seconds_and_a_zone():
    trigger = cron_trigger("*/5 * * * * *", "Asia/Jakarta")
    assert "second='*/5'" in repr(trigger) and str(trigger.timezone) == "Asia/Jakarta"


# --- health verdicts --------------------------------------------------------------------------


def run_facts(hours_ago, reason="finished", new=1, errors=0, pages=5, read=5, empty=0, undated=0):
    start = NOW - timedelta(hours=hours_ago)
    return RunFacts(start, start + timedelta(minutes=1), reason, pages, new, errors, read, empty, undated)


def test_three_failed_runs_in_a_row_make_a_source_failing():
    runs = [run_facts(0, "unreachable"), run_facts(1, "unreachable"), run_facts(2, "unreachable"),
            run_facts(3)]
    assert assess(runs, NOW).state == FAILING
    assert assess(runs[1:], NOW).state == HEALTHY  # two are not a pattern yet


def test_silence_is_judged_against_the_sources_own_rhythm():
    # New articles every hour for a day, then nothing for 5 hours: 5 x the usual gap.
    runs = [run_facts(h, new=0) for h in range(5)] + [run_facts(h) for h in range(5, 30)]
    assert assess(runs, NOW).state == HEALTHY  # under the 12 h floor
    from crawler.health import HealthRules

    health = assess(runs, NOW, HealthRules(min_silence=timedelta(hours=1)))
    assert health.state == SILENT and "usually one every 1.0 h" in health.reason


@pytest.mark.parametrize(("empty", "undated"), [(4, 0), (0, 4)])
def test_extraction_collapse_is_degraded(empty, undated):
    runs = [run_facts(0, read=4 - empty if empty else 4, empty=empty, undated=undated), run_facts(1)]
    assert assess(runs, NOW).state == DEGRADED


# --- the daemon, end to end -------------------------------------------------------------------


class Webhook:
    """A local HTTP receiver for Apprise json:// posts."""

    def __init__(self) -> None:
        self.posts: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.posts.append(json.loads(body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"json://127.0.0.1:{self.server.server_port}/hook"

    def texts(self) -> list[str]:
        return [f"{p.get('title', '')}\n{p.get('message', '')}" for p in self.posts]


@pytest.fixture
def webhook():
    hook = Webhook()
    yield hook
    hook.server.shutdown()


def start_daemon(crawl_env, webhook, **env):
    settings = {
        "JAJAK_NOTIFY": webhook.url,
        "JAJAK_CRAWL_INTERVAL": "2",
        "JAJAK_CRAWL_JITTER": "0",
        "JAJAK_DIGEST_CRON": "*/3 * * * * *",
        "JAJAK_DIGEST_MAX_AGE": "0",
        "JAJAK_SHUTDOWN_GRACE": "20",
        "JAJAK_CRAWL_OVERRIDES": "DOWNLOAD_DELAY=0 AUTOTHROTTLE_ENABLED=False JAJAK_PROGRESS_INTERVAL=0",
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "run"], cwd=crawl_env.home,
        env={**crawl_env.env, **settings}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )


def wait_for(condition, timeout=90.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def stop(daemon, sig=signal.SIGTERM, timeout=40):
    daemon.send_signal(sig)
    try:
        out, _ = daemon.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(daemon.pid, signal.SIGKILL)
        out, _ = daemon.communicate()
        raise AssertionError(f"daemon did not stop within {timeout} s:\n{out[-3000:]}") from None
    return out


def delivered_titles(webhook, titles):
    text = "\n".join(webhook.texts())
    return {title: text.count(title) for title in titles}


@pytest.mark.e2e
def test_daemon_crawls_sends_the_digest_once_and_stops_on_sigterm(portal, crawl_env, webhook, demo_articles):
    server = portal("wp-magazine")
    crawl_env.add_source("fixture", server.url + "/")
    daemon = start_daemon(crawl_env, webhook)
    partnership = [a["title"] for a in demo_articles if a["partnership"]]
    try:
        wait_for(lambda: sum(delivered_titles(webhook, partnership).values()) >= len(partnership) * 0.7,
                 what="the digest at the webhook")
        time.sleep(7)  # two more digest runs and crawls: nothing may be sent again
    finally:
        out = stop(daemon)

    assert daemon.returncode == 0, out[-3000:]
    assert "jajak daemon stopped" in out
    counts = delivered_titles(webhook, partnership)
    assert max(counts.values()) == 1, counts
    with open_database(crawl_env.database_url)() as session:
        assert len(list_articles(session)) == len(demo_articles)


@pytest.mark.e2e
def test_sigkill_mid_crawl_then_restart_stores_and_delivers_once(portal, crawl_env, webhook, demo_articles):
    from crawler.demo.synthetic import synthetic_articles

    articles = demo_articles + synthetic_articles(300, seed=3)
    server = portal("wp-magazine", articles=articles)
    crawl_env.add_source("fixture", server.url + "/")
    slow = {"JAJAK_CRAWL_OVERRIDES": "DOWNLOAD_DELAY=0.02 AUTOTHROTTLE_ENABLED=False JAJAK_STORE_BATCH=10"}
    daemon = start_daemon(crawl_env, webhook, **slow)
    wait_for(lambda: sum(1 for r in server.requests if r[1].count("/") == 2 and r[2] == 200) > 60,
             what="a crawl under way")
    os.killpg(daemon.pid, signal.SIGKILL)  # the daemon and its crawl child, mid-crawl
    daemon.communicate()

    daemon = start_daemon(crawl_env, webhook, **slow)
    partnership = [a["title"] for a in demo_articles if a["partnership"]]
    try:
        wait_for(lambda: sum(delivered_titles(webhook, partnership).values()) >= len(partnership) * 0.7,
                 timeout=150, what="the digest after the restart")
        time.sleep(4)
    finally:
        stop(daemon)

    with open_database(crawl_env.database_url)() as session:
        stored = list_articles(session)
    urls = [a.url for a in stored]
    assert len(urls) == len(set(urls)) == len(articles)
    assert max(delivered_titles(webhook, partnership).values()) == 1


@pytest.mark.e2e
def test_broken_source_gets_one_alert_and_one_recovery_notice(portal, crawl_env, webhook, demo_articles):
    server = portal("wp-magazine", articles=demo_articles[:4])
    crawl_env.add_source("fixture", server.url + "/")
    env = {"JAJAK_DIGEST_CRON": "0 0 1 1 *"}
    daemon = start_daemon(crawl_env, webhook, **env)
    try:
        wait_for(lambda: any("fixture" in t for t in webhook.texts()) is False and
                 bool(server.requests), what="a first crawl")
        server.fail("/", 503)
        wait_for(lambda: any("is failing" in t for t in webhook.texts()), what="the failing alert")
        time.sleep(5)  # more failed runs: the incident is announced once
        server.recover()
        wait_for(lambda: any("has recovered" in t for t in webhook.texts()), what="the recovery notice")
        time.sleep(4)
    finally:
        stop(daemon)

    texts = webhook.texts()
    assert sum("is failing" in t for t in texts) == 1, texts
    assert sum("has recovered" in t for t in texts) == 1, texts


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"JAJAK_NOTIFY": "notaservice://x"}, "notaservice://"),
        ({"JAJAK_DIGEST_CRON": "every morning"}, "JAJAK_DIGEST_CRON"),
    ],
)
def test_daemon_fails_fast_on_bad_configuration(crawl_env, env, message):
    crawl_env.write_sources("sources:\n  - {name: a, url: 'https://a.example/'}\n")
    done = subprocess.run([sys.executable, "-m", "crawler.cli", "run"], cwd=crawl_env.home,
                          env={**crawl_env.env, **env}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


def test_status_shows_sources_health_and_next_runs(portal, crawl_env):
    server = portal("numeric")
    crawl_env.add_source("fixture", server.url + "/")
    assert crawl_env.jajak("crawl").returncode == 0

    table = crawl_env.jajak("status")
    as_json = crawl_env.jajak("status", "--json")

    assert table.returncode == 0, table.stderr
    assert "fixture" in table.stdout and "finished" in table.stdout
    data = json.loads(as_json.stdout)
    row = data["sources"][0]
    assert row["source"] == "fixture" and row["new_24h"] > 0 and row["result"] == "finished"
    assert "next_runs" in data and "last_digest" in data


def test_root_has_example_service_files():
    assert (ROOT / "deploy" / "jajak.service").exists()
    assert "JAJAK_NOTIFY" in (ROOT / "deploy" / "jajak.env.example").read_text(encoding="utf-8")


@pytest.mark.e2e
def test_layout_change_is_reported_and_nothing_is_lost(portal, crawl_env, webhook, demo_articles):
    from crawler.demo.site import Resource

    server = portal("wp-magazine", articles=demo_articles[:4])
    crawl_env.add_source("fixture", server.url + "/")
    daemon = start_daemon(crawl_env, webhook, JAJAK_DIGEST_CRON="0 0 1 1 *")
    try:
        wait_for(lambda: len(stored_titles(crawl_env)) == 4, what="the first crawl")
        # Six new posts whose pages now build their text with a script the crawl cannot run.
        site = dict(build_site_for(demo_articles[:10], server.url))
        for article in demo_articles[4:10]:
            site[f"/{article['slug']}/"] = Resource(
                b"<html><body><div id='app'></div><script src='/app.js'></script></body></html>",
                "text/html; charset=utf-8")
        server.set_site(site)
        wait_for(lambda: any("is degraded" in t for t in webhook.texts()), what="the degraded alert")
        server.set_site(build_site_for(demo_articles[:10], server.url))  # the site is fixed
        wait_for(lambda: any("has recovered" in t for t in webhook.texts()), what="the recovery")
        wait_for(lambda: len(stored_titles(crawl_env)) == 10, what="the six posts, once fixed")
    finally:
        stop(daemon)

    texts = webhook.texts()
    assert sum("is degraded" in t for t in texts) == 1, texts
    assert sum("has recovered" in t for t in texts) == 1, texts


def build_site_for(articles, url):
    from crawler.demo.themes import build_site

    return build_site("wp-magazine", articles, url)


def stored_titles(crawl_env):
    with open_database(crawl_env.database_url)() as session:
        return {a.title for a in list_articles(session)}


def test_sources_never_crawled_are_crawled_soon_after_start(crawl_env):
    crawl_env.write_sources(
        "sources:\n  - {name: new, url: 'https://new.example/'}\n"
        "  - {name: cron, url: 'https://cron.example/', schedule: '0 6 * * *'}\n"
    )
    before = datetime.now(UTC)
    jobs = {j.id: j for j in build_scheduler(settings_for(crawl_env), load_sources(crawl_env.sources_file)).get_jobs()}

    assert jobs["crawl:new"].next_run_time - before < timedelta(minutes=1)
    assert not hasattr(jobs["crawl:cron"], "next_run_time") or jobs["crawl:cron"].next_run_time is None


def test_overdue_sources_all_start_within_one_interval(crawl_env):
    crawl_env.write_sources("sources:\n" + "".join(f"  - {{name: s{n:03d}, url: 'https://s{n}.example/'}}\n"
                                                  for n in range(200)))
    before = datetime.now(UTC)
    settings = settings_for(crawl_env, JAJAK_CRAWL_INTERVAL="60", JAJAK_CRAWL_JITTER="0")
    jobs = [j for j in build_scheduler(settings, load_sources(crawl_env.sources_file)).get_jobs()
            if j.id.startswith("crawl:")]

    starts = sorted(job.next_run_time - before for job in jobs)
    assert len(starts) == 200 and starts[-1] < timedelta(seconds=61)
    assert starts[1] - starts[0] < timedelta(seconds=1)  # spread, not all at once nor 5 s apart


# --- one database, or a clear stop ---------------------------------------------------------


def _sqlite_files(url: str) -> list[Path]:
    path = Path(url.removeprefix("sqlite:///"))
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


@pytest.mark.e2e
@pytest.mark.parametrize("fault", ["deleted", "replaced"])
def test_daemon_stops_with_one_line_when_its_database_is_deleted_or_replaced(crawl_env, webhook, fault):
    crawl_env.add_source("quiet", "http://127.0.0.1:9/", schedule='"0 0 1 1 *"')
    open_database(crawl_env.database_url)  # the database exists before the daemon starts
    log = crawl_env.home / "daemon.log"
    daemon = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "run", "--log-file", str(log)], cwd=crawl_env.home,
        env={**crawl_env.env, "JAJAK_NOTIFY": webhook.url, "JAJAK_DATABASE_WATCH": "0.3",
             "JAJAK_DIGEST_CRON": "0 0 1 1 *"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        wait_for(lambda: log.exists() and "jajak daemon started" in log.read_text(), what="the daemon")
        if fault == "replaced":  # another whole jajak database moved over it in one step
            other = crawl_env.home / "other.db"
            Database(f"sqlite:///{other}").close()  # closed: its write-ahead log is in the file
            for path in _sqlite_files(crawl_env.database_url)[1:]:
                path.unlink(missing_ok=True)
            os.replace(other, _sqlite_files(crawl_env.database_url)[0])
        else:
            for path in _sqlite_files(crawl_env.database_url):
                path.unlink(missing_ok=True)
        out, _ = daemon.communicate(timeout=60)
    finally:
        if daemon.poll() is None:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.communicate()

    assert daemon.returncode == 1, out[-3000:]
    last = out.strip().splitlines()[-1]
    assert last.startswith("jajak run: stopped: database sqlite:///"), last
    assert ("was deleted" if fault == "deleted" else "was replaced") in last
    wait_for(lambda: webhook.texts(), timeout=10, what="the stop notice")
    assert len(webhook.texts()) == 1 and "jajak stopped" in webhook.texts()[0]


def test_a_crawl_child_never_creates_a_database_its_daemon_did_not_start_with(crawl_env):
    crawl_env.add_source("quiet", "http://127.0.0.1:9/")
    env = {**crawl_env.env, "JAJAK_DATABASE_INSTANCE": "0" * 32}
    done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "portal", "-a", "source=quiet"],
                          cwd=crawl_env.home, env=env, capture_output=True, text=True, timeout=120)

    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "database was deleted" in done.stderr
    assert not any(p.exists() for p in _sqlite_files(crawl_env.database_url))

    open_database(crawl_env.database_url)  # a database, but another one
    done = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "portal", "-a", "source=quiet"],
                          cwd=crawl_env.home, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "not the one the daemon started with" in done.stderr, done.stderr


@pytest.mark.e2e
def test_scheduled_crawls_run_in_one_long_lived_crawl_engine(portal, crawl_env, webhook, demo_articles):
    from sqlalchemy import select

    from crawler.storage import CrawlRun

    for name in ("satu", "dua"):
        crawl_env.add_source(name, portal("wp-news", articles=demo_articles[:4]).url + "/")
    daemon = start_daemon(crawl_env, webhook, JAJAK_DIGEST_CRON="0 0 1 1 *")

    def runs() -> list[CrawlRun]:
        with open_database(crawl_env.database_url)() as session:
            return list(session.scalars(select(CrawlRun).where(CrawlRun.finished_at.is_not(None))))

    try:
        wait_for(lambda: len(runs()) >= 6, what="three crawls of each source")
    finally:
        out = stop(daemon)

    assert daemon.returncode == 0, out[-3000:]
    done = runs()
    engines = {run.pid for run in done}
    assert len(engines) == 1 and daemon.pid not in engines, engines  # one engine, not the daemon
    assert {run.finish_reason for run in done} <= {"finished", "shutdown"}
    with open_database(crawl_env.database_url)() as session:
        assert len(list_articles(session)) == 8


@pytest.mark.e2e
def test_a_crawl_engine_that_dies_is_started_again_by_the_next_crawl(portal, crawl_env, webhook, demo_articles):
    from sqlalchemy import select

    from crawler.storage import CrawlRun

    crawl_env.add_source("satu", portal("wp-news", articles=demo_articles[:4]).url + "/")
    daemon = start_daemon(crawl_env, webhook, JAJAK_DIGEST_CRON="0 0 1 1 *")

    def pids() -> set[int]:
        with open_database(crawl_env.database_url)() as session:
            return {run.pid for run in session.scalars(select(CrawlRun).where(CrawlRun.finished_at.is_not(None)))}

    try:
        wait_for(lambda: pids(), what="a first crawl")
        (first,) = pids()
        os.kill(first, signal.SIGKILL)
        wait_for(lambda: len(pids() - {first, 0}) >= 1, what="a crawl by a new engine")
    finally:
        out = stop(daemon)

    assert daemon.returncode == 0, out[-3000:]
    assert "jajak daemon stopped" in out


@pytest.mark.e2e
def test_the_crawl_engine_is_replaced_after_its_number_of_crawls(portal, crawl_env, webhook, demo_articles):
    from sqlalchemy import select

    from crawler.storage import CrawlRun

    crawl_env.add_source("satu", portal("wp-news", articles=demo_articles[:4]).url + "/")
    daemon = start_daemon(crawl_env, webhook, JAJAK_DIGEST_CRON="0 0 1 1 *", JAJAK_ENGINE_MAX_CRAWLS="2")

    def runs() -> list[CrawlRun]:
        with open_database(crawl_env.database_url)() as session:
            return list(session.scalars(select(CrawlRun).where(CrawlRun.finished_at.is_not(None))))

    try:
        wait_for(lambda: len(runs()) >= 5, what="five crawls")
    finally:
        out = stop(daemon)

    assert daemon.returncode == 0, out[-3000:]
    done = runs()
    assert len({run.pid for run in done}) >= 3  # two crawls per engine
    assert {run.finish_reason for run in done} <= {"finished", "shutdown"}  # retired, not killed


@pytest.mark.e2e
def test_a_crawl_whose_engine_dies_under_it_is_crawled_again(portal, crawl_env, demo_articles, monkeypatch):
    from sqlalchemy import select

    from crawler.demo.synthetic import synthetic_articles
    from crawler.jobs.service import EngineService
    from crawler.storage import CrawlRun

    articles = demo_articles + synthetic_articles(200, seed=5)
    server = portal("wp-magazine", articles=articles)
    crawl_env.add_source("fixture", server.url + "/")
    for key, value in crawl_env.env.items():
        monkeypatch.setenv(key, value)
    (source,) = load_sources(crawl_env.sources_file)
    service = EngineService(database_url=crawl_env.database_url, log_dir=crawl_env.home / "logs",
                            overrides=["DOWNLOAD_DELAY=0.02", "AUTOTHROTTLE_ENABLED=False"])
    results = []
    crawl = threading.Thread(target=lambda: results.append(service.crawl(source)))
    crawl.start()
    wait_for(lambda: sum(1 for r in server.requests if r[1].count("/") == 2 and r[2] == 200) > 40,
             what="a crawl under way")
    assert service.engine is not None
    first = service.engine.child.pid
    os.kill(first, signal.SIGKILL)
    crawl.join(timeout=240)
    assert not crawl.is_alive()

    (result,) = results
    assert result.finish_reason == "finished", result
    assert service.started_engines == 2
    with open_database(crawl_env.database_url)() as session:
        runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
        urls = [a.url for a in list_articles(session)]
    assert [run.pid for run in runs] == [first, runs[1].pid] and runs[1].pid != first
    assert runs[0].finish_reason != "finished" and runs[1].finish_reason == "finished"
    assert len(urls) == len(set(urls)) == len(articles)  # what the first stored is not stored again


def test_a_crawl_queued_when_the_daemon_stops_is_not_started(crawl_env, monkeypatch, caplog):
    # 200 sources, 8 crawls at a time: at SIGTERM many crawl jobs wait for a slot. They must not
    # start (nor start the stopped engine again), or the daemon crawls on for minutes after it.
    import logging

    from crawler.jobs.crawl import crawl_scheduled
    from crawler.jobs.service import EngineService
    from crawler.schedule import _config

    crawl_env.add_source("quiet", "http://127.0.0.1:9/")
    for key, value in crawl_env.env.items():
        monkeypatch.setenv(key, value)
    (source,) = load_sources(crawl_env.sources_file)
    service = EngineService(database_url=crawl_env.database_url, log_dir=crawl_env.home / "logs")
    service.stop(0)

    result = service.crawl(source)
    assert result.finish_reason == "not started: the daemon is stopping"
    assert service.started_engines == 0 and service.engine is None
    with caplog.at_level(logging.INFO, logger="crawler.jobs.crawl"):
        assert crawl_scheduled(_config(), "quiet", service) is None
    assert "crawl quiet: not started, the daemon is stopping" in caplog.text
    assert service.started_engines == 0


# --- many sources on short intervals, under the memory ceiling --------------------------------

FLEET = 200
CEILING_MB = 600  # JAJAK_CRAWL_MAX_MEMORY_MB: an engine above it is killed (none may be)


def _process_tree(pid: int) -> dict[int, int]:
    """The process and its descendants, each with its parent (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, todo = {pid: 0}, [pid]
    while todo:
        current = todo.pop()
        for child, parent in parents.items():
            if parent == current and child not in tree:
                tree[child] = current
                todo.append(child)
    return tree


class MemoryWatch(threading.Thread):
    """Samples the resident memory of the daemon, each crawl engine (its own, and with its
    extraction processes) and of them all, every half second; keeps the peaks. The sum over all
    processes is PSS: summed RSS counts every page the processes share (the interpreter's and
    libraries' code) once per process, which overstated by about 100 MB what two engines with
    their workers use (478.8 MB RSS against 378.0 MB PSS in one run)."""

    def __init__(self, daemon_pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = daemon_pid
        self.peaks = {"daemon": 0.0, "engine": 0.0, "engine_tree": 0.0, "total": 0.0, "total_rss": 0.0}
        self.samples = 0
        self.done = threading.Event()

    def run(self) -> None:
        from crawler.memory import process_mb, process_pss_mb

        while not self.done.wait(0.5):
            tree = _process_tree(self.pid)
            rss = {pid: process_mb(pid, "VmRSS") or 0.0 for pid in tree}
            engines = [pid for pid, parent in tree.items() if parent == self.pid]
            tree_of = {engine: sum(mb for pid, mb in rss.items() if _descends(pid, engine, tree)) for engine in engines}
            self._peak("daemon", rss[self.pid])
            self._peak("engine", max((rss[e] for e in engines), default=0.0))
            self._peak("engine_tree", max(tree_of.values(), default=0.0))
            self._peak("total", sum(process_pss_mb(pid) or 0.0 for pid in tree))
            self._peak("total_rss", sum(rss.values()))  # reported, not bounded
            self.samples += 1

    def _peak(self, key: str, value: float) -> None:
        self.peaks[key] = max(self.peaks[key], value)


def _descends(pid: int, ancestor: int, tree: dict[int, int]) -> bool:
    while pid:
        if pid == ancestor:
            return True
        pid = tree.get(pid, 0)
    return False


@pytest.fixture
def portal_fleet():
    """FLEET generated portals (3 articles each) served by one helper process (bench/scale.py)."""
    server = subprocess.Popen([sys.executable, str(ROOT / "bench" / "scale.py"), "--serve", str(FLEET),
                               "--articles", "3"], stdout=subprocess.PIPE, text=True)
    urls = []
    while (line := server.stdout.readline().strip()) != "ready":
        assert line, "the portal helper stopped"
        urls.append(line)
    yield urls
    server.terminate()
    server.wait(timeout=10)


@pytest.mark.e2e
@pytest.mark.timeout(540)
def test_two_hundred_sources_every_minute_stay_under_the_memory_ceiling(portal_fleet, tmp_path, postgres_url):
    from sqlalchemy import func, select

    from crawler.storage import Article, CrawlRun
    from tests.conftest import CrawlEnv

    env = CrawlEnv(tmp_path, postgres_url)
    env.write_sources("sources:\n" + "".join(f"  - {{name: portal{n:03d}, url: '{url}/'}}\n"
                                             for n, url in enumerate(portal_fleet)))
    hook = Webhook()
    log = tmp_path / "daemon.log"
    settings = {
        "JAJAK_NOTIFY": hook.url, "JAJAK_DIGEST_CRON": "0 0 1 1 *",
        "JAJAK_CRAWL_INTERVAL": "60", "JAJAK_CRAWL_JITTER": "0",  # every minute, the 200 spread over it
        "JAJAK_MAX_PARALLEL_CRAWLS": "8", "JAJAK_CRAWL_MAX_MEMORY_MB": str(CEILING_MB),
        "JAJAK_SHUTDOWN_GRACE": "20",
        "JAJAK_CRAWL_OVERRIDES": "DOWNLOAD_DELAY=0 AUTOTHROTTLE_ENABLED=False JAJAK_PROGRESS_INTERVAL=0",
    }
    sessions = open_database(postgres_url)

    def finished_per_source() -> dict[int, int]:
        with sessions() as session:
            return dict(session.execute(select(CrawlRun.source_id, func.count()).where(
                CrawlRun.finish_reason == "finished").group_by(CrawlRun.source_id)).all())

    started = time.monotonic()
    with log.open("w") as out:
        daemon = subprocess.Popen([sys.executable, "-m", "crawler.cli", "run"], cwd=tmp_path,
                                  env={**env.env, **settings}, stdout=out, stderr=subprocess.STDOUT,
                                  text=True, start_new_session=True)
    watch = MemoryWatch(daemon.pid)
    watch.start()
    try:
        wait_for(lambda: len(done := finished_per_source()) == FLEET and min(done.values()) >= 2,
                 timeout=360, what="every source crawled twice")  # 2-3.5 min on 2 busy cores
        took = time.monotonic() - started
    finally:
        watch.done.set()
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(daemon.pid, signal.SIGKILL)
            daemon.wait()
        hook.server.shutdown()
    output = log.read_text()

    assert daemon.returncode == 0, output[-3000:]
    with sessions() as session:
        runs = list(session.scalars(select(CrawlRun)))
        urls = list(session.scalars(select(Article.url)))
    reasons = {run.finish_reason for run in runs}
    # Nothing lost: every crawl ended as finished, or as shutdown by the final SIGTERM; none killed.
    assert reasons <= {"finished", "shutdown"}, [(r.finish_reason, (r.stats or {}).get("why")) for r in runs
                                                 if r.finish_reason not in ("finished", "shutdown")][:5]
    assert all(run.finished_at is not None for run in runs)
    assert len(urls) == len(set(urls)) == FLEET * 3
    peaks = watch.peaks
    print(f"\n{FLEET} sources: {len(runs)} crawls ({sum(r.finish_reason == 'finished' for r in runs)} finished) "
          f"in {took:.0f} s by {len({r.pid for r in runs})} engines; peak MB: {peaks}; {watch.samples} samples")
    assert watch.samples > 100
    # The ceiling is each engine's; here each engine with its workers stays under it, and so do
    # the daemon and all its children together (a retired engine finishing its crawls next to its
    # successor included), counted by their real share of memory.
    assert 0 < peaks["engine_tree"] < CEILING_MB, peaks
    assert 0 < peaks["total"] < CEILING_MB, peaks


def test_jobs_stored_by_an_earlier_version_still_load() -> None:
    """The crawl and digest jobs moved from crawler.daemon to crawler.schedule; a job store written
    before names them by their old path, and APScheduler loads a job by that path."""
    from apscheduler.util import obj_to_ref, ref_to_obj

    from crawler import schedule

    assert ref_to_obj("crawler.daemon:crawl_job") is schedule.crawl_job
    assert ref_to_obj("crawler.daemon:digest_job") is schedule.digest_job
    assert obj_to_ref(schedule.crawl_job) == "crawler.schedule:crawl_job"

"""Many machines (crawler/fleet): workers share one queue (a throwaway redis-server) and one
PostgreSQL; every source is crawled once, by one worker at a time; a killed worker's sources are
crawled by another; a broker restart and a PostgreSQL outage lose nothing; one scheduler holds
the scheduler lock."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from scrapy.settings import Settings
from sqlalchemy import select

from crawler.config import Config, ConfigError
from crawler.demo.server import PortalServer
from crawler.demo.themes import build_site
from crawler.fleet.leader import Leadership
from crawler.fleet.queue import QUEUE, send_crawls
from crawler.storage import Article, CrawlRun, SourceRow, open_database
from tests.conftest import ROOT, CrawlEnv
from tests.servers import CuttableProxy, Hook
from tests.test_digest import _assert_each_story_once, _postgres_advisory_lock, _two_digests_at_once

HEARTBEAT = "2"  # seconds: a killed worker's sources go to another soon after
OUTAGE = 5.0  # seconds PostgreSQL is away: longer than a connection attempt, about a crawl's length
FAST = "DOWNLOAD_DELAY=0 AUTOTHROTTLE_ENABLED=False CONCURRENT_REQUESTS_PER_DOMAIN=8 JAJAK_PROGRESS_INTERVAL=0"


# --- settings and the scheduler lock --------------------------------------------------------------


def test_a_broker_url_needs_a_shared_postgresql_database():
    settings = Settings({"JAJAK_BROKER_URL": "redis://127.0.0.1:6379/0", "JAJAK_DATABASE_URL": "sqlite://"})
    with pytest.raises(ConfigError, match="postgresql"):
        Config.from_settings(settings)


def test_a_broker_url_of_another_kind_is_refused():
    settings = Settings({"JAJAK_BROKER_URL": "kafka://q", "JAJAK_DATABASE_URL": "postgresql://db/jajak"})
    with pytest.raises(ConfigError, match="JAJAK_BROKER_URL"):
        Config.from_settings(settings)


def test_no_broker_url_is_one_machine_on_sqlite():
    assert Config.from_settings(Settings({"JAJAK_DATABASE_URL": "sqlite://"})).broker_url == ""


def test_one_scheduler_holds_the_lock_and_the_standby_takes_over_when_its_connection_ends(postgres_url):
    key = int(time.time() * 1000) % 2**40  # no other test's scheduler lock
    active, standby = Leadership(postgres_url, key), Leadership(postgres_url, key)
    try:
        assert active.try_acquire()
        assert not standby.try_acquire()
        assert active.holds()
        active.release()  # as when its process dies: PostgreSQL ends the session and its lock
        assert standby.try_acquire()
        assert not Leadership(postgres_url, key).try_acquire()
    finally:
        active.release()
        standby.release()


# --- workers, end to end ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Redis:
    """A throwaway redis-server with an append-only file, so a restart keeps the queue."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.home),
             "--appendonly", "yes", "--appendfsync", "always", "--save", ""],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[Redis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (the fleet tests run their own)")
    server = Redis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fleet(tmp_path: Path, postgres_url: str, redis: Redis, demo_articles) -> Iterator[Fleet]:
    # one story that is a partnership talk and one that is not, on every portal
    chosen = [next(a for a in demo_articles if a["partnership"]),
              next(a for a in demo_articles if not a["partnership"])]
    made = Fleet(CrawlEnv(tmp_path, postgres_url), redis, chosen)
    yield made
    made.stop()


class Fleet:
    """Portals, worker processes and what they stored."""

    def __init__(self, env: CrawlEnv, redis: Redis, articles: list[dict[str, object]]) -> None:
        self.env = env
        self.redis = redis
        self.articles = articles
        self.portals: dict[str, PortalServer] = {}
        self.workers: list[subprocess.Popen[str]] = []

    def add_portals(self, count: int) -> list[str]:
        for _n in range(count):
            server = PortalServer().start()
            server.set_site(build_site("wp-magazine", self.articles, server.url))
            name = f"portal{len(self.portals):03d}"
            self.portals[name] = server
            self.env.add_source(name, server.url + "/")
        return list(self.portals)

    def worker(self, overrides: str = FAST, database_url: str | None = None) -> subprocess.Popen[str]:
        """A `jajak worker`; ``database_url``: the fleet's database by another way (a proxy)."""
        env = {**self.env.env, **({"JAJAK_DATABASE_URL": database_url} if database_url else {}),
               "JAJAK_BROKER_URL": self.redis.url, "JAJAK_BROKER_HEARTBEAT": HEARTBEAT,
               "JAJAK_CRAWL_CONCURRENCY": "8", "JAJAK_CRAWL_OVERRIDES": overrides, "LOG_LEVEL": "INFO"}
        log = open(self.env.home / f"worker{len(self.workers)}.log", "w")  # noqa: SIM115 - kept open
        process = subprocess.Popen([sys.executable, "-m", "crawler.cli", "worker"], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT, text=True)
        self.workers.append(process)
        return process

    def enqueue(self, names: list[str]) -> None:
        send_crawls(self.redis.url, float(HEARTBEAT), names)

    def runs(self) -> dict[str, list[CrawlRun]]:
        with open_database(self.env.database_url)() as session:
            # one query: a source a worker registers between two reads would have runs but no name
            rows = session.execute(
                select(SourceRow.name, CrawlRun).join(SourceRow, SourceRow.id == CrawlRun.source_id)
                .order_by(CrawlRun.id)
            ).all()
            runs: dict[str, list[CrawlRun]] = {}
            for name, run in rows:
                runs.setdefault(name, []).append(run)
            return runs

    def finished(self) -> set[str]:
        return {name for name, runs in self.runs().items()
                if any(run.finish_reason == "finished" for run in runs)}

    def settled(self) -> bool:
        """No crawl message waits, runs or waits to be retried (Dramatiq's delay queue)."""
        import redis as redis_client

        client = redis_client.Redis.from_url(self.redis.url)
        try:
            return not any(client.hlen(f"dramatiq:{queue}.msgs") for queue in (QUEUE, f"{QUEUE}.DQ"))
        finally:
            client.close()

    def article_urls(self) -> list[str]:
        with open_database(self.env.database_url)() as session:
            return list(session.scalars(select(Article.url)))

    def wait_for(self, done: Callable[[], bool], seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if done():
                return
            for process in self.workers:
                assert process.poll() in (None, -signal.SIGKILL), self.logs()
            time.sleep(0.5)
        pytest.fail(f"not within {seconds:.0f} s: {what}\n{self.logs()}")

    def logs(self) -> str:
        return "\n".join(path.read_text()[-3000:] for path in sorted(self.env.home.glob("worker*.log")))

    def stop(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.workers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for server in self.portals.values():
            server.stop()


def _homepage_requests(server: PortalServer) -> int:
    return sum(1 for method, path, _status, _headers in server.requests if method == "GET" and path == "/")


@pytest.mark.e2e
@pytest.mark.timeout(300)
def test_two_workers_crawl_a_hundred_portals_each_once_and_two_digests_send_each_story_once(fleet):
    names = fleet.add_portals(100)
    fleet.worker()
    fleet.worker()
    fleet.enqueue(names)

    fleet.wait_for(lambda: fleet.finished() == set(names), 180, "every portal crawled")

    runs = fleet.runs()
    assert {name: len(crawls) for name, crawls in runs.items()} == dict.fromkeys(names, 1)
    assert len({run.pid for crawls in runs.values() for run in crawls}) == 2  # both workers crawled
    # Each portal saw one crawl: its front page was asked for once, by one worker.
    assert {name: _homepage_requests(server) for name, server in fleet.portals.items()} == dict.fromkeys(names, 1)
    urls = fleet.article_urls()
    assert len(urls) == len(set(urls)) == 100 * len(fleet.articles)

    # The digest of the fleet's database, from two processes at the same moment.
    hook = Hook()
    try:
        _two_digests_at_once(fleet.env, hook, lambda: _postgres_advisory_lock(fleet.env.database_url),
                             JAJAK_BROKER_URL=fleet.redis.url)
        _assert_each_story_once(fleet.env, hook)
    finally:
        hook.close()


@pytest.mark.e2e
@pytest.mark.timeout(300)
def test_the_sources_of_a_worker_killed_mid_crawl_are_crawled_by_another(fleet):
    names = fleet.add_portals(12)
    slow = fleet.worker(FAST.replace("DOWNLOAD_DELAY=0", "DOWNLOAD_DELAY=1"))
    fleet.enqueue(names)
    fleet.wait_for(lambda: any(run.finished_at is None for crawls in fleet.runs().values() for run in crawls),
                   60, "the first worker crawling")
    slow.send_signal(signal.SIGKILL)
    slow.wait(timeout=10)
    other = fleet.worker()

    fleet.wait_for(lambda: fleet.finished() == set(names), 120, "the killed worker's sources crawled")

    runs = fleet.runs()
    cut = [run for crawls in runs.values() for run in crawls if run.pid == slow.pid]
    assert cut and all(run.finish_reason != "finished" for run in cut)  # it died mid-crawl
    assert all(any(run.pid == other.pid and run.finish_reason == "finished" for run in runs[name])
               for name in {names_of for names_of, crawls in runs.items() for run in crawls if run.pid == slow.pid})
    urls = fleet.article_urls()
    assert len(urls) == len(set(urls)) == 12 * len(fleet.articles)


@pytest.mark.e2e
@pytest.mark.timeout(300)
def test_a_broker_restart_mid_run_loses_nothing(fleet):
    names = fleet.add_portals(30)
    fleet.worker(FAST.replace("DOWNLOAD_DELAY=0", "DOWNLOAD_DELAY=0.3"))
    fleet.worker(FAST.replace("DOWNLOAD_DELAY=0", "DOWNLOAD_DELAY=0.3"))
    fleet.enqueue(names)
    fleet.wait_for(lambda: len(fleet.finished()) >= 3, 60, "the first crawls ended")
    assert len(fleet.finished()) < len(names)

    fleet.redis.stop()
    time.sleep(2)  # the workers meet a broker that is gone (their retries are on their own clock)
    fleet.redis.start()

    fleet.wait_for(lambda: fleet.finished() == set(names), 180, "every portal crawled after the restart")
    urls = fleet.article_urls()
    assert len(urls) == len(set(urls)) == 30 * len(fleet.articles)
    assert all(process.poll() is None for process in fleet.workers)  # they waited and went on


@pytest.fixture
def postgres_proxy(postgres_url: str) -> Iterator[tuple[CuttableProxy, str]]:
    """A proxy to the test's PostgreSQL that can be cut, and the database URL through it. Asked
    for before `fleet`, it outlives the workers: they stop with the database reachable."""
    from sqlalchemy.engine import make_url

    url = make_url(postgres_url)
    proxy = CuttableProxy((url.host or "127.0.0.1", url.port or 5432))
    yield proxy, url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    proxy.close()


@pytest.mark.e2e
@pytest.mark.timeout(300)
def test_a_postgresql_outage_mid_run_loses_nothing_and_stores_nothing_twice(postgres_proxy, fleet):
    """The workers reach PostgreSQL through a proxy that the test cuts for a few seconds while
    crawls run (to them, the server went away: connections end, new ones are closed at once),
    then restores; then the sources are queued again, as the scheduler's next run would."""
    from datetime import UTC, datetime

    proxy, through_proxy = postgres_proxy
    names = fleet.add_portals(24)
    slow = FAST.replace("DOWNLOAD_DELAY=0", "DOWNLOAD_DELAY=0.5")  # a crawl takes a few seconds
    workers = [fleet.worker(slow, database_url=through_proxy) for _ in range(2)]
    fleet.enqueue(names)
    fleet.wait_for(lambda: len(fleet.finished()) >= 2
                   and sum(run.finished_at is None for crawls in fleet.runs().values() for run in crawls) >= 4,
                   60, "the first crawls ended and others under way")

    proxy.cut()
    time.sleep(OUTAGE)  # crawls end, start and store meanwhile: none of them can write
    proxy.restore()
    restored_at = datetime.now(UTC)
    assert proxy.refused  # the workers met the outage

    fleet.wait_for(fleet.settled, 120, "every message of the first round done")
    first = {run.id for crawls in fleet.runs().values() for run in crawls}
    fleet.enqueue(names)  # the scheduler's next run
    fleet.wait_for(lambda: fleet.settled()  # a message is acknowledged once its crawl ended
                   and all(run.finished_at is not None for crawls in fleet.runs().values() for run in crawls),
                   120, "every message of the second round done")

    runs = [run for crawls in fleet.runs().values() for run in crawls]
    # The crawls the outage cut were closed as crashed or interrupted, none as finished, and none
    # is left running; every crawl started once the database was back finished (no source was
    # refused as still held by a crawl the outage cut).
    cut = [run for run in runs if run.finish_reason != "finished"]
    assert cut and {run.finish_reason for run in cut} <= {"crashed", "interrupted"}
    assert all(run.started_at < restored_at for run in cut)
    assert all(run.finished_at is not None for run in runs)
    # Every source was crawled to its end, and again in the second round; what the cut crawls
    # did not store was stored then, and nothing twice.
    assert fleet.finished() == set(names)
    second = [run for run in runs if run.id not in first]
    assert len(second) == len(names) and all(run.finish_reason == "finished" for run in second)
    urls = fleet.article_urls()
    assert len(urls) == len(set(urls)) == 24 * len(fleet.articles)
    # The workers lived through it and took the second round, both of them.
    assert all(process.poll() is None for process in workers)
    assert {run.pid for run in second} == {process.pid for process in workers}


@pytest.mark.e2e
def test_the_schedulers_crawl_job_queues_the_source_for_the_workers(redis, postgres_url, tmp_path):
    import json

    import redis as redis_client

    env = CrawlEnv(tmp_path, postgres_url)
    env.add_source("kabarbengkulu", "http://127.0.0.1:9/")
    # A process of its own: crawler.settings reads the environment once, at import.
    done = subprocess.run([sys.executable, "-c", "from crawler.schedule import crawl_job; crawl_job('kabarbengkulu')"],
                          cwd=ROOT, env={**env.env, "JAJAK_BROKER_URL": redis.url}, capture_output=True, text=True,
                          timeout=60, check=False)

    assert done.returncode == 0, done.stderr[-2000:]
    client = redis_client.Redis.from_url(redis.url)
    queued = [json.loads(data) for data in client.hgetall("dramatiq:jajak-crawls.msgs").values()]
    assert [(m["actor_name"], m["args"]) for m in queued] == [("crawl_source", ["kabarbengkulu"])]
    with open_database(postgres_url)() as session:
        assert session.scalars(select(CrawlRun)).all() == []  # queued, not crawled here


@pytest.mark.e2e
@pytest.mark.timeout(120)
def test_the_standby_scheduler_takes_over_when_the_scheduler_is_killed(redis, postgres_url, tmp_path):
    env = CrawlEnv(tmp_path, postgres_url)
    env.add_source("kabarbengkulu", "http://127.0.0.1:9/")
    environment = {**env.env, "JAJAK_BROKER_URL": redis.url, "JAJAK_NOTIFY": "json://127.0.0.1:9/hook",
                   "JAJAK_DATABASE_WATCH": "0.5"}
    leading = "this scheduler holds the scheduler lock"

    def scheduler(name: str) -> tuple[subprocess.Popen[str], Path]:
        log = tmp_path / f"{name}.log"
        process = subprocess.Popen([sys.executable, "-m", "crawler.cli", "run"], cwd=tmp_path, env=environment,
                                   stdout=subprocess.DEVNULL, stderr=log.open("w"), text=True)
        return process, log

    def wait_for_line(log: Path, text: str) -> None:
        deadline = time.monotonic() + 60
        while text not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)

    first, first_log = scheduler("first")
    second = None
    try:
        wait_for_line(first_log, leading)
        second, second_log = scheduler("second")
        wait_for_line(second_log, "standing by")
        assert leading not in second_log.read_text()

        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)

        wait_for_line(second_log, leading)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=60)


@pytest.mark.e2e
@pytest.mark.timeout(180)
def test_a_postgresql_outage_deposes_the_scheduler_and_the_standby_takes_over(redis, postgres_proxy, tmp_path):
    """Two schedulers reach PostgreSQL through a proxy the test cuts: the scheduler's lock dies
    with its connection, so it stops with exit 1 (a supervisor restarts it, and it stands by);
    the standby, which only polls, lives through the outage and schedules once the database is
    back. Never two schedulers at once, never none for longer than the outage and a poll."""
    from crawler.fleet.leader import lock_held

    proxy, through_proxy = postgres_proxy
    env = CrawlEnv(tmp_path, through_proxy)
    env.add_source("kabarbengkulu", "http://127.0.0.1:9/")
    environment = {**env.env, "JAJAK_BROKER_URL": redis.url, "JAJAK_NOTIFY": "json://127.0.0.1:9/hook",
                   "JAJAK_DATABASE_WATCH": "0.5"}
    leading = "this scheduler holds the scheduler lock"
    processes: list[subprocess.Popen[str]] = []

    def scheduler(name: str) -> Path:
        log = tmp_path / f"{name}.log"
        processes.append(subprocess.Popen([sys.executable, "-m", "crawler.cli", "run"], cwd=tmp_path,
                                          env=environment, stdout=subprocess.DEVNULL, stderr=log.open("w"),
                                          text=True))
        return log

    def wait_for_line(log: Path, text: str) -> None:
        deadline = time.monotonic() + 60
        while text not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)

    try:
        first_log = scheduler("first")
        wait_for_line(first_log, leading)
        second_log = scheduler("second")
        wait_for_line(second_log, "standing by")
        first, second = processes

        proxy.cut()
        # The scheduler notices within a watch period; the standby cannot take the lock meanwhile.
        assert first.wait(timeout=30) == 1
        assert "the scheduler lock was lost" in first_log.read_text()
        time.sleep(OUTAGE / 2)
        assert leading not in second_log.read_text()
        assert second.poll() is None  # the standby lives through the outage
        proxy.restore()

        wait_for_line(second_log, leading)
        restarted_log = scheduler("first-restarted")  # what systemd's Restart=on-failure does
        wait_for_line(restarted_log, "standing by")
        assert leading not in restarted_log.read_text()
        with open_database(through_proxy)() as session:
            assert lock_held(session)
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=60)


# --- `jajak status` shows the fleet -----------------------------------------------------------


def _worker_beat(url: str, pid: int, seen_at, stopped: bool = False, crawling: int = 0) -> None:
    from datetime import timedelta

    from crawler.storage.daemon import Heartbeat, record_heartbeat, worker_key

    with open_database(url).begin() as session:
        record_heartbeat(session, Heartbeat(pid, "news-2", seen_at - timedelta(hours=1), seen_at, 30.0, stopped,
                                            crawling), worker_key("news-2", pid))


def test_status_lists_live_workers_the_queue_and_the_scheduler_lock(redis, postgres_url):
    from datetime import UTC, datetime, timedelta

    from crawler.fleet.leader import SCHEDULER_KEY
    from crawler.status import collect, render

    now = datetime.now(UTC)
    _worker_beat(postgres_url, 101, now - timedelta(seconds=10), crawling=3)
    _worker_beat(postgres_url, 102, now - timedelta(seconds=20))
    _worker_beat(postgres_url, 103, now - timedelta(minutes=10), crawling=2)  # killed: its beats stopped
    _worker_beat(postgres_url, 104, now - timedelta(minutes=5), stopped=True)  # stopped cleanly
    send_crawls(redis.url, float(HEARTBEAT), ["satu", "dua", "tiga"])
    leader = Leadership(postgres_url, SCHEDULER_KEY)
    try:
        assert leader.try_acquire()
        status = collect(postgres_url, [], timezone="Asia/Jakarta", now=now, broker_url=redis.url)
    finally:
        leader.release()
    free = collect(postgres_url, [], now=now, broker_url=redis.url)
    alone = collect(postgres_url, [], now=now)

    fleet = status["fleet"]
    assert [(w["pid"], w["crawling"]) for w in fleet["workers"]] == [(101, 3), (102, 0)]
    assert [w["pid"] for w in fleet["workers_lost"]] == [103]
    assert fleet["queue"] == {"name": "jajak-crawls", "waiting": 3, "taken": 0, "error": None}
    assert fleet["scheduler_lock"] is True and free["fleet"]["scheduler_lock"] is False
    lines = render(status).splitlines()
    assert lines[1] == ("queue jajak-crawls: 3 waiting, 0 taken by workers; "
                        "scheduler lock: held (a scheduler schedules; any other `jajak run` stands by)")
    assert lines[2].startswith("workers: 2 running; 1 stopped sending heartbeats without stopping")
    assert lines[3].startswith("  pid 101 on host news-2: 3 crawls running, since ")
    assert lines[4].startswith("  pid 102 on host news-2: idle, since ")
    assert "scheduler lock: free (no scheduler schedules" in render(free)
    # without a broker (one machine), the status is what it was
    assert "fleet" not in alone and "queue" not in render(alone) and "workers" not in render(alone)


def test_a_scheduler_waiting_for_the_lock_is_listed_as_standing_by_until_it_stops(postgres_url):
    import os
    import threading

    from crawler.fleet.leader import standby_heartbeat
    from crawler.status import collect, render
    from crawler.storage import Database

    key = int(time.time() * 1000) % 2**40  # no other test's scheduler lock
    active, waiting = Leadership(postgres_url, key), Leadership(postgres_url, key)
    stop, beaten = threading.Event(), threading.Event()
    broker = f"redis://127.0.0.1:{_free_port()}/0"
    with Database(postgres_url) as database:
        beat = standby_heartbeat(database, every=0.05)

        def standing_by() -> None:
            beat()
            beaten.set()

        assert active.try_acquire()
        standby = threading.Thread(target=waiting.wait, args=(0.05, stop, standing_by), daemon=True)
        standby.start()
        try:
            assert beaten.wait(10)
            listed = collect(postgres_url, [], broker_url=broker)
        finally:
            stop.set()
            standby.join(10)
            beat(ended=True)
            active.release()
            waiting.release()
        after = collect(postgres_url, [], broker_url=broker)

    assert [s["pid"] for s in listed["fleet"]["standby"]] == [os.getpid()]
    lines = render(listed).splitlines()
    assert "standby schedulers: 1 (each takes over when the lock is free)" in lines
    assert any(line.startswith(f"  pid {os.getpid()} on host ") and "standing by since" in line for line in lines)
    assert after["fleet"]["standby"] == [] and "standby" not in render(after)


def test_status_says_when_the_broker_does_not_answer(postgres_url):
    from crawler.status import collect, render

    status = collect(postgres_url, [], broker_url=f"redis://127.0.0.1:{_free_port()}/0")

    assert status["fleet"]["queue"]["error"]
    assert render(status).splitlines()[1].startswith("queue jajak-crawls: broker not reachable (")


def _rabbitmq_url() -> str:
    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=1).close()
    except OSError:
        pytest.skip("RabbitMQ is not reachable at 127.0.0.1:5672")
    return "amqp://guest:guest@127.0.0.1:5672/"


def test_the_rabbitmq_queue_length_is_read_without_declaring_it():
    import uuid

    from dramatiq import Message

    from crawler.fleet.queue import QueueLength, make_broker, queue_length

    url = _rabbitmq_url()
    name = f"jajak-test-{uuid.uuid4().hex[:8]}"  # a queue of its own on a shared server
    assert queue_length(url, 60, name).waiting == 0  # never declared: nothing waits, nothing created
    broker = make_broker(url, 60)
    try:
        broker.declare_queue(name)
        for source in ("satu", "dua"):
            broker.enqueue(Message(queue_name=name, actor_name="crawl_source", args=(source,), kwargs={}, options={}))
        assert queue_length(url, 60, name) == QueueLength(waiting=2, taken=None)
    finally:
        for queue in (name, f"{name}.DQ", f"{name}.XQ"):
            broker.channel.queue_delete(queue)
        broker.close()


@pytest.mark.e2e
@pytest.mark.timeout(180)
def test_status_shows_a_worker_while_it_runs_and_the_queue_it_empties(fleet):
    import json

    names = ["nowhere1", "nowhere2"]
    for name in names:
        fleet.env.add_source(name, "http://127.0.0.1:9/")
    broker = {"JAJAK_BROKER_URL": fleet.redis.url, "JAJAK_DATABASE_WATCH": "1"}

    def status() -> dict:
        done = fleet.env.jajak("status", "--json", env=broker)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)["fleet"]

    fleet.enqueue(names)
    before = status()
    worker = fleet.worker()
    fleet.wait_for(lambda: len(fleet.runs()) == 2 and (now := status())["workers"]
                   and (now["queue"]["waiting"], now["queue"]["taken"]) == (0, 0),
                   60, "the worker seen and its crawls acknowledged")
    during = status()
    table = fleet.env.jajak("status", env=broker).stdout
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=60)
    after = status()

    assert before["workers"] == [] and before["queue"]["waiting"] == 2
    assert [w["pid"] for w in during["workers"]] == [worker.pid]
    assert f"workers: 1 running\n  pid {worker.pid} on host " in table, table
    assert after["workers"] == after["workers_lost"] == []  # stopped cleanly: neither running nor lost

"""`jajak status`: whether the daemon runs (its heartbeat, judged on a driven clock), every next
run with the digest's, health in the digest's words, times labelled in JAJAK_TIMEZONE."""

from __future__ import annotations

import json
import signal
import threading
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from apscheduler.events import EVENT_SCHEDULER_STARTED

from crawler.health import DEGRADED, FAILING, HEALTHY, SILENT
from crawler.schedule import build_scheduler
from crawler.sources import load_sources
from crawler.status import collect, render
from crawler.storage import ensure_source, finish_run, last_run, open_database, start_run
from crawler.storage.daemon import Heartbeat, last_heartbeat, record_heartbeat
from crawler.storage.health import recent_runs, recent_runs_by_source, source_ids
from tests.test_daemon import settings_for, start_daemon, stop, wait_for

NOW = datetime(2026, 12, 5, 4, 30, tzinfo=UTC)  # 11:30 WIB


def _beat(url, seen_at, stopped=False, every=30.0):
    sessions = open_database(url)
    with sessions.begin() as session:
        record_heartbeat(session, Heartbeat(4242, "news-1", NOW - timedelta(hours=2), seen_at, every, stopped))


@pytest.mark.parametrize(("age", "every", "stopped", "running"), [
    (timedelta(seconds=5), 30, False, True),
    (timedelta(seconds=89), 30, False, True),  # one or two beats late: still running
    (timedelta(seconds=91), 30, False, False),  # three missed: not running (killed, hung)
    (timedelta(seconds=59), 1, False, True),  # never judged on less than a minute
    (timedelta(seconds=61), 1, False, False),
    (timedelta(seconds=1), 30, True, False),  # stopped cleanly
])
def test_the_daemon_runs_while_its_heartbeat_is_recent(age, every, stopped, running):
    beat = Heartbeat(1, "h", NOW - timedelta(hours=1), NOW - age, every, stopped)
    assert beat.running(NOW) is running


def test_status_says_whether_the_daemon_runs(tmp_path):
    url = f"sqlite:///{tmp_path / 'jajak.db'}"

    never = render(collect(url, [], now=NOW))
    _beat(url, NOW - timedelta(seconds=20))
    running = collect(url, [], now=NOW)
    silent = render(collect(url, [], now=NOW + timedelta(minutes=10)))
    _beat(url, NOW, stopped=True)
    stopped = render(collect(url, [], now=NOW + timedelta(minutes=1)))

    assert never.startswith("daemon: not running (no `jajak run` has recorded a heartbeat")
    assert render(running).startswith(
        "daemon: running (pid 4242 on host news-1, since 09:30 WIB; last heartbeat 11:29 WIB)")
    assert running["daemon"]["running"] is True
    assert running["daemon"]["last_seen"] == "2026-12-05T11:29:40+07:00"
    assert silent.startswith("daemon: not running (last heartbeat 11:29 WIB; was pid 4242 on host news-1)")
    assert stopped.startswith("daemon: not running (stopped 11:30 WIB; was pid 4242 on host news-1)")


def test_an_unreadable_heartbeat_is_no_heartbeat(tmp_path):
    from crawler.storage.daemon import DAEMON_KEY
    from crawler.storage.models import MetaRow

    sessions = open_database(f"sqlite:///{tmp_path / 'jajak.db'}")
    with sessions.begin() as session:
        session.add(MetaRow(name=DAEMON_KEY, value="not json"))
    with sessions() as session:
        assert last_heartbeat(session) is None


def test_status_lists_every_next_run_with_the_digest_in_jajak_timezone(crawl_env):
    # More jobs than the old list's cut (8); cron schedules, so none is due while the store fills.
    names = [f"s{n:02d}" for n in range(12)]
    crawl_env.write_sources("sources:\n" + "".join(
        f"  - {{name: {name}, url: 'https://{name}.example/', schedule: '0 3 * * *'}}\n" for name in names))
    sources = load_sources(crawl_env.sources_file)
    scheduler = build_scheduler(settings_for(crawl_env, JAJAK_TIMEZONE="Asia/Jayapura"), sources)
    started = threading.Event()
    scheduler.add_listener(lambda _e: started.set(), EVENT_SCHEDULER_STARTED)
    thread = threading.Thread(target=scheduler.start, daemon=True)
    thread.start()
    assert started.wait(10)
    scheduler.shutdown(wait=False)
    thread.join(10)

    status = collect(crawl_env.database_url, sources, timezone="Asia/Jayapura")
    text = render(status)

    assert {run["job"] for run in status["next_runs"]} == {f"crawl:{name}" for name in names} | {"digest"}
    assert all(run["at"].endswith("+09:00") for run in status["next_runs"])
    listed = text.split("next runs (as scheduled when the daemon last ran; start it with `jajak run`):\n")[1]
    lines = listed.splitlines()[:13]
    # Listed soonest first; which of 05:00 and 07:00 WIT comes first depends on the hour the test runs.
    by_time = [run["job"] for run in sorted(status["next_runs"], key=lambda run: (run["at"], run["job"]))]
    assert [line.split()[0] for line in lines] == by_time
    assert sorted(line.split()[0] for line in lines) == sorted([f"crawl:{name}" for name in names] + ["digest"])
    # the digest at 07:00 in JAJAK_TIMEZONE; a source's 03:00 is in its own zone (WIB), shown in WIT
    for line in lines:
        assert line.endswith(" 07:00 WIT" if line.split()[0] == "digest" else " 05:00 WIT"), line


def _runs(url, name, reasons):
    sessions = open_database(url)
    with sessions.begin() as session:
        source_id = ensure_source(session, name, f"https://{name}.example/").id
        for reason in reasons:
            run_id = start_run(session, source_id, 1)
            finish_run(session, run_id, pages=1, new_articles=0, matches=0, errors=1,
                       finish_reason=reason, channel=None, stats={})


def test_health_is_in_the_digests_words(crawl_env):
    crawl_env.write_sources("sources:\n  - {name: down, url: 'https://down.example/'}\n"
                            "  - {name: never, url: 'https://never.example/'}\n")
    _runs(crawl_env.database_url, "down", ["unreachable"] * 3)

    status = collect(crawl_env.database_url, load_sources(crawl_env.sources_file))

    health = {row["source"]: (row["health"], row["reason"]) for row in status["sources"]}
    assert health["down"][0] == FAILING and "3 failed crawls in a row" in health["down"][1]
    assert health["never"] == (HEALTHY, "no finished crawl yet")
    assert {state for state, _ in health.values()} <= {HEALTHY, FAILING, SILENT, DEGRADED}
    assert "failing  3 failed crawls in a row" in render(status)


def test_runs_of_every_source_read_at_once_are_each_sources_own(tmp_path):
    url = f"sqlite:///{tmp_path / 'jajak.db'}"
    _runs(url, "busy", ["finished", "unreachable", "already_running", "finished"])
    _runs(url, "quiet", ["timeout"])
    _runs(url, "refused", ["already_running"])
    with open_database(url)() as session:
        ids = source_ids(session)
        together = recent_runs_by_source(session, limit=2)
        assert set(together) == {ids["busy"], ids["quiet"]}  # a refused run is no crawl of the site
        for name in ("busy", "quiet", "refused"):
            own = recent_runs(session, ids[name], limit=2)
            assert [run.id for run in together.get(ids[name], [])] == [run.id for run in own]
            last = last_run(session, ids[name])
            assert (own[0].id if own else None) == (last.id if last else None)
        assert [run.finish_reason for run in together[ids["busy"]]] == ["finished", "unreachable"]


@pytest.mark.e2e
def test_status_sees_the_daemon_start_and_stop(crawl_env):
    crawl_env.write_sources("sources:\n  - {name: a, url: 'http://127.0.0.1:9/', schedule: '0 3 * * *'}\n")

    def daemon_state():
        done = crawl_env.jajak("status", "--json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)["daemon"]

    nowhere = SimpleNamespace(url="json://127.0.0.1:9/hook")  # a channel; nothing is sent here
    daemon = start_daemon(crawl_env, nowhere, JAJAK_DATABASE_WATCH="1", JAJAK_DIGEST_CRON="0 7 * * *")
    try:
        wait_for(lambda: daemon_state()["running"], what="the daemon's heartbeat")
        table = crawl_env.jajak("status").stdout
    finally:
        out = stop(daemon, signal.SIGTERM)
    after = daemon_state()

    assert table.startswith(f"daemon: running (pid {daemon.pid} on host "), table
    assert "next runs:\n" in table and "  digest " in table and "  crawl:a " in table
    assert after["running"] is False and after["stopped"] is True and after["pid"] == daemon.pid
    # start-up says what jajak does, not what APScheduler and Alembic do
    assert "apscheduler" not in out and "alembic" not in out, out
    assert "jajak daemon started" in out


def test_worker_heartbeats_are_read_back_and_day_old_ones_forgotten(tmp_path):
    from crawler.storage.daemon import forget_workers, worker_heartbeats, worker_key

    sessions = open_database(f"sqlite:///{tmp_path / 'jajak.db'}")
    with sessions.begin() as session:
        for pid, age in ((1, timedelta(seconds=5)), (2, timedelta(hours=25))):
            record_heartbeat(session, Heartbeat(pid, "h" * 300, NOW - age, NOW - age, 30.0, crawling=pid),
                             worker_key("h" * 300, pid))
        record_heartbeat(session, Heartbeat(9, "news-1", NOW, NOW, 30.0))  # the daemon's: not a worker
    with sessions.begin() as session:
        assert [(b.pid, b.crawling) for b in worker_heartbeats(session)] == [(1, 1), (2, 2)]
        assert forget_workers(session, NOW) == 1
    with sessions() as session:
        assert [b.pid for b in worker_heartbeats(session)] == [1]
        assert last_heartbeat(session).pid == 9


def test_only_standby_schedulers_still_beating_are_listed(tmp_path):
    from crawler.storage.daemon import standby_key

    url = f"sqlite:///{tmp_path / 'jajak.db'}"
    with open_database(url).begin() as session:
        record_heartbeat(session, Heartbeat(7, "news-3", NOW - timedelta(hours=1), NOW - timedelta(seconds=5), 30.0),
                         standby_key("news-3", 7))
        record_heartbeat(session, Heartbeat(8, "news-4", NOW - timedelta(hours=2), NOW - timedelta(minutes=10), 30.0),
                         standby_key("news-4", 8))  # killed while it stood by: its beats stopped

    status = collect(url, [], now=NOW, broker_url="redis://127.0.0.1:1/0")

    assert [(s["pid"], s["host"]) for s in status["fleet"]["standby"]] == [(7, "news-3")]
    assert "  pid 7 on host news-3: standing by since " in render(status)

"""One crawl per source at a time (crawler.storage.locks), on SQLite and PostgreSQL: claims,
take-overs of dead holders, and runs left open by a killed crawl closed as interrupted."""

from __future__ import annotations

import os
import subprocess
import time
from datetime import timedelta

import pytest

from crawler.storage import REFUSED, CrawlRun, ensure_source, finish_run, last_run, open_database, start_run, utcnow
from crawler.storage.health import recent_runs
from crawler.storage.locks import (
    INTERRUPTED,
    LOCK_TTL,
    SourceBusy,
    SourceLock,
    claim,
    close_runs,
    live_locks,
    pid_alive,
    release,
    renew,
    this_host,
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def sessions(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'jajak.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    factory = open_database(url)
    yield factory
    factory.kw["bind"].dispose()


@pytest.fixture
def source_id(sessions):
    with sessions.begin() as session:
        return ensure_source(session, "kabarbandung", "http://kabar.example/").id


def dead_pid() -> int:
    done = subprocess.Popen(["true"])
    done.wait()
    return done.pid


def test_a_free_source_is_claimed_and_a_second_claim_names_the_holder(sessions, source_id):
    now = utcnow()
    with sessions.begin() as session:
        assert claim(session, source_id, "a" * 32, pid=1, host="mesin-1", now=now) is None
    with sessions.begin() as session:
        holder = claim(session, source_id, "b" * 32, pid=2, host="mesin-2", now=now + timedelta(seconds=5))
    assert holder is not None and holder.pid == 1 and holder.host == "mesin-1"
    assert str(SourceBusy(holder)).startswith("already being crawled by pid 1 on host mesin-1 (since ")


def test_an_expired_lock_is_taken_over_and_the_old_holder_cannot_renew_it(sessions, source_id):
    start = utcnow()
    with sessions.begin() as session:
        claim(session, source_id, "a" * 32, pid=1, host="mesin-1", now=start)
    later = start + LOCK_TTL + timedelta(seconds=1)
    with sessions.begin() as session:
        assert claim(session, source_id, "b" * 32, pid=2, host="mesin-2", now=later) is None
    with sessions.begin() as session:
        assert renew(session, source_id, "a" * 32, now=later) is False
        assert renew(session, source_id, "b" * 32, now=later) is True
        release(session, source_id, "a" * 32)  # not its lock any more: nothing happens
    with sessions() as session:
        assert [h.pid for h in live_locks(session, later).values()] == [2]


def test_a_lock_renewed_in_time_is_kept(sessions, source_id):
    start = utcnow()
    with sessions.begin() as session:
        claim(session, source_id, "a" * 32, pid=1, host="mesin-1", now=start)
        assert renew(session, source_id, "a" * 32, now=start + LOCK_TTL / 2)
    with sessions.begin() as session:
        assert claim(session, source_id, "b" * 32, pid=2, host="mesin-2", now=start + LOCK_TTL) is not None


def test_a_lock_of_a_dead_process_on_this_host_is_taken_over_at_once(sessions, source_id):
    now = utcnow()
    with sessions.begin() as session:
        claim(session, source_id, "a" * 32, pid=dead_pid(), host=this_host(), now=now)
        assert live_locks(session, now) == {}
        assert claim(session, source_id, "b" * 32, pid=2, host=this_host(), now=now) is None


def test_source_lock_refuses_a_second_holder_and_releases_at_the_end(sessions, source_id):
    with SourceLock(sessions, source_id) as first:
        with pytest.raises(SourceBusy, match=f"already being crawled by pid \\d+ on host {this_host()}"):
            SourceLock(sessions, source_id).claim()
        assert not first.lost
    with SourceLock(sessions, source_id):  # free again
        pass


def test_runs_left_open_are_closed_as_interrupted_unless_their_source_is_held(sessions, source_id):
    with sessions.begin() as session:
        other = ensure_source(session, "kabarmedan", "http://medan.example/").id
        stale = start_run(session, source_id, pid=dead_pid())
        held_run = start_run(session, other, pid=dead_pid())
        claim(session, other, "a" * 32, pid=dead_pid(), host="mesin-lain", now=utcnow())
    with sessions.begin() as session:
        assert close_runs(session, None, {"jajak/finish/why": "killed"}) == 1
    with sessions() as session:
        run = session.get(CrawlRun, stale)
        assert run.finish_reason == INTERRUPTED and run.finished_at is not None
        assert run.stats == {"jajak/finish/why": "killed"}
        assert session.get(CrawlRun, held_run).finished_at is None  # its holder (elsewhere) is live
    with sessions.begin() as session:  # the holder of the lock closes its source's open runs
        assert close_runs(session, other) == 1


def test_a_refused_crawl_is_recorded_but_is_not_the_sources_last_run(sessions, source_id):
    with sessions.begin() as session:
        real = start_run(session, source_id, pid=1)
        refused = start_run(session, source_id, pid=2)
        finish_run(session, refused, pages=0, new_articles=0, matches=0, errors=0, finish_reason=REFUSED,
                   channel=None, stats=None)
    with sessions() as session:
        assert last_run(session, source_id).id == real
        assert last_run(session, source_id, refused=True).id == refused
        assert [r.id for r in recent_runs(session, source_id)] == [real]


def test_pid_alive_knows_running_dead_and_zombie_processes():
    assert pid_alive(os.getpid())
    assert not pid_alive(dead_pid())
    assert not pid_alive(None) and not pid_alive(0)
    zombie = subprocess.Popen(["true"])  # exits at once and stays a zombie until waited for
    deadline = time.monotonic() + 10
    while pid_alive(zombie.pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not pid_alive(zombie.pid)
    assert zombie.poll() == 0

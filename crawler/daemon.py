"""When things run (`jajak run`): start the schedule, keep it alive, stop it gracefully.

The schedule itself (which jobs, their triggers and the crawl executor that owns the daemon's
crawl engine) is crawler.schedule's; what a job does is crawler.jobs'. This module leads (one
scheduler per fleet, standbys wait for the scheduler lock), watches that the database is the
one it started with, records a heartbeat for `jajak status`, and on SIGTERM or SIGINT stops the
scheduling, lets running crawls finish up to a grace period, then ends them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from apscheduler.events import EVENT_SCHEDULER_STARTED
from apscheduler.schedulers import SchedulerNotRunningError
from sqlalchemy.exc import SQLAlchemyError

from crawler.added_sources import load_all
from crawler.config import Config
from crawler.digest import load_channels
from crawler.fleet.leader import Leadership, standby_heartbeat
from crawler.jobs.health import announce_stop, close_interrupted_runs
from crawler.jobs.service import EngineService
from crawler.schedule import build_scheduler
from crawler.schedule import crawl_job as crawl_job
from crawler.schedule import digest_job as digest_job
from crawler.sources import SourcesError
from crawler.storage import Database
from crawler.storage.daemon import Heartbeat, record_heartbeat
from crawler.storage.identity import DatabaseGone, DatabaseIdentity, identify, verify
from crawler.storage.locks import this_host

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from scrapy.settings import BaseSettings

    from crawler.sources import Source

logger = logging.getLogger(__name__)

# crawl_job and digest_job are imported here too: jobs stored by an earlier version name them as
# crawler.daemon:crawl_job and crawler.daemon:digest_job, and must load until they are replaced.


def preflight(settings: BaseSettings) -> list[Source]:
    """Check what the settings do not say alone before anything starts: the sources file and the
    Apprise channels (settings, schedules and the database were checked by crawler.startup).
    Raises ValueError with one clear line."""
    config = Config.of(settings)
    try:
        sources = load_all(config.sources_file, config.database_url)
    except SourcesError as err:
        raise ValueError(str(err)) from err
    load_channels(config)  # a bad URL or timeout raises ValueError (ChannelError is one)
    if not any(s.enabled for s in sources):
        raise ValueError(f"{config.sources_file}: no enabled source to schedule")
    return sources


def run(settings: BaseSettings, sources: Sequence[Source]) -> int:
    """Start the daemon and block until SIGTERM or SIGINT; then shut down gracefully.

    Raises DatabaseGone (after stopping the same way) when its database was deleted, replaced
    or lost its schema while it ran.
    """
    config = Config.of(settings)
    go, leadership, asked = _lead(config)
    if not go:
        return 0
    close_interrupted_runs(config)
    # Which database this daemon runs on; jobs read it from the environment like every setting,
    # and crawl children get it too, so none of them ever works on another one.
    expected = identify(config.database_url)
    os.environ["JAJAK_DATABASE_INSTANCE"] = expected.instance
    grace = config.shutdown_grace
    # One crawl engine for all the scheduled crawls (started at the first, again after a death),
    # owned by the crawl jobs' executor.
    engine = EngineService(
        database_url=config.database_url, database_instance=expected.instance, log_dir=config.log_dir,
        parallel=config.max_parallel_crawls, timeout=config.crawl_timeout,
        max_memory_mb=config.crawl_max_memory_mb or None, overrides=config.crawl_overrides,
        max_crawls=config.engine_max_crawls,
    )
    scheduler = build_scheduler(settings, sources, engine)
    stopping = threading.Event()
    deposed = threading.Event()  # the scheduler lock was lost: exit 1, so a supervisor restarts it
    gone: list[DatabaseGone] = []
    database = Database(config.database_url)  # the daemon's own writes: its heartbeat
    beat = _heartbeat(database, config)

    signalled: list[str] = []

    def stop(signum: int, _frame: Any) -> None:
        # Only flags the stop. This handler runs in the main thread, which may be holding a lock
        # that shutting the scheduler down takes (an executor's, while it submits a job: the
        # daemon then waited for itself forever), so the stopper thread shuts it down.
        if not stopping.is_set():
            signalled.append(signal.Signals(signum).name)
            stopping.set()

    def shut_down() -> None:
        # A stop that comes while the scheduler starts may be done twice (stopper, started()).
        with contextlib.suppress(SchedulerNotRunningError):
            scheduler.shutdown(wait=False)

    def stopper() -> None:
        stopping.wait()
        if not signalled:
            return  # watch() stopped it, and shut the scheduler down itself
        logger.info("%s received: no new jobs; running crawls get %.0f s to finish", signalled[0], grace)
        if scheduler.running:
            shut_down()
        # else the scheduler is not started yet: it stops as soon as it starts (started() below)

    def watch() -> None:
        while not stopping.wait(config.database_watch):
            if leadership is not None and not leadership.holds():
                logger.error("the scheduler lock was lost with its database connection: stopping "
                             "(restarted, this scheduler stands by)")
                deposed.set()
                stopping.set()
                scheduler.shutdown(wait=False)
                return
            err = _database_gone(expected)
            if err is None:
                beat()
                continue
            gone.append(err)
            logger.error("%s: stopping", err)
            announce_stop(config, str(err))
            stopping.set()
            scheduler.shutdown(wait=False)
            return

    def started(_event: Any) -> None:
        # started with the scheduler, so a stop it asks for always finds it running; a signal
        # that came before the scheduler ran stops it now
        if stopping.is_set():
            threading.Thread(target=shut_down, daemon=True).start()
        else:
            threading.Thread(target=watch, name="jajak-database-watch", daemon=True).start()

    scheduler.add_listener(started, EVENT_SCHEDULER_STARTED)
    threading.Thread(target=stopper, name="jajak-stop", daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if asked.is_set():  # a SIGTERM right after the scheduler lock was taken, before these handlers
        stop(signal.SIGTERM, None)
    logger.info("jajak daemon started (pid %d): %d sources scheduled", os.getpid(),
                sum(1 for s in sources if s.enabled))
    beat()
    scheduler.start()  # blocks until stop()
    engine.stop(grace)
    # The crawl threads return once their children are gone; wait for their bookkeeping.
    for executor in ("crawls", "default"):
        scheduler._lookup_executor(executor).shutdown(wait=True)  # noqa: SLF001
    if leadership is not None:
        leadership.release()
    try:
        if gone:
            raise gone[0]
        if deposed.is_set():
            return 1
        beat(stopped=True)
    finally:
        database.close()
    logger.info("jajak daemon stopped")
    return 0


def _lead(config: Config) -> tuple[bool, Leadership | None, threading.Event]:
    """Many machines: block until this scheduler holds the scheduler lock (True and the lock), or
    False when stopped while standing by; one machine: True and nothing to hold. The event is
    set when a stop was asked for while it waited or since (run() honours it)."""
    standby = threading.Event()
    if not config.broker_url:
        return True, None, standby
    leadership = Leadership(config.database_url)

    def stop(_signum: int, _frame: Any) -> None:
        standby.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    with Database(config.database_url) as database:
        standing_by = standby_heartbeat(database, config.database_watch)
        try:
            held = leadership.wait(config.database_watch, standby, standing_by)
        finally:
            standing_by(ended=True)
    if not held:
        leadership.release()
        return False, None, standby
    logger.info("this scheduler holds the scheduler lock: scheduling")
    return True, leadership, standby


def _heartbeat(database: Database, config: Config) -> Callable[..., None]:
    """A function recording in ``database`` that this daemon is alive (`jajak status` reads
    it); a database that cannot be written for a moment is a warning, not a stop."""
    sessions = database.sessions
    started = datetime.now(UTC)

    def beat(stopped: bool = False) -> None:
        now = datetime.now(UTC)
        try:
            with sessions.begin() as session:
                record_heartbeat(session, Heartbeat(os.getpid(), this_host(), started, now,
                                                    config.database_watch, stopped))
        except SQLAlchemyError as err:
            logger.warning("heartbeat not recorded: %s", str(err).splitlines()[0])

    return beat


def _database_gone(expected: DatabaseIdentity) -> DatabaseGone | None:
    """DatabaseGone when the daemon's database was deleted or replaced; None while it is there
    (or cannot be reached for now: a restarting server is not a replaced database)."""
    try:
        verify(expected)
    except DatabaseGone as err:
        return err
    except SQLAlchemyError as err:
        logger.warning("database check: %s", str(err).splitlines()[0])
    return None

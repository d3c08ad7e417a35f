"""A fleet worker (`jajak worker`, crawl stage): one crawl engine process (one reactor, many
crawls) fed by Dramatiq consumer threads.

Each consumer thread takes a source name off the queue, hands it to the engine and waits for the
crawl's end before returning, so the message is acknowledged only once the crawl ended. The
source's crawl lock in the database still guards against two crawls of one source: a source
being crawled elsewhere is acknowledged at once (that crawl covers it). The worker records a
heartbeat in the database every JAJAK_DATABASE_WATCH seconds (crawler.storage.daemon), with how
many crawls it runs, so `jajak status` lists the live workers.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from concurrent.futures import Future
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from crawler.config import Config
from crawler.engine import CrawlEngine, CrawlEvent
from crawler.fleet.queue import ACTOR, QUEUE, make_broker
from crawler.jobs.crawl import after_crawl
from crawler.startup import apply_pairs
from crawler.storage import Database
from crawler.storage.daemon import Heartbeat, forget_workers, record_heartbeat, worker_key
from crawler.storage.locks import this_host

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from scrapy.settings import Settings

logger = logging.getLogger(__name__)

_POLL = 1.0  # seconds between a waiting consumer's checks that the engine still runs
_STOP_TIMEOUT_MS = 30_000


class EngineStopped(Exception):
    """The engine stopped before this source's crawl started: the broker retries it later."""


class _Handoff:
    """Source names from the consumer threads to the engine, crawl ends back to the threads."""

    def __init__(self) -> None:
        self.names: queue.Queue[str | None] = queue.Queue()
        self.lock = threading.Lock()
        self.waiting: dict[str, Future[CrawlEvent]] = {}

    def lines(self) -> Iterator[str]:
        """What the engine's serve() reads: names until close()."""
        while (name := self.names.get()) is not None:
            yield name

    def submit(self, name: str) -> Future[CrawlEvent] | None:
        """The future of this source's crawl; None when this worker is crawling it already."""
        with self.lock:
            if name in self.waiting:
                return None
            future: Future[CrawlEvent] = Future()
            self.waiting[name] = future
        self.names.put(name)
        return future

    def report(self, event: CrawlEvent) -> None:
        """The engine's report (in the reactor thread): a crawl's end wakes its consumer."""
        if event.exit_code is None:
            return
        with self.lock:
            future = self.waiting.pop(event.source, None)
        if future is not None:
            future.set_result(event)

    def close(self) -> None:
        self.names.put(None)


def serve(settings: Settings) -> int:
    """Run a worker until SIGTERM/SIGINT: crawls from the queue, JAJAK_CRAWL_CONCURRENCY at once."""
    import dramatiq  # the fleet extra (optional): imported only by a worker

    config = Config.of(settings)
    # The fleet's crawls are the daemon's crawls: the same time limit and overrides.
    settings.set("CLOSESPIDER_TIMEOUT", config.crawl_timeout, priority="cmdline")
    apply_pairs(settings, "JAJAK_CRAWL_OVERRIDES", config.crawl_overrides)
    handoff = _Handoff()
    engine = CrawlEngine(settings, config.crawl_concurrency, handoff.report)

    def crawl_source(name: str) -> None:
        started = datetime.now(UTC)
        future = handoff.submit(name)
        if future is None:
            logger.info("%s: already being crawled by this worker", name)
            return
        while True:
            try:
                event = future.result(timeout=_POLL)
                break
            except TimeoutError:
                if engine.stopping and not engine.running.get(name):
                    raise EngineStopped(name) from None
        logger.info("%s: crawl ended (exit %s%s) in %.1f s", name, event.exit_code,
                    f": {event.why}" if event.why else "", event.seconds)
        after_crawl(config, [name], started)

    broker = make_broker(config.broker_url, config.broker_heartbeat)
    # The time limit is the crawl's own (CLOSESPIDER_TIMEOUT) plus room for its bookkeeping.
    dramatiq.Actor(crawl_source, broker=broker, actor_name=ACTOR, queue_name=QUEUE, priority=0,
                   options={"time_limit": int((config.crawl_timeout + 600) * 1000), "max_retries": 5})
    consumers = dramatiq.Worker(broker, queues={QUEUE}, worker_threads=config.crawl_concurrency)
    consumers.start()
    logger.info("jajak worker started: %d crawls at once from %s", config.crawl_concurrency, QUEUE)
    started = time.monotonic()
    beat = _heartbeat(engine.database, config, lambda: len(engine.running))
    stopped = threading.Event()
    beating = threading.Thread(target=lambda: _beat_until(beat, stopped, config.database_watch),
                               name="jajak-worker-heartbeat", daemon=True)
    beating.start()
    try:
        engine.serve(handoff.lines())  # until SIGTERM/SIGINT: the engine stops its crawls cleanly
    finally:
        handoff.close()
        consumers.stop(timeout=_STOP_TIMEOUT_MS)
        broker.close()
        stopped.set()
        beating.join(timeout=10)
        beat(stopped=True)
        engine.database.close()
    logger.info("jajak worker stopped after %.0f s", time.monotonic() - started)
    return 0


def _heartbeat(database: Database, config: Config, crawling: Callable[[], int]) -> Callable[..., None]:
    """A function recording in ``database`` (the worker's crawl engine's) that this worker is
    alive and how many crawls it runs (`jajak status` lists the live workers); a database that
    cannot be written for a moment is a warning."""
    sessions = database.sessions
    started = datetime.now(UTC)
    host, pid = this_host(), os.getpid()
    with sessions.begin() as session:  # the rows of workers gone for a day go
        forget_workers(session, started)

    def beat(stopped: bool = False) -> None:
        now = datetime.now(UTC)
        try:
            with sessions.begin() as session:
                record_heartbeat(session, Heartbeat(pid, host, started, now, config.database_watch, stopped,
                                                    0 if stopped else crawling()), worker_key(host, pid))
        except SQLAlchemyError as err:
            logger.warning("heartbeat not recorded: %s", str(err).splitlines()[0])

    return beat


def _beat_until(beat: Callable[..., None], stopped: threading.Event, every: float) -> None:
    beat()
    while not stopped.wait(every):
        beat()

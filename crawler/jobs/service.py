"""The daemon's crawl engine (crawl stage): one long-lived engine child process that crawls each
source the scheduler sends it, so a scheduled recheck does not start Python and Scrapy again.

``EngineService.crawl(source)`` is called from the scheduler's crawl threads: it writes the
source's name to the engine's stdin (``python -m crawler.engine --serve``) and waits for the end
of that crawl. The engine runs the crawls it is sent at the same time, each with its own run,
lock and failure. After ``max_crawls`` crawls it is retired (its input closed: it finishes what
it runs and exits) and the next crawl starts a fresh one. An engine that died (a crash, killed
over ``JAJAK_CRAWL_MAX_MEMORY_MB`` or for a crawl that outlived its timeout) is started again by
the next crawl; the crawls it was running are recorded as killed or crashed, with why, as
crawler.jobs.engines does for `jajak crawl`, and crawled again once in a fresh engine (not the one
that outlived its timeout, and not while the daemon stops): a crawl is not lost to a neighbour's
crash. ``stop(grace)`` ends the running engine when the daemon stops.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import subprocess
import threading
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from crawler.jobs.engines import CrawlResult, _check, _Engine, _launch, _read_back, _results

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from crawler.sources import Source

logger = logging.getLogger(__name__)

_NOT_STARTED = "not started: the crawl engine stopped"
_STOPPING = "not started: the daemon is stopping"


class EngineService:
    """One crawl engine child at a time, started on demand; crawl() may be called from threads."""

    def __init__(self, *, database_url: str, log_dir: Path, overrides: Sequence[str] = (),
                 parallel: int | None = None, timeout: float | None = None,
                 max_memory_mb: float | None = None, database_instance: str | None = None,
                 max_crawls: int = 0) -> None:
        self.database_url = database_url
        self.log_dir = log_dir
        self.overrides = list(overrides)
        self.parallel = parallel
        self.timeout = timeout
        self.max_memory_mb = max_memory_mb
        self.database_instance = database_instance
        self.max_crawls = max_crawls
        self.engine: _Engine | None = None
        self.started_engines = 0
        self.sent = 0  # crawls sent to the current engine
        self.stopping = False  # set by stop(): a crawl ended by a signal was stopped, not crashed
        self._children: list[subprocess.Popen[str]] = []  # every engine started, until it ended
        self._lock = threading.Lock()

    def _running_engine(self) -> _Engine:
        if self.engine is not None and self.max_crawls and self.sent >= self.max_crawls:
            self._retire(self.engine)
        if self.engine is None or self.engine.child.poll() is not None:
            self.sent = 0
            self.log_dir.mkdir(parents=True, exist_ok=True)
            self.engine = _launch([], self.overrides, self.parallel, self.timeout, self.database_url,
                                  self.database_instance, self.log_dir, echo=False, serve=True)
            self.started_engines += 1
            self._children = [c for c in self._children if c.poll() is None] + [self.engine.child]
        self.sent += 1
        return self.engine

    def _retire(self, engine: _Engine) -> None:
        """No more crawls for this engine: it ends the ones it runs, then exits."""
        self.engine = None
        if engine.child.stdin is not None:
            with contextlib.suppress(OSError):
                engine.child.stdin.close()

    def crawl(self, source: Source) -> CrawlResult:
        """Crawl one source in the engine and wait for the end of that crawl; once more in a
        fresh engine when the engine died under it."""
        result, engine_died = self._crawl_once(source)
        timed_out = self.timeout is not None and result.seconds >= self.timeout
        if engine_died and not timed_out and not self.stopping:
            logger.warning("%s: the crawl engine ended under this crawl (%s); crawling it again",
                           source.name, result.why or result.finish_reason)
            result, _ = self._crawl_once(source)
        return result

    def _crawl_once(self, source: Source) -> tuple[CrawlResult, bool]:
        """The crawl's result, and whether the engine ended while the crawl was under way."""
        since = datetime.now(UTC)
        with self._lock:
            if self.stopping:
                # A crawl that waited in the daemon's queue for a free slot when the stop came:
                # it must not start an engine again (the daemon waits for its crawl threads).
                return CrawlResult(source.name, 0, 0.0, finish_reason=_STOPPING, why=_STOPPING), False
            engine = self._running_engine()
            engine.ended.pop(source.name, None)
            stdin = engine.child.stdin
            assert stdin is not None
            try:
                stdin.write(f"{source.name}\n")
                stdin.flush()
            except OSError:  # it died just now: the wait below sees it
                pass
        while source.name not in engine.ended and engine.child.poll() is None:
            _check(engine, self.timeout, self.max_memory_mb)
            time.sleep(0.2)
        if source.name not in engine.ended:
            for thread in engine.threads:  # its last words may still be in the pipes
                thread.join(timeout=5)
        results = _results([source], engine, self.log_dir)
        died = source.name not in engine.ended
        engine.ended.pop(source.name, None)
        if source.name not in results:
            return CrawlResult(source.name, engine.child.returncode or 0, 0.0, finish_reason=_NOT_STARTED,
                               why=_NOT_STARTED), died
        _read_back([source], results, self.database_url, since, stopping=self.stopping)
        return results[source.name], died

    def stop(self, grace: float) -> None:
        """Ask every engine still running (retired ones finishing their crawls too) to finish
        its crawls (SIGTERM: Scrapy closes the spiders cleanly, the pipelines flush), then kill
        the ones still running after ``grace`` seconds; a crawl ended so is a shutdown, and is
        not crawled again."""
        with self._lock:
            self.stopping = True
            children = [c for c in self._children if c.poll() is None]  # retired ones included
        for child in children:
            child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for child in children:
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0))
            except subprocess.TimeoutExpired:
                child.kill()

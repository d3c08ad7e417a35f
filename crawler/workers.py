"""Worker processes for the CPU-bound stages (extract, classify), so one crawl uses both cores.

Scrapy runs everything on one thread; turning HTML into text and classifying it are the
CPU-heavy parts of a crawl and pure functions, so they run in worker processes while the
reactor keeps downloading. Each worker gets one call at a time through a pipe that the event
loop watches: no helper threads in the crawl process (concurrent.futures' threads fight the
reactor for the GIL and cost more than they save). With no workers configured, or when a
worker dies, the work runs in the crawl process. The crawl engine owns one pool and hands it to
every crawl it runs (`share`), so its many crawls share JAJAK_WORKER_PROCESSES workers instead of
starting that many each; a crawl started any other way (`scrapy crawl`, a test's crawler) gets a
pool of its own. Either stops its workers when the last crawl using it closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import subprocess
import sys
import weakref
from collections import deque
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from scrapy import signals

from crawler.children import die_with_parent
from crawler.config import Config
from crawler.memory import process_mb

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# A call: a module-level function (pickled by name), its positional and keyword arguments.
Job = tuple["Callable[..., Any]", tuple[Any, ...], dict[str, Any]]
_IN_FLIGHT = 2
_ATTRIBUTE = "jajak_workers"  # where a crawler carries the pool it was given


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    conn: Connection  # calls go out here
    answers: Connection  # results come back here
    # Calls sent and not yet answered, oldest first (the worker answers in order).
    busy: deque[tuple[int, asyncio.Future[Any], Job]] = field(default_factory=deque)


@dataclass
class ProcessWorkers:
    """``await workers.run(func, *args, **kwargs)``: in a worker process when there is one."""

    processes: int = 1
    _workers: list[_Worker] = field(default_factory=list)
    _queue: deque[tuple[int, asyncio.Future[Any], Job]] = field(default_factory=deque)
    _ids: Any = field(default_factory=itertools.count)
    _stats: Any = None

    _crawlers: weakref.WeakSet[Crawler] = field(default_factory=weakref.WeakSet)

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> ProcessWorkers:
        """The pool this crawl was given (`share`), else one of its own (JAJAK_WORKER_PROCESSES)
        that its pipelines share; each crawl's stats get the workers' peak memory."""
        pool: ProcessWorkers | None = getattr(crawler, _ATTRIBUTE, None)
        if pool is None:
            pool = cls(Config.of(crawler.settings).worker_processes)
            pool.share(crawler)
        if crawler not in pool._crawlers:
            pool._crawlers.add(crawler)
            crawler.signals.connect(pool._spider_closed, signal=signals.spider_closed)
        return pool

    def share(self, crawler: Crawler) -> None:
        """Give this pool to a crawl before it starts: its pipelines use it (the engine's)."""
        setattr(crawler, _ATTRIBUTE, self)

    def _spider_closed(self, spider: Any, **_: Any) -> None:
        self.release(spider.crawler)

    def release(self, crawler: Crawler) -> None:
        """This crawl is done with the pool: its stats get the workers' peak memory, and the
        workers stop when no other crawl of the process uses them."""
        if crawler not in self._crawlers:
            return
        self._crawlers.discard(crawler)
        self._stats = crawler.stats
        if self._crawlers:
            self._record()
            return
        self.close()  # the next crawl given this pool starts workers again on its first call

    async def run(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if self.processes <= 0:
            return func(*args, **kwargs)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._queue.append((next(self._ids), future, (func, args, kwargs)))
        # Workers start on demand: one for the first call, more only while calls pile up, so
        # a small incremental crawl pays for one interpreter start, a backfill uses them all.
        if not self._workers or (len(self._queue) > _IN_FLIGHT and len(self._workers) < self.processes):
            self._start(loop)
        self._dispatch()
        return await future

    def _start(self, loop: asyncio.AbstractEventLoop) -> None:
        # A fresh interpreter running only crawler.worker_process (not multiprocessing's
        # "spawn", which would re-import the parent's __main__, i.e. all of Scrapy); forking a
        # process that runs a reactor is not safe.
        calls_read, calls_write = os.pipe()
        answers_read, answers_write = os.pipe()
        process = subprocess.Popen(
            [sys.executable, "-m", "crawler.worker_process", str(calls_read), str(answers_write)],
            pass_fds=(calls_read, answers_write), stdin=subprocess.DEVNULL,
            preexec_fn=die_with_parent(),  # a killed crawl leaves no worker behind
        )
        os.close(calls_read)
        os.close(answers_write)
        worker = _Worker(process, Connection(calls_write, readable=False),
                         Connection(answers_read, writable=False))
        self._workers.append(worker)
        loop.add_reader(answers_read, self._on_result, worker)

    def _dispatch(self) -> None:
        for worker in self._workers:
            if not self._queue:
                return
            # Two calls in flight per worker: the next one waits in the pipe while the worker
            # answers the first, so the worker never idles on the event loop's round trip.
            while self._queue and len(worker.busy) < _IN_FLIGHT:
                job = self._queue.popleft()
                worker.busy.append(job)
                worker.conn.send((job[0], job[2]))

    def _on_result(self, worker: _Worker) -> None:
        try:
            job_id, ok, value = worker.answers.recv()
        except (EOFError, OSError):
            self._lost(worker)
            return
        assert worker.busy and worker.busy[0][0] == job_id
        _, future, (func, _, _) = worker.busy.popleft()
        if not future.done():
            if ok:
                future.set_result(value)
            else:
                future.set_exception(RuntimeError(f"{func.__name__} failed in a worker: {value}"))
        self._dispatch()

    def _lost(self, worker: _Worker) -> None:
        """A worker died (killed, out of memory): its page and the rest go in-process."""
        logger.warning("a worker process died; working in the crawl process from now on")
        asyncio.get_running_loop().remove_reader(worker.answers.fileno())
        self._workers.remove(worker)
        pending = list(worker.busy) + list(self._queue)
        self._queue.clear()
        self.close()
        self.processes = 0
        for _, future, (func, args, kwargs) in pending:
            if not future.done():
                try:
                    future.set_result(func(*args, **kwargs))
                except Exception as err:  # noqa: BLE001 - the item fails, not the crawl
                    future.set_exception(err)

    def _record(self) -> None:
        """The workers' peak memory into the stats of the crawl that ends."""
        if self._workers and self._stats is not None:
            peaks = [process_mb(w.process.pid) or 0.0 for w in self._workers]
            self._stats.set_value("jajak/memory/workers", len(peaks))
            self._stats.set_value("jajak/memory/workers_peak_mb", round(sum(peaks), 1))

    def close(self, *_: Any, **__: Any) -> None:
        """Stop the workers (idempotent); their peak memory goes into the crawl's stats."""
        self._record()
        for worker in self._workers:
            # no loop any more, or the pipe is already gone
            with contextlib.suppress(RuntimeError, ValueError, OSError):
                asyncio.get_event_loop().remove_reader(worker.answers.fileno())
            with contextlib.suppress(OSError):  # the worker is already gone
                worker.conn.send(None)
            try:
                worker.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
            worker.conn.close()
            worker.answers.close()
        self._workers.clear()

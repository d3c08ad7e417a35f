"""The crawl engine (crawl stage): one process, one Twisted reactor, many source crawls.

``python -m crawler.engine [--parallel N] [--timeout S] [-s NAME=VALUE] SOURCE...`` runs the crawls
of the named sources (``--serve``: of each source named on stdin, as the names come, until stdin
ends; the daemon's engine) in one Scrapy AsyncCrawlerProcess, at most N at a time
(JAJAK_CRAWL_CONCURRENCY), the next one starting as soon as one ends. Every crawl has a Crawler of
its own (stats, components, run record), holds its source's crawl lock while it runs, and ends on
its own: an exception in one crawl is recorded as that crawl's crash, and the others go on.
`jajak crawl` and the daemon start it as a child process (crawler.jobs): a process per crawl cost
about 2 s of CPU to start Python, import Scrapy and open the database; a crawl in a running engine
costs a few milliseconds more than its requests.

It says what happens on two streams: log lines on stderr, every line prefixed with the source it
belongs to and a tab (nothing before the tab for the engine's own lines), and one JSON line per
crawl on stdout, when it starts and when it ends (``CrawlEvent``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import json
import logging
import os
import sys
import threading
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from crawler.config import Config, ConfigError
from crawler.failures import WHY
from crawler.startup import apply_pairs, project_settings, start

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from scrapy.crawler import AsyncCrawlerProcess, Crawler
    from scrapy.settings import Settings

    from crawler.sources import Source
    from crawler.storage import Database

logger = logging.getLogger("crawler.engine")  # also when run as __main__

EXIT_CRASHED = 1  # of a crawl that raised, or was refused because its source is being crawled
EXIT_CONFIG = 2  # bad configuration, or a database that is not the daemon's
CRASHED = "crashed"
# The source a log record belongs to, for the records that do not name their spider.
_SOURCE: contextvars.ContextVar[str] = contextvars.ContextVar("jajak_source", default="")


@dataclass
class CrawlEvent:
    """One crawl started (``exit_code`` None) or ended, as the engine reports it on stdout."""

    source: str
    exit_code: int | None = None
    run_id: int | None = None
    seconds: float = 0.0
    why: str | None = None  # why it crashed or was refused

    def line(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def parse(cls, line: str) -> CrawlEvent | None:
        """The event of one stdout line; None for anything else."""
        try:
            data = json.loads(line)
            return cls(**data) if isinstance(data, dict) else None
        except (ValueError, TypeError):
            return None


class _SourceTagFormatter(logging.Formatter):
    """Every line of a record prefixed with its source and a tab (tracebacks included)."""

    def format(self, record: logging.LogRecord) -> str:
        spider = getattr(record, "spider", None)
        tag = str(getattr(spider, "source_arg", None) or _SOURCE.get())
        return "\n".join(f"{tag}\t{line}" for line in super().format(record).splitlines())


def _log_to_stderr(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_SourceTagFormatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT")))
    handler.setLevel(settings.get("LOG_LEVEL"))
    logging.root.addHandler(handler)
    logging.root.setLevel(logging.NOTSET)  # the handler's level decides, as with Scrapy's own


class CrawlEngine:
    """Runs source crawls in this process's reactor, at most ``concurrency`` at a time.

    ``report`` gets a CrawlEvent when a crawl starts and when it ends; ``full``: every crawl walks
    its source completely (``-a full=1``).
    """

    def __init__(self, settings: Settings, concurrency: int, report: Callable[[CrawlEvent], None],
                 full: bool = False) -> None:
        from scrapy.crawler import AsyncCrawlerProcess

        from crawler.storage import Database
        from crawler.workers import ProcessWorkers

        settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")  # ours tags the source
        self.process: AsyncCrawlerProcess = AsyncCrawlerProcess(settings)  # installs the reactor
        _log_to_stderr(settings)
        self.config = Config.of(settings)
        self.concurrency = max(concurrency, 1)
        self.report = report
        self.full = full
        # One database for all the crawls of this engine: their components share it
        # (crawler.crawl_database), so a crawl opens no engine and checks no schema of its own.
        self.database = Database(self.config.database_url)
        self.sessions = self.database.sessions
        # One pool of extract/classify workers for all the crawls of this engine.
        self.workers = ProcessWorkers(self.config.worker_processes)
        self.running: dict[str, Crawler] = {}
        self.stopping = False
        self._slots: asyncio.Semaphore | None = None
        self._when_stopped: Callable[[], None] | None = None  # serve(): end once idle

    def run(self, sources: Sequence[Source]) -> list[CrawlEvent]:
        """Crawl the sources and return when all have ended (or were not started after a stop)."""
        from scrapy.utils.ossignal import install_shutdown_handlers
        from twisted.internet import reactor

        ended: list[CrawlEvent] = []

        def begin() -> None:
            done = asyncio.ensure_future(self.crawl_all(sources, ended))
            done.add_done_callback(lambda _: reactor.stop())  # type: ignore[misc]
            install_shutdown_handlers(self._on_signal)

        reactor.callWhenRunning(begin)
        self.process.start(stop_after_crawl=False, install_signal_handlers=False)
        return ended

    async def crawl_all(self, sources: Sequence[Source], ended: list[CrawlEvent]) -> None:
        await asyncio.gather(*(self._one(source, ended) for source in sources))

    async def _one(self, source: Source, ended: list[CrawlEvent]) -> None:
        """One crawl as soon as a slot is free; not started when the engine is stopping."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.concurrency)
        async with self._slots:
            if self.stopping:
                return
            started = time.monotonic()
            try:
                ended.append(await self.crawl(source))
            # Nothing that goes wrong around one crawl (its database, its lock) stops another.
            except Exception as err:  # noqa: BLE001
                why = _one_line(err)
                logger.error("%s: not crawled: %s", source.name, why, exc_info=err)
                ended.append(self._ended(CrawlEvent(source.name, EXIT_CRASHED, why=why), started))

    def serve(self, lines: Iterable[str]) -> None:
        """Crawl each source named by a line (read in a thread: stdin) as it comes, the sources
        file read afresh each time, until the lines end and the crawls under way are done."""
        from scrapy.utils.ossignal import install_shutdown_handlers
        from twisted.internet import reactor

        tasks: set[asyncio.Future[None]] = set()
        ended: list[CrawlEvent] = []
        state = {"open": True}

        def finish_when_idle() -> None:
            if not tasks and (not state["open"] or self.stopping):
                reactor.stop()  # type: ignore[misc]

        def submit(name: str) -> None:
            try:
                (source,) = _sources(self.config, [name], self.database)
            except ConfigError as err:  # the source was removed from the file meanwhile
                self.report(CrawlEvent(name, EXIT_CONFIG, why=str(err)))
                return
            # Reading the added sources needs the database: when it is away (restarting), the
            # crawl ends as crashed here. Unreported, it left a fleet worker's consumer thread
            # waiting for this crawl's end until its time limit (an hour and more).
            except Exception as err:  # noqa: BLE001
                why = _one_line(err)
                logger.error("%s: not crawled: %s", name, why, exc_info=err)
                self.report(CrawlEvent(name, EXIT_CRASHED, why=why))
                return
            task = asyncio.ensure_future(self._one(source, ended))
            tasks.add(task)
            task.add_done_callback(done)

        def done(task: asyncio.Future[None]) -> None:
            tasks.discard(task)
            finish_when_idle()

        def closed() -> None:
            state["open"] = False
            finish_when_idle()

        def read() -> None:
            for line in lines:
                if line.strip():
                    reactor.callFromThread(submit, line.strip())
            reactor.callFromThread(closed)

        def begin() -> None:
            install_shutdown_handlers(self._on_signal)
            threading.Thread(target=read, name="jajak-engine-input", daemon=True).start()

        self._when_stopped = finish_when_idle
        reactor.callWhenRunning(begin)
        self.process.start(stop_after_crawl=False, install_signal_handlers=False)

    async def crawl(self, source: Source) -> CrawlEvent:
        """One crawl of one source, whatever happens in it: its end, as reported."""
        from crawler.storage import ensure_source
        from crawler.storage.identity import DatabaseGone, check_instance
        from crawler.storage.locks import LEFT_OPEN, SourceBusy, hold_source, record_refused

        _SOURCE.set(source.name)  # this task's log records, and those of the tasks it starts
        started = time.monotonic()
        self.report(CrawlEvent(source.name))
        # The first line of this crawl in its log (the engine's own start is in engine.log).
        logger.info("%s: crawl started in the crawl engine (pid %d, Scrapy %s)", source.name, os.getpid(),
                    _scrapy_version())
        try:
            if self.config.database_instance:  # a long-running engine's database may be replaced
                check_instance(self.config.database_url, self.config.database_instance)
            with self.sessions.begin() as session:
                source_id = ensure_source(session, source.name, source.url).id
            lock, closed = hold_source(self.sessions, source_id, {WHY: LEFT_OPEN})
        except SourceBusy as busy:
            logger.warning("%s: not crawled: %s", source.name, busy)
            run_id = record_refused(self.sessions, source_id, os.getpid(), {WHY: str(busy)})
            return self._ended(CrawlEvent(source.name, EXIT_CRASHED, run_id, why=str(busy)), started)
        except DatabaseGone as err:
            logger.error("%s: not crawled: %s", source.name, err)
            return self._ended(CrawlEvent(source.name, EXIT_CONFIG, why=str(err)), started)
        if closed:
            logger.warning("%s: %d earlier run(s) left open by a stopped crawl closed as interrupted",
                           source.name, closed)
        event = CrawlEvent(source.name, 0)
        try:
            event = await self._crawl_held(source, source_id)
        finally:
            lock.release()
        if lock.lost:
            logger.error("%s: the lock of this crawl was taken over by another process", source.name)
        return self._ended(event, started)

    async def _crawl_held(self, source: Source, source_id: int) -> CrawlEvent:
        from crawler.crawl_database import share
        from crawler.spiders.portal import PortalSpider

        crawler = self.process.create_crawler(PortalSpider)
        self.workers.share(crawler)
        share(crawler, self.database)
        self.running[source.name] = crawler
        try:
            await self.process.crawl(crawler, source=source, full=self.full)
        # An exception in one crawl, whatever it is, ends that crawl only; it is recorded as its
        # crash with its last line, and the log has the traceback.
        except Exception as err:  # noqa: BLE001
            why = _one_line(err)
            logger.error("%s: the crawl crashed: %s", source.name, why, exc_info=err)
            run_id = self._record_crash(crawler, source_id, why)
            return CrawlEvent(source.name, EXIT_CRASHED, run_id, why=why)
        finally:
            del self.running[source.name]
        stats = crawler._stats  # noqa: SLF001 - None when the crawl never started
        return CrawlEvent(source.name, 0, stats.get_value("jajak/run_id") if stats else None)

    def _record_crash(self, crawler: Crawler, source_id: int, why: str) -> int:
        """The crashed crawl's run, opened now if it never got that far, ends as crashed."""
        from crawler.storage import CrawlRun, close_counts, finish_run, start_run

        stats = crawler._stats  # noqa: SLF001 - None when the spider could not even be made
        run_id = stats.get_value("jajak/run_id") if stats else None
        with self.sessions.begin() as session:
            if run_id is None:
                run_id = start_run(session, source_id, os.getpid())
            run = session.get(CrawlRun, run_id)
            assert run is not None
            finish_run(session, run_id, **close_counts(session, run), errors=run.errors + 1,
                       finish_reason=CRASHED, channel=run.channel, stats={**(run.stats or {}), WHY: why})
        return int(run_id)

    def _ended(self, event: CrawlEvent, started: float) -> CrawlEvent:
        event.seconds = round(time.monotonic() - started, 2)
        self.report(event)
        return event

    def _on_signal(self, signum: int, _frame: Any) -> None:
        """First SIGTERM/SIGINT: start no more crawls, stop the running ones cleanly (each run
        ends as "shutdown"); a second one stops the reactor at once."""
        from scrapy.utils.ossignal import install_shutdown_handlers
        from twisted.internet import reactor

        install_shutdown_handlers(lambda *_: reactor.callFromThread(reactor.stop))  # type: ignore[misc]
        reactor.callFromThread(self._stop)

    def _stop(self) -> None:
        logger.info("stopping: no more crawls; %d running crawl(s) stop cleanly", len(self.running))
        self.stopping = True
        if self._when_stopped is not None:
            self._when_stopped()
        for crawler in self.running.values():
            # Closing the spider first makes "shutdown" its finish reason; Scrapy's own stop
            # cancels discovery first, and the crawl may then close as "finished".
            engine = crawler._engine  # noqa: SLF001 - None until the crawl has started
            if engine is not None and engine.spider is not None:
                asyncio.ensure_future(engine.close_spider_async(reason="shutdown"))
            else:
                asyncio.ensure_future(crawler.stop_async())


def _scrapy_version() -> str:
    import scrapy

    return str(scrapy.__version__)


def _one_line(err: BaseException) -> str:
    return " ".join(f"{type(err).__name__}: {err}".split())[:300]


def _sources(config: Config, names: Sequence[str], database: Database | None = None) -> list[Source]:
    from crawler.added_sources import load_all
    from crawler.sources import SourcesError, get_source

    try:
        sources = load_all(config.sources_file, database or config.database_url)
        return [get_source(sources, name) for name in names]
    except SourcesError as err:
        raise ConfigError(str(err)) from err


def main(argv: Sequence[str] | None = None) -> int:
    """Crawl the named sources in this process; exit 0, or 1 when a crawl crashed or was refused."""
    parser = argparse.ArgumentParser(prog="python -m crawler.engine", description=main.__doc__)
    parser.add_argument("names", nargs="*", metavar="SOURCE")
    parser.add_argument("--serve", action="store_true",
                        help="crawl the sources named on stdin, one per line, until stdin ends")
    parser.add_argument("--parallel", type=int, help="crawls at the same time (JAJAK_CRAWL_CONCURRENCY)")
    parser.add_argument("--timeout", type=float, help="seconds after which a crawl is stopped")
    parser.add_argument("--full", action="store_true", help="walk every source completely (-a full=1)")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    try:
        settings = project_settings()
        apply_pairs(settings, "-s", args.set)
        if args.timeout:
            settings.set("CLOSESPIDER_TIMEOUT", args.timeout, priority="cmdline")
        config = start(settings, database="write")
        sources = _sources(config, args.names)
        if not sources and not args.serve:
            raise ConfigError("no source named (SOURCE ... or --serve)")
    except ConfigError as err:
        print(f"\tjajak engine: error: {err}", file=sys.stderr)
        return EXIT_CONFIG

    def report(event: CrawlEvent) -> None:
        print(event.line(), flush=True)

    engine = CrawlEngine(settings, args.parallel or config.crawl_concurrency, report, full=args.full)
    try:
        if args.serve:
            engine.serve(sys.stdin)
            return 0
        ended = engine.run(sources)
    finally:
        engine.database.close()
    return EXIT_CRASHED if any(event.exit_code for event in ended) else 0


if __name__ == "__main__":
    sys.exit(main())

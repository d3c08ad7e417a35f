"""Crawl engine child processes (crawl stage): the crawls of many sources in one crawl engine
child process (crawler/engine.py), and the summary of what they did.

One engine runs them all in one reactor, so a recheck does not pay for a Python start, Scrapy's
import and the database's opening per source. It is a child process, so `jajak crawl` and the
daemon stay free of Twisted and a crash or a leak ends with it; it dies with its parent. The
parent shows its progress and problems per source, keeps each crawl's full log under var/logs/,
and reads the crawl_runs rows back at the end.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from crawler.children import die_with_parent
from crawler.engine import EXIT_CRASHED, CrawlEvent
from crawler.failures import FAILED, WHY, explain, log_tail
from crawler.memory import process_mb
from crawler.storage import (
    CrawlRun,
    Database,
    close_counts,
    ensure_source,
    finish_run,
    last_run,
    run_of,
    start_run,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from crawler.sources import Source

# Lines of a child's log worth showing live: ours (progress) and every warning or error.
_SHOWN = (" crawler.", " WARNING ", " ERROR ", " CRITICAL ")
# Scrapy logs every URL it gives up on (retries, robots.txt); jajak's own line says the same.
_SAID = (
    "scrapy.downloadermiddlewares.retry: Gave up retrying",
    "scrapy.downloadermiddlewares.robotstxt: Error downloading",
)
_CANNOT_FETCH = ": cannot fetch "


@dataclass
class CrawlResult:
    source: str
    exit_code: int
    seconds: float
    pages: int = 0
    new_articles: int = 0
    matches: int = 0
    errors: int = 0
    finish_reason: str = "no run recorded"
    channel: str | None = None
    why: str | None = None  # why it failed or was cut: "connection refused by x", a crash's last line
    failed: str | None = None  # a finished crawl's failed fetches: "2 failed fetches (timeout 2), last: ..."
    log: Path | None = None
    pid: int | None = None  # of the crawl process: its run row carries it
    run_id: int | None = None  # of its run row, when the engine said


def crawl_command(source: str, overrides: Sequence[str] = (), probe: Path | None = None,
                  full: bool = False) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", f"source={source}"]
    if probe is not None:
        command += ["-a", f"probe={probe}"]
    if full:  # walk every channel to its end and fetch every listed article again
        command += ["-a", "full=1"]
    for override in overrides:
        command += ["-s", override]
    return command


def engine_command(sources: Sequence[str], overrides: Sequence[str] = (), parallel: int | None = None,
                   timeout: float | None = None, serve: bool = False, full: bool = False) -> list[str]:
    """The crawl engine (crawler/engine.py) crawling these sources in one process (``serve``:
    those named on its stdin; ``full``: each re-walked completely, as ``-a full=1``)."""
    command = [sys.executable, "-m", "crawler.engine", *(["--serve"] if serve else []),
               *(["--full"] if full else [])]
    if parallel is not None:
        command += ["--parallel", str(parallel)]
    if timeout is not None:
        command += ["--timeout", str(timeout)]
    for override in overrides:
        command += ["-s", override]
    return [*command, "--", *sources]


class _Relay:
    """The engine's log lines, each tagged with its source: into that crawl's log file; the
    terminal gets jajak's lines and warnings, but a site that does not answer is one line there,
    not one per URL and retry (the log has them all)."""

    def __init__(self, log_dir: Path, echo: bool) -> None:
        self.log_dir = log_dir
        self.echo = echo
        self.logs: dict[str, IO[str]] = {}
        self.failed: dict[str, int] = {}
        self.told: dict[str, int] = {}

    def log_path(self, name: str) -> Path:
        return self.log_dir / (f"crawl-{name}.log" if name else "engine.log")

    def run(self, stream: IO[str]) -> None:
        try:
            for tagged in stream:
                name, tab, line = tagged.partition("\t")
                if not tab:  # not the engine's logging (a crash of the interpreter itself)
                    name, line = "", tagged
                self.line(name, line)
        finally:
            for log in self.logs.values():
                log.close()

    def line(self, name: str, line: str) -> None:
        if name not in self.logs:
            self.logs[name] = self.log_path(name).open("a", encoding="utf-8")
        self.logs[name].write(line)
        self.logs[name].flush()
        if not self.echo or not any(marker in line for marker in _SHOWN) or any(m in line for m in _SAID):
            return
        failed, told = self.failed.get(name, 0), self.told.get(name, 0)
        if _CANNOT_FETCH in line:
            self.failed[name] = failed = failed + 1
            if failed > 1:
                return
            self.told[name] = 1
        elif failed > told and " crawler.runs: " in line:
            sys.stderr.write(f"[{name}] ... and {failed - told} more pages that could not be fetched "
                             f"(see {self.log_path(name)})\n")
            self.told[name] = failed
        sys.stderr.write(f"[{name or 'engine'}] {line.split(' ', 2)[-1]}")
        sys.stderr.flush()


_INTERRUPT_GRACE = 30.0  # seconds crawls get to stop cleanly after a Ctrl-C of `jajak crawl`
_TIMEOUT_GRACE = 120.0  # seconds past its timeout after which a crawl that did not stop is killed


@dataclass
class _Engine:
    """The running engine process and what it said so far."""

    child: subprocess.Popen[str]
    threads: list[threading.Thread] = field(default_factory=list)
    started: dict[str, float] = field(default_factory=dict)  # crawls under way: when they began
    ended: dict[str, CrawlEvent] = field(default_factory=dict)
    killed: str | None = None  # why we ended it: "timeout", "memory limit"

    def read_events(self, stream: IO[str]) -> None:
        for line in stream:
            event = CrawlEvent.parse(line)
            if event is None:
                continue
            if event.exit_code is None:
                self.started[event.source] = time.monotonic()
            else:
                self.started.pop(event.source, None)
                self.ended[event.source] = event

    def kill(self, why: str) -> None:
        if self.child.poll() is None and self.killed is None:
            self.killed = why
            self.child.kill()


def run_crawls(
    sources: Sequence[Source],
    *,
    database_url: str,
    log_dir: Path,
    overrides: Sequence[str] = (),
    parallel: int | None = None,
    echo: bool = True,
    timeout: float | None = None,
    max_memory_mb: float | None = None,
    database_instance: str | None = None,
    full: bool = False,
) -> list[CrawlResult]:
    """Crawl the sources in one crawl engine process (crawler/engine.py), at most ``parallel``
    at a time (default JAJAK_CRAWL_CONCURRENCY).

    A crawl running longer than ``timeout`` seconds is stopped by the engine (its run ends as
    closespider_timeout); one still running long after that, or an engine using more than
    ``max_memory_mb`` of resident memory, is killed with the engine: the crawls it was running
    are recorded as killed, with why. With ``database_instance`` (the daemon's), the engine
    refuses a database that is not that one (deleted or replaced). ``full`` re-walks each source
    completely (``-a full=1``).
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    launched_at = datetime.now(UTC)
    engine = _launch(sources, overrides, parallel, timeout, database_url, database_instance, log_dir, echo,
                     full=full)
    interrupted_at: float | None = None
    while engine.child.poll() is None:
        try:
            _check(engine, timeout, max_memory_mb)
            time.sleep(0.1)
        except KeyboardInterrupt:
            # Ctrl-C: crawls not started are dropped, running ones stop cleanly (the engine is in
            # a process group of its own, so this one SIGINT is all it gets); a second Ctrl-C, or
            # _INTERRUPT_GRACE seconds, ends it at once.
            if interrupted_at is None:
                engine.child.send_signal(signal.SIGINT)
            else:
                engine.kill("stopped by a second Ctrl-C")
            interrupted_at = interrupted_at or time.monotonic()
        if interrupted_at is not None and time.monotonic() - interrupted_at > _INTERRUPT_GRACE:
            engine.kill(f"not stopped {_INTERRUPT_GRACE:.0f} s after Ctrl-C")
    for thread in engine.threads:
        thread.join(timeout=5)
    results = _results(sources, engine, log_dir)
    _read_back([s for s in sources if s.name in results], results, database_url, launched_at)
    if interrupted_at is not None:
        raise KeyboardInterrupt
    return [results[s.name] for s in sources if s.name in results]


def _launch(sources: Sequence[Source], overrides: Sequence[str], parallel: int | None, timeout: float | None,
            database_url: str, database_instance: str | None, log_dir: Path, echo: bool,
            serve: bool = False, full: bool = False) -> _Engine:
    child = subprocess.Popen(
        engine_command([s.name for s in sources], [*overrides, "LOG_LEVEL=INFO"], parallel, timeout, serve, full),
        # The engine finds jajak's settings wherever it is started from (no scrapy.cfg),
        # and is told which database to use, not left to find one.
        env={**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings", "JAJAK_DATABASE_URL": database_url,
             **({"JAJAK_DATABASE_INSTANCE": database_instance} if database_instance else {})},
        stdin=subprocess.PIPE if serve else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        # Killed with this process, even by SIGKILL (no orphan crawl goes on alone); in a
        # process group of its own, so a terminal's Ctrl-C reaches it only through us, once.
        preexec_fn=die_with_parent(),
        process_group=0,
    )
    assert child.stdout is not None and child.stderr is not None
    engine = _Engine(child)
    relay = _Relay(log_dir, echo)
    engine.threads = [threading.Thread(target=relay.run, args=(child.stderr,), daemon=True),
                      threading.Thread(target=engine.read_events, args=(child.stdout,), daemon=True)]
    for thread in engine.threads:
        thread.start()
    return engine


def _check(engine: _Engine, timeout: float | None, max_memory_mb: float | None) -> None:
    """Kill an engine past its limits: a crawl that outlived its timeout, or memory."""
    now = time.monotonic()
    if timeout is not None and any(now - began > timeout + _TIMEOUT_GRACE for began in engine.started.values()):
        engine.kill(f"timeout after {timeout:.0f} s")
    elif max_memory_mb and (process_mb(engine.child.pid, "VmRSS") or 0) > max_memory_mb:
        engine.kill(f"memory limit ({max_memory_mb:.0f} MB)")


def _results(sources: Sequence[Source], engine: _Engine, log_dir: Path) -> dict[str, CrawlResult]:
    """A result per crawl the engine started (every source, unless it was stopped early)."""
    now = time.monotonic()
    code = engine.child.returncode
    results: dict[str, CrawlResult] = {}
    for source in sources:
        log = log_dir / f"crawl-{source.name}.log"
        event = engine.ended.get(source.name)
        if event is not None:
            results[source.name] = CrawlResult(source.name, event.exit_code or 0, event.seconds, log=log,
                                               pid=engine.child.pid, run_id=event.run_id, why=event.why)
        elif source.name in engine.started or (code and not engine.ended and not engine.started):
            # Under way when the engine ended, or never begun by an engine that failed at start.
            began = engine.started.get(source.name, now)
            result = CrawlResult(source.name, code or EXIT_CRASHED, round(now - began, 1), log=log,
                                 pid=engine.child.pid)
            if engine.killed:
                result.finish_reason = f"killed: {engine.killed}"
                result.why = engine.killed
            results[source.name] = result
    return results


def _read_back(
    sources: Sequence[Source], results: dict[str, CrawlResult], database_url: str, since: datetime,
    stopping: bool = False,
) -> None:
    """Fill the results from the crawl_runs rows; a crawl whose engine died (crash, kill) has no
    end in its row, or no row at all: record how it ended, so status and health see it
    (``stopping``: its engine was stopped with the daemon, so a signal's end is a shutdown)."""
    with Database(database_url) as database, database.begin() as session:
        for source in sources:
            result = results[source.name]
            source_id = ensure_source(session, source.name, source.url).id
            # This crawl's own row: another process may be crawling the same source meanwhile.
            run = (session.get(CrawlRun, result.run_id) if result.run_id is not None
                   else run_of(session, source_id, result.pid, since) if result.pid is not None
                   else last_run(session, source_id, refused=True))
            if run is None or run.started_at < since:
                if result.exit_code == 0:
                    continue
                run = session.get(CrawlRun, start_run(session, source_id, pid=0))
                assert run is not None  # the row start_run() has just added
            if run.finished_at is None:
                why = result.why
                if result.finish_reason.startswith("killed"):
                    reason = result.finish_reason
                elif stopping and result.exit_code < 0:
                    reason = "shutdown"  # ended by the daemon's own SIGTERM/SIGKILL on stop
                    why = "stopped with the daemon"
                else:
                    reason = f"crashed (exit {result.exit_code})" if result.exit_code else "interrupted"
                    # The engine's last words on this crawl: an exception's last line, or its error.
                    why = why or (log_tail(result.log) if result.log else None) or reason
                stats = {**(run.stats or {}), WHY: why} if why else run.stats
                # what it stored before it died counts (its row is written at the end only)
                finish_run(session, run.id, **close_counts(session, run), errors=run.errors + 1,
                           finish_reason=reason, channel=run.channel, stats=stats)
            result.pages = run.pages
            result.new_articles = run.new_articles
            result.matches = run.matches
            result.errors = run.errors
            result.finish_reason = run.finish_reason or "interrupted"
            result.channel = run.channel
            result.why = (run.stats or {}).get(WHY) or result.why
            result.failed = (run.stats or {}).get(FAILED)


def why_lines(results: Sequence[CrawlResult]) -> list[str]:
    """One line per crawl that failed or was cut (its reason) or finished with failed fetches
    (which and how many), and where its full log is."""
    return [explain(r.source, r.finish_reason, r.why, r.log) if r.finish_reason != "finished" or r.exit_code != 0
            else explain(r.source, r.finish_reason, r.failed, r.log)
            for r in results if r.finish_reason != "finished" or r.exit_code != 0 or r.failed]


def summary_table(results: Sequence[CrawlResult]) -> str:
    header = ("source", "pages", "new", "matches", "errors", "seconds", "channel", "result")
    rows = [
        (
            r.source, str(r.pages), str(r.new_articles), str(r.matches), str(r.errors),
            f"{r.seconds:.1f}", r.channel or "-",
            r.finish_reason if r.exit_code == 0 or "exit" in r.finish_reason
            else f"{r.finish_reason} (exit {r.exit_code})",
        )
        for r in results
    ]
    reasons = why_lines(results)
    return format_table(header, rows) + ("\n\n" + "\n".join(reasons) if reasons else "")


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows, strict=False)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=False)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)).rstrip() for row in rows]
    return "\n".join(lines)

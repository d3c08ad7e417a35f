"""What runs: one `scrapy crawl` child process per source, and the summary of what they did.

A fresh process per crawl (as scrapyd does) avoids Twisted's non-restartable reactor, isolates
crashes and leaks, and lets crawls use both cores. The parent shows the children's progress and
problems, keeps each full log under var/logs/, and reads the crawl_runs rows back at the end.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from crawler.children import die_with_parent
from crawler.failures import FAILED, WHY, explain, log_tail
from crawler.memory import process_mb
from crawler.storage import (
    CrawlRun,
    close_counts,
    ensure_source,
    finish_run,
    last_run,
    open_database,
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


def _relay(stream: IO[str], name: str, log_path: Path, echo: bool) -> None:
    """Everything into the crawl's log; the terminal gets jajak's lines and warnings, but a site
    that does not answer is one line there, not one per URL and retry (the log has them all)."""
    failed = told = 0
    with log_path.open("a", encoding="utf-8") as log:
        for line in stream:
            log.write(line)
            if not echo or not any(marker in line for marker in _SHOWN) or any(m in line for m in _SAID):
                continue
            if _CANNOT_FETCH in line:
                failed += 1
                if failed > 1:
                    continue
                told = 1
            elif failed > told and " crawler.runs: " in line:
                sys.stderr.write(f"[{name}] ... and {failed - told} more pages that could not be fetched "
                                 f"(see {log_path})\n")
                told = failed
            sys.stderr.write(f"[{name}] {line.split(' ', 2)[-1]}")
            sys.stderr.flush()


# Crawl children of this process, so a shutting-down daemon can stop them gracefully.
_CHILDREN: set[subprocess.Popen[str]] = set()
_CHILDREN_LOCK = threading.Lock()
_STOPPING = False  # set by stop_children: a child ended by a signal was stopped, not crashed
_INTERRUPT_GRACE = 30.0  # seconds crawls get to stop cleanly after a Ctrl-C of `jajak crawl`


def stop_children(grace: float) -> None:
    """Ask every running crawl to finish (SIGTERM: Scrapy closes the spider cleanly, the
    pipelines flush), then kill the ones still running after ``grace`` seconds."""
    global _STOPPING
    _STOPPING = True
    with _CHILDREN_LOCK:
        children = list(_CHILDREN)
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace
    for child in children:
        try:
            child.wait(timeout=max(deadline - time.monotonic(), 0))
        except subprocess.TimeoutExpired:
            child.kill()


@dataclass
class _Running:
    source: Source
    child: subprocess.Popen[str]
    started: float
    relay: threading.Thread
    killed: str | None = None  # why we ended it: "timeout", "memory limit"


def run_crawls(
    sources: Sequence[Source],
    *,
    database_url: str,
    log_dir: Path,
    overrides: Sequence[str] = (),
    parallel: int = 2,
    echo: bool = True,
    timeout: float | None = None,
    max_memory_mb: float | None = None,
    database_instance: str | None = None,
    full: bool = False,
) -> list[CrawlResult]:
    """Crawl each source in its own process, at most ``parallel`` at a time.

    A crawl running longer than ``timeout`` seconds or using more than ``max_memory_mb`` of
    resident memory is killed; its crawl_runs row then says why. With ``database_instance``
    (the daemon's), a child refuses a database that is not that one (deleted or replaced).
    ``full`` re-walks each source completely (``-a full=1``).
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    database_env = {"JAJAK_DATABASE_INSTANCE": database_instance} if database_instance else {}
    pending = list(sources)
    running: dict[str, _Running] = {}
    results: dict[str, CrawlResult] = {}
    launched_at = datetime.now(UTC)
    interrupted_at: float | None = None
    while pending or running:
        try:
            while pending and len(running) < max(parallel, 1):
                source = pending.pop(0)
                running[source.name] = _launch(source, overrides, database_url, database_env, log_dir, echo,
                                               full)
            for name, run in list(running.items()):
                if (result := _check(run, timeout, max_memory_mb, log_dir)) is not None:
                    results[name] = result
                    del running[name]
            time.sleep(0.1)
        except KeyboardInterrupt:
            # Ctrl-C: crawls not started are dropped, running ones stop cleanly (they are in
            # process groups of their own, so this one SIGINT is all they get); a second
            # Ctrl-C, or _INTERRUPT_GRACE seconds, ends them at once.
            pending.clear()
            for run in running.values():
                if interrupted_at is None:
                    run.child.send_signal(signal.SIGINT)
                else:
                    _kill(run, "stopped by a second Ctrl-C")
            interrupted_at = interrupted_at or time.monotonic()
        if interrupted_at is not None and time.monotonic() - interrupted_at > _INTERRUPT_GRACE:
            for run in running.values():
                _kill(run, f"not stopped {_INTERRUPT_GRACE:.0f} s after Ctrl-C")
    _read_back([s for s in sources if s.name in results], results, database_url, launched_at)
    if interrupted_at is not None:
        raise KeyboardInterrupt
    return [results[s.name] for s in sources]


def _kill(run: _Running, why: str) -> None:
    if run.child.poll() is None and run.killed is None:
        run.killed = why
        run.child.kill()


def _launch(source: Source, overrides: Sequence[str], database_url: str, database_env: dict[str, str],
            log_dir: Path, echo: bool, full: bool = False) -> _Running:
    child = subprocess.Popen(
        crawl_command(source.name, [*overrides, "LOG_LEVEL=INFO"], full=full),
        # The child finds jajak's settings wherever it is started from (no scrapy.cfg),
        # and is told which database to use, not left to find one.
        env={**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings",
             "JAJAK_DATABASE_URL": database_url, **database_env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        # Killed with this process, even by SIGKILL (no orphan crawl goes on alone); in a
        # process group of its own, so a terminal's Ctrl-C reaches it only through us, once.
        preexec_fn=die_with_parent(),
        process_group=0,
    )
    with _CHILDREN_LOCK:
        _CHILDREN.add(child)
    assert child.stderr is not None
    relay = threading.Thread(
        target=_relay,
        args=(child.stderr, source.name, log_dir / f"crawl-{source.name}.log", echo),
        daemon=True,
    )
    relay.start()
    return _Running(source, child, time.monotonic(), relay)


def _check(run: _Running, timeout: float | None, max_memory_mb: float | None, log_dir: Path) -> CrawlResult | None:
    """Kill a crawl past its limits; the result of one that has ended (None while it runs)."""
    name = run.source.name
    elapsed = time.monotonic() - run.started
    if run.child.poll() is None and run.killed is None:
        if timeout is not None and elapsed > timeout:
            run.killed = f"timeout after {timeout:.0f} s"
        elif max_memory_mb and (process_mb(run.child.pid, "VmRSS") or 0) > max_memory_mb:
            run.killed = f"memory limit ({max_memory_mb:.0f} MB)"
        if run.killed:
            run.child.kill()
    if run.child.poll() is None:
        return None
    run.relay.join(timeout=5)
    with _CHILDREN_LOCK:
        _CHILDREN.discard(run.child)
    result = CrawlResult(name, run.child.returncode, round(elapsed, 1), log=log_dir / f"crawl-{name}.log",
                         pid=run.child.pid)
    if run.killed:
        result.finish_reason = f"killed: {run.killed}"
        result.why = run.killed
    return result


def _read_back(
    sources: Sequence[Source], results: dict[str, CrawlResult], database_url: str, since: datetime
) -> None:
    """Fill the results from the crawl_runs rows; a crawl that died (crash, kill) has no end in
    its row, or no row at all: record how it ended, so status and health see it."""
    sessions = open_database(database_url)
    with sessions.begin() as session:
        for source in sources:
            result = results[source.name]
            source_id = ensure_source(session, source.name, source.url).id
            # This crawl's own row: another process may be crawling the same source meanwhile.
            run = (run_of(session, source_id, result.pid, since) if result.pid is not None
                   else last_run(session, source_id, refused=True))
            if run is None or run.started_at < since:
                if result.exit_code == 0:
                    continue
                run = session.get(CrawlRun, start_run(session, source_id, pid=0))
            if run.finished_at is None:
                why = result.why
                if result.finish_reason.startswith("killed"):
                    reason = result.finish_reason
                elif _STOPPING and result.exit_code < 0:
                    reason = "shutdown"  # ended by the daemon's own SIGTERM/SIGKILL on stop
                    why = "stopped with the daemon"
                else:
                    reason = f"crashed (exit {result.exit_code})" if result.exit_code else "interrupted"
                    # The child's last words: an exception's last line, or its one-line error.
                    why = (log_tail(result.log) if result.log else None) or reason
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

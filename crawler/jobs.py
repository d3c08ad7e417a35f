"""What runs: one `scrapy crawl` child process per source, and the summary of what they did.

A fresh process per crawl (as scrapyd does) avoids Twisted's non-restartable reactor, isolates
crashes and leaks, and lets crawls use both cores. The parent shows the children's progress and
problems, keeps each full log under var/logs/, and reads the crawl_runs rows back at the end.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from crawler.storage import ensure_source, last_run, open_database

if TYPE_CHECKING:
    from collections.abc import Sequence

    from crawler.sources import Source

# Lines of a child's log worth showing live: ours (progress) and every warning or error.
_SHOWN = (" crawler.", " WARNING ", " ERROR ", " CRITICAL ")


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


def crawl_command(source: str, overrides: Sequence[str] = (), probe: Path | None = None) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", f"source={source}"]
    if probe is not None:
        command += ["-a", f"probe={probe}"]
    for override in overrides:
        command += ["-s", override]
    return command


def _relay(stream: IO[str], name: str, log_path: Path, echo: bool) -> None:
    with log_path.open("a", encoding="utf-8") as log:
        for line in stream:
            log.write(line)
            if echo and any(marker in line for marker in _SHOWN):
                sys.stderr.write(f"[{name}] {line.split(' ', 2)[-1]}")
                sys.stderr.flush()


def run_crawls(
    sources: Sequence[Source],
    *,
    database_url: str,
    log_dir: Path,
    overrides: Sequence[str] = (),
    parallel: int = 2,
    echo: bool = True,
    timeout: float | None = None,
) -> list[CrawlResult]:
    """Crawl each source in its own process, at most ``parallel`` at a time."""
    log_dir.mkdir(parents=True, exist_ok=True)
    pending = list(sources)
    running: dict[str, tuple[subprocess.Popen[str], float, threading.Thread]] = {}
    results: dict[str, CrawlResult] = {}
    launched_at = datetime.now(UTC)
    while pending or running:
        while pending and len(running) < max(parallel, 1):
            source = pending.pop(0)
            child = subprocess.Popen(
                crawl_command(source.name, [*overrides, "LOG_LEVEL=INFO"]),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="replace",
            )
            assert child.stderr is not None
            relay = threading.Thread(
                target=_relay,
                args=(child.stderr, source.name, log_dir / f"crawl-{source.name}.log", echo),
                daemon=True,
            )
            relay.start()
            running[source.name] = (child, time.monotonic(), relay)
        for name, (child, started, relay) in list(running.items()):
            elapsed = time.monotonic() - started
            if child.poll() is None and timeout is not None and elapsed > timeout:
                child.kill()
            if child.poll() is not None:
                relay.join(timeout=5)
                results[name] = CrawlResult(name, child.returncode, round(elapsed, 1))
                del running[name]
        time.sleep(0.1)
    _read_back(sources, results, database_url, launched_at)
    return [results[s.name] for s in sources]


def _read_back(
    sources: Sequence[Source], results: dict[str, CrawlResult], database_url: str, since: datetime
) -> None:
    sessions = open_database(database_url)
    with sessions.begin() as session:
        for source in sources:
            result = results[source.name]
            run = last_run(session, ensure_source(session, source.name, source.url).id)
            if run is None or run.started_at < since:
                continue
            result.pages = run.pages
            result.new_articles = run.new_articles
            result.matches = run.matches
            result.errors = run.errors
            result.finish_reason = run.finish_reason or "interrupted"
            result.channel = run.channel


def summary_table(results: Sequence[CrawlResult]) -> str:
    header = ("source", "pages", "new", "matches", "errors", "seconds", "channel", "result")
    rows = [
        (
            r.source, str(r.pages), str(r.new_articles), str(r.matches), str(r.errors),
            f"{r.seconds:.1f}", r.channel or "-",
            r.finish_reason if r.exit_code == 0 else f"{r.finish_reason} (exit {r.exit_code})",
        )
        for r in results
    ]
    return format_table(header, rows)


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows, strict=False)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=False)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)).rstrip() for row in rows]
    return "\n".join(lines)

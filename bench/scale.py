"""Many machines on one: a fleet of generated local portals crawled by 1, 2 and 4 `jajak worker`
processes sharing one Redis queue and one PostgreSQL database (README "Many machines").

For each worker count: a fresh PostgreSQL schema and a throwaway redis-server; every portal is
queued once (first crawl: every article new) and once more (recheck: nothing changed). Prints,
per phase, articles/s, checks/s (source crawls ended per second), CPU seconds per check (the
workers and their extraction processes) and the peak resident memory of the workers; --record
appends the rows to bench/RESULTS.md. The portals are served by one helper process
(`--serve N`), so they share its CPU with the workers: on a small machine the figures say how
the fleet scales there, not what separate machines would do.

    python bench/scale.py [--portals 200] [--articles 5] [--workers 1 2 4] [--record]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere
POSTGRES_URL = os.environ.get("JAJAK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
FAST = ("DOWNLOAD_DELAY=0 AUTOTHROTTLE_ENABLED=False CONCURRENT_REQUESTS_PER_DOMAIN=8 "
        "LOG_LEVEL=WARNING JAJAK_PROGRESS_INTERVAL=0")
TICK = os.sysconf("SC_CLK_TCK")


def serve(portals: int, articles: int) -> None:
    """The helper process: ``portals`` generated portals, their URLs on stdout, until killed."""
    from crawler.demo import load_articles
    from crawler.demo.server import PortalServer
    from crawler.demo.themes import build_site

    stories = load_articles()
    themes = ("wp-magazine", "wp-news", "numeric")
    for n in range(portals):
        server = PortalServer().start()
        chosen = [stories[(n + i) % len(stories)] for i in range(articles)]
        server.set_site(build_site(themes[n % len(themes)], chosen, server.url))
        print(server.url, flush=True)
    print("ready", flush=True)
    signal.sigwait({signal.SIGTERM})


def _tree(pid: int) -> list[int]:
    """The process and its descendants (the worker and its extraction processes)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def _cpu(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return total / TICK


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Phase:
    workers: int
    name: str
    seconds: float
    articles: int
    checks: int
    cpu: float
    peak_mb: float

    def row(self) -> str:
        return (f"| {self.workers} | {self.name} | {self.checks} | {self.seconds:.1f} | "
                f"{self.articles / self.seconds:.1f} | {self.checks / self.seconds:.2f} | "
                f"{1000 * self.cpu / self.checks:.0f} | {self.peak_mb:.0f} |")


def run_fleet(count: int, urls: list[str], home: Path) -> list[Phase]:
    import sqlalchemy as sa
    from sqlalchemy import func, select

    from crawler.fleet.queue import send_crawls
    from crawler.storage import Article, CrawlRun, open_database

    schema = f"jajak_scale_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    database_url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    port = _free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--dir", str(home)], stdout=subprocess.DEVNULL)
    broker_url = f"redis://127.0.0.1:{port}/0"
    sources = home / f"sources-{count}.yaml"
    names = [f"portal{n:03d}" for n in range(len(urls))]
    sources.write_text("sources:\n" + "".join(f"  - name: {name}\n    url: {url}/\n"
                                              for name, url in zip(names, urls, strict=True)))
    env = {**os.environ, "JAJAK_HOME": str(home), "JAJAK_SOURCES": str(sources),
           "JAJAK_DATABASE_URL": database_url, "JAJAK_BROKER_URL": broker_url,
           "JAJAK_HTTPCACHE_DIR": str(home / f"httpcache-{count}"), "JAJAK_CRAWL_OVERRIDES": FAST,
           "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
    sessions = open_database(database_url)  # the schema, before the workers start
    workers = [subprocess.Popen([sys.executable, "-m", "crawler.cli", "worker"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=(home / f"worker-{count}-{n}.log").open("w"))
               for n in range(count)]
    phases = []
    try:
        time.sleep(3)  # the workers' start (imports, database check) is not part of a phase
        for round_, name in ((1, "first crawl"), (2, "recheck")):
            pids = [pid for worker in workers for pid in _tree(worker.pid)]
            cpu_before, peak = _cpu(pids), 0.0
            with sessions() as session:
                articles_before = session.scalar(select(func.count(Article.id))) or 0
            started = time.monotonic()
            send_crawls(broker_url, 60, names)
            while True:
                pids = [pid for worker in workers for pid in _tree(worker.pid)]
                peak = max(peak, _rss_mb(pids))
                with sessions() as session:
                    ended = session.scalar(select(func.count(CrawlRun.id)).where(CrawlRun.finished_at.is_not(None)))
                if (ended or 0) >= round_ * len(names):
                    break
                if any(worker.poll() is not None for worker in workers):
                    raise SystemExit(f"a worker stopped: see {home}/worker-{count}-*.log")
                time.sleep(0.5)
            seconds = time.monotonic() - started
            with sessions() as session:
                articles = (session.scalar(select(func.count(Article.id))) or 0) - articles_before
            phases.append(Phase(count, name, seconds, articles, len(names), _cpu(pids) - cpu_before, peak))
            print(phases[-1].row(), flush=True)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)
        redis.terminate()
        redis.wait(timeout=10)
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return phases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--portals", type=int, default=200)
    parser.add_argument("--articles", type=int, default=5, help="articles per portal")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--record", action="store_true", help="append the results to bench/RESULTS.md")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.articles)
        return 0
    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is needed (the bench runs its own)")
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(args.portals), "--articles",
                               str(args.articles)], stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    urls = []
    while (line := server.stdout.readline().strip()) != "ready":
        urls.append(line)
    phases: list[Phase] = []
    print("| workers | phase | checks | seconds | articles/s | checks/s | CPU ms/check | peak MB (workers) |")
    print("|---|---|---|---|---|---|---|---|")
    try:
        with tempfile.TemporaryDirectory(prefix="jajak-scale-") as home:
            for count in args.workers:
                phases += run_fleet(count, urls, Path(home))
    finally:
        server.terminate()
        server.wait(timeout=10)
    if args.record:
        head = (f"| {datetime.now(UTC):%Y-%m-%d} | {platform.python_version()} | {os.cpu_count()} | "
                f"{args.portals} x {args.articles} ")
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as results:
            results.write("\n" + "\n".join(head + phase.row() for phase in phases) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Crawl throughput and memory: `jajak crawl` against a do-nothing Scrapy spider.

Serves a generated portal of N articles (default 5,000) on 127.0.0.1 from memory in its own
process, then runs 1. the baseline spider (bench/baseline_spider.py: stock Scrapy settings, reads
the sitemaps, fetches every article, does nothing with it) and 2. `jajak crawl` (fetch + extract
+ classify + store into a fresh SQLite database, jajak's settings), one after the other, both
with the same concurrency and no politeness delay (the portal is ours, on loopback). Prints articles/s
of both, the ratio and
the peak resident memory (VmHWM) of each crawl process; --record appends a row to
bench/RESULTS.md.

    python bench/crawl.py [--articles 5000] [--record]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNLEASHED = [
    "DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS=32",
    "CONCURRENT_REQUESTS_PER_DOMAIN=32", "ROBOTSTXT_OBEY=False", "LOG_LEVEL=WARNING",
    "JAJAK_PROGRESS_INTERVAL=0",
]


def timed(command: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, str]:
    started = time.monotonic()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        print(done.stdout, done.stderr, sep="\n", file=sys.stderr)
        raise SystemExit(f"command failed ({done.returncode}): {' '.join(command)}")
    return seconds, done.stdout + done.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--record", action="store_true", help="append the results to bench/RESULTS.md")
    args = parser.parse_args()

    server = subprocess.Popen(
        [sys.executable, "-m", "crawler.demo.server", "--theme", "wp-magazine",
         "--articles", str(args.articles), "--seed", "1"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert server.stdout is not None
        url = re.search(r"(http://\S+?)/?$", server.stdout.readline().strip()).group(1)
        print(f"portal of {args.articles} articles at {url}", file=sys.stderr)
        with tempfile.TemporaryDirectory(prefix="jajak-bench-") as tmp:
            home = Path(tmp)
            (home / "sources.yaml").write_text(f"sources:\n  - name: bench\n    url: {url}/\n")
            database = f"sqlite:///{home / 'bench.db'}"
            env = {
                **os.environ, "JAJAK_HOME": tmp, "JAJAK_SOURCES": str(home / "sources.yaml"),
                "JAJAK_DATABASE_URL": database, "JAJAK_HTTPCACHE_DIR": str(home / "httpcache"),
                "SCRAPY_SETTINGS_MODULE": "crawler.settings",
            }
            settings = [arg for s in UNLEASHED for arg in ("-s", s)]

            print("1/2 baseline: do-nothing Scrapy spider ...", file=sys.stderr)
            # Stock Scrapy: run outside the project (no scrapy.cfg, no SCRAPY_SETTINGS_MODULE),
            # with the same politeness lifts and concurrency as the jajak crawl.
            stock = {k: v for k, v in env.items() if k != "SCRAPY_SETTINGS_MODULE"}
            base_seconds, output = timed(
                [sys.executable, "-m", "scrapy", "runspider", str(ROOT / "bench" / "baseline_spider.py"),
                 "-a", f"url={url}", *settings, "-s", "TELNETCONSOLE_ENABLED=False",
                 "-s", "REMOTE_CONTROL_ENABLED=False"], stock, cwd=home)
            found = re.search(r"BASELINE pages=(\d+) peak_mb=([\d.]+)", output)
            base_pages, base_mb = int(found.group(1)), float(found.group(2))

            print("2/2 jajak crawl (fetch + extract + classify + store) ...", file=sys.stderr)
            jajak_seconds, output = timed(
                [sys.executable, "-m", "crawler.cli", "crawl", "bench", "--quiet", *settings], env)
            print(output)
            sys.path.insert(0, str(ROOT))
            from sqlalchemy import select

            from crawler.storage import CrawlRun, open_database

            with open_database(database)() as session:
                run = session.scalars(select(CrawlRun)).one()
                new, jajak_mb = run.new_articles, float(run.stats["jajak/memory/peak_mb"])
                workers_mb = float(run.stats.get("jajak/memory/workers_peak_mb", 0))
                crawl_seconds = float(run.stats["elapsed_time_seconds"])
    finally:
        server.terminate()
        server.wait()

    base_rate = base_pages / base_seconds
    jajak_rate = new / jajak_seconds
    ratio = jajak_rate / base_rate
    print(f"baseline spider: {base_pages} pages in {base_seconds:.1f} s = {base_rate:.0f} pages/s, "
          f"peak {base_mb:.0f} MB")
    print(f"jajak crawl:     {new} articles in {jajak_seconds:.1f} s = {jajak_rate:.0f} articles/s "
          f"(crawl process alone {new / crawl_seconds:.0f}/s), peak {jajak_mb:.0f} MB "
          f"+ {workers_mb:.0f} MB in its worker processes = {jajak_mb + workers_mb:.0f} MB")
    print(f"ratio jajak/baseline: {ratio:.2f}")
    if args.record:
        row = (f"| {datetime.now(UTC):%Y-%m-%d} | {platform.python_version()} | {os.cpu_count()} "
               f"| {args.articles} | {base_rate:.0f} pages/s, {base_mb:.0f} MB "
               f"| {jajak_rate:.0f} articles/s, {jajak_mb:.0f} + {workers_mb:.0f} MB | {ratio:.2f} |\n")
        results = ROOT / "bench" / "RESULTS.md"
        text = results.read_text(encoding="utf-8")
        header = "|---|---|---|---|---|---|---|\n"  # the Crawl table's; rows go right below it
        results.write_text(text.replace(header, header + row, 1) if header in text else text + row,
                           encoding="utf-8")
    print(json.dumps({"baseline_pages_per_s": round(base_rate, 1), "jajak_articles_per_s": round(jajak_rate, 1),
                      "ratio": round(ratio, 2), "baseline_peak_mb": base_mb, "jajak_peak_mb": jajak_mb,
                      "jajak_workers_peak_mb": workers_mb}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

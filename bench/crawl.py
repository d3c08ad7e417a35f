"""Crawl throughput and memory: `jajak crawl` against a do-nothing Scrapy spider.

Serves a generated portal of N articles (default 5,000) on 127.0.0.1 from memory, then runs
1. the baseline spider (bench/baseline_spider.py) and 2. `jajak crawl` (fetch + extract +
classify + store into a fresh SQLite database), one after the other, with the same concurrency
and no politeness delay (the portal is ours, on loopback). Prints articles/s of both, the ratio
and the peak memory (max RSS) of each crawl process, and appends the figures to bench/RESULTS.md
with --record.

    python bench/crawl.py [--articles 5000] [--record]
"""

from __future__ import annotations

import argparse
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
sys.path.insert(0, str(ROOT))

from crawler.demo.server import PortalServer  # noqa: E402
from crawler.demo.synthetic import synthetic_articles  # noqa: E402
from crawler.demo.themes import build_site  # noqa: E402

UNLEASHED = [
    "DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS=32",
    "CONCURRENT_REQUESTS_PER_DOMAIN=32", "ROBOTSTXT_OBEY=False", "LOG_LEVEL=WARNING",
    "JAJAK_PROGRESS_INTERVAL=0",
]


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in MB (of the process or any of its children) and output."""
    with tempfile.TemporaryFile("w+") as log:
        started = time.monotonic()
        child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        # wait4 gives this child's own resource use, including the children it waited for.
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.monotonic() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    if child.returncode != 0:
        print(output, file=sys.stderr)
        raise SystemExit(f"command failed ({child.returncode}): {' '.join(command)}")
    return seconds, usage.ru_maxrss // 1024, output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--record", action="store_true", help="append the results to bench/RESULTS.md")
    args = parser.parse_args()

    print(f"generating a portal of {args.articles} articles ...", file=sys.stderr)
    articles = synthetic_articles(args.articles, seed=1)
    with PortalServer() as server, tempfile.TemporaryDirectory(prefix="jajak-bench-") as tmp:
        server.set_site(build_site("wp-magazine", articles, server.url))
        home = Path(tmp)
        (home / "sources.yaml").write_text(f"sources:\n  - name: bench\n    url: {server.url}/\n")
        env = {
            **os.environ, "JAJAK_HOME": tmp, "JAJAK_SOURCES": str(home / "sources.yaml"),
            "JAJAK_DATABASE_URL": f"sqlite:///{home / 'bench.db'}",
            "JAJAK_HTTPCACHE_DIR": str(home / "httpcache"), "SCRAPY_SETTINGS_MODULE": "crawler.settings",
        }
        settings = [arg for s in UNLEASHED for arg in ("-s", s)]

        print("1/2 baseline: do-nothing Scrapy spider ...", file=sys.stderr)
        base_cmd = [sys.executable, "-m", "scrapy", "runspider", str(ROOT / "bench" / "baseline_spider.py"),
                    "-a", f"url={server.url}", *settings, "-s", "HTTPCACHE_ENABLED=False",
                    "-s", "ITEM_PIPELINES={}", "-s", "EXTENSIONS={}"]
        base_seconds, base_mb, _ = run_measured(base_cmd, env)
        base_pages = sum(1 for r in server.requests if re.match(r"^/[^/?]+/$", r[1]) and r[2] == 200)
        server.clear_requests()

        print("2/2 jajak crawl (fetch + extract + classify + store) ...", file=sys.stderr)
        jajak_cmd = [sys.executable, "-m", "crawler.cli", "crawl", "bench", "--quiet", *settings]
        jajak_seconds, jajak_mb, output = run_measured(jajak_cmd, env)
        print(output)
        new = int(re.search(r"^bench\s+\d+\s+(\d+)", output, re.M).group(1))

    base_rate = base_pages / base_seconds
    jajak_rate = new / jajak_seconds
    lines = [
        f"| {datetime.now(UTC):%Y-%m-%d} | {platform.python_version()} | {os.cpu_count()} | {args.articles} "
        f"| {base_pages} in {base_seconds:.1f} s = **{base_rate:.0f}/s** ({base_mb} MB) "
        f"| {new} in {jajak_seconds:.1f} s = **{jajak_rate:.0f}/s** ({jajak_mb} MB) "
        f"| **{jajak_rate / base_rate:.2f}** |",
    ]
    print(f"baseline spider: {base_pages} pages in {base_seconds:.1f} s = {base_rate:.0f} pages/s, peak {base_mb} MB")
    print(f"jajak crawl:     {new} articles in {jajak_seconds:.1f} s = {jajak_rate:.0f} articles/s, peak {jajak_mb} MB")
    print(f"ratio jajak/baseline: {jajak_rate / base_rate:.2f}")
    if args.record:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as results:
            results.write(lines[0] + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

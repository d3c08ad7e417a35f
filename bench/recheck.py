"""What a recheck of an unchanged source costs: `jajak crawl` of N portals that did not change.

Serves N generated portals (default 50, each the hand-written demo articles in one of the themes
given, by default the two WordPress-like ones whose recheck is three conditional requests: the
home page, robots.txt and the feed; `--themes numeric` adds a portal with neither feed nor
sitemap, whose recheck walks its listings) on 127.0.0.1 from this process, crawls them all
once with `jajak crawl`, then times a second `jajak crawl` of all of them, unchanged: its wall
time and its total CPU (user + system of the `jajak crawl` process and every process it
started, from getrusage(RUSAGE_CHILDREN)), and the CPU per source. The portals' own CPU is
this process's and is not counted.
--record appends a row to the "Rechecks" table of bench/RESULTS.md.

    python bench/recheck.py [--sources 50] [--parallel N] [--record]

The recheck runs with jajak's default settings (politeness included) and the default
parallelism unless --parallel is given; the first crawl lifts the politeness delays (the portals
are ours, on loopback).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.demo import load_articles  # noqa: E402
from crawler.demo.server import PortalServer  # noqa: E402
from crawler.demo.themes import build_site  # noqa: E402

THEMES = ["wp-magazine", "wp-news"]
FAST = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
        "JAJAK_PROGRESS_INTERVAL=0"]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def crawl(env: dict[str, str], home: Path, extra: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (the command and all its descendants) and output of one crawl."""
    cpu = children_cpu()
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", "--quiet", *extra], cwd=home,
                          env=env, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    if done.returncode != 0:
        print(done.stdout[-5000:], done.stderr[-5000:], sep="\n", file=sys.stderr)
        raise SystemExit(f"jajak crawl failed ({done.returncode})")
    return wall, children_cpu() - cpu, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--parallel", type=int, help="jajak crawl --parallel (default: jajak's default)")
    parser.add_argument("--themes", nargs="+", default=THEMES, help="portal themes, used in turn")
    parser.add_argument("--label", default="", help="what was measured, for the recorded row")
    parser.add_argument("--record", action="store_true", help="append the results to bench/RESULTS.md")
    args = parser.parse_args()

    articles = load_articles()
    servers = [PortalServer().start() for _ in range(args.sources)]
    try:
        for number, server in enumerate(servers):
            server.set_site(build_site(args.themes[number % len(args.themes)], articles, server.url))
        with tempfile.TemporaryDirectory(prefix="jajak-recheck-") as tmp:
            home = Path(tmp)
            (home / "sources.yaml").write_text("sources:\n" + "".join(
                f"  - name: p{number:03d}\n    url: {server.url}/\n" for number, server in enumerate(servers)))
            env = {**os.environ, "JAJAK_HOME": tmp, "JAJAK_SOURCES": str(home / "sources.yaml"),
                   "JAJAK_DATABASE_URL": f"sqlite:///{home / 'jajak.db'}",
                   "JAJAK_HTTPCACHE_DIR": str(home / "httpcache"), "SCRAPY_SETTINGS_MODULE": "crawler.settings"}
            parallel = ["--parallel", str(args.parallel)] if args.parallel else []
            print(f"first crawl of {args.sources} portals ...", file=sys.stderr)
            first_wall, first_cpu, _ = crawl(env, home, [*parallel, *(a for s in FAST for a in ("-s", s))])
            print(f"first crawl: {first_wall:.1f} s wall, {first_cpu:.1f} s CPU", file=sys.stderr)
            for server in servers:
                server.clear_requests()
            print("recheck (nothing changed) ...", file=sys.stderr)
            wall, cpu, output = crawl(env, home, parallel)
            requests = sum(len(server.requests) for server in servers)
            answers = [entry[2] for server in servers for entry in server.requests]
    finally:
        for server in servers:
            server.stop()

    if "finished" not in output:
        print(output, file=sys.stderr)
    per_source_ms = cpu / args.sources * 1000
    print(f"recheck of {args.sources} unchanged sources: {wall:.1f} s wall, {cpu:.2f} s CPU, "
          f"{per_source_ms:.0f} ms CPU per source; {requests} requests "
          f"({answers.count(304)} answered 304)")
    if args.record:
        row = (f"| {datetime.now(UTC):%Y-%m-%d} | {args.label or '-'} | {platform.python_version()} "
               f"| {os.cpu_count()} | {args.sources} {'+'.join(args.themes)} | {args.parallel or 'default'} "
               f"| {wall:.1f} s "
               f"| {cpu:.1f} s | {per_source_ms:.0f} ms | {requests} ({answers.count(304)} x 304) |\n")
        results = ROOT / "bench" / "RESULTS.md"
        text = results.read_text(encoding="utf-8")
        header = "|---|---|---|---|---|---|---|---|---|---|\n"  # the Rechecks table's
        if header not in text:
            text += ("\n## Rechecks\n\n`python bench/recheck.py --record`: see the script's docstring.\n\n"
                     "| date | code | python | cores | sources | parallel | wall | CPU | CPU per source "
                     "| requests |\n" + header)
        results.write_text(text.replace(header, header + row, 1), encoding="utf-8")
    print(json.dumps({"sources": args.sources, "wall_s": round(wall, 2), "cpu_s": round(cpu, 3),
                      "cpu_per_source_ms": round(per_source_ms, 1), "requests": requests,
                      "first_crawl_wall_s": round(first_wall, 1), "first_crawl_cpu_s": round(first_cpu, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Daemon soak run: `jajak run` for N minutes (default 30) with schedules compressed to seconds.

Three fixture portals (two WordPress-like themes and the numeric CMS) are served on 127.0.0.1
and grow by a few articles every minute; one of them answers 503 for a few minutes in the
middle (a health incident and its recovery). Digests and alerts go to a local webhook
(Apprise json://). At the end: crawls done, articles stored against articles served, the
daemon's memory at start and end, alerts sent and whether any story was sent twice.
--record appends a row to bench/RESULTS.md.

    python bench/soak.py [--minutes 30] [--record]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.demo import load_articles  # noqa: E402
from crawler.demo.server import PortalServer  # noqa: E402
from crawler.demo.synthetic import synthetic_articles  # noqa: E402
from crawler.demo.themes import build_site  # noqa: E402
from crawler.memory import process_mb  # noqa: E402

THEMES = ["wp-magazine", "wp-news", "numeric"]


class Webhook:
    def __init__(self) -> None:
        self.posts: list[dict] = []
        posts = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - stdlib name
                posts.append(json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0)))))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"json://127.0.0.1:{self.server.server_port}/hook"


def fresh(batch: list[dict], start_id: int, when: datetime) -> list[dict]:
    """Synthetic articles re-dated to ``when`` with new ids and slugs: today's news."""
    out = []
    for offset, article in enumerate(batch):
        article = dict(article, id=start_id + offset, slug=f"{article['slug']}-{start_id + offset}")
        article["published"] = (when - timedelta(minutes=offset)).astimezone().isoformat(timespec="seconds")
        out.append(article)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()

    base = load_articles()
    pool = synthetic_articles(600, seed=7)
    hook = Webhook()
    servers = [PortalServer().start() for _ in THEMES]
    sites = {theme: list(base) for theme in THEMES}
    for theme, server in zip(THEMES, servers, strict=True):
        server.set_site(build_site(theme, sites[theme], server.url))
    home = Path(tempfile.mkdtemp(prefix="jajak-soak-"))
    (home / "sources.yaml").write_text("sources:\n" + "".join(
        f"  - name: {theme.replace('-', '')}\n    url: {server.url}/\n"
        for theme, server in zip(THEMES, servers, strict=True)))
    env = {
        **os.environ, "JAJAK_HOME": str(home), "JAJAK_SOURCES": str(home / "sources.yaml"),
        "JAJAK_DATABASE_URL": f"sqlite:///{home / 'soak.db'}", "JAJAK_NOTIFY": hook.url,
        "JAJAK_CRAWL_INTERVAL": "20", "JAJAK_CRAWL_JITTER": "3", "JAJAK_DIGEST_CRON": "30 * * * * *",
        "JAJAK_DIGEST_MAX_AGE": "0", "JAJAK_INSTANT_THRESHOLD": "0.99",
        "JAJAK_CRAWL_OVERRIDES": "DOWNLOAD_DELAY=0 AUTOTHROTTLE_ENABLED=False",
        "SCRAPY_SETTINGS_MODULE": "crawler.settings",
    }
    daemon = subprocess.Popen([sys.executable, "-m", "crawler.cli", "run", "--log-file",
                               str(home / "daemon.log")], cwd=home, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.monotonic()
    duration = args.minutes * 60
    memory: list[tuple[float, float]] = []
    served = {theme: len(base) for theme in THEMES}
    next_id, minute = 900_000, 0
    broken = False
    try:
        while time.monotonic() - started < duration:
            time.sleep(5)
            elapsed = time.monotonic() - started
            memory.append((elapsed, process_mb(daemon.pid, "VmRSS") or 0.0))
            if elapsed // 60 > minute:  # a new minute: every portal publishes three articles
                minute = int(elapsed // 60)
                for theme, server in zip(THEMES, servers, strict=True):
                    batch = fresh(pool[:3], next_id, datetime.now(UTC))
                    pool, next_id = pool[3:] + pool[:3], next_id + 3
                    sites[theme] = batch + sites[theme]
                    server.set_site(build_site(theme, sites[theme], server.url))
                    served[theme] += 3
            # The numeric portal is down for a tenth of the run, in the middle.
            down = 0.4 * duration <= elapsed < 0.5 * duration
            if down != broken:
                servers[2].fail("/", 503) if down else servers[2].recover()
                broken = down
            if daemon.poll() is not None:
                raise SystemExit(f"the daemon exited early ({daemon.returncode}); see {home / 'daemon.log'}")
        time.sleep(40)  # let the last crawls and one more digest happen
    finally:
        daemon.send_signal(signal.SIGTERM)
        stopped_in = time.monotonic()
        daemon.wait(timeout=120)
        stopped_in = time.monotonic() - stopped_in
        for server in servers:
            server.stop()

    from sqlalchemy import func, select

    from crawler.storage import Article, CrawlRun, open_database
    from crawler.storage.models import Delivery

    with open_database(env["JAJAK_DATABASE_URL"])() as session:
        runs = session.scalars(select(CrawlRun)).all()
        stored = session.scalar(select(func.count()).select_from(Article))
        urls = session.scalars(select(Article.url)).all()
        sent = session.scalars(select(Delivery).where(Delivery.status == "sent")).all()
    reasons = Counter(r.finish_reason for r in runs)
    texts = [f"{p.get('title', '')}\n{p.get('message', '')}" for p in hook.posts]
    start_mb = next((mb for t, mb in memory if t >= 30), memory[0][1])
    end_mb = memory[-1][1]
    peak_mb = max(mb for _, mb in memory)
    health = [t.splitlines()[0] for t in texts if "is failing" in t or "has recovered" in t]
    story_keys = Counter((d.story_key, d.channel) for d in sent)
    report = {
        "minutes": args.minutes,
        "crawls": len(runs),
        "finish_reasons": dict(reasons),
        "articles_served": sum(served.values()),
        "articles_stored": stored,
        "duplicate_urls": len(urls) - len(set(urls)),
        "webhook_posts": len(hook.posts),
        "deliveries_sent": len(sent),
        "duplicate_deliveries": sum(n - 1 for n in story_keys.values() if n > 1),
        "health_messages": health,
        "daemon_rss_mb": {"start": round(start_mb, 1), "end": round(end_mb, 1), "peak": round(peak_mb, 1)},
        "sigterm_to_exit_s": round(stopped_in, 1),
        "exit_code": daemon.returncode,
        "workdir": str(home),
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    if args.record:
        row = (f"| {datetime.now(UTC):%Y-%m-%d} | {args.minutes:.0f} min | {len(runs)} "
               f"({', '.join(f'{k} {v}' for k, v in reasons.items())}) | {stored} of {sum(served.values())} "
               f"| {len(sent)} deliveries, {report['duplicate_deliveries']} duplicate | "
               f"{len(health)} ({'; '.join(health)}) | {start_mb:.0f} → {end_mb:.0f} MB (peak {peak_mb:.0f}) "
               f"| {stopped_in:.1f} s, exit {daemon.returncode} |\n")
        results = ROOT / "bench" / "RESULTS.md"
        text = results.read_text(encoding="utf-8") if results.exists() else "# Benchmarks\n"
        if "## Daemon soak" not in text:
            text += ("\n## Daemon soak\n\n`python bench/soak.py --record`: `jajak run` against three growing "
                     "local portals, crawls every 20 s, a digest every minute, one portal down for a tenth of "
                     "the run.\n\n| date | length | crawls | articles stored | deliveries | health messages "
                     "| daemon RSS | SIGTERM |\n|---|---|---|---|---|---|---|---|\n")
        results.write_text(text + row, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

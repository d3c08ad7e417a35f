"""Every setting of jajak, for Scrapy and for the CLI; the only module that reads os.environ.

Values from the environment stay the strings they are: nothing is converted here, so a bad
value cannot crash an import. ``crawler.config.Config.from_settings`` checks and converts them
all when a command starts (one line naming the variable, exit code 2); components read the
checked values from that Config (``Config.of(crawler.settings)``), never the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

from crawler.items import EXPORT_FIELDS

BOT_NAME = "jajak"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"  # `scrapy crawl` checks the sources file first

# --- jajak's own settings (environment first, embedded defaults second) -------------------------

# Relative paths are resolved against the working directory once, here, so that a crawl started
# by the CLI in a child process and one started by `scrapy crawl` agree on the same files.
JAJAK_HOME = str(Path(os.environ.get("JAJAK_HOME", ".")).resolve())
JAJAK_DATABASE_URL = os.environ.get(
    "JAJAK_DATABASE_URL", f"sqlite:///{Path(JAJAK_HOME) / 'var' / 'jajak.db'}"
)
# Seconds a SQLite writer waits for another process's lock before the command gives up.
# Set by the daemon for its crawl children: the instance id of the database it started with
# (crawler.storage.identity); a child refuses a database that is not that one.
JAJAK_DATABASE_INSTANCE = os.environ.get("JAJAK_DATABASE_INSTANCE", "")
# How often (seconds) the daemon checks that its database was not deleted or replaced.
JAJAK_DATABASE_WATCH = os.environ.get("JAJAK_DATABASE_WATCH", "30")
JAJAK_SQLITE_BUSY_TIMEOUT = os.environ.get("JAJAK_SQLITE_BUSY_TIMEOUT", "30")
JAJAK_SOURCES = os.environ.get("JAJAK_SOURCES", str(Path(JAJAK_HOME) / "seeds" / "sources.yaml"))
JAJAK_CONTACT_URL = os.environ.get("JAJAK_CONTACT_URL", "https://github.com/jajak-news/jajak")
# A limit on article pages per crawl for sources that set no max_pages (0 = no limit).
JAJAK_MAX_PAGES = os.environ.get("JAJAK_MAX_PAGES", "0")
# Listing pages walked per listing when no feed, sitemap or REST API answers.
JAJAK_MAX_LISTING_PAGES = os.environ.get("JAJAK_MAX_LISTING_PAGES", "200")
# At least once in this many hours a crawl walks its channels fully (sitemaps, REST pages,
# listings) instead of trusting the feed: catches back-dated and re-published posts (0 = never).
JAJAK_FULL_WALK_HOURS = os.environ.get("JAJAK_FULL_WALK_HOURS", "24")
# Pages of one split article that are fetched and joined (page 2..N).
JAJAK_MAX_ARTICLE_PAGES = os.environ.get("JAJAK_MAX_ARTICLE_PAGES", "20")
# Worker processes that extract and classify while the crawl process keeps downloading
# (0 = do it all in the crawl process).
JAJAK_WORKER_PROCESSES = os.environ.get("JAJAK_WORKER_PROCESSES", "2")
# Items buffered before one database transaction: a handful of commits per second, not hundreds.
JAJAK_STORE_BATCH = os.environ.get("JAJAK_STORE_BATCH", "50")
# Seconds between progress lines in the log of a long crawl.
JAJAK_PROGRESS_INTERVAL = os.environ.get("JAJAK_PROGRESS_INTERVAL", "10")
# A score (0..1) needed for a match; empty: the model's own threshold.
JAJAK_CLASSIFIER_THRESHOLD = os.environ.get("JAJAK_CLASSIFIER_THRESHOLD", "")
# Feeds, sitemaps, REST listings and home pages are revalidated with ETag/Last-Modified.
JAJAK_HTTPCACHE_DIR = os.environ.get("JAJAK_HTTPCACHE_DIR", str(Path(JAJAK_HOME) / "var" / "httpcache"))

# --- politeness and safety ----------------------------------------------------------------------

USER_AGENT = f"jajak/0.1 (partnership-news monitor; +{JAJAK_CONTACT_URL})"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_TIMES = 2
# A 429 or 503 answer's Retry-After is honoured (crawler.middlewares), up to this many seconds.
JAJAK_RETRY_AFTER_MAX = os.environ.get("JAJAK_RETRY_AFTER_MAX", "120")
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy's remote-control HTTP port: nothing of ours listens
REDIRECT_MAX_TIMES = 5
# Scrapy starts CONCURRENT_ITEMS tasks for every callback's output (100 by default); an article
# callback yields one item, so a few are plenty and the rest is pure overhead per page.
CONCURRENT_ITEMS = 4
# Scrapy checks every callback for a generator that returns a value by reading its source with
# `ast`, and caches the answer by the callback object; a request's callback is a new bound method
# each time, so the cache never hits and each article page paid a source parse (about 0.5 ms,
# the 5,000-article benchmark's crawl process 3.4 s of 84 under a profiler). jajak's callbacks are
# ours and tested (tests/test_spider_callbacks.py).
WARN_ON_GENERATOR_RETURN_VALUE = False
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "id,en;q=0.7",
}
JAJAK_LOG_LEVEL = os.environ.get("JAJAK_LOG_LEVEL", "INFO")
LOG_LEVEL = JAJAK_LOG_LEVEL
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_DATEFORMAT = "%Y-%m-%d %H:%M:%S"

# Conditional requests: only requests marked with meta["jajak_revalidate"] are cached, and a
# cached copy is always revalidated (If-None-Match / If-Modified-Since), never trusted blindly.
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "crawler.httpcache.RevalidatePolicy"
HTTPCACHE_STORAGE = "crawler.httpcache.RevalidatedCacheStorage"  # a 304 rewrites no body
HTTPCACHE_DIR = JAJAK_HTTPCACHE_DIR
HTTPCACHE_GZIP = True

# --- the data flow ------------------------------------------------------------------------------

# No request leaves the source's domains: Scrapy's OffsiteMiddleware (a downloader middleware
# since 2.11) checks every request, redirect targets included, against spider.allowed_domains,
# which the spider takes from the source. Nothing of ours sets dont_filter, which would bypass it.
DOWNLOADER_MIDDLEWARES = {
    # Only http(s) is ever requested: an ftp:// or file:// link on the source's host would pass
    # the offsite check. First in line, before robots.txt and the cache see the request.
    "crawler.middlewares.HttpOnlyMiddleware": 50,
    # Scrapy's retries, plus the pause a 429/503 asks for with Retry-After (JAJAK_RETRY_AFTER_MAX).
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,
    # Sees 3xx answers before Scrapy's RedirectMiddleware (600): a loop or a redirect off the
    # source's domains fails its request with a reason instead of vanishing in the dupefilter.
    "crawler.middlewares.RedirectGuardMiddleware": 650,
}
ITEM_PIPELINES = {
    "crawler.pipelines.ExtractPipeline": 100,  # html -> Extracted (joins split articles)
    "crawler.pipelines.ClassifyPipeline": 200,  # title + text -> Verdict (classifier/)
    "crawler.pipelines.StorePipeline": 300,  # insert new articles, count new matches
}
EXTENSIONS = {
    "crawler.runs.CrawlRunExtension": 500,  # one crawl_runs row per crawl, progress lines
}

FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = EXPORT_FIELDS
# Discovery yields the newest articles first; a FIFO queue keeps that order (LIFO is the default).
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"

# --- PLAYWRIGHT: JavaScript-rendered portals (crawler/rendering, sources with render: true/auto)

# The download handler is NOT registered here: crawler.rendering.plan_for() registers it (and the
# launch options and the abort rule below) only for the crawl of a source that renders, because
# scrapy-playwright starts Playwright's Node driver with every crawl it is registered for.
# Chromium from Debian (`apt-get install chromium`); empty: /usr/lib/chromium/chromium, then
# /usr/bin/chromium. Playwright's own browser download is never used.
JAJAK_CHROMIUM = os.environ.get("JAJAK_CHROMIUM", "")
# The browser is closed and a fresh one launched after this many rendered pages (0 = never).
JAJAK_RENDER_RESTART_PAGES = os.environ.get("JAJAK_RENDER_RESTART_PAGES", "250")
# After "load", wait at most this long for the page's scripts to go network-idle.
JAJAK_RENDER_SETTLE_MS = os.environ.get("JAJAK_RENDER_SETTLE_MS", "2000")
# render: auto decides once per source and checks again every this many crawls.
JAJAK_RENDER_RECHECK_RUNS = os.environ.get("JAJAK_RENDER_RECHECK_RUNS", "20")
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {"headless": True, "timeout": 30_000}  # + executable_path, args
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 20_000  # ms per page
PLAYWRIGHT_MAX_CONTEXTS = 1
JAJAK_RENDER_PAGES = os.environ.get("JAJAK_RENDER_PAGES", "6")
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = JAJAK_RENDER_PAGES
PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER = True  # a crashed browser is launched again

# --- alerts: digests and instant alerts (alerts/, crawler/digest/, `jajak digest`) ------------

# Apprise URLs, space/comma separated (tgram://, mailto://, mailtos://, json://, ...). They hold
# tokens and passwords, so they come only from the environment and are masked in all output.
JAJAK_NOTIFY = os.environ.get("JAJAK_NOTIFY", "")
# Or an Apprise configuration file (YAML or TEXT) with tags, for `jajak digest --tag TAG`.
JAJAK_APPRISE_CONFIG = os.environ.get("JAJAK_APPRISE_CONFIG", "")
# Seconds Apprise waits for a service to connect and to answer (its rto/cto, added to every URL
# that sets neither). Apprise's own 4 s marks a slow webhook that did take the message as failed.
JAJAK_NOTIFY_TIMEOUT = os.environ.get("JAJAK_NOTIFY_TIMEOUT", "30")
# 1: a run with nothing new still says "no new partnership talks; N/M sources healthy".
JAJAK_HEARTBEAT = os.environ.get("JAJAK_HEARTBEAT", "0")
# A score (0..1): matches scoring at least this are sent right after the crawl that found them.
JAJAK_INSTANT_THRESHOLD = os.environ.get("JAJAK_INSTANT_THRESHOLD", "")
# The digest window: matches stored longer ago are not sent, and during a source's baseline (its
# first complete crawl, which backfills years) neither are matches published longer before they
# were stored. 7d, 36h, 0 = no limit.
JAJAK_DIGEST_MAX_AGE = os.environ.get("JAJAK_DIGEST_MAX_AGE", "7d")
# A failed delivery is retried by later runs after this delay, doubled per attempt up to the max.
JAJAK_DIGEST_RETRY_BASE = os.environ.get("JAJAK_DIGEST_RETRY_BASE", "5m")
JAJAK_DIGEST_RETRY_MAX = os.environ.get("JAJAK_DIGEST_RETRY_MAX", "6h")
JAJAK_DIGEST_MAX_ATTEMPTS = os.environ.get("JAJAK_DIGEST_MAX_ATTEMPTS", "10")
# A claim older than this belongs to a digest process that died mid-send: the story may have
# gone out, so it is resent once, marked as a possible repeat.
JAJAK_DIGEST_CLAIM_TTL = os.environ.get("JAJAK_DIGEST_CLAIM_TTL", "15m")

# --- the daemon: schedules, limits, health (crawler/daemon.py, `jajak run`, `jajak status`) -----

JAJAK_TIMEZONE = os.environ.get("JAJAK_TIMEZONE", "Asia/Jakarta")
# When the digest is sent (cron, in JAJAK_TIMEZONE).
JAJAK_DIGEST_CRON = os.environ.get("JAJAK_DIGEST_CRON", "0 7 * * *")
# Sources without a `schedule` are crawled every this many seconds, plus up to JITTER seconds
# so that many sources do not all start at once.
JAJAK_CRAWL_INTERVAL = os.environ.get("JAJAK_CRAWL_INTERVAL", "1800")
JAJAK_CRAWL_JITTER = os.environ.get("JAJAK_CRAWL_JITTER", "300")
JAJAK_MAX_PARALLEL_CRAWLS = os.environ.get("JAJAK_MAX_PARALLEL_CRAWLS", "2")
# Source crawls one crawl engine process (crawler/engine.py) runs at the same time; `jajak crawl`
# runs all its sources in one engine, this many at once unless --parallel says otherwise.
JAJAK_CRAWL_CONCURRENCY = os.environ.get("JAJAK_CRAWL_CONCURRENCY", "8")
# The daemon's crawl engine is replaced by a fresh one after this many crawls (0 = never), as task
# queues recycle their workers: what a long-lived process leaks or fragments goes with it.
JAJAK_ENGINE_MAX_CRAWLS = os.environ.get("JAJAK_ENGINE_MAX_CRAWLS", "200")
# A crawl child is killed after this many seconds, or above this resident memory.
JAJAK_CRAWL_TIMEOUT = os.environ.get("JAJAK_CRAWL_TIMEOUT", "3600")
JAJAK_CRAWL_MAX_MEMORY_MB = os.environ.get("JAJAK_CRAWL_MAX_MEMORY_MB", "1500")
# Extra Scrapy settings for the daemon's crawls ("NAME=VALUE", space separated).
JAJAK_CRAWL_OVERRIDES = os.environ.get("JAJAK_CRAWL_OVERRIDES", "")
# Many machines (crawler/fleet): the Dramatiq broker the scheduler and the workers share
# (redis://... or amqp://...); empty = one machine, crawls run in the daemon's own engine.
JAJAK_BROKER_URL = os.environ.get("JAJAK_BROKER_URL", "")
# Seconds after which a worker that stopped answering counts as dead: its sources go to another.
JAJAK_BROKER_HEARTBEAT = os.environ.get("JAJAK_BROKER_HEARTBEAT", "60")
# A run missed by up to this many seconds (daemon down, all slots busy) still happens once.
JAJAK_MISFIRE_GRACE = os.environ.get("JAJAK_MISFIRE_GRACE", "900")
# On SIGTERM/SIGINT, running crawls get this many seconds to finish before they are killed.
JAJAK_SHUTDOWN_GRACE = os.environ.get("JAJAK_SHUTDOWN_GRACE", "60")
# Health: failed runs in a row, silence (x the usual gap between new articles, at least
# MIN_SILENCE seconds), see crawler/health.py.
JAJAK_HEALTH_FAILED_RUNS = os.environ.get("JAJAK_HEALTH_FAILED_RUNS", "3")
JAJAK_HEALTH_SILENCE_FACTOR = os.environ.get("JAJAK_HEALTH_SILENCE_FACTOR", "3")
JAJAK_HEALTH_MIN_SILENCE = os.environ.get("JAJAK_HEALTH_MIN_SILENCE", str(12 * 3600))

# --- the web app (`jajak web`, crawler/web/) ---------------------------------------------------

# The password of the web app's login form. Without it `jajak web` listens only on a loopback
# address (127.0.0.1, ::1, localhost); a secret, so it comes only from the environment.
JAJAK_WEB_PASSWORD = os.environ.get("JAJAK_WEB_PASSWORD", "")

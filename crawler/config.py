"""jajak's configuration, validated once when a command starts: every ``JAJAK_*`` setting (and
the Scrapy settings given on the command line) read from the raw values of crawler/settings.py
into one frozen ``Config``. A bad value is one ``ConfigError`` line naming the setting, the value
(secrets masked) and what is accepted; the CLI prints it and exits with code 2.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scrapy.settings import SETTINGS_PRIORITIES

from crawler.storage.urls import DatabaseUrlError, mask_database_url, normal_database_url

if TYPE_CHECKING:
    from collections.abc import Iterable

    from apscheduler.triggers.cron import CronTrigger
    from scrapy.settings import BaseSettings

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# What Scrapy's Settings.getbool() understands; anything else would crash deep in a component.
_TRUE, _FALSE = ("1", "true", "True"), ("0", "false", "False")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": "seconds", "s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_TIMEZONE_ALIASES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
# Settings whose values carry passwords or tokens: never shown as given.
_SECRET_SETTINGS = ("JAJAK_DATABASE_URL", "JAJAK_NOTIFY", "JAJAK_WEB_PASSWORD")
# Where settings come from when a settings object lacks them (a crawler built in a test).
_PROJECT_SETTINGS = "crawler.settings"
# The setting that carries a command's validated Config into its crawl's components.
CONFIG_SETTING = "JAJAK_CONFIG"


class ConfigError(ValueError):
    """Bad configuration or input: one line (secrets masked), printed as is; exit code 2."""


def show_value(name: str, value: object) -> str:
    """``value`` as an error message may show it: secrets masked, long values cut."""
    if name == "JAJAK_WEB_PASSWORD":
        return "'****'"
    if isinstance(value, str) and (name in _SECRET_SETTINGS or "://" in value):
        value = mask_database_url(value) if name != "JAJAK_NOTIFY" else _mask_notify(value)
    text = repr(value)
    return text if len(text) <= 100 else text[:97] + "..."


def _mask_notify(value: str) -> str:
    from alerts.channels import mask_url, split_urls

    return " ".join(mask_url(url) for url in split_urls(value))


def bad(name: str, value: object, accepted: str) -> ConfigError:
    """The one-line error for a setting or option: ``NAME='value': want <accepted>``."""
    return ConfigError(f"{name}={show_value(name, value)}: want {accepted}")


# --- readers: one raw value -> a checked Python value (also used as argparse types) -----------


def whole_number(name: str, raw: object, minimum: int = 0, note: str = "") -> int:
    text = str(raw).strip()
    if isinstance(raw, bool) or not re.fullmatch(r"[+-]?\d+", text) or int(text) < minimum:
        raise bad(name, raw, f"a whole number >= {minimum}{note}" if minimum > -(2**63) else "a whole number")
    return int(text)


def number(name: str, raw: object, minimum: float = 0.0, note: str = "", strict: bool = False) -> float:
    try:
        value = float(str(raw).strip())
    except ValueError:
        value = math.nan
    if isinstance(raw, bool) or not math.isfinite(value) or value < minimum or (strict and value == minimum):
        bound = f" {'>' if strict else '>='} {minimum:g}" if math.isfinite(minimum) else ""
        raise bad(name, raw, f"a number{bound}{note}")
    return value


def score(name: str, raw: object) -> float | None:
    """A classifier score threshold (0..1); empty means "the model's own"."""
    if raw is None or str(raw).strip() == "":
        return None
    try:
        value = float(str(raw).strip())
    except ValueError:
        value = math.nan
    if isinstance(raw, bool) or not 0.0 <= value <= 1.0:
        raise bad(name, raw, "a score between 0 and 1, e.g. 0.6 (empty: the model's own)")
    return value


def boolean(name: str, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise bad(name, raw, "1 or 0 (or true/false)")


def duration(name: str, raw: object, positive: bool = False) -> timedelta:
    """'7d', '36h', '5m', '90s' or plain seconds."""
    match = _DURATION.match(str(raw))
    value = timedelta(**{_UNITS[match.group(2)]: float(match.group(1))}) if match else None
    if value is None or (positive and not value):
        raise bad(name, raw, "a duration such as 30s, 5m or 36h" if positive else
                  "a duration such as 7d, 36h, 5m, 90s or 0")
    return value


def log_level(name: str, raw: object) -> str:
    level = str(raw).strip().upper()
    if level not in LOG_LEVELS:
        raise bad(name, raw, "one of " + ", ".join(LOG_LEVELS))
    return level


def timezone(name: str, raw: object) -> str:
    key = _TIMEZONE_ALIASES.get(str(raw).strip().upper(), str(raw).strip())
    try:
        ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise bad(name, raw, "an IANA time zone like Asia/Jakarta, or WIB/WITA/WIT") from err
    return key


def cron_trigger(expression: str, zone: str) -> CronTrigger:
    """A crontab line ("0 7 * * *"), or six fields with seconds first ("*/5 * * * * *").

    The zone is always given: a CronTrigger built without one takes the host's zone, not the
    scheduler's (APScheduler 3).
    """
    from apscheduler.triggers.cron import CronTrigger

    fields = expression.split()
    if len(fields) == 6:
        second, minute, hour, day, month, day_of_week = fields
        return CronTrigger(second=second, minute=minute, hour=hour, day=day, month=month,
                           day_of_week=day_of_week, timezone=zone)
    return CronTrigger.from_crontab(expression, timezone=zone)


def cron(name: str, raw: object, zone: str) -> str:
    try:
        cron_trigger(str(raw), zone)
    except (ValueError, LookupError) as err:
        raise bad(name, raw, 'a cron line such as "0 7 * * *"') from err
    return str(raw)


def http_url(name: str, raw: object) -> str:
    parts = urlsplit(str(raw).strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad(name, raw, "an http(s) URL")
    return str(raw).strip()


def broker(name: str, raw: object, database_url: object) -> str:
    """A Redis or RabbitMQ URL, or empty; set, the machines share one PostgreSQL database."""
    url = str(raw or "").strip()
    if not url:
        return ""
    if urlsplit(url).scheme not in ("redis", "rediss", "amqp", "amqps"):
        raise bad(name, raw, "a redis:// or amqp:// URL, or empty for one machine")
    if not str(database_url or "").startswith("postgres"):
        raise ConfigError(f"{name} is set: many machines share one PostgreSQL database, "
                          "so JAJAK_DATABASE_URL must be a postgresql:// URL")
    return url


def directory(name: str, raw: object) -> Path:
    path = Path(str(raw)).expanduser().resolve()
    if not path.is_dir():
        raise bad(name, raw, "an existing directory")
    return path


# --- Scrapy settings given as NAME=VALUE (-s, JAJAK_CRAWL_OVERRIDES) ---------------------------


def _known_settings() -> dict[str, Any]:
    import importlib

    from scrapy.settings import default_settings

    known = {k: getattr(default_settings, k) for k in dir(default_settings) if k.isupper()}
    project = importlib.import_module(_PROJECT_SETTINGS)
    known.update({k: getattr(project, k) for k in dir(project) if k.isupper()})
    return known


def setting_pairs(option: str, pairs: Iterable[str]) -> dict[str, str]:
    """``NAME=VALUE`` strings checked against the settings jajak and Scrapy know, and against
    the type of their defaults (a typo or "-s DOWNLOAD_DELAY=soon" is one line, not a crash)."""
    import difflib

    known = _known_settings()
    result: dict[str, str] = {}
    for pair in pairs:
        name, eq, value = pair.partition("=")
        name = name.strip()
        if not eq or not name:
            raise ConfigError(f"{option} {show_value('', pair)}: want NAME=VALUE, e.g. {option} DOWNLOAD_DELAY=1")
        if name not in known and not name.startswith("PLAYWRIGHT_"):
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ConfigError(f"{option} {name}={show_value(name, value)}: unknown setting {name}{hint}; "
                              "Scrapy's settings and jajak's JAJAK_* settings are accepted")
        default = known.get(name)
        label = f"{option} {name}"
        if isinstance(default, bool):
            boolean(label, value)
        elif isinstance(default, int):
            whole_number(label, value, minimum=-(2**63))
        elif isinstance(default, float):
            number(label, value, minimum=-math.inf)
        result[name] = value
    return result


# --- the configuration ----------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    """Every jajak setting, checked. Build with ``Config.from_settings(settings)``."""

    home: Path
    database_url: str  # normalised: postgres:// is postgresql+psycopg://
    database_instance: str | None  # set by the daemon for its crawl children
    database_watch: float  # seconds between the daemon's checks of its database
    sources_file: str
    contact_url: str
    log_level: str
    # crawling
    max_pages: int
    max_listing_pages: int
    full_walk_hours: float
    max_article_pages: int
    worker_processes: int
    store_batch: int
    progress_interval: float
    classifier_threshold: float | None
    httpcache_dir: str
    retry_after_max: float
    sqlite_busy_timeout: float
    # rendering
    chromium: str
    render_restart_pages: int
    render_settle_ms: int
    render_recheck_runs: int
    render_pages: int
    # alerts
    notify: str
    apprise_config: str | None
    notify_timeout: timedelta
    heartbeat: bool
    instant_threshold: float | None
    digest_max_age: timedelta
    digest_retry_base: timedelta
    digest_retry_max: timedelta
    digest_max_attempts: int
    digest_claim_ttl: timedelta
    # the daemon
    timezone: str
    digest_cron: str
    crawl_interval: float
    crawl_jitter: int
    max_parallel_crawls: int
    crawl_concurrency: int
    engine_max_crawls: int
    crawl_timeout: float
    crawl_max_memory_mb: float
    crawl_overrides: tuple[str, ...]
    misfire_grace: int
    shutdown_grace: float
    health_failed_runs: int
    health_silence_factor: float
    health_min_silence: float
    # many machines (crawler/fleet): empty = one machine
    broker_url: str
    broker_heartbeat: float
    # the web app (`jajak web`): empty = no login, allowed only on a loopback address
    web_password: str = field(default="", repr=False)

    @property
    def log_dir(self) -> Path:
        return self.home / "var" / "logs"

    @classmethod
    def of(cls, settings: BaseSettings) -> Config:
        """The Config the command built when it started (kept in the settings as
        ``JAJAK_CONFIG``), or, for a crawler made without a command (tests), one built now."""
        built = settings.get(CONFIG_SETTING)
        return built if isinstance(built, Config) else cls.from_settings(settings)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Config:
        """Check every setting; raise ConfigError on the first bad one."""
        raw = _Raw(settings)
        home = directory("JAJAK_HOME", raw("JAJAK_HOME"))
        zone = timezone("JAJAK_TIMEZONE", raw("JAJAK_TIMEZONE"))
        overrides = str(raw("JAJAK_CRAWL_OVERRIDES") or "").split()
        setting_pairs("JAJAK_CRAWL_OVERRIDES", overrides)
        # LOG_LEVEL comes from JAJAK_LOG_LEVEL unless the command line set it (-s, -L).
        from_cmdline = (settings.getpriority("LOG_LEVEL") or 0) >= SETTINGS_PRIORITIES["cmdline"]
        level_name = "LOG_LEVEL" if from_cmdline else "JAJAK_LOG_LEVEL"
        return cls(
            home=home,
            database_url=database("JAJAK_DATABASE_URL", raw("JAJAK_DATABASE_URL")),
            database_instance=str(raw("JAJAK_DATABASE_INSTANCE") or "").strip() or None,
            database_watch=number("JAJAK_DATABASE_WATCH", raw("JAJAK_DATABASE_WATCH"), strict=True),
            sources_file=str(raw("JAJAK_SOURCES")),
            contact_url=http_url("JAJAK_CONTACT_URL", raw("JAJAK_CONTACT_URL")),
            log_level=log_level(level_name, raw("LOG_LEVEL")),
            max_pages=whole_number("JAJAK_MAX_PAGES", raw("JAJAK_MAX_PAGES"), note=" (0 = no limit)"),
            max_listing_pages=whole_number("JAJAK_MAX_LISTING_PAGES", raw("JAJAK_MAX_LISTING_PAGES")),
            full_walk_hours=number("JAJAK_FULL_WALK_HOURS", raw("JAJAK_FULL_WALK_HOURS"), note=" (0 = never)"),
            max_article_pages=whole_number("JAJAK_MAX_ARTICLE_PAGES", raw("JAJAK_MAX_ARTICLE_PAGES"), 1),
            worker_processes=whole_number("JAJAK_WORKER_PROCESSES", raw("JAJAK_WORKER_PROCESSES")),
            store_batch=whole_number("JAJAK_STORE_BATCH", raw("JAJAK_STORE_BATCH"), 1),
            progress_interval=number("JAJAK_PROGRESS_INTERVAL", raw("JAJAK_PROGRESS_INTERVAL"), note=" (0 = off)"),
            classifier_threshold=score("JAJAK_CLASSIFIER_THRESHOLD", raw("JAJAK_CLASSIFIER_THRESHOLD")),
            httpcache_dir=str(raw("JAJAK_HTTPCACHE_DIR")),
            retry_after_max=number("JAJAK_RETRY_AFTER_MAX", raw("JAJAK_RETRY_AFTER_MAX")),
            sqlite_busy_timeout=number("JAJAK_SQLITE_BUSY_TIMEOUT", raw("JAJAK_SQLITE_BUSY_TIMEOUT"), strict=True),
            chromium=str(raw("JAJAK_CHROMIUM") or ""),
            render_restart_pages=whole_number("JAJAK_RENDER_RESTART_PAGES", raw("JAJAK_RENDER_RESTART_PAGES")),
            render_settle_ms=whole_number("JAJAK_RENDER_SETTLE_MS", raw("JAJAK_RENDER_SETTLE_MS")),
            render_recheck_runs=whole_number("JAJAK_RENDER_RECHECK_RUNS", raw("JAJAK_RENDER_RECHECK_RUNS"), 1),
            render_pages=whole_number("JAJAK_RENDER_PAGES", raw("JAJAK_RENDER_PAGES"), 1),
            notify=str(raw("JAJAK_NOTIFY") or ""),
            apprise_config=str(raw("JAJAK_APPRISE_CONFIG") or "") or None,
            notify_timeout=duration("JAJAK_NOTIFY_TIMEOUT", raw("JAJAK_NOTIFY_TIMEOUT"), positive=True),
            heartbeat=boolean("JAJAK_HEARTBEAT", raw("JAJAK_HEARTBEAT")),
            instant_threshold=score("JAJAK_INSTANT_THRESHOLD", raw("JAJAK_INSTANT_THRESHOLD")),
            digest_max_age=duration("JAJAK_DIGEST_MAX_AGE", raw("JAJAK_DIGEST_MAX_AGE")),
            digest_retry_base=duration("JAJAK_DIGEST_RETRY_BASE", raw("JAJAK_DIGEST_RETRY_BASE")),
            digest_retry_max=duration("JAJAK_DIGEST_RETRY_MAX", raw("JAJAK_DIGEST_RETRY_MAX")),
            digest_max_attempts=whole_number("JAJAK_DIGEST_MAX_ATTEMPTS", raw("JAJAK_DIGEST_MAX_ATTEMPTS"), 1),
            digest_claim_ttl=duration("JAJAK_DIGEST_CLAIM_TTL", raw("JAJAK_DIGEST_CLAIM_TTL")),
            timezone=zone,
            digest_cron=cron("JAJAK_DIGEST_CRON", raw("JAJAK_DIGEST_CRON"), zone),
            crawl_interval=number("JAJAK_CRAWL_INTERVAL", raw("JAJAK_CRAWL_INTERVAL"), strict=True),
            crawl_jitter=whole_number("JAJAK_CRAWL_JITTER", raw("JAJAK_CRAWL_JITTER")),
            max_parallel_crawls=whole_number("JAJAK_MAX_PARALLEL_CRAWLS", raw("JAJAK_MAX_PARALLEL_CRAWLS"), 1),
            crawl_concurrency=whole_number("JAJAK_CRAWL_CONCURRENCY", raw("JAJAK_CRAWL_CONCURRENCY"), 1),
            engine_max_crawls=whole_number("JAJAK_ENGINE_MAX_CRAWLS", raw("JAJAK_ENGINE_MAX_CRAWLS"),
                                           note=" (0 = never)"),
            crawl_timeout=number("JAJAK_CRAWL_TIMEOUT", raw("JAJAK_CRAWL_TIMEOUT"), strict=True),
            crawl_max_memory_mb=number("JAJAK_CRAWL_MAX_MEMORY_MB", raw("JAJAK_CRAWL_MAX_MEMORY_MB"),
                                       note=" (0 = no limit)"),
            crawl_overrides=tuple(overrides),
            misfire_grace=whole_number("JAJAK_MISFIRE_GRACE", raw("JAJAK_MISFIRE_GRACE")),
            shutdown_grace=number("JAJAK_SHUTDOWN_GRACE", raw("JAJAK_SHUTDOWN_GRACE")),
            health_failed_runs=whole_number("JAJAK_HEALTH_FAILED_RUNS", raw("JAJAK_HEALTH_FAILED_RUNS"), 1),
            health_silence_factor=number("JAJAK_HEALTH_SILENCE_FACTOR", raw("JAJAK_HEALTH_SILENCE_FACTOR"),
                                         strict=True),
            health_min_silence=number("JAJAK_HEALTH_MIN_SILENCE", raw("JAJAK_HEALTH_MIN_SILENCE")),
            broker_url=broker("JAJAK_BROKER_URL", raw("JAJAK_BROKER_URL"), raw("JAJAK_DATABASE_URL")),
            broker_heartbeat=number("JAJAK_BROKER_HEARTBEAT", raw("JAJAK_BROKER_HEARTBEAT"), strict=True),
            web_password=str(raw("JAJAK_WEB_PASSWORD") or ""),
        )


def database(name: str, raw: object) -> str:
    try:
        return normal_database_url(str(raw or ""))
    except DatabaseUrlError as err:
        raise ConfigError(f"{name}={show_value(name, str(raw or ''))}: {err}") from err


class _Raw:
    """A setting's raw value: from the settings given, else crawler/settings.py's default (a
    crawler built for a test carries only the settings it names)."""

    def __init__(self, settings: BaseSettings) -> None:
        self.settings = settings
        self._defaults: Any = None

    def __call__(self, name: str) -> Any:
        value = self.settings.get(name)
        if value is not None:
            return value
        if self._defaults is None:
            import importlib

            self._defaults = importlib.import_module(_PROJECT_SETTINGS)
        return getattr(self._defaults, name, None)


"""The digest's settings (digest stage): durations, timeouts and channels read once from the
Scrapy settings and validated; a bad value raises ValueError naming the setting."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import alerts
from crawler.config import Config

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

_AGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": "seconds", "s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_age(value: str, name: str) -> timedelta:
    """'7d', '36h', '5m', '90s' or plain seconds; raises ValueError naming the setting."""
    match = _AGE.match(str(value))
    if not match:
        raise ValueError(f"{name}={value!r}: expected a duration such as 7d, 36h, 5m or 0")
    return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})


def _age(settings: BaseSettings, name: str, default: str) -> timedelta:
    return parse_age(settings.get(name, default), name)


def notify_timeout(settings: BaseSettings) -> float:
    """JAJAK_NOTIFY_TIMEOUT in seconds; raises ValueError naming the setting."""
    value = str(settings.get("JAJAK_NOTIFY_TIMEOUT", "30")).strip()
    seconds = parse_age(value, "JAJAK_NOTIFY_TIMEOUT").total_seconds()
    if seconds <= 0:
        raise ValueError(f"JAJAK_NOTIFY_TIMEOUT={value!r}: must be more than 0 seconds")
    return seconds


def load_channels(settings: BaseSettings) -> list[alerts.Channel]:
    """The configured channels (JAJAK_NOTIFY, JAJAK_APPRISE_CONFIG) with jajak's timeouts."""
    return alerts.load_channels(
        settings.get("JAJAK_NOTIFY", ""),
        settings.get("JAJAK_APPRISE_CONFIG") or None,
        timeout=notify_timeout(settings),
    )


@dataclass(frozen=True)
class DigestConfig:
    """The digest's settings, validated once (bad values raise ValueError naming the setting)."""

    database_url: str
    sources_file: str
    channels: tuple[alerts.Channel, ...]
    heartbeat: bool = False
    instant_threshold: float | None = None
    max_age: timedelta | None = timedelta(days=7)
    retry_base: timedelta = timedelta(minutes=5)
    retry_max: timedelta = timedelta(hours=6)
    max_attempts: int = 10
    claim_ttl: timedelta = timedelta(minutes=15)
    timezone: str = "Asia/Jakarta"  # JAJAK_TIMEZONE: of the times in reports

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> DigestConfig:
        threshold = str(settings.get("JAJAK_INSTANT_THRESHOLD") or "").strip()
        try:
            instant = float(threshold) if threshold else None
            attempts = int(settings.get("JAJAK_DIGEST_MAX_ATTEMPTS", 10))
        except ValueError as err:
            raise ValueError(f"JAJAK_INSTANT_THRESHOLD / JAJAK_DIGEST_MAX_ATTEMPTS: {err}") from err
        max_age = _age(settings, "JAJAK_DIGEST_MAX_AGE", "7d")
        channels = load_channels(settings)
        return cls(
            database_url=settings["JAJAK_DATABASE_URL"],
            sources_file=settings["JAJAK_SOURCES"],
            channels=tuple(channels),
            heartbeat=settings.getbool("JAJAK_HEARTBEAT", False),
            instant_threshold=instant,
            max_age=max_age or None,
            retry_base=_age(settings, "JAJAK_DIGEST_RETRY_BASE", "5m"),
            retry_max=_age(settings, "JAJAK_DIGEST_RETRY_MAX", "6h"),
            max_attempts=max(attempts, 1),
            claim_ttl=_age(settings, "JAJAK_DIGEST_CLAIM_TTL", "15m"),
            timezone=Config.of(settings).timezone,  # checked: an alias (WIB) is a zone name now
        )

    def retry_at(self, attempts_done: int, now: datetime) -> datetime | None:
        """When to try again after ``attempts_done`` failures; None once they are exhausted."""
        if attempts_done >= self.max_attempts:
            return None
        delay: timedelta = min(self.retry_base * 2 ** (attempts_done - 1), self.retry_max)
        return now + delay

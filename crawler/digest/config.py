"""The digest's settings (digest stage): the validated Config's alert values and the channels
they name, in one frozen value; a bad channel URL raises ValueError (alerts.ChannelError)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import alerts
from crawler.config import Config

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


def load_channels(config: Config) -> list[alerts.Channel]:
    """The configured channels (JAJAK_NOTIFY, JAJAK_APPRISE_CONFIG) with jajak's timeouts."""
    return alerts.load_channels(config.notify, config.apprise_config,
                                timeout=config.notify_timeout.total_seconds())


@dataclass(frozen=True)
class DigestConfig:
    """What a digest or an instant alert needs: the channels and the delivery rules."""

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
    def of(cls, config: Config) -> DigestConfig:
        """From the validated Config; loading the channels raises ValueError on a bad URL."""
        return cls(
            database_url=config.database_url,
            sources_file=config.sources_file,
            channels=tuple(load_channels(config)),
            heartbeat=config.heartbeat,
            instant_threshold=config.instant_threshold,
            max_age=config.digest_max_age or None,
            retry_base=config.digest_retry_base,
            retry_max=config.digest_retry_max,
            max_attempts=config.digest_max_attempts,
            claim_ttl=config.digest_claim_ttl,
            timezone=config.timezone,
        )

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> DigestConfig:
        """From Scrapy settings (checked into a Config first: ConfigError names a bad one)."""
        return cls.of(Config.of(settings))

    def retry_at(self, attempts_done: int, now: datetime) -> datetime | None:
        """When to try again after ``attempts_done`` failures; None once they are exhausted."""
        if attempts_done >= self.max_attempts:
            return None
        delay: timedelta = min(self.retry_base * 2 ** (attempts_done - 1), self.retry_max)
        return now + delay

"""Logging of the long-running jajak processes: one readable line per event on stderr, an
optional rotating log file, and every known secret (tokens, passwords of the Apprise URLs)
masked in both."""

from __future__ import annotations

import logging
import logging.handlers
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from alerts import zone_name
from alerts.channels import SecretFilter

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
DATEFMT = "%Y-%m-%d %H:%M:%S"


class ZoneFormatter(logging.Formatter):
    """Log lines stamped in the configured zone and labelled as everything jajak prints
    ("2026-12-05 14:30:00 WIB"), not in the host's unnamed local time."""

    def __init__(self, timezone: str) -> None:
        super().__init__(FORMAT)
        self.zone = ZoneInfo(timezone)
        self.timezone = timezone

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        local = datetime.fromtimestamp(record.created, self.zone)
        return f"{local.strftime(datefmt or DATEFMT)} {zone_name(local, self.timezone)}"


def setup_logging(level: str = "INFO", log_file: str | None = None, *, keep: int = 5,
                  max_bytes: int = 10 * 1024 * 1024, secrets: SecretFilter | None = None,
                  timezone: str = "Asia/Jakarta") -> None:
    """Configure the root logger; what ``secrets`` knows (the database password, the channels'
    credentials: made where the configuration is read) is masked in every line."""
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if log_file:
        Path(log_file).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.handlers.RotatingFileHandler(
            log_file, maxBytes=max_bytes, backupCount=keep, encoding="utf-8"))
    formatter = ZoneFormatter(timezone)
    for handler in handlers:
        handler.setFormatter(formatter)
        if secrets is not None:
            # A filter on the handler sees every record, whichever logger it came from.
            handler.addFilter(secrets)
    root = logging.getLogger()
    root.handlers[:] = handlers
    root.setLevel(level.upper())
    quiet_libraries()


# Libraries whose INFO lines are chatter to a reader of jajak's log: APScheduler ("Adding job
# tentatively", "Added job", "Running job ..." twice per run) and Alembic ("Context impl
# SQLiteImpl", "Will assume non-transactional DDL"). Their warnings and errors still show.
QUIET_LOGGERS = ("apscheduler", "alembic")


def quiet_libraries() -> None:
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)

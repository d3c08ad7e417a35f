"""Logging of the long-running jajak processes: one readable line per event on stderr, an
optional rotating log file, and every known secret (tokens, passwords of the Apprise URLs)
masked in both."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Iterable
from pathlib import Path

from alerts.channels import SECRETS

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
DATEFMT = "%Y-%m-%d %H:%M:%S"


def setup_logging(level: str = "INFO", log_file: str | None = None, *, keep: int = 5,
                  max_bytes: int = 10 * 1024 * 1024, secrets: Iterable[str] = ()) -> None:
    """Configure the root logger; ``secrets`` (e.g. the database password) are masked too."""
    SECRETS.secrets.update(s for s in secrets if len(s) >= 4)
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if log_file:
        Path(log_file).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.handlers.RotatingFileHandler(
            log_file, maxBytes=max_bytes, backupCount=keep, encoding="utf-8"))
    formatter = logging.Formatter(FORMAT, DATEFMT)
    for handler in handlers:
        handler.setFormatter(formatter)
        # A filter on the handler sees every record, whichever logger it came from.
        handler.addFilter(SECRETS)
    root = logging.getLogger()
    root.handlers[:] = handlers
    root.setLevel(level.upper())
    # APScheduler says "Running job ..." twice per run at INFO: keep its warnings only.
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)

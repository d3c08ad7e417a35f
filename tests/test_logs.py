"""Log lines: stamped in JAJAK_TIMEZONE with its label; no library chatter at INFO."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from crawler.logs import QUIET_LOGGERS, ZoneFormatter


@pytest.mark.parametrize(("zone", "stamp"), [
    ("Asia/Jakarta", "2026-12-05 11:30:00 WIB"),
    ("Asia/Makassar", "2026-12-05 12:30:00 WITA"),
    ("Asia/Jayapura", "2026-12-05 13:30:00 WIT"),
    ("UTC", "2026-12-05 04:30:00 UTC"),
])
def test_log_lines_are_stamped_in_the_configured_zone(zone, stamp):
    record = logging.LogRecord("crawler.daemon", logging.INFO, __file__, 1, "jajak daemon started", None, None)
    record.created = datetime(2026, 12, 5, 4, 30, tzinfo=UTC).timestamp()

    line = ZoneFormatter(zone).format(record)

    assert line.startswith(f"{stamp} INFO    crawler.daemon: jajak daemon started")


@pytest.mark.parametrize("name", ["apscheduler.scheduler", "apscheduler.executors.default",
                                  "alembic.runtime.migration", "alembic.runtime.plugins"])
def test_every_command_keeps_scheduler_and_migration_chatter_below_info(name):
    from crawler.startup import project_settings, start

    start(project_settings())

    assert {"apscheduler", "alembic"} <= set(QUIET_LOGGERS)
    assert not logging.getLogger(name).isEnabledFor(logging.INFO)
    assert logging.getLogger(name).isEnabledFor(logging.WARNING)


def test_every_log_line_has_the_secrets_it_was_given_masked(tmp_path):
    from alerts import SecretFilter
    from crawler.logs import setup_logging

    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging("INFO", str(tmp_path / "jajak.log"), secrets=SecretFilter(["db-pass-2026"]), timezone="UTC")
        logging.getLogger("sqlalchemy.pool").warning("cannot connect as jajak:db-pass-2026@db")
        for handler in root.handlers:
            handler.flush()
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers[:], level = saved
        root.setLevel(level)

    assert "cannot connect as jajak:****@db" in (tmp_path / "jajak.log").read_text(encoding="utf-8")

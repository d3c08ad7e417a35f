"""Is the configured database usable (store stage, at start-up): its SQLite file and directory,
its server, its login, its schema. Each problem is one line saying what to fix, instead of a
driver traceback in the middle of a command."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from crawler.storage.database import BUSY_TIMEOUT_S, Database
from crawler.storage.urls import database_url

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

_LOGIN = re.compile(r"password authentication failed|role \S+ does not exist|no pg_hba\.conf entry|"
                    r"authentication method|password is required|permission denied for database", re.I)
_SQLITE = {
    "readonly": "the database file is read-only (SQLite also needs to write next to it: check the "
                "permissions of the file and its directory)",
    "unable to open": "cannot open the database file",
    "not a database": "the file is not an SQLite database",
    "disk i/o": "disk I/O error on the database file",
}


class DatabaseUnavailable(Exception):
    """The database cannot be used; one line, without the URL (the caller names the setting)."""


def open_checked(url: str, *, write: bool = True, busy_timeout: float = BUSY_TIMEOUT_S,
                 data_dir: Path | None = None) -> None:
    """Open (and migrate) the database and close it again, or raise DatabaseUnavailable saying
    why not.

    A SQLite file's directory is created only inside ``data_dir`` (jajak's own var/); anywhere
    else a missing directory is a mistake in the path, reported rather than created.
    With ``write``, a write transaction is started and rolled back: a read-only or locked file
    is found now, not at the crawl's first insert.
    """
    parsed = database_url(url)
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_path(parsed.database or "", data_dir)
    try:
        with Database(url, busy_timeout=busy_timeout) as database:
            if write and parsed.get_backend_name() == "sqlite":
                # A real write, rolled back: SQLite opens a file it may not write read-only
                # without a word, and even BEGIN IMMEDIATE succeeds on such a file.
                with database.sessions() as session:
                    session.execute(text("UPDATE alembic_version SET version_num = version_num"))
                    session.rollback()
            elif write:
                with database.sessions() as session:
                    session.execute(text("SELECT 1"))
    except DBAPIError as err:
        raise DatabaseUnavailable(describe(err, parsed, busy_timeout)) from err


def _check_sqlite_path(database: str, data_dir: Path | None) -> None:
    if database in ("", ":memory:") or database.startswith("file:"):
        return
    path = Path(database).expanduser().absolute()
    parent = path.parent
    if path.is_dir():
        raise DatabaseUnavailable(f"{path} is a directory, not a database file")
    if parent.is_dir():
        return
    if data_dir is not None and parent.is_relative_to(data_dir):
        parent.mkdir(parents=True, exist_ok=True)
        return
    raise DatabaseUnavailable(f"directory {parent} does not exist (create it first; jajak creates "
                              "only its own var/ directory)")


def describe(err: DBAPIError, url: URL, busy_timeout: float = BUSY_TIMEOUT_S) -> str:
    """One line for a driver error: what is wrong and, where it is clear, what to do."""
    message = " ".join(str(err.orig).split()) or type(err.orig).__name__
    if url.get_backend_name() == "sqlite":
        lowered = message.lower()
        if "locked" in lowered or "busy" in lowered:
            return f"the database file is locked by another process (waited {busy_timeout:g} s)"
        for key, line in _SQLITE.items():
            if key in lowered:
                return f"{line}: {message}"
        return f"SQLite: {message}"
    # psycopg: 'connection failed: connection to server at "h", port 5432 failed: FATAL:  why'
    where = f"{url.host or 'localhost'}:{url.port or 5432}"
    reason = re.sub(r"^(FATAL|ERROR):\s*", "", message.rsplit(" failed: ", 1)[-1]).strip()
    reason = reason.split(" Is the server running")[0]
    if _LOGIN.search(message):
        return f"PostgreSQL at {where} refused the login: {reason}"
    if "Connection refused" in message:
        return f"cannot connect to PostgreSQL at {where}: connection refused (is the server running there?)"
    if "timeout expired" in message or "timed out" in message:
        return f"cannot connect to PostgreSQL at {where}: no answer (timeout)"
    if "translate host name" in message or "Name or service not known" in message:
        return f"cannot connect to PostgreSQL: unknown host {url.host!r}"
    return f"PostgreSQL at {where}: {reason}"

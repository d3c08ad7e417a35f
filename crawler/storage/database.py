"""Engines and schema upgrades for the store stage (SQLite and PostgreSQL via psycopg 3).

Whatever opens the database goes through Database, which applies pending Alembic migrations
first, so users' databases upgrade in place. Whoever opens one owns it: a crawl engine opens one
for all its crawls (crawler.crawl_database), the daemon one for its heartbeat, a command one for
what it does; each passes it to what needs it and closes it.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from crawler.storage.urls import database_url

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager

    from alembic.config import Config

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
# Migration files are named after their revision, numbered in order ("0008_crawl_locks.py"), so
# the head is the highest number (tests/test_storage.py checks it against Alembic's own view).
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")

BUSY_TIMEOUT_S = 30.0
# A PostgreSQL server that does not answer is reported after this long, not after TCP's minutes.
_CONNECT_TIMEOUT_S = 10


def _enable_wal(cursor: sqlite3.Cursor, busy_timeout: float) -> None:
    # Switching a fresh file to WAL needs an exclusive lock, and SQLite reports "locked" at
    # once, without calling the busy handler, when another process is switching it too.
    deadline = time.monotonic() + busy_timeout
    delay = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.25)


def _sqlite_pragmas(busy_timeout: float) -> Callable[[sqlite3.Connection, Any], None]:
    def set_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
            _enable_wal(cursor, busy_timeout)
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
        finally:
            cursor.close()

    return set_pragmas


def make_engine(url: str | URL, busy_timeout: float = BUSY_TIMEOUT_S) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout (seconds).

    The SQLite file's directory must exist (see crawler.storage.check): a typo in a path
    should not silently create a new, empty database somewhere else.
    """
    parsed = database_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() != "sqlite":
        connect_args = {} if "connect_timeout" in parsed.query else {"connect_timeout": _CONNECT_TIMEOUT_S}
        return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
    database = parsed.database or ""
    if database in ("", ":memory:"):
        # One shared connection, so every session of this engine sees the same in-memory DB.
        engine = create_engine(
            parsed, poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    else:
        engine = create_engine(parsed)
    event.listen(engine, "connect", _sqlite_pragmas(busy_timeout))
    return engine


def alembic_config(url: str | None = None) -> Config:
    """Alembic config pointing at the migrations bundled in this package (no alembic.ini)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest migration revision shipped with this package."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migration revisions found in {MIGRATIONS / 'versions'}")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for a database never upgraded."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def newest_revision_file() -> str | None:
    """The head revision as the migration files' names say it, read without Alembic."""
    numbers = [m.group(1) for f in (MIGRATIONS / "versions").iterdir() if (m := _REVISION_FILE.match(f.name))]
    return max(numbers, default=None)


def at_newest_revision(engine: Engine) -> bool:
    """Whether the database is at the head revision: one query, no Alembic import, so that a
    process whose database is up to date (every crawl engine, every command) does not pay for
    loading Alembic and reading its scripts."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        versions: Sequence[str] = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return versions == [newest_revision_file()]


def _upgrade_locked(connection: Connection) -> None:
    """Run pending migrations while holding a lock, so concurrent starters run them once."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        # Transaction-scoped, keyed by schema: released at commit; other schemas don't wait.
        connection.execute(
            text("SELECT pg_advisory_xact_lock(hashtext('jajak-migrate:' || current_schema()))")
        )
    elif dialect == "sqlite":
        # Take the write lock before reading alembic_version: the loser waits (busy_timeout),
        # then finds the database at head and does nothing.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
    connection.commit()


def upgrade(engine_or_url: Engine | str) -> None:
    """Apply pending migrations; a no-op at head and safe when two processes start at once."""
    engine = make_engine(engine_or_url) if isinstance(engine_or_url, str) else engine_or_url
    try:
        if at_newest_revision(engine):
            return
        with engine.connect() as connection:
            _upgrade_locked(connection)
        logger.info("database %s upgraded to revision %s", engine.url.render_as_string(), head_revision())
    finally:
        if engine is not engine_or_url:
            engine.dispose()


def _only_open(engine: Engine) -> None:
    """From now on the engine opens its SQLite file and never creates it. SQLite creates a
    missing file on connect: a daemon whose database was deleted under it made a new, empty one
    with its next connection (a heartbeat), went on in it, and took the deletion for a
    replacement. Now that connection fails, and identity.verify reports the deletion."""
    database = engine.url.database or ""
    if engine.url.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        return
    uri = Path(database).resolve().as_uri() + "?mode=rw"

    @event.listens_for(engine, "do_connect")
    def open_only(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> None:
        cargs[:1] = [uri]
        cparams["uri"] = True


class Database:
    """One opened database: its engine, its schema checked (and upgraded) once, and its session
    factory (`with database.begin() as session:`). ``with Database(url) as database:`` closes it."""

    def __init__(self, url: str, busy_timeout: float = BUSY_TIMEOUT_S) -> None:
        engine = make_engine(url, busy_timeout)
        try:
            upgrade(engine)
        except BaseException:
            engine.dispose()
            raise
        self.url = url
        self.engine = engine
        _only_open(engine)
        # Objects stay readable after the transaction block ends (CLI listings, digests).
        self.sessions: sessionmaker[Session] = sessionmaker(bind=engine, expire_on_commit=False)

    def begin(self) -> AbstractContextManager[Session]:
        """A session in a transaction, committed at the end of the block."""
        return self.sessions.begin()

    def close(self) -> None:
        """Close its connections (idempotent; an in-memory database is gone with them)."""
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def open_database(url: str, busy_timeout: float = BUSY_TIMEOUT_S) -> sessionmaker[Session]:
    """The session factory of a database opened for the caller alone (a test, a one-off
    listing): its engine lives as long as the factory. Code that opens the database for a while
    or more than once opens a Database and closes it."""
    return Database(url, busy_timeout).sessions

"""Which database this is (store step), so a running daemon notices when it is not any more.

A long-running daemon keeps its connections; deleting or replacing the SQLite file under it, or
dropping the schema, does not stop it: it goes on with the old file while its crawl children
open (and create) a new one, and articles already sent are stored again without their delivery
history. Every database carries a random instance id (table ``jajak_meta``, migration 0007);
the daemon reads it once at start, passes it to its crawl children
(``JAJAK_DATABASE_INSTANCE``), and checks that the database it was started with is still the one
at its URL.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from crawler.storage.urls import mask_database_url

META_TABLE = "jajak_meta"
INSTANCE_KEY = "instance"


class DatabaseGone(Exception):
    """The database a process started with was deleted, replaced or lost its schema; the
    message is one line naming it."""


@dataclass(frozen=True)
class DatabaseIdentity:
    url: str
    instance: str
    file: tuple[int, int] | None  # (device, inode) of a SQLite file


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and for memory)."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database).resolve()


def identify(url: str) -> DatabaseIdentity:
    """The identity of the (migrated) database at url. Raises DatabaseGone."""
    path = sqlite_file(url)
    stat = _stat(url, path)
    return DatabaseIdentity(url, _instance(url, path), stat)


def verify(expected: DatabaseIdentity) -> None:
    """Raise DatabaseGone unless url still leads to the database identified at start.

    A database that cannot be reached (a PostgreSQL restart) is not "gone": the caller's next
    query says why, and the next check tries again.
    """
    path = sqlite_file(expected.url)
    if path is not None and _stat(expected.url, path) != expected.file:
        raise _gone(expected.url, _what_took_its_place(expected.url, path))
    if _instance(expected.url, path) != expected.instance:
        raise _gone(expected.url, "was replaced by another database")


def check_instance(url: str, instance: str) -> None:
    """For a crawl child: the database at url is the one its daemon started with. A missing
    SQLite file is never created. Raises DatabaseGone."""
    path = sqlite_file(url)
    if path is not None and not path.exists():
        raise _gone(url, "was deleted")
    if _instance(url, path) != instance:
        raise _gone(url, "is not the one the daemon started with (replaced)")


def _what_took_its_place(url: str, path: Path) -> str:
    # Any SQLite connection opened at the path after the file was deleted (a pool of the
    # daemon's own, a crawl child started a moment before) creates an empty database there:
    # the user deleted the database, and must be told so, not that it was replaced.
    try:
        _instance(url, path)
    except DatabaseGone:
        return "was deleted (an empty database is in its place)"
    except sa.exc.SQLAlchemyError:  # not a SQLite database at all: something else is there
        pass
    return "was replaced by another file"


def _gone(url: str, what: str) -> DatabaseGone:
    return DatabaseGone(f"database {mask_database_url(url)} {what}")


def _stat(url: str, path: Path | None) -> tuple[int, int] | None:
    if path is None:
        return None
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise _gone(url, "was deleted") from None
    return (st.st_dev, st.st_ino)


def _instance(url: str, path: Path | None) -> str:
    # A fresh connection every time: a pooled one may still hold the deleted file open. A
    # SQLite file is opened read-only, so a check never creates one.
    target = f"sqlite:///file:{path}?mode=ro&uri=true" if path is not None else url
    engine = sa.create_engine(target, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table(META_TABLE):
                raise _gone(url, "lost its schema")
            value = connection.execute(
                sa.text(f"SELECT value FROM {META_TABLE} WHERE name = :name"), {"name": INSTANCE_KEY}
            ).scalar()
    except sa.exc.OperationalError as err:
        if path is not None and not path.exists():
            raise _gone(url, "was deleted") from err
        raise
    finally:
        engine.dispose()
    if value is None:
        raise _gone(url, "lost its schema")
    return str(value)

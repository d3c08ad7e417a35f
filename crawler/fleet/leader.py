"""One scheduler at a time (when stage): the scheduler that holds a PostgreSQL session-level
advisory lock schedules; a standby waits for it, and says so with a heartbeat (`jajak status`).

PostgreSQL releases the lock when the holder's connection ends (its process died, its machine
stopped), so the standby takes over without a lease of our own.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from crawler.storage.daemon import (
    STANDBY_PREFIX,
    Heartbeat,
    forget_heartbeat,
    forget_workers,
    record_heartbeat,
    standby_key,
)
from crawler.storage.locks import this_host

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from crawler.storage import Database

logger = logging.getLogger(__name__)

# The advisory lock key of the scheduler role ("jajak" in ASCII); any other user of advisory
# locks in the same database must pick another.
SCHEDULER_KEY = 0x6A616A616B


class Leadership:
    """The scheduler lock, held on a connection of its own for as long as this process runs."""

    def __init__(self, database_url: str, key: int = SCHEDULER_KEY) -> None:
        self.engine = create_engine(database_url, poolclass=NullPool)  # closing ends the session
        self.key = key
        self.connection: Connection | None = None

    def try_acquire(self) -> bool:
        """Take the lock if no one holds it; True when this process holds it now."""
        if self.connection is not None:
            return True
        try:
            connection = self.engine.connect()
            held = bool(connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}))
            connection.commit()  # the lock is the session's, not the transaction's
        except SQLAlchemyError as err:  # the server restarting: try again at the next poll
            logger.warning("scheduler lock: %s", str(err).splitlines()[0])
            return False
        if held:
            self.connection = connection
        else:
            connection.close()
        return held

    def wait(self, poll: float, stop: threading.Event, standing_by: Callable[[], None] | None = None) -> bool:
        """Block until this process holds the lock (True) or ``stop`` is set (False);
        ``standing_by`` is called at every poll the lock is not had (a heartbeat)."""
        announced = False
        while not stop.is_set():
            if self.try_acquire():
                return True
            if not announced:
                logger.info("another scheduler holds the scheduler lock: standing by")
                announced = True
            if standing_by is not None:
                standing_by()
            stop.wait(poll)
        return False

    def holds(self) -> bool:
        """Whether the lock's connection is still alive (it is lost with the connection)."""
        if self.connection is None:
            return False
        try:
            self.connection.scalar(text("SELECT 1"))
            self.connection.commit()
        except SQLAlchemyError:
            return False
        return True

    def release(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(SQLAlchemyError):  # a dead connection holds nothing
                self.connection.close()  # ends the session, which releases the lock
            self.connection = None
        self.engine.dispose()


def standby_heartbeat(database: Database, every: float) -> Callable[..., None]:
    """A function recording in ``database`` that this scheduler stands by (`jajak status` lists
    the standbys), called every ``every`` seconds; called with ``ended`` when it stops standing
    by, which drops its row."""
    started = datetime.now(UTC)
    key = standby_key(this_host(), os.getpid())
    recorded = threading.Event()

    def beat(ended: bool = False) -> None:
        if ended and not recorded.is_set():
            return  # it never stood by: it took the lock at once
        try:
            with database.begin() as session:
                if ended:
                    forget_heartbeat(session, key)
                    return
                if not recorded.is_set():  # the rows of standbys killed a day ago or more go
                    forget_workers(session, started, STANDBY_PREFIX)
                record_heartbeat(session, Heartbeat(os.getpid(), this_host(), started, datetime.now(UTC),
                                                    every), key)
                recorded.set()
        except SQLAlchemyError as err:
            logger.warning("standby heartbeat not recorded: %s", str(err).splitlines()[0])

    return beat


def lock_held(session: Session, key: int = SCHEDULER_KEY) -> bool:
    """Whether some scheduler holds the scheduler lock of this database now (pg_locks, which any
    role may read: a bigint key is split into classid, high, and objid, low)."""
    return bool(session.scalar(text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND classid = :high AND objid = :low"), {"high": key >> 32, "low": key & 0xFFFFFFFF}))

"""One crawl per source at a time (store stage): the crawl process claims its source's row in
crawl_locks before it starts, renews it while it runs and deletes it at the end.

The lock lives in the database, so it holds across processes and machines that share it. A
holder that died without releasing (SIGKILL, power loss) loses the row when it expires, or at
once when it ran on this host and its pid is gone. Runs of a source left unfinished are closed
as "interrupted" by the process that claims it next: whoever holds the lock knows no one else
is crawling that source.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError

from crawler.storage.models import CrawlLock, CrawlRun, utcnow
from crawler.storage.repository import REFUSED, close_counts, dialect_insert, finish_run, start_run

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from sqlalchemy import CursorResult
    from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger(__name__)

LOCK_TTL = timedelta(minutes=5)  # a holder that stops renewing loses the lock after this long
RENEW_EVERY = 60.0  # seconds between renewals by a live holder
RELEASE_RETRY = 2.0  # seconds between tries to release a lock while the database is away
INTERRUPTED = "interrupted"  # finish reason of a run whose process ended without recording it
LEFT_OPEN = "the crawl process ended without recording an end (killed, or the machine stopped)"


def this_host() -> str:
    return socket.gethostname()[:255]


def pid_alive(pid: int | None) -> bool:
    """Whether a process with this pid runs on this host (a zombie does not count)."""
    if not pid or pid < 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (not Linux): the signal test is all there is
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


@dataclass(frozen=True)
class Holder:
    """Who holds a source's lock."""

    pid: int
    host: str
    acquired_at: datetime
    expires_at: datetime

    def describe(self, since: str | None = None) -> str:
        """One line naming the holder; ``since`` is when it took the lock as the caller shows
        times (JAJAK_TIMEZONE), UTC when not given."""
        return (f"already being crawled by pid {self.pid} on host {self.host} "
                f"(since {since or f'{self.acquired_at:%Y-%m-%d %H:%M:%S} UTC'})")


class SourceBusy(Exception):
    """Another live process holds the source's lock; the message names it."""

    def __init__(self, holder: Holder) -> None:
        super().__init__(holder.describe())
        self.holder = holder


def is_live(lock: CrawlLock, now: datetime, host: str | None = None) -> bool:
    """A lock counts while it has not expired and, when held on this host, its process lives."""
    if lock.expires_at <= now:
        return False
    return not (lock.host == (host or this_host()) and not pid_alive(lock.pid))


def _changed(result: Any) -> int:
    """Rows an INSERT, UPDATE or DELETE changed (a CursorResult's rowcount)."""
    return int(cast("CursorResult[Any]", result).rowcount)


def _holder(lock: CrawlLock) -> Holder:
    return Holder(lock.pid, lock.host, lock.acquired_at, lock.expires_at)


def claim(session: Session, source_id: int, owner: str, *, pid: int, host: str,
          now: datetime | None = None, ttl: timedelta = LOCK_TTL) -> Holder | None:
    """Take the source's lock for ``owner``; None when taken, else the live holder.

    Atomic on SQLite and PostgreSQL: the insert of a free lock and the take-over of a dead
    holder's are each one statement that only one of two racing processes can win.
    """
    now = now or utcnow()
    values = {"owner": owner, "pid": pid, "host": host, "acquired_at": now, "expires_at": now + ttl}
    inserted = session.execute(
        dialect_insert(session, CrawlLock).values(source_id=source_id, **values)
        .on_conflict_do_nothing(index_elements=["source_id"])
    )
    if _changed(inserted) == 1:
        return None
    lock = session.scalars(
        select(CrawlLock).where(CrawlLock.source_id == source_id).execution_options(populate_existing=True)
    ).one_or_none()
    if lock is None:  # released between the two statements: try once more
        return claim(session, source_id, owner, pid=pid, host=host, now=now, ttl=ttl)
    if lock.owner == owner:
        return None
    if is_live(lock, now, host):
        return _holder(lock)
    taken = session.execute(
        update(CrawlLock).where(CrawlLock.source_id == source_id, CrawlLock.owner == lock.owner)
        .values(**values).execution_options(synchronize_session=False)
    )
    if _changed(taken) == 1:
        return None
    lock = session.scalars(
        select(CrawlLock).where(CrawlLock.source_id == source_id).execution_options(populate_existing=True)
    ).one()
    return _holder(lock)


def renew(session: Session, source_id: int, owner: str, *, now: datetime | None = None,
          ttl: timedelta = LOCK_TTL) -> bool:
    """Move the lock's expiry on; False when ``owner`` does not hold it any more."""
    now = now or utcnow()
    result = session.execute(
        update(CrawlLock).where(CrawlLock.source_id == source_id, CrawlLock.owner == owner)
        .values(expires_at=now + ttl).execution_options(synchronize_session=False)
    )
    return _changed(result) == 1


def release(session: Session, source_id: int, owner: str) -> None:
    session.execute(delete(CrawlLock).where(CrawlLock.source_id == source_id, CrawlLock.owner == owner)
                    .execution_options(synchronize_session=False))


def live_locks(session: Session, now: datetime | None = None) -> dict[int, Holder]:
    """Per source id, the live holder of its lock (read only)."""
    now = now or utcnow()
    host = this_host()
    return {lock.source_id: _holder(lock) for lock in session.scalars(select(CrawlLock))
            if is_live(lock, now, host)}


def close_runs(session: Session, source_id: int | None, stats: Mapping[str, Any] | None = None) -> int:
    """Close the unfinished runs of a source (of every source without a live lock and whose
    process is gone, when ``source_id`` is None) as interrupted; returns how many."""
    query = select(CrawlRun).where(CrawlRun.finished_at.is_(None))
    if source_id is not None:
        query = query.where(CrawlRun.source_id == source_id)
        runs = list(session.scalars(query))
    else:
        locked = live_locks(session)
        runs = [r for r in session.scalars(query) if r.source_id not in locked and not pid_alive(r.pid)]
    for run in runs:
        finish_run(session, run.id, **close_counts(session, run), errors=run.errors,
                   finish_reason=INTERRUPTED, channel=run.channel, stats={**(run.stats or {}), **(stats or {})})
    return len(runs)


class SourceLock:
    """Holds a source's lock while a crawl runs: ``with SourceLock(sessions, source_id):``.

    Entering claims it (raises SourceBusy), a thread renews it every RENEW_EVERY seconds, and
    leaving deletes it. ``on_claim(session)`` runs in the claiming transaction.
    """

    def __init__(self, sessions: sessionmaker[Session], source_id: int, *,
                 ttl: timedelta = LOCK_TTL, renew_every: float = RENEW_EVERY) -> None:
        self.sessions = sessions
        self.source_id = source_id
        self.ttl = ttl
        self.renew_every = renew_every
        self.owner = uuid.uuid4().hex
        self.lost = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def claim(self, on_claim: Callable[[Session], object] | None = None) -> None:
        with self.sessions.begin() as session:
            holder = claim(session, self.source_id, self.owner, pid=os.getpid(), host=this_host(), ttl=self.ttl)
            if holder is not None:
                raise SourceBusy(holder)
            if on_claim is not None:
                on_claim(session)
        self._thread = threading.Thread(target=self._renew, name="jajak-crawl-lock", daemon=True)
        self._thread.start()

    def _renew(self) -> None:
        while not self._stop.wait(self.renew_every):
            try:
                with self.sessions.begin() as session:
                    if not renew(session, self.source_id, self.owner, ttl=self.ttl):
                        self.lost = True
                        logger.error("the crawl lock of source %d was taken over (not renewed in time)",
                                     self.source_id)
                        return
            except SQLAlchemyError as err:  # a server restarting: try again at the next turn
                logger.warning("could not renew the crawl lock: %s", str(err).splitlines()[0])

    def release(self) -> None:
        """Delete the lock; when the database cannot be written, raise, and delete it in a thread
        as soon as the database is back."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        try:
            self._delete()
        except SQLAlchemyError as err:
            # Left in place, the row names this process, which lives on in a long-running engine
            # (a fleet worker): the source would be refused as "already being crawled" on this
            # host, and on others, until the lock expired (LOCK_TTL) after a database restart.
            logger.warning("could not release the crawl lock of source %d (released once the database "
                           "is back): %s", self.source_id, str(err).splitlines()[0])
            threading.Thread(target=self._release_later, name="jajak-crawl-unlock", daemon=True).start()
            raise

    def _delete(self) -> None:
        with self.sessions.begin() as session:
            release(session, self.source_id, self.owner)

    def _release_later(self) -> None:
        deadline = time.monotonic() + self.ttl.total_seconds()  # then it has expired anyway
        while time.monotonic() < deadline:
            time.sleep(RELEASE_RETRY)
            try:
                self._delete()
            except SQLAlchemyError:
                continue
            logger.info("crawl lock of source %d released", self.source_id)
            return

    def __enter__(self) -> SourceLock:
        self.claim()
        return self

    def __exit__(self, *_: object) -> None:
        self.release()



def hold_source(sessions: sessionmaker[Session], source_id: int,
                stats: Mapping[str, Any] | None = None) -> tuple[SourceLock, int]:
    """Claim a source for one crawl (raises SourceBusy): the held lock, and how many runs of the
    source left open by a process that died were closed as interrupted meanwhile (holding the
    lock, we know no one else is crawling it)."""
    lock = SourceLock(sessions, source_id)
    closed: list[int] = []
    lock.claim(on_claim=lambda session: closed.append(close_runs(session, source_id, stats)))
    return lock, closed[0]


def record_refused(sessions: sessionmaker[Session], source_id: int, pid: int,
                   stats: Mapping[str, Any]) -> int:
    """A crawl refused because its source is held: a run that says so (nothing else stored)."""
    with sessions.begin() as session:
        run_id = start_run(session, source_id, pid)
        finish_run(session, run_id, pages=0, new_articles=0, matches=0, errors=0,
                   finish_reason=REFUSED, channel=None, stats=dict(stats))
    return run_id

"""Store stage, the heartbeats of the daemon and of the fleet's workers: which process runs
`jajak run` (or `jajak worker`) on this database and when it last said so, so `jajak status` can
tell whether the daemon is running and which workers are, and which schedulers stand by.

One row of ``jajak_meta`` per process (name ``daemon``, ``worker:HOST:PID``, or
``standby:HOST:PID`` for a `jajak run` waiting for the scheduler lock; a JSON value): it is
written when the process starts, every ``JAJAK_DATABASE_WATCH`` seconds while it runs, and once
more, marked stopped, when it stops cleanly (a standby's row goes when it stops standing by). A
process that was killed stops writing it: its heartbeat grows old.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from crawler.storage.models import MetaRow

DAEMON_KEY = "daemon"
WORKER_PREFIX = "worker:"
STANDBY_PREFIX = "standby:"
# A worker's row is dropped by the next worker to start once it is this old (stopped or killed).
_FORGET_WORKERS = timedelta(days=1)
# A heartbeat counts as "running" for this many of its intervals (a busy database or a slow
# check may delay one beat, not three).
MISSED_BEATS = 3


@dataclass(frozen=True)
class Heartbeat:
    """The daemon's last word: who (pid, host), since when, last seen, every how many seconds."""

    pid: int
    host: str
    started_at: datetime
    seen_at: datetime
    every: float  # seconds between beats
    stopped: bool = False
    crawling: int | None = None  # a worker's crawls under way at its last beat

    def running(self, now: datetime) -> bool:
        """Running: not stopped, and a beat within the last few intervals (never less than a minute)."""
        window = timedelta(seconds=max(self.every * MISSED_BEATS, 60.0))
        return not self.stopped and now - self.seen_at <= window


def worker_key(host: str, pid: int, prefix: str = WORKER_PREFIX) -> str:
    return f"{prefix}{host[:40]}:{pid}"  # within the 64 characters of a name


def standby_key(host: str, pid: int) -> str:
    return worker_key(host, pid, STANDBY_PREFIX)


def record_heartbeat(session: Session, beat: Heartbeat, key: str = DAEMON_KEY) -> None:
    value = {**asdict(beat), "started_at": beat.started_at.isoformat(), "seen_at": beat.seen_at.isoformat()}
    row = session.get(MetaRow, key)
    if row is None:
        session.add(MetaRow(name=key, value=json.dumps(value)))
    else:
        row.value = json.dumps(value)
    session.flush()


def last_heartbeat(session: Session) -> Heartbeat | None:
    """The daemon's last heartbeat; None when no daemon ever ran on this database (or the row is
    not one this version can read)."""
    row = session.get(MetaRow, DAEMON_KEY)
    return None if row is None else _read(row.value)


def worker_heartbeats(session: Session, prefix: str = WORKER_PREFIX) -> list[Heartbeat]:
    """The last heartbeat of every worker (``prefix``: standby scheduler) that ran on this
    database (and was not forgotten), by host and pid."""
    rows = session.scalars(select(MetaRow).where(MetaRow.name.startswith(prefix, autoescape=True)))
    beats = [beat for row in rows if (beat := _read(row.value)) is not None]
    return sorted(beats, key=lambda beat: (beat.host, beat.pid))


def standby_heartbeats(session: Session) -> list[Heartbeat]:
    """The last heartbeat of every scheduler standing by (or killed while it stood by)."""
    return worker_heartbeats(session, STANDBY_PREFIX)


def forget_workers(session: Session, now: datetime, prefix: str = WORKER_PREFIX) -> int:
    """Drop the rows of workers (``prefix``: standby schedulers) stopped or silent for a day;
    how many."""
    old = [worker_key(beat.host, beat.pid, prefix) for beat in worker_heartbeats(session, prefix)
           if now - beat.seen_at > _FORGET_WORKERS]
    if old:
        session.execute(delete(MetaRow).where(MetaRow.name.in_(old)))
    return len(old)


def forget_heartbeat(session: Session, key: str) -> None:
    """Drop one process's row (a standby that stopped standing by)."""
    session.execute(delete(MetaRow).where(MetaRow.name == key))


def _read(text: str) -> Heartbeat | None:
    try:
        value = json.loads(text)
        crawling = value.get("crawling")
        return Heartbeat(
            pid=int(value["pid"]), host=str(value["host"]),
            started_at=datetime.fromisoformat(value["started_at"]),
            seen_at=datetime.fromisoformat(value["seen_at"]),
            every=float(value["every"]), stopped=bool(value.get("stopped", False)),
            crawling=None if crawling is None else int(crawling),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None

"""Store stage, the daemon's heartbeat: which process runs `jajak run` on this database and when
it last said so, so `jajak status` can tell whether the daemon is running.

One row of ``jajak_meta`` (name ``daemon``, a JSON value): the daemon writes it when it starts,
every ``JAJAK_DATABASE_WATCH`` seconds while it runs, and once more, marked stopped, when it
stops cleanly. A daemon that was killed stops writing it: its heartbeat grows old.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from crawler.storage.models import MetaRow

DAEMON_KEY = "daemon"
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

    def running(self, now: datetime) -> bool:
        """Running: not stopped, and a beat within the last few intervals (never less than a minute)."""
        window = timedelta(seconds=max(self.every * MISSED_BEATS, 60.0))
        return not self.stopped and now - self.seen_at <= window


def record_heartbeat(session: Session, beat: Heartbeat) -> None:
    value = {**asdict(beat), "started_at": beat.started_at.isoformat(), "seen_at": beat.seen_at.isoformat()}
    row = session.get(MetaRow, DAEMON_KEY)
    if row is None:
        session.add(MetaRow(name=DAEMON_KEY, value=json.dumps(value)))
    else:
        row.value = json.dumps(value)
    session.flush()


def last_heartbeat(session: Session) -> Heartbeat | None:
    """The daemon's last heartbeat; None when no daemon ever ran on this database (or the row is
    not one this version can read)."""
    row = session.get(MetaRow, DAEMON_KEY)
    if row is None:
        return None
    try:
        value = json.loads(row.value)
        return Heartbeat(
            pid=int(value["pid"]), host=str(value["host"]),
            started_at=datetime.fromisoformat(value["started_at"]),
            seen_at=datetime.fromisoformat(value["seen_at"]),
            every=float(value["every"]), stopped=bool(value.get("stopped", False)),
        )
    except (ValueError, KeyError, TypeError):
        return None

"""Store stage, source health: the last verdict per source and what was last announced.

``state``/``reason``/``since`` is the current verdict (crawler.health); ``notified_state`` is
the state the channels were last told about, so an incident is announced once and its end
once, whatever the number of checks in between.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import UTC, datetime

from sqlalchemy import ForeignKey, MetaData, String, Table, Text, func, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from crawler.storage.models import Article, Base, CrawlRun, Delivery, SourceRow, utcnow
from crawler.storage.repository import REFUSED


class SourceHealth(Base):
    __tablename__ = "source_health"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    since: Mapped[datetime] = mapped_column(default=utcnow)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    notified_state: Mapped[str] = mapped_column(String(16), default="healthy")
    notified_at: Mapped[datetime | None]


def recent_runs(session: Session, source_id: int, limit: int = 50) -> list[CrawlRun]:
    """A source's crawl runs, newest first (not those refused because it was being crawled)."""
    return list(
        session.scalars(
            select(CrawlRun)
            .where(CrawlRun.source_id == source_id, CrawlRun.finish_reason.is_distinct_from(REFUSED))
            .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
            .limit(limit)
        )
    )


def recent_runs_by_source(session: Session, limit: int = 50,
                          only: Collection[int] | None = None) -> dict[int, list[CrawlRun]]:
    """recent_runs of every source (or of the source ids ``only``) in one query: per source id,
    its runs newest first."""
    order = (CrawlRun.started_at.desc(), CrawlRun.id.desc())
    picked = [CrawlRun.source_id.in_(sorted(only))] if only is not None else []
    ranked = (
        select(CrawlRun.id, func.row_number().over(partition_by=CrawlRun.source_id, order_by=order).label("n"))
        .where(CrawlRun.finish_reason.is_distinct_from(REFUSED), *picked)
        .subquery()
    )
    runs: dict[int, list[CrawlRun]] = {}
    stmt = select(CrawlRun).join(ranked, ranked.c.id == CrawlRun.id).where(ranked.c.n <= limit)
    for run in session.scalars(stmt.order_by(CrawlRun.source_id, *order)):
        runs.setdefault(run.source_id, []).append(run)
    return runs


def source_ids(session: Session) -> dict[str, int]:
    """Per source name, its id (read only: unlike ensure_source, nothing is created)."""
    return {name: source_id for name, source_id in session.execute(select(SourceRow.name, SourceRow.id))}


def get_health(session: Session, source_id: int) -> SourceHealth | None:
    return session.get(SourceHealth, source_id)


def set_health(session: Session, source_id: int, state: str, reason: str) -> SourceHealth:
    """Record the current verdict; ``since`` moves only when the state changes."""
    row = session.get(SourceHealth, source_id)
    now = utcnow()
    if row is None:
        row = SourceHealth(source_id=source_id, state=state, reason=reason, since=now,
                           checked_at=now, notified_state="healthy")
        session.add(row)
    else:
        if row.state != state:
            row.since = now
        row.state, row.reason, row.checked_at = state, reason, now
    session.flush()
    return row


def mark_notified(session: Session, source_id: int, state: str) -> None:
    row = session.get(SourceHealth, source_id)
    if row is not None:
        row.notified_state = state
        row.notified_at = utcnow()
        session.flush()


def health_by_source(session: Session) -> dict[str, SourceHealth]:
    rows = session.execute(select(SourceRow.name, SourceHealth).join(SourceHealth))
    return {name: health for name, health in rows}


def source_counts(session: Session, new_since: datetime, matches_since: datetime) -> dict[str, tuple[int, int]]:
    """Per source name: articles first seen since ``new_since``, matches since ``matches_since``."""
    # Grouped by source id, each count read from an index (first_seen_at, match), not a join
    # over every stored article.
    names = dict(session.execute(select(SourceRow.id, SourceRow.name)).tuples().all())
    # Counted here: grouped in SQL, SQLite walks the source_id index over every article instead.
    new = Counter(session.scalars(select(Article.source_id).where(Article.first_seen_at >= new_since)))
    matches = dict(session.execute(
        select(Article.source_id, func.count())
        .where(Article.match.is_(True), Article.first_seen_at >= matches_since).group_by(Article.source_id)
    ).tuples().all())
    return {names[i]: (int(new.get(i, 0)), int(matches.get(i, 0))) for i in {*new, *matches} if i in names}


def scheduled_jobs(session: Session, table: str = "apscheduler_jobs") -> list[tuple[str, datetime | None]]:
    """The daemon's jobs and their next run time, read from APScheduler's job store table."""
    if not inspect(session.get_bind()).has_table(table):
        return []
    jobs = Table(table, MetaData(), autoload_with=session.get_bind())
    rows = session.execute(select(jobs.c.id, jobs.c.next_run_time).order_by(jobs.c.next_run_time, jobs.c.id))
    return [(job_id, datetime.fromtimestamp(ts, UTC) if ts is not None else None) for job_id, ts in rows.tuples()]


def last_digest(session: Session) -> datetime | None:
    """When a digest was last delivered to any channel."""
    return session.scalar(select(func.max(Delivery.sent_at)).where(Delivery.status == "sent"))

"""All SQL of the store stage: the crawl pipeline, jobs and CLI read and write through these.

Every function takes a Session and never commits: the caller owns the transaction
(`with sessions.begin() as session:`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, func, select, true, union
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from crawler.storage.links import StoredShingles, link_matches
from crawler.storage.models import SEEN_KINDS, Article, CrawlRun, SeenUrl, SourceRow, utcnow

# Finish reason of a crawl refused because another process was crawling its source
# (crawler.storage.locks): recorded, but not a crawl of the site, so history and health skip it.
REFUSED = "already_running"
_COUNTED = CrawlRun.finish_reason.is_distinct_from(REFUSED)

_ARTICLE_FIELDS = frozenset(Article.__table__.columns.keys()) - {"id"}
_REQUIRED_FIELDS = frozenset({"source_id", "url", "title", "text"})


def dialect_insert(session: Session, model: type[Any]) -> Any:
    """INSERT for the session's backend, so ON CONFLICT DO NOTHING is available."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return pg_insert(model)
    if dialect == "sqlite":
        return sqlite_insert(model)
    raise ValueError(f"unsupported database {dialect!r}: jajak stores to SQLite or PostgreSQL")


def content_hash(text: str) -> str:
    """SHA-1 hex digest of an article's text, used to notice changed content."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def ensure_source(session: Session, name: str, url: str) -> SourceRow:
    """Return the row for source `name`, creating it or updating its url."""
    # ON CONFLICT instead of select-then-insert: two crawls may start at once.
    session.execute(
        dialect_insert(session, SourceRow)
        .values(name=name, url=url)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    row = session.scalars(select(SourceRow).where(SourceRow.name == name)).one()
    if row.url != url:
        row.url = url
        session.flush()
    return row


def known_urls(session: Session, source_id: int) -> set[str]:
    """URLs a crawl of this source can skip: its articles (canonical and fetched) and seen URLs."""
    query = union(
        select(Article.url).where(Article.source_id == source_id),
        select(Article.fetched_url).where(Article.source_id == source_id),
        select(SeenUrl.url).where(SeenUrl.source_id == source_id),
    )
    return set(session.scalars(query))


def add_articles(session: Session, rows: Sequence[Mapping[str, Any]], *, link: bool = True,
                 known: StoredShingles | None = None) -> list[str]:
    """Insert articles, skipping URLs already stored; return the URLs actually inserted.

    Each row maps Article column names to values; `url`, `source_id`, `title` and `text` are
    required, `fetched_url` defaults to `url` and `content_hash` to the SHA-1 of `text`. New
    matches are linked to the stored matches telling the same story (crawler.storage.links);
    ``link=False`` leaves that to the next store or web read (a database older than the story
    tables, as tests of migrations write them). ``known``: the caller's keys of stored matches,
    kept across calls (crawler.storage.links.StoredShingles), which make linking cheaper.
    """
    if not rows:
        return []
    now = utcnow()
    prepared = []
    for row in rows:
        unknown = row.keys() - _ARTICLE_FIELDS
        if unknown:
            raise ValueError(f"unknown article field(s): {', '.join(sorted(unknown))}")
        missing = _REQUIRED_FIELDS - row.keys()
        if missing:
            raise ValueError(
                f"article {row.get('url')!r} lacks field(s): {', '.join(sorted(missing))}"
            )
        item = dict(row)
        item["fetched_url"] = item.get("fetched_url") or item["url"]
        item["content_hash"] = item.get("content_hash") or content_hash(item["text"])
        item.setdefault("first_seen_at", now)
        prepared.append(item)
    stmt = (
        dialect_insert(session, Article)
        .on_conflict_do_nothing(index_elements=["url"])
        .returning(Article.url)
    )
    inserted = set(session.scalars(stmt, prepared))
    if link and any(item.get("match") and item["url"] in inserted for item in prepared):
        link_matches(session, known)
    # Report in input order, each URL once, whatever order RETURNING used.
    return list(dict.fromkeys(item["url"] for item in prepared if item["url"] in inserted))


def mark_seen(session: Session, source_id: int, url: str, kind: str) -> None:
    """Remember a fetched URL that was not an article; repeated calls change nothing."""
    if kind not in SEEN_KINDS:
        raise ValueError(f"kind must be one of {', '.join(SEEN_KINDS)}, got {kind!r}")
    session.execute(
        dialect_insert(session, SeenUrl)
        .values(url=url, source_id=source_id, kind=kind, seen_at=utcnow())
        .on_conflict_do_nothing(index_elements=["url"])
    )


def start_run(session: Session, source_id: int, pid: int) -> int:
    """Record the start of a crawl and return its id."""
    run = CrawlRun(source_id=source_id, pid=pid, started_at=utcnow())
    session.add(run)
    session.flush()
    return run.id


def finish_run(
    session: Session,
    run_id: int,
    *,
    pages: int,
    new_articles: int,
    matches: int,
    errors: int,
    finish_reason: str,
    channel: str | None,
    stats: Mapping[str, Any] | None,
) -> None:
    """Record how a crawl ended."""
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise LookupError(f"no crawl run with id {run_id}")
    run.finished_at = utcnow()
    run.pages = pages
    run.new_articles = new_articles
    run.matches = matches
    run.errors = errors
    run.finish_reason = finish_reason
    run.channel = channel
    run.stats = dict(stats) if stats is not None else None
    session.flush()


def last_run(session: Session, source_id: int, *, refused: bool = False) -> CrawlRun | None:
    """The most recently started crawl of a source, finished or not (a refused one only with
    ``refused``)."""
    return session.scalars(
        select(CrawlRun)
        .where(CrawlRun.source_id == source_id, true() if refused else _COUNTED)
        .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
        .limit(1)
    ).first()


def run_of(session: Session, source_id: int, pid: int, since: datetime) -> CrawlRun | None:
    """The crawl of a source that process ``pid`` started at or after ``since``, if any."""
    return session.scalars(
        select(CrawlRun)
        .where(CrawlRun.source_id == source_id, CrawlRun.pid == pid, CrawlRun.started_at >= since)
        .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
        .limit(1)
    ).first()


def has_articles(session: Session, source_id: int) -> bool:
    """Whether any article of this source is stored (a first crawl backfills deeper)."""
    return bool(session.scalar(select(exists().where(Article.source_id == source_id))))


def list_articles(
    session: Session,
    *,
    matches_only: bool = False,
    source: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
) -> list[Article]:
    """Articles newest first by published date (first-seen time when undated).

    Args:
        source: a source name.
        since: keep articles whose published (or first-seen) time is at or after this aware time.
    """
    when = func.coalesce(Article.published, Article.first_seen_at)
    stmt = select(Article)
    if matches_only:
        stmt = stmt.where(Article.match.is_(True))
    if source is not None:
        source_ids = select(SourceRow.id).where(SourceRow.name == source)
        stmt = stmt.where(Article.source_id.in_(source_ids))
    if since is not None:
        stmt = stmt.where(when >= since)
    stmt = stmt.order_by(when.desc(), Article.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def article_count(session: Session, source_id: int | None = None) -> int:
    """Number of stored articles, of one source or of all."""
    stmt = select(func.count()).select_from(Article)
    if source_id is not None:
        stmt = stmt.where(Article.source_id == source_id)
    return int(session.scalar(stmt) or 0)


def close_counts(session: Session, run: CrawlRun) -> dict[str, int]:
    """pages, new_articles and matches of a run that ended without recording them (killed, timed
    out, crashed): what it stored is in the articles table, whatever its row says."""
    stored, matched = session.execute(
        select(func.count(), func.count().filter(Article.match.is_(True)))
        .select_from(Article)
        .where(Article.crawl_run_id == run.id)
    ).one()
    return {
        "pages": max(run.pages, int(stored)),
        "new_articles": max(run.new_articles, int(stored)),
        "matches": max(run.matches, int(matched)),
    }


def source_health(session: Session) -> dict[str, bool]:
    """Whether each known source is healthy: the daemon's verdict (source_health, see
    crawler/health.py) where there is one, else "its last crawl finished without errors".

    The one definition of "healthy" (digest header, heartbeat, status).
    """
    from crawler.storage.health import SourceHealth

    verdicts = {row.source_id: row.state for row in session.scalars(select(SourceHealth))}
    healthy: dict[str, bool] = {}
    for source in session.scalars(select(SourceRow).order_by(SourceRow.name)):
        if source.id in verdicts:
            healthy[source.name] = verdicts[source.id] == "healthy"
            continue
        run = last_run(session, source.id)
        healthy[source.name] = run is not None and run.finish_reason == "finished" and run.errors == 0
    return healthy


def crawled_sources(session: Session, since: datetime | None = None) -> int:
    """Number of sources with a crawl started at or after ``since`` (ever, when None)."""
    stmt = select(func.count(func.distinct(CrawlRun.source_id))).where(_COUNTED)
    if since is not None:
        stmt = stmt.where(CrawlRun.started_at >= since)
    return int(session.scalar(stmt) or 0)


def previous_crawl_complete(
    session: Session, source_id: int, current_pid: int, full_walk_within: timedelta | None = None
) -> bool:
    """Whether the source's latest crawl before this one listed and fetched everything new
    (and, with ``full_walk_within``, whether a complete full walk happened that recently).

    A crawl that was cut (max_pages), killed, interrupted or had failed articles leaves a gap
    that a feed cannot be trusted to cover; the next crawl then walks its channels fully. The
    periodic full walk catches what a feed never shows (back-dated or re-published posts).
    """
    runs = list(session.scalars(
        select(CrawlRun)
        .where(CrawlRun.source_id == source_id, _COUNTED)
        .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
        .limit(200)
    ))
    runs = [r for r in runs if not (r.finished_at is None and r.pid == current_pid)]  # this crawl
    if not runs:
        return False

    def complete(run: CrawlRun) -> bool:
        return bool(run.finish_reason == "finished" and (run.stats or {}).get("jajak/crawl/complete"))

    if not complete(runs[0]):
        return False
    if full_walk_within is None:
        return True
    horizon = utcnow() - full_walk_within
    return any(
        complete(r) and (r.stats or {}).get("jajak/discovery/full") and r.started_at >= horizon
        for r in runs
    )


def baseline_ends(session: Session) -> dict[int, datetime]:
    """Per source id: when its first complete crawl (its baseline) finished. Sources without
    one are still in their baseline."""
    complete = CrawlRun.stats["jajak/crawl/complete"].as_boolean().is_(True)
    rows = session.execute(
        select(CrawlRun.source_id, func.min(CrawlRun.finished_at))
        .where(CrawlRun.finish_reason == "finished", CrawlRun.finished_at.is_not(None), complete)
        .group_by(CrawlRun.source_id)
    )
    return {source_id: finished for source_id, finished in rows if finished is not None}

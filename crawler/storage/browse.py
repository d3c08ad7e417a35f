"""What the web app reads (store stage): matches by filter or id, one article,
the full-text search over every stored article (migration 0009: SQLite FTS5, PostgreSQL
to_tsvector), judgements of articles and totals per source.

Like repository.py, every function takes a Session and never commits.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, Row, String, func, literal_column, or_, select, text
from sqlalchemy import cast as sa_cast
from sqlalchemy.orm import Session

from crawler.storage.judgements import Judgement
from crawler.storage.models import Article, SourceRow

_LIKE_ESCAPE = "\\"
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class MatchFilter:
    """What the database filters matches by (the web app filters stage, source, sector and party
    per story); None or empty filters nothing. Dates are aware bounds, ``date_to`` exclusive."""

    date_from: datetime | None = None
    date_to: datetime | None = None
    text: str = ""  # words every article must contain (title or text): the full-text search


def _when() -> ColumnElement[datetime]:
    return func.coalesce(Article.published, Article.first_seen_at)


def _like(value: str) -> str:
    escaped = value.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _words(value: str) -> list[str]:
    # Only word characters reach the search engines: no query syntax (quotes, NEAR, OR, :*) can
    # be typed in, so any input is a valid query.
    return _WORD.findall(value.casefold())


def has_fts(session: Session) -> bool:
    """Whether the database has the full-text index of migration 0009 (SQLite FTS5 or a
    PostgreSQL GIN index); without it the search falls back to LIKE."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        return True
    found = session.execute(text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'articles_fts'"))
    return found.first() is not None


def _contains_words(session: Session, words: list[str]) -> list[ColumnElement[bool]]:
    """Conditions that keep the articles whose title or text has every word (as a word prefix:
    "kerja" finds "kerjasama")."""
    if not words:
        return []
    if not has_fts(session):
        # LIKE: a case-insensitive substring test per word that reads every stored article.
        return [
            or_(Article.title.ilike(_like(w), escape=_LIKE_ESCAPE), Article.text.ilike(_like(w), escape=_LIKE_ESCAPE))
            for w in words
        ]
    if session.get_bind().dialect.name == "postgresql":
        # The expression of the index of migration 0009, so that the index is used.
        both: ColumnElement[str] = literal_column("articles.title || ' ' || articles.text")
        document = func.to_tsvector(literal_column("'simple'"), both)
        query = func.to_tsquery(literal_column("'simple'"), " & ".join(f"{w}:*" for w in words))
        return [document.bool_op("@@")(query)]
    fts = " ".join(f'"{w}"*' for w in words)
    matching = text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :fts").bindparams(fts=fts)
    return [Article.id.in_(matching.columns(rowid=Integer))]


def _match_conditions(session: Session, where: MatchFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Article.match.is_(True)]
    if where.date_from is not None:
        conditions.append(_when() >= where.date_from)
    if where.date_to is not None:
        conditions.append(_when() < where.date_to)
    return conditions + _contains_words(session, _words(where.text))


def find_matches(session: Session, where: MatchFilter) -> list[Article]:
    """Matched articles passing the filter, newest first (published, else first seen)."""
    stmt = select(Article).where(*_match_conditions(session, where))
    return list(session.scalars(stmt.order_by(_when().desc(), Article.id.desc())))


def match_rows(session: Session, where: MatchFilter) -> list[Row[Any]]:
    """find_matches for lists of thousands: only what a story shows of each match (id, url,
    title, source, published, first_seen_at, score, stage, parties, sectors, cues, lead), as
    rows, read in a fraction of the time of Article objects (the web app's inbox groups them all)."""
    stmt = (
        select(Article.id, Article.url, Article.title, SourceRow.name.label("source"), Article.published,
               Article.first_seen_at, Article.score, Article.stage, Article.parties, Article.sectors,
               Article.cues, Article.lead)
        .join(SourceRow, SourceRow.id == Article.source_id)
        .where(*_match_conditions(session, where))
    )
    return list(session.execute(stmt.order_by(_when().desc(), Article.id.desc())))


def matches_fingerprint(session: Session, where: MatchFilter) -> tuple[object, ...]:
    """A value that changes when the matches passing the filter change: one is added or
    removed, or re-stored with another text, title, score or crawl run. One aggregate query,
    far cheaper than reading the matches."""
    row = session.execute(
        # Scores summed as integers: a float sum depends on the order PostgreSQL reads the rows in.
        select(func.count(Article.id), func.sum(Article.id), func.sum(sa_cast(Article.score * 1000, Integer)),
               func.sum(func.length(Article.text)), func.sum(func.length(Article.title)),
               func.max(Article.crawl_run_id), func.count(Article.stage))
        .where(*_match_conditions(session, where))
    ).one()
    return tuple(row)


def search_articles(session: Session, query: str, limit: int = 50) -> list[Article]:
    """Every stored article (matched or not) with all the words of ``query``, newest first."""
    words = _words(query)
    if not words:
        return []
    stmt = select(Article).where(*_contains_words(session, words)).order_by(_when().desc(), Article.id.desc())
    return list(session.scalars(stmt.limit(limit)))


def get_article(session: Session, article_id: int) -> Article | None:
    return session.get(Article, article_id)


def matches_by_id(session: Session, article_ids: Collection[int]) -> list[Article]:
    """These articles that are matches, by id."""
    stmt = select(Article).where(Article.match.is_(True), Article.id.in_(sorted(article_ids)))
    return list(session.scalars(stmt.order_by(Article.id)))


def judgements_of(session: Session, article_ids: list[int]) -> dict[int, Judgement]:
    """The stored judgement of each of these articles that has one."""
    if not article_ids:
        return {}
    rows = session.scalars(select(Judgement).where(Judgement.article_id.in_(article_ids)))
    return {row.article_id: row for row in rows}


def totals_by_source(session: Session, only: str | None = None) -> dict[str, tuple[int, int]]:
    """Per source name (or of the one named ``only``): stored articles and matches, all time."""
    # Grouped by source id on the indexes of source_id and match, not a join over every article.
    names = select(SourceRow.id, SourceRow.name)
    if only is not None:
        names = names.where(SourceRow.name == only)
    sources = dict(session.execute(names).tuples().all())
    if not sources:
        return {}
    picked: list[ColumnElement[bool]] = [Article.source_id.in_(sources)] if only is not None else []
    articles = dict(session.execute(select(Article.source_id, func.count()).where(*picked)
                                    .group_by(Article.source_id)).tuples().all())
    matches = dict(session.execute(select(Article.source_id, func.count()).where(Article.match.is_(True), *picked)
                                   .group_by(Article.source_id)).tuples().all())
    return {name: (int(articles.get(i, 0)), int(matches.get(i, 0))) for i, name in sources.items()}


def stored_sources(session: Session) -> list[SourceRow]:
    """Every source the database knows (crawled at least once), by name."""
    return list(session.scalars(select(SourceRow).order_by(SourceRow.name)))


def articles_per_day(session: Session, since: datetime, only: str | None = None) -> dict[str, dict[str, int]]:
    """Per source name (or of the one named ``only``): articles first seen on each UTC day
    ("YYYY-MM-DD") since ``since``."""
    day: ColumnElement[str] = func.date(Article.first_seen_at, type_=String)
    if session.get_bind().dialect.name == "postgresql":
        day = func.to_char(Article.first_seen_at, "YYYY-MM-DD", type_=String)
    rows = session.execute(
        select(SourceRow.name, day, func.count(Article.id))
        .join(Article, Article.source_id == SourceRow.id)
        .where(Article.first_seen_at >= since, *([SourceRow.name == only] if only is not None else []))
        .group_by(SourceRow.name, day)
    )
    counts: dict[str, dict[str, int]] = {}
    for name, when, count in rows:
        counts.setdefault(name, {})[str(when)] = int(count)
    return counts



def recent_matches(session: Session, source_id: int, limit: int = 20) -> list[Row[Any]]:
    """A source's newest matches (published, else first seen): id, title, published,
    first_seen_at, stage, score and parties, ``limit`` at most."""
    stmt = (
        select(Article.id, Article.title, Article.published, Article.first_seen_at, Article.stage, Article.score,
               Article.parties)
        .where(Article.source_id == source_id, Article.match.is_(True))
        .order_by(_when().desc(), Article.id.desc())
        .limit(limit)
    )
    return list(session.execute(stmt))


def stored_source(session: Session, name: str) -> SourceRow | None:
    """The source the database knows by this name (crawled at least once), or None."""
    return session.scalars(select(SourceRow).where(SourceRow.name == name)).first()


def articles_by_channel(session: Session, source_id: int) -> dict[str, int]:
    """A source's stored articles per discovery channel that found them (feed, sitemap, api,
    listing, hint; "unknown" for those stored without one)."""
    rows = session.execute(select(Article.discovered_via, func.count()).where(Article.source_id == source_id)
                           .group_by(Article.discovered_via))
    return {str(via or "unknown"): int(count) for via, count in rows}

"""What the web app reads (store stage): matches by filter, one article and its near neighbours,
the text search over every stored article, judgements of articles and totals per source.

Like repository.py, every function takes a Session and never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from crawler.storage.judgements import Judgement
from crawler.storage.models import Article, SourceRow

# How far apart two outlets' copies of one story may be published: the window searched for the
# other outlets of a story shown on its own page.
STORY_WINDOW = timedelta(days=30)
_LIKE_ESCAPE = "\\"


@dataclass(frozen=True)
class MatchFilter:
    """What the database filters matches by (the web app filters stage, source, sector and party
    per story); None or empty filters nothing. Dates are aware bounds, ``date_to`` exclusive."""

    date_from: datetime | None = None
    date_to: datetime | None = None
    text: str = ""  # words every article must contain (title or text)


def _when() -> ColumnElement[datetime]:
    return func.coalesce(Article.published, Article.first_seen_at)


def _like(value: str) -> str:
    escaped = value.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains_words(text: str) -> list[ColumnElement[bool]]:
    # Not full-text search: a case-insensitive substring test per word on title and text (LIKE),
    # which reads every stored article. Enough for thousands of articles, not for 100,000.
    return [
        or_(Article.title.ilike(_like(word), escape=_LIKE_ESCAPE), Article.text.ilike(_like(word), escape=_LIKE_ESCAPE))
        for word in text.split()
    ]


def find_matches(session: Session, where: MatchFilter) -> list[Article]:
    """Matched articles passing the filter, newest first (published, else first seen)."""
    stmt = select(Article).where(Article.match.is_(True))
    if where.date_from is not None:
        stmt = stmt.where(_when() >= where.date_from)
    if where.date_to is not None:
        stmt = stmt.where(_when() < where.date_to)
    stmt = stmt.where(*_contains_words(where.text))
    return list(session.scalars(stmt.order_by(_when().desc(), Article.id.desc())))


def search_articles(session: Session, text: str, limit: int = 50) -> list[Article]:
    """Every stored article (matched or not) containing all the words of ``text``, newest first."""
    if not text.split():
        return []
    stmt = select(Article).where(*_contains_words(text)).order_by(_when().desc(), Article.id.desc())
    return list(session.scalars(stmt.limit(limit)))


def get_article(session: Session, article_id: int) -> Article | None:
    return session.get(Article, article_id)


def matches_near(session: Session, when: datetime, window: timedelta = STORY_WINDOW) -> list[Article]:
    """Matched articles published (else first seen) within ``window`` of ``when``."""
    stmt = select(Article).where(Article.match.is_(True), _when() >= when - window, _when() <= when + window)
    return list(session.scalars(stmt.order_by(Article.id)))


def judgements_of(session: Session, article_ids: list[int]) -> dict[int, Judgement]:
    """The stored judgement of each of these articles that has one."""
    if not article_ids:
        return {}
    rows = session.scalars(select(Judgement).where(Judgement.article_id.in_(article_ids)))
    return {row.article_id: row for row in rows}


def totals_by_source(session: Session) -> dict[str, tuple[int, int]]:
    """Per source name: stored articles and matches, all time."""
    rows = session.execute(
        select(SourceRow.name, func.count(Article.id), func.count(Article.id).filter(Article.match.is_(True)))
        .join(Article, Article.source_id == SourceRow.id, isouter=True)
        .group_by(SourceRow.name)
    )
    return {name: (int(articles), int(matches)) for name, articles, matches in rows}


def source_names(session: Session) -> list[str]:
    return list(session.scalars(select(SourceRow.name).order_by(SourceRow.name)))

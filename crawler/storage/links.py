"""Which stored matches tell one story (store stage). When a match is stored (add_articles),
its word shingles are indexed and the pairs it makes with earlier matches at or above
alerts.SAME_STORY are kept, so grouping any set of matches is a query and a union-find
(alerts.group_linked) instead of shingling them all: the groups are group_stories's.

Like repository.py, every function takes a Session and never commits.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, func, insert, select, text, union_all

import alerts
from crawler.storage.models import Article, story_links, story_shingles, story_signatures

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_BATCH = 200  # matches read at a time while linking
_IN = 5000  # values per IN list (SQLite allows 32,766 parameters a statement)


def _unlinked(session: Session, limit: int) -> list[int]:
    indexed = exists().where(story_signatures.c.article_id == Article.id)
    stmt = select(Article.id).where(Article.match.is_(True), ~indexed).order_by(Article.id).limit(limit)
    return list(session.scalars(stmt))


def _lock(session: Session) -> None:
    """One linker at a time, so that two matches stored at once by two crawls are compared: the
    second waits until the first has committed, then sees its shingles."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('jajak-story-links:' || current_schema()))"))
    elif not connection.connection.dbapi_connection.in_transaction:  # type: ignore[union-attr]
        # SQLite: take the write lock before reading what is indexed (a crawl storing articles
        # holds it already); the other writer waits (busy_timeout).
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def link_matches(session: Session) -> int:
    """Index the stored matches not indexed yet (just stored, or stored before migration 0011)
    and keep their pairs; returns how many were indexed."""
    # Only matches are indexed, and an article is never changed: as many signatures as
    # matches means every match is indexed (two counts on indexes, cheaper than _unlinked).
    matches = select(func.count()).select_from(Article).where(Article.match.is_(True)).scalar_subquery()
    indexed = select(func.count()).select_from(story_signatures).scalar_subquery()
    if session.execute(select(matches - indexed)).scalar_one() == 0:
        return 0
    _lock(session)
    done = 0
    while batch := _unlinked(session, _BATCH):
        rows = session.execute(select(Article.id, Article.title, Article.text)
                               .where(Article.id.in_(batch)).order_by(Article.id)).all()
        for article_id, title, body in rows:
            _link(session, article_id, alerts.story_shingles(title, body))
        done += len(rows)
    return done


def _chunks(values: list[int]) -> Iterable[list[int]]:
    return (values[i:i + _IN] for i in range(0, len(values), _IN))


def _probes(session: Session, keys: list[int], size: int) -> list[int]:
    """The shingles of an article to look its copies up by: any size - ceil(t * size) + 1 of
    them will do (an article with Jaccard >= t shares at least ceil(t * size) of its shingles,
    so it holds one of these), and the rarest ones find the fewest unrelated articles."""
    wanted = size - math.ceil(alerts.SAME_STORY * size - 1e-9) + 1
    counts: dict[Any, Any] = {}
    for chunk in _chunks(keys):
        rows = session.execute(select(story_shingles.c.hash, func.count())
                               .where(story_shingles.c.hash.in_(chunk)).group_by(story_shingles.c.hash))
        counts.update(rows.tuples().all())
    return sorted(keys, key=lambda key: (counts.get(key, 0), key))[:wanted]


def _link(session: Session, article_id: int, shingles: frozenset[tuple[str, ...]]) -> None:
    keys = sorted({alerts.shingle_key(shingle) for shingle in shingles})
    linked: list[int] = []
    probes = _probes(session, keys, len(shingles)) if shingles else []
    candidates: set[int] = set()
    for chunk in _chunks(probes):
        candidates.update(session.scalars(select(story_shingles.c.article_id)
                                          .where(story_shingles.c.hash.in_(chunk)).distinct()))
    for chunk in _chunks(sorted(candidates)):
        others = session.execute(select(Article.id, Article.title, Article.text).where(Article.id.in_(chunk)))
        # The exact Jaccard of group_stories, on the texts: the 64-bit keys only find candidates.
        linked += [other for other, title, body in others
                   if alerts.jaccard(shingles, alerts.story_shingles(title, body)) >= alerts.SAME_STORY]
    session.execute(insert(story_signatures).values(article_id=article_id, shingles=len(shingles)))
    if keys:
        session.execute(insert(story_shingles), [{"hash": key, "article_id": article_id} for key in keys])
    if linked:
        pairs = [{"article_id": max(article_id, other), "linked_id": min(article_id, other)} for other in linked]
        session.execute(insert(story_links), pairs)


def pairs_of(session: Session) -> list[tuple[int, int]]:
    """Every stored pair of matches that tell one story."""
    return list(session.execute(select(story_links.c.article_id, story_links.c.linked_id)).tuples())


def linked_to(session: Session, article_ids: Collection[int]) -> set[int]:
    """The articles joined to these by stored pairs, directly or through others (these included):
    the matches of their story as group_stories makes it over every match."""
    found = set(article_ids)
    frontier = set(article_ids)
    while frontier:
        step: set[int] = set()
        for chunk in _chunks(sorted(frontier)):
            step.update(session.scalars(union_all(
                select(story_links.c.linked_id).where(story_links.c.article_id.in_(chunk)),
                select(story_links.c.article_id).where(story_links.c.linked_id.in_(chunk)),
            )))
        frontier = step - found
        found |= frontier
    return found

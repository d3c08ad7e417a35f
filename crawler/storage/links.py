"""Which stored matches tell one story (store stage). When a match is stored (add_articles),
its word shingles are indexed and the pairs it makes with earlier matches at or above
alerts.SAME_STORY are kept, so grouping any set of matches is a query and a union-find
(alerts.group_linked) instead of shingling them all: the groups are group_stories's.

Like repository.py, every function takes a Session and never commits.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, func, insert, select, text, union_all

import alerts
from crawler.storage.models import Article, story_links, story_shingles, story_signatures

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_BATCH = 200  # matches read at a time while linking
_IN = 5000  # values per IN list (SQLite allows 32,766 parameters a statement)
_SHINGLES, _SIGNATURES = story_shingles.name, story_signatures.name
_VALUES = 500  # rows per INSERT of keys
_FRESH = "jajak_indexed"  # session.info: the articles this session indexed


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


class StoredShingles:
    """The shingles of stored matches, by article id, that one process keeps between its stores
    (a crawl's StorePipeline): its new matches are compared with the same earlier matches again
    and again, and each comparison would read and shingle the other's text anew. A shingle is
    kept as one integer, its words' numbers (given in order of first sight) side by side, which
    is one to one, so Jaccard on the integers is Jaccard on the shingles. Only shingles of
    committed articles are kept (an article never changes once committed), at most ``limit``
    articles, the least used dropped first."""

    _BITS = 21  # per word: 2,097,151 distinct words, three of them in a 63-bit integer

    def __init__(self, limit: int = 4096) -> None:
        self.limit = limit
        self._shingles: OrderedDict[int, array[int]] = OrderedDict()
        self._words: dict[str, int] = {}

    def get(self, article_id: int) -> array[int] | None:
        shingles = self._shingles.get(article_id)
        if shingles is not None:
            self._shingles.move_to_end(article_id)
        return shingles

    def put(self, article_id: int, shingles: array[int]) -> None:
        if self.limit <= 0:
            return
        self._shingles[article_id] = shingles
        self._shingles.move_to_end(article_id)
        while len(self._shingles) > self.limit:
            self._shingles.popitem(last=False)

    def encode(self, shingles: frozenset[tuple[str, ...]]) -> array[int] | None:
        """The shingles as integers (None when they do not fit: a longer shingle, too many words)."""
        words, bits = self._words, self._BITS
        if len(words) + 3 * len(shingles) >= 1 << bits or any(len(s) * bits > 63 for s in shingles):
            return None
        codes = array("q")
        for shingle in shingles:
            code = 0
            for word in shingle:
                number = words.get(word)
                if number is None:
                    number = words[word] = len(words) + 1
                code = code << bits | number
            codes.append(code)
        return codes


def link_matches(session: Session, known: StoredShingles | None = None) -> int:
    """Index the stored matches not indexed yet (just stored, or stored before migration 0011)
    and keep their pairs; returns how many were indexed. ``known``: shingles kept across calls."""
    # Only matches are indexed, and an article is never changed: as many signatures as
    # matches means every match is indexed (two counts on indexes, cheaper than _unlinked).
    matches = select(func.count()).select_from(Article).where(Article.match.is_(True)).scalar_subquery()
    indexed = select(func.count()).select_from(story_signatures).scalar_subquery()
    if session.execute(select(matches - indexed)).scalar_one() == 0:
        return 0
    _lock(session)
    done = 0
    # Articles indexed by this session: not committed yet, so their shingles are not kept.
    fresh: set[int] = session.info.setdefault(_FRESH, set())
    while batch := _unlinked(session, _BATCH):
        rows = session.execute(select(Article.id, Article.title, Article.text)
                               .where(Article.id.in_(batch)).order_by(Article.id)).all()
        for article_id, title, body in rows:
            fresh.add(article_id)
            _link(session, article_id, alerts.story_shingles(title, body), known)
        done += len(rows)
    return done


def _ints(values: Iterable[int]) -> str:
    """Integers as an SQL list, written into the statement: the hundreds of keys an article has
    cost SQLAlchemy more to bind one by one than the database takes to look them up."""
    return ",".join(str(int(value)) for value in values)


def _execute(session: Session, sql: str) -> None:
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


def _rows(session: Session, sql: str) -> list[Any]:
    """The rows of a statement without parameters, as the driver's tuples (in the session's
    transaction): thousands of key rows a link, each a Row object cost more than the query."""
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _chunks(values: list[int]) -> Iterable[list[int]]:
    return (values[i:i + _IN] for i in range(0, len(values), _IN))


def _shared_keys(session: Session, keys: list[int]) -> dict[int, tuple[int, int]]:
    """Every indexed match that holds some of these keys: how many it holds, and how many
    shingles it has (its signature, written in the same transaction as its keys). One pass over
    the keys' rows, as a count per key would take."""
    found: dict[int, tuple[int, int]] = {}
    for chunk in _chunks(keys):
        for other, held, size in _rows(
            session,
            f"SELECT h.article_id, h.held, g.shingles FROM (SELECT article_id, count(*) AS held FROM {_SHINGLES} "
            f"WHERE hash IN ({_ints(chunk)}) GROUP BY article_id) h "
            f"JOIN {_SIGNATURES} g ON g.article_id = h.article_id",
        ):
            before = found.get(other)
            found[other] = (held + (before[0] if before else 0), size)
    return found


def _reaches(shared: int, size: int, other_size: int) -> bool:
    """Whether articles of these sizes sharing at most ``shared`` shingles may reach
    alerts.SAME_STORY."""
    shared = min(shared, other_size)
    union = size + other_size - shared
    return union <= 0 or shared / union >= alerts.SAME_STORY


def _link(session: Session, article_id: int, shingles: frozenset[tuple[str, ...]],
          known: StoredShingles | None = None) -> None:
    keys = sorted({alerts.shingle_key(shingle) for shingle in shingles})
    linked: list[int] = []
    held = _shared_keys(session, keys) if shingles else {}
    if len(keys) == len(shingles):
        # No two shingles of this article share a key, so each shingle it shares with another
        # match is a key they share: the keys shared bound the shingles shared from above, and
        # Jaccard grows with the shared count at fixed sizes, so shared / (size + its size -
        # shared), in the float division jaccard() makes, bounds it from above. A match is left
        # out only when the bound falls short: the pairs kept are those the texts give.
        candidates = {other for other, (n, size) in held.items() if _reaches(n, len(shingles), size)}
    else:
        candidates = set(held)
    # The exact Jaccard of group_stories: the 64-bit keys only find candidates. On the kept
    # shingles of the candidates stored earlier, on their texts for the others.
    mine = known.encode(shingles) if known is not None and candidates else None
    mine_set = frozenset(mine) if mine is not None else frozenset()
    unread = []
    for other in sorted(candidates):
        theirs = known.get(other) if known is not None and mine is not None else None
        if theirs is None:
            unread.append(other)
        elif _jaccard(mine_set, theirs) >= alerts.SAME_STORY:
            linked.append(other)
    fresh: set[int] = session.info.get(_FRESH, set())
    for chunk in _chunks(unread):
        others = session.execute(select(Article.id, Article.title, Article.text).where(Article.id.in_(chunk)))
        for other, title, body in others:
            other_shingles = alerts.story_shingles(title, body)
            if alerts.jaccard(shingles, other_shingles) >= alerts.SAME_STORY:
                linked.append(other)
            if known is not None and mine is not None and other not in fresh:
                codes = known.encode(other_shingles)
                if codes is not None:
                    known.put(other, codes)
    session.execute(insert(story_signatures).values(article_id=article_id, shingles=len(shingles)))
    for start in range(0, len(keys), _VALUES):
        values = ",".join(f"({key},{int(article_id)})" for key in keys[start:start + _VALUES])
        _execute(session, f"INSERT INTO {_SHINGLES} (hash, article_id) VALUES {values}")
    if linked:
        pairs = [{"article_id": max(article_id, other), "linked_id": min(article_id, other)} for other in linked]
        session.execute(insert(story_links), pairs)


def _jaccard(mine: frozenset[int], theirs: array[int]) -> float:
    """alerts.jaccard of two articles' shingles, given as StoredShingles's integers."""
    if not mine or not theirs:
        return 0.0
    shared = len(mine.intersection(theirs))
    return shared / (len(mine) + len(theirs) - shared)


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

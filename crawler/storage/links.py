"""Which stored matches tell one story (store stage). When a match is stored (add_articles),
its word shingles are indexed and the pairs it makes with earlier matches at or above
alerts.SAME_STORY are kept, so grouping any set of matches is a query and a union-find
(alerts.group_linked) instead of shingling them all: the groups are group_stories's.

Like repository.py, every function takes a Session and never commits.
"""

from __future__ import annotations

from array import array
from collections import Counter, OrderedDict
from collections.abc import Collection, Iterable
from itertools import chain
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, exists, func, insert, select, text, union_all

import alerts
from crawler.storage.models import Article, story_links, story_shingles, story_signatures

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_BATCH = 200  # matches read at a time while linking
_IN = 5000  # values per IN list (SQLite allows 32,766 parameters a statement)
_SHINGLES, _SIGNATURES = story_shingles.name, story_signatures.name
_VALUES = 500  # rows per INSERT of keys
_FRESH = "jajak_indexed"  # session.info: the articles this session indexed
_WATCHED = "jajak_stored_keys"  # session.info: a rollback of this session forgets StoredKeys


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


class StoredKeys:
    """The keys of every indexed match from ``floor`` up, by key, that one process keeps between
    its stores: a match shares keys with the earlier matches it is linked to, and counting them
    here costs a fraction of what the database takes to read and group the rows of its hundreds
    of keys (all the more as matches share more keys); the database is asked only about the
    matches under ``floor``. At most about ``limit`` bytes are kept (a key first seen costs
    far more than one more match holding it): past that the floor moves up and the database
    answers for the older ones.

    Matches indexed from ``floor`` up by another process are read in before they are counted
    (sync, under the linkers' lock); an index that no longer holds what the database holds (a
    rolled-back store, a deleted match) is dropped and started again from the top."""

    # Bytes of CPython objects: a match in a key's list (a pointer; its int is shared), and a key
    # first seen (its int, its dict slot, a list).
    _HELD, _KEY = 8, 160

    def __init__(self, limit: int = 8 << 20) -> None:
        self.limit = limit
        self.floor: int | None = None  # None: not in step with the database
        self.below = True  # whether matches under the floor may be indexed
        self._postings: dict[int, list[int]] = {}
        self._sizes: dict[int, int] = {}  # article id -> its shingles (its signature)
        self._bytes = 0

    def forget(self, *_: Any) -> None:
        """Drop the index: the next sync starts it again from the database."""
        self.floor = None
        self._postings = {}
        self._sizes = {}
        self._bytes = 0

    def sync(self, session: Session) -> None:
        """Bring the index in step with the indexed matches of the session's transaction."""
        if self.limit <= 0:
            return
        if self.floor is not None:
            present: set[int] = set(session.scalars(
                select(story_signatures.c.article_id).where(story_signatures.c.article_id >= self.floor)))
            if present == self._sizes.keys():
                return
            if self._sizes.keys() <= present:  # another process indexed some: read them in
                self._read(session, sorted(present - self._sizes.keys()))
                return
        top = session.scalar(select(func.max(story_signatures.c.article_id)))
        self.forget()
        self.floor, self.below = (top or 0) + 1, top is not None

    def _read(self, session: Session, article_ids: list[int]) -> None:
        for chunk in _chunks(article_ids):
            sizes: dict[int, int] = dict(session.execute(
                select(story_signatures.c.article_id, story_signatures.c.shingles)
                .where(story_signatures.c.article_id.in_(chunk))).tuples().all())
            keys: dict[int, list[int]] = {article_id: [] for article_id in sizes}
            for key, article_id in _rows(
                session, f"SELECT hash, article_id FROM {_SHINGLES} WHERE article_id IN ({_ints(chunk)})",
            ):
                keys[article_id].append(key)
            for article_id in chunk:
                self.add(article_id, keys[article_id], sizes[article_id])

    def shared(self, keys: Iterable[int]) -> dict[int, tuple[int, int]]:
        """Every kept match that holds some of these keys: how many, and its shingles."""
        postings, sizes = self._postings, self._sizes
        counts = Counter(chain.from_iterable(postings[key] for key in keys if key in postings))
        return {other: (held, sizes[other]) for other, held in counts.items()}

    def add(self, article_id: int, keys: Collection[int], size: int) -> None:
        """A match just indexed (``keys`` distinct); kept when at or above the floor."""
        if self.floor is None or article_id < self.floor:
            return
        postings = self._postings
        new = sum(1 for key in keys if key not in postings)
        cost = self._HELD * len(keys) + self._KEY * new
        if self._bytes + cost > self.limit:
            # Full: the database answers for this match and those before it.
            self.forget()
            self.floor, self.below = article_id + 1, True
            return
        for key in keys:
            found = postings.get(key)
            if found is None:
                postings[key] = [article_id]
            else:
                found.append(article_id)
        self._sizes[article_id] = size
        self._bytes += cost


class StoredShingles:
    """The shingles of stored matches, by article id, that one process keeps between its stores
    (a crawl's StorePipeline): its new matches are compared with the same earlier matches again
    and again, and each comparison would read and shingle the other's text anew. A shingle is
    kept as one integer, its words' numbers (given in order of first sight) side by side, which
    is one to one, so Jaccard on the integers is Jaccard on the shingles. Only shingles of
    committed articles are kept (an article never changes once committed), at most ``limit``
    articles, the least used dropped first. ``keys``: the indexed matches' keys it keeps too,
    which find the candidates (StoredKeys)."""

    _BITS = 21  # per word: 2,097,151 distinct words, three of them in a 63-bit integer

    def __init__(self, limit: int = 4096, keys: StoredKeys | None = None) -> None:
        self.limit = limit
        self._shingles: OrderedDict[int, array[int]] = OrderedDict()
        self._words: dict[str, int] = {}
        self.keys = keys if keys is not None else StoredKeys()

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
    if known is not None:
        if not session.info.get(_WATCHED):
            # The keys this session indexes are kept at once; a rollback takes them back.
            event.listen(session, "after_rollback", known.keys.forget)
            session.info[_WATCHED] = True
        known.keys.sync(session)
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


def _insert_keys(session: Session, article_id: int, keys: list[int]) -> None:
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        # One prepared statement bound row by row in the driver's C loop: a quarter cheaper than
        # SQLite parsing a statement with the values written in.
        cursor = connection.connection.cursor()
        try:
            cursor.executemany(f"INSERT INTO {_SHINGLES} (hash, article_id) VALUES (?, ?)",
                               [(key, article_id) for key in keys])
        finally:
            cursor.close()
        return
    for start in range(0, len(keys), _VALUES):
        values = ",".join(f"({key},{int(article_id)})" for key in keys[start:start + _VALUES])
        _execute(session, f"INSERT INTO {_SHINGLES} (hash, article_id) VALUES {values}")


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


def _shared_keys(session: Session, keys: list[int], known: StoredKeys | None = None) -> dict[int, tuple[int, int]]:
    """Every indexed match that holds some of these keys: how many it holds, and how many
    shingles it has (its signature, written in the same transaction as its keys). From
    ``known`` for the matches it keeps, else one pass over the keys' rows, as a count per key
    would take."""
    if known is None or known.floor is None:
        return _stored_keys(session, keys)
    found = known.shared(keys)
    if known.below:
        found.update(_stored_keys(session, keys, below=known.floor))
    return found


def _stored_keys(session: Session, keys: list[int], below: int | None = None) -> dict[int, tuple[int, int]]:
    """_shared_keys from the database, for the matches under ``below`` if given (the key's rows
    are ordered by article within the primary key, so that is a range of each key's rows)."""
    under = f" AND article_id < {int(below)}" if below is not None else ""
    found: dict[int, tuple[int, int]] = {}
    for chunk in _chunks(keys):
        for other, held, size in _rows(
            session,
            f"SELECT h.article_id, h.held, g.shingles FROM (SELECT article_id, count(*) AS held FROM {_SHINGLES} "
            f"WHERE hash IN ({_ints(chunk)}){under} GROUP BY article_id) h "
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
    held = _shared_keys(session, keys, known.keys if known is not None else None) if shingles else {}
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
    _insert_keys(session, article_id, keys)
    if known is not None:
        known.keys.add(article_id, keys, len(shingles))
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

"""Stored story pairs (crawler.storage.links): matches linked as they are stored group exactly
as alerts.group_stories groups them, whatever order and batches they arrive in."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

import alerts
from crawler.digest.claims import to_value
from crawler.storage import add_articles, ensure_source, open_database
from crawler.storage.browse import MatchFilter, find_matches
from crawler.storage.links import StoredKeys, StoredShingles, link_matches, linked_to, pairs_of

NOW = datetime(2026, 12, 1, tzinfo=UTC)
WORDS = [f"{a}{b}" for a in ("ka", "la", "ma", "pa", "ra", "sa", "ta", "wa") for b in ("bu", "di", "gor", "jen", "ko")]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def sessions(request: pytest.FixtureRequest):
    url = "sqlite://" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    return open_database(url)


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _rows(source_id: int, seed: int = 7, stories: int = 30) -> list[dict]:
    """Stories told by one to four outlets (lightly edited copies), and unrelated matches."""
    rng = random.Random(seed)
    rows = []
    for story in range(stories):
        title = f"Kota {story} dan Mitra {story % 7} Jajaki Kerja Sama"
        body = _words(rng, 60)
        for copy in range(rng.randint(1, 4)):
            # An edit of 0 to 40 words: some copies stay above the threshold, some fall below.
            text = body + " " + _words(rng, rng.choice((0, 5, 20, 40)))
            rows.append({"source_id": source_id, "url": f"http://a.example/{story}/{copy}", "title": title,
                         "text": text, "match": True, "published": NOW - timedelta(hours=story * 5 + copy)})
    rows += [{"source_id": source_id, "url": f"http://a.example/other/{n}", "title": "Lain", "text": _words(rng, 50),
              "match": n % 2 == 0, "published": NOW - timedelta(hours=n)} for n in range(20)]
    rng.shuffle(rows)
    return rows


def _grouped(stories: list[alerts.Story]) -> list[tuple[int, ...]]:
    return sorted(story.article_ids for story in stories)


def _values(session, where: MatchFilter | None = None) -> list[alerts.MatchedArticle]:
    return [to_value(article, {}) for article in find_matches(session, where or MatchFilter())]


@pytest.mark.parametrize("batch", [1, 7, 1000])
def test_matches_stored_in_any_batches_group_as_group_stories_does(sessions, batch):
    with sessions.begin() as session:
        source = ensure_source(session, "a", "http://a.example/").id
    rows = _rows(source)
    for start in range(0, len(rows), batch):
        with sessions.begin() as session:
            add_articles(session, rows[start:start + batch])
    with sessions() as session:
        values = _values(session)
        expected = alerts.group_stories(values)
        assert any(len(story.articles) > 1 for story in expected)  # the data has stories to find
        assert any(len(story.articles) == 1 for story in expected)
        assert _grouped(alerts.group_linked(values, pairs_of(session))) == _grouped(expected)
        # A part of the matches (as the inbox's date filter reads) groups as group_stories groups it.
        some = _values(session, MatchFilter(date_from=NOW - timedelta(hours=60)))
        assert _grouped(alerts.group_linked(some, pairs_of(session))) == _grouped(alerts.group_stories(some))


def test_articles_that_are_not_matches_are_not_linked(sessions):
    with sessions.begin() as session:
        source = ensure_source(session, "a", "http://a.example/").id
        text = _words(random.Random(1), 50)
        add_articles(session, [{"source_id": source, "url": f"http://a.example/{n}", "title": "Sama", "text": text,
                                "match": n == 0} for n in range(3)])
    with sessions() as session:
        assert pairs_of(session) == []
        assert session.scalar(sa.text("SELECT count(*) FROM story_signatures")) == 1


def test_a_chain_of_copies_is_one_story(sessions):
    words = [f"kata{n}" for n in range(120)]
    with sessions.begin() as session:
        source = ensure_source(session, "a", "http://a.example/").id
        # Words 0-79, 20-99 and 40-119: A and B, B and C are copies (Jaccard 0.59), A and C are
        # not (0.32), and single linkage makes one story of the three.
        texts = [" ".join(words[start:start + 80]) for start in (0, 20, 40)]
        for n, text in enumerate(texts):
            add_articles(session, [{"source_id": source, "url": f"http://a.example/{n}", "title": "T",
                                    "text": text, "match": True}])
    with sessions() as session:
        ids = [article.id for article in find_matches(session, MatchFilter())]
        assert len(pairs_of(session)) == 2
        assert alerts.jaccard(*(alerts.shingles(text) for text in texts[::2])) < alerts.SAME_STORY
        assert linked_to(session, [min(ids)]) == set(ids)
        assert len(alerts.group_stories(_values(session))) == 1


def test_matches_stored_before_the_links_existed_are_linked_when_asked(sessions):
    with sessions.begin() as session:
        source = ensure_source(session, "a", "http://a.example/").id
        add_articles(session, _rows(source, stories=10))
        linked = sorted(pairs_of(session))
        matches = len(find_matches(session, MatchFilter()))
        for table in ("story_links", "story_shingles", "story_signatures"):  # as after migration 0011
            session.execute(sa.text(f"DELETE FROM {table}"))
    with sessions.begin() as session:
        assert pairs_of(session) == []
        assert link_matches(session) == matches
        assert link_matches(session) == 0
    with sessions() as session:
        assert sorted(pairs_of(session)) == linked != []


def _url_pairs(session) -> list[tuple[str, str]]:
    urls = dict(session.execute(sa.text("SELECT id, url FROM articles")).tuples().all())
    return sorted(tuple(sorted((urls[a], urls[b]))) for a, b in pairs_of(session))


@pytest.mark.parametrize(("batch", "limit", "key_limit"), [
    (1, 4096, 8 << 20), (7, 4096, 8 << 20), (7, 5, 8 << 20), (1, 4096, 30_000), (7, 4096, 30_000), (1, 4096, 0),
])
def test_shingles_kept_between_stores_give_the_pairs_the_texts_give(batch, limit, key_limit):
    """A crawl keeps the stored matches' shingles and keys between its batches (StoredShingles,
    a few when the limit is small; StoredKeys, whose floor moves up past its budget: 30,000
    bytes hold about two of these matches): the pairs are those of linking without them."""
    rows = _rows(1, seed=11)
    pairs = []
    for known in (None, StoredShingles(limit, StoredKeys(key_limit))):
        sessions = open_database("sqlite://")
        with sessions.begin() as session:
            ensure_source(session, "a", "http://a.example/")
        for start in range(0, len(rows), batch):
            with sessions.begin() as session:
                add_articles(session, rows[start:start + batch], known=known)
        with sessions() as session:
            pairs.append(_url_pairs(session))
    assert pairs[0] == pairs[1] != []


def _store_then_fail(sessions, rows: list[dict], known: StoredShingles | None) -> None:
    with sessions.begin() as session:
        add_articles(session, rows[:1], known=known)
        add_articles(session, rows[1:], known=known)  # compared with rows[0], uncommitted
        raise RuntimeError("the store fails")


def test_shingles_of_a_store_that_was_rolled_back_are_not_kept():
    """SQLite gives the ids of rolled-back rows to the next ones: shingles read in a transaction
    that does not commit must not be taken for those of the articles stored after it."""
    rng = random.Random(5)
    body = _words(rng, 60)
    first = [{"source_id": 1, "url": f"http://a.example/{n}", "title": "Kota Jajaki Kerja Sama",
              "text": body + " " + _words(rng, 10), "match": True} for n in range(3)]
    lost = [{"source_id": 1, "url": f"http://a.example/lost/{n}", "title": "Kota Jajaki Kerja Sama",
             "text": body + " " + _words(rng, 5), "match": True} for n in range(3)]
    # The ids of the lost ones go to another story, told twice: the second copy must be linked to
    # the first by the first's own shingles, not by those of the lost article that had its id.
    other = _words(rng, 60)
    after = [{"source_id": 1, "url": f"http://a.example/after/{n}", "title": "Lain",
              "text": other + " " + _words(rng, 5), "match": True} for n in range(2)]
    after.append({**first[0], "url": "http://a.example/copy"})
    pairs = []
    for known in (None, StoredShingles()):
        sessions = open_database("sqlite://")
        with sessions.begin() as session:
            ensure_source(session, "a", "http://a.example/")
            add_articles(session, first, known=known)
        with pytest.raises(RuntimeError):
            _store_then_fail(sessions, lost, known)
        for row in after:
            with sessions.begin() as session:
                add_articles(session, [row], known=known)
        with sessions() as session:
            pairs.append(_url_pairs(session))
    assert pairs[0] == pairs[1]
    assert ("http://a.example/0", "http://a.example/copy") in pairs[0]
    assert ("http://a.example/after/0", "http://a.example/after/1") in pairs[0]
    assert not any("lost" in url for pair in pairs[0] for url in pair)


def _copies(rng: random.Random, title: str, body: str, prefix: str, n: int) -> list[dict]:
    return [{"source_id": 1, "url": f"http://a.example/{prefix}/{i}", "title": title,
             "text": body + " " + _words(rng, 5), "match": True} for i in range(n)]


def test_kept_keys_count_what_the_database_counts():
    """StoredKeys.shared gives each kept match the keys it shares and its size, as the rows of
    story_shingles and story_signatures give them."""
    sessions = open_database("sqlite://")
    known = StoredShingles()
    with sessions.begin() as session:
        ensure_source(session, "a", "http://a.example/")
        add_articles(session, _rows(1, seed=3, stories=8), known=known)
    with sessions() as session:
        rows = session.execute(sa.text("SELECT hash, article_id FROM story_shingles")).tuples().all()
        sizes = dict(session.execute(sa.text("SELECT article_id, shingles FROM story_signatures")).tuples().all())
    probe = sorted({key for key, _ in rows})[::3]
    expected: dict[int, int] = {}
    for key, article_id in rows:
        if key in set(probe):
            expected[article_id] = expected.get(article_id, 0) + 1
    assert known.keys.floor == 1
    assert known.keys.shared(probe) == {a: (n, sizes[a]) for a, n in expected.items()} != {}


def test_kept_keys_stay_within_their_budget():
    """Matches that share all their keys cost a pointer a key each, and the kept ones stay
    within the budget: past it the floor moves up."""
    keys = StoredKeys(limit=40_000)
    keys.floor, keys.below = 1, False
    for article_id in range(1, 200):
        keys.add(article_id, range(100), 100)
    held = keys.shared(range(100))
    # 100 keys first seen: 100 * (160 + 8) bytes; each further match 100 * 8.
    assert 0 < len(held) <= 1 + (40_000 - 16_800) // 800
    assert all(shared == (100, 100) for shared in held.values())
    assert keys.floor > 1 and keys.below


@pytest.mark.parametrize("batch", [1, 4])
def test_matches_indexed_by_another_process_are_counted(sessions, batch):
    """Two crawls store into one database in turns, each with its own kept keys: each counts the
    other's matches (read in when it syncs), so the pairs are those of one crawl storing all."""
    rng = random.Random(9)
    rows = []
    for story in range(6):
        rows += _copies(rng, f"Kota {story} Jajaki Kerja Sama", _words(rng, 60), f"s{story}", 3)
    rng.shuffle(rows)
    with sessions.begin() as session:
        source = ensure_source(session, "a", "http://a.example/").id
    crawls = [StoredShingles(), StoredShingles()]
    for turn, start in enumerate(range(0, len(rows), batch)):
        with sessions.begin() as session:
            add_articles(session, [{**row, "source_id": source} for row in rows[start:start + batch]],
                         known=crawls[turn % 2])
    with sessions() as session:
        values = _values(session)
        assert _grouped(alerts.group_linked(values, pairs_of(session))) == _grouped(alerts.group_stories(values))
        assert len(alerts.group_stories(values)) == 6
    assert all(known.keys.floor is not None for known in crawls)


def test_keys_of_a_store_that_was_rolled_back_are_forgotten():
    """SQLite gives the ids of rolled-back rows to the next ones, also to another process's: the
    keys kept for a store that did not commit must not stand for those of the articles that took
    its ids, even when those are indexed by then and the ids alone look in step."""
    rng = random.Random(13)
    first = _copies(rng, "Kota Jajaki Kerja Sama", _words(rng, 60), "first", 2)
    lost = _copies(rng, "Mitra Jajaki Kerja Sama", _words(rng, 60), "lost", 3)
    # Another crawl stores a story under the lost ids, then this crawl stores a copy of it: the
    # copy must be linked to the other crawl's articles by their own keys.
    other = _copies(rng, "Lain", _words(rng, 60), "other", 3)
    copy = {**other[0], "url": "http://a.example/copy"}
    sessions = open_database("sqlite://")
    known = StoredShingles()
    with sessions.begin() as session:
        ensure_source(session, "a", "http://a.example/")
        add_articles(session, first, known=known)
    with pytest.raises(RuntimeError):
        _store_then_fail(sessions, lost, known)
    with sessions.begin() as session:
        add_articles(session, other)  # another process: no kept keys
        ids = sorted(session.scalars(sa.text("SELECT id FROM articles WHERE url LIKE '%other%'")))
    assert ids == [3, 4, 5]  # the lost ones' ids
    with sessions.begin() as session:
        add_articles(session, [copy], known=known)
    with sessions() as session:
        pairs = _url_pairs(session)
    assert ("http://a.example/copy", "http://a.example/other/0") in pairs
    assert not any("lost" in url for pair in pairs for url in pair)


def test_keys_of_a_deleted_match_are_forgotten():
    """A match deleted after it was kept (its keys and pairs go with it) is not counted again:
    a later copy of it is linked to nothing."""
    rng = random.Random(17)
    body = _words(rng, 60)
    rows = _copies(rng, "Kota Jajaki Kerja Sama", body, "story", 2)
    sessions = open_database("sqlite://")
    known = StoredShingles()
    with sessions.begin() as session:
        ensure_source(session, "a", "http://a.example/")
        add_articles(session, rows[:1], known=known)
    with sessions.begin() as session:
        session.execute(sa.text("DELETE FROM articles"))
    with sessions.begin() as session:
        add_articles(session, rows[1:], known=known)
    with sessions() as session:
        assert pairs_of(session) == []
        assert session.scalar(sa.text("SELECT count(*) FROM story_signatures")) == 1

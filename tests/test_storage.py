"""Store stage: migrations, repository functions and aware datetimes on SQLite and PostgreSQL.

PostgreSQL tests run when 127.0.0.1:5432 answers; each test gets its own schema
(jajak_test_<random>_<n>), dropped afterwards, so other users of database `test` are untouched.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import psycopg
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.orm import Session, sessionmaker

from crawler.storage import (
    Base,
    Database,
    add_articles,
    article_count,
    current_revision,
    ensure_source,
    finish_run,
    has_articles,
    head_revision,
    known_urls,
    last_run,
    list_articles,
    make_engine,
    mark_seen,
    open_database,
    start_run,
    upgrade,
)

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
WIB = ZoneInfo("Asia/Jakarta")
TABLES = {"sources", "articles", "seen_urls", "crawl_runs", "alembic_version"}
_schema_numbers = itertools.count(1)


def _postgres_unavailable() -> str | None:
    try:
        with psycopg.connect(PG_URL.replace("+psycopg", ""), connect_timeout=2):
            return None
    except (psycopg.Error, OSError) as err:
        return f"PostgreSQL not reachable at {PG_URL}: {' '.join(str(err).split())}"


@pytest.fixture(scope="session")
def pg_prefix() -> Iterator[str]:
    reason = _postgres_unavailable()
    if reason:
        pytest.skip(reason)
    prefix = f"jajak_test_{secrets.token_hex(4)}"
    yield prefix
    # Safety net: drop any schema of this session a failed teardown left behind.
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        names = conn.scalars(
            sa.text("SELECT nspname FROM pg_namespace WHERE nspname LIKE :p"), {"p": prefix + "_%"}
        ).all()
        for name in names:
            conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
    engine.dispose()


def _fresh_url(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    if kind == "sqlite-memory":
        yield "sqlite://"
    elif kind == "sqlite-file":
        # The directory must exist: outside its own var/, jajak creates none (storage.check).
        (tmp_path / "var" / "db").mkdir(parents=True)
        yield f"sqlite:///{tmp_path}/var/db/jajak.db"
    else:
        prefix = request.getfixturevalue("pg_prefix")
        schema = f"{prefix}_{next(_schema_numbers)}"
        admin = sa.create_engine(PG_URL)
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        yield f"{PG_URL}?options={quote(f'-csearch_path={schema}')}"
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


BACKENDS = [
    pytest.param("sqlite-memory"),
    pytest.param("sqlite-file"),
    pytest.param("postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, empty database on each backend."""
    yield from _fresh_url(request.param, tmp_path, request)


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    factory = open_database(db_url)
    yield factory
    factory.kw["bind"].dispose()


def _engine(sessions: sessionmaker[Session]) -> sa.Engine:
    return sessions.kw["bind"]


def _article(source_id: int, slug: str, **fields: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "source_id": source_id,
        "url": f"https://prolitenews.com/{slug}/",
        "title": f"Pemkot Bandung {slug}",
        "text": f"BANDUNG, Prolite – Pemerintah Kota Bandung membahas {slug} bersama mitra.",
    }
    row.update(fields)
    return row


# --- schema and migrations -------------------------------------------------------------------


def test_open_database_applies_migrations(sessions: sessionmaker[Session]) -> None:
    engine = _engine(sessions)
    assert current_revision(engine) == head_revision()
    # The default schema: on PostgreSQL the per-test schema from search_path, not public.
    assert set(sa.inspect(engine).get_table_names()) >= TABLES
    if engine.dialect.name == "postgresql":
        assert TABLES.isdisjoint(sa.inspect(engine).get_table_names(schema="public"))


def test_the_head_the_file_names_say_is_alembics() -> None:
    from crawler.storage.database import newest_revision_file

    assert newest_revision_file() == head_revision()


def test_fresh_database_has_no_revision_until_upgraded(db_url: str) -> None:
    from crawler.storage.database import at_newest_revision

    engine = make_engine(db_url)
    try:
        assert current_revision(engine) is None and not at_newest_revision(engine)
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        assert at_newest_revision(engine)
    finally:
        engine.dispose()


def test_rerunning_upgrade_is_a_no_op(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        ensure_source(session, "prolite", "https://prolitenews.com/")
    upgrade(_engine(sessions))
    upgrade(_engine(sessions))
    assert current_revision(_engine(sessions)) == head_revision()
    with sessions.begin() as session:
        assert session.scalar(sa.text("SELECT count(*) FROM sources")) == 1
        assert session.scalar(sa.text("SELECT count(*) FROM alembic_version")) == 1


def _not_search_index(name: str | None, type_: str, parent_names: object) -> bool:
    # Migration 0009's full-text search (FTS5 table and its shadow tables, PostgreSQL's GIN
    # expression index) has no model: only the raw SQL of crawler.storage.browse reads it.
    return not (name or "").startswith(("articles_fts", "ix_articles_fts"))


def test_migrations_match_models(sessions: sessionmaker[Session]) -> None:
    with _engine(sessions).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": _not_search_index})
        assert compare_metadata(context, Base.metadata) == []


def test_sqlite_file_is_wal_with_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "jajak.db"
    sessions = open_database(f"sqlite:///{path}")
    try:
        assert path.exists()
        with _engine(sessions).connect() as conn:
            pragma = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
            }
        assert pragma == {
            "journal_mode": "wal",
            "foreign_keys": 1,
            "busy_timeout": 30000,
            "synchronous": 1,
        }
    finally:
        _engine(sessions).dispose()


def test_in_memory_engine_shares_one_database() -> None:
    sessions = open_database("sqlite://")
    with sessions.begin() as session:
        ensure_source(session, "progres", "https://progres.id/")
    with sessions.begin() as session:
        assert ensure_source(session, "progres", "https://progres.id/").id == 1
    _engine(sessions).dispose()


def _upgrade_in_child(url: str, barrier: Any) -> None:
    barrier.wait()
    upgrade(url)


@pytest.mark.parametrize(
    "kind", ["sqlite-file", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_two_processes_upgrading_at_once_both_succeed(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    urls = _fresh_url(kind, tmp_path, request)
    url = next(urls)
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(2)
    children = [spawn.Process(target=_upgrade_in_child, args=(url, barrier)) for _ in range(2)]
    for child in children:
        child.start()
    for child in children:
        child.join(60)
    assert [child.exitcode for child in children] == [0, 0]
    engine = make_engine(url)
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT count(*) FROM alembic_version")) == 1
    finally:
        engine.dispose()
        next(urls, None)  # drop the PostgreSQL schema


# --- repository --------------------------------------------------------------------------------


def test_ensure_source_is_idempotent_and_follows_url_changes(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        first = ensure_source(session, "prolite", "http://prolitenews.com/")
    with sessions.begin() as session:
        again = ensure_source(session, "prolite", "https://prolitenews.com/")
        assert again.id == first.id
        assert again.url == "https://prolitenews.com/"
        assert again.updated_at >= again.created_at


def test_same_article_twice_is_stored_once_and_reported_once(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        source_id = ensure_source(session, "prolite", "https://prolitenews.com/").id
        rows = [_article(source_id, "jajaki-kerja-sama-hamamatsu")] * 2
        rows.append(_article(source_id, "sister-city-melbourne", match=True))
        assert add_articles(session, rows) == [
            "https://prolitenews.com/jajaki-kerja-sama-hamamatsu/",
            "https://prolitenews.com/sister-city-melbourne/",
        ]
    with sessions.begin() as session:
        assert add_articles(session, rows[:1]) == []
        assert add_articles(session, []) == []
        assert article_count(session) == 2


def test_add_articles_fills_defaults(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        source_id = ensure_source(session, "prolite", "https://prolitenews.com/").id
        add_articles(session, [_article(source_id, "mou-itb", text="isi", tags=["mou", "itb"])])
    with sessions.begin() as session:
        (article,) = list_articles(session)
    assert article.fetched_url == article.url
    assert article.content_hash == hashlib.sha1(b"isi").hexdigest()
    assert (article.tags, article.cues, article.pages, article.match, article.score) == (
        ["mou", "itb"],
        [],
        1,
        False,
        0.0,
    )
    assert article.source.name == "prolite"


def test_add_articles_rejects_unknown_and_missing_fields(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        source_id = ensure_source(session, "prolite", "https://prolitenews.com/").id
        with pytest.raises(ValueError, match="unknown article field.*: labell"):
            add_articles(session, [_article(source_id, "x", labell="mou")])
        row = _article(source_id, "y")
        del row["text"]
        with pytest.raises(ValueError, match="lacks field.*: text"):
            add_articles(session, [row])


def test_known_urls_cover_articles_and_seen_urls_of_that_source_only(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        prolite = ensure_source(session, "prolite", "https://prolitenews.com/").id
        progres = ensure_source(session, "progres", "https://progres.id/").id
        add_articles(
            session,
            [
                _article(prolite, "kerja-sama-daegu", fetched_url="https://prolitenews.com/?p=418"),
                _article(
                    progres, "x", url="https://progres.id/kota-bengkulu/jajaki-kerjasama.html"
                ),
            ],
        )
        mark_seen(session, prolite, "https://prolitenews.com/tag/balai-kota/", "not_article")
        mark_seen(session, prolite, "https://prolitenews.com/tag/balai-kota/", "not_article")
        mark_seen(session, prolite, "https://prolitenews.com/?p=9", "redirect")
        assert known_urls(session, prolite) == {
            "https://prolitenews.com/kerja-sama-daegu/",
            "https://prolitenews.com/?p=418",
            "https://prolitenews.com/tag/balai-kota/",
            "https://prolitenews.com/?p=9",
        }
        assert known_urls(session, progres) == {
            "https://progres.id/kota-bengkulu/jajaki-kerjasama.html"
        }
        assert session.scalar(sa.text("SELECT count(*) FROM seen_urls")) == 2
        with pytest.raises(ValueError, match="kind must be one of"):
            mark_seen(session, prolite, "https://prolitenews.com/x/", "boring")


def test_has_articles_and_counts(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        prolite = ensure_source(session, "prolite", "https://prolitenews.com/").id
        progres = ensure_source(session, "progres", "https://progres.id/").id
        add_articles(session, [_article(prolite, "a"), _article(prolite, "b")])
        assert has_articles(session, prolite) is True
        assert has_articles(session, progres) is False
        assert (article_count(session), article_count(session, prolite)) == (2, 2)
        assert article_count(session, progres) == 0


def test_runs_are_started_finished_and_the_latest_is_found(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        source_id = ensure_source(session, "prolite", "https://prolitenews.com/").id
        assert last_run(session, source_id) is None
        first = start_run(session, source_id, pid=4242)
        second = start_run(session, source_id, pid=4343)
        assert last_run(session, source_id).id == second
        finish_run(
            session,
            second,
            pages=120,
            new_articles=7,
            matches=2,
            errors=1,
            finish_reason="finished",
            channel="feed",
            stats={"jajak/pages/changed": 7},
        )
    with sessions.begin() as session:
        run = last_run(session, source_id)
        assert (run.id, run.pid, run.pages, run.new_articles, run.matches, run.errors) == (
            second,
            4343,
            120,
            7,
            2,
            1,
        )
        assert (run.finish_reason, run.channel, run.stats) == (
            "finished",
            "feed",
            {"jajak/pages/changed": 7},
        )
        assert run.finished_at is not None
        assert run.finished_at >= run.started_at
        assert first != second
        with pytest.raises(LookupError):
            finish_run(
                session,
                999,
                pages=0,
                new_articles=0,
                matches=0,
                errors=0,
                finish_reason="x",
                channel=None,
                stats=None,
            )


def test_list_articles_filters_and_orders_newest_first(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        prolite = ensure_source(session, "prolite", "https://prolitenews.com/").id
        progres = ensure_source(session, "progres", "https://progres.id/").id
        add_articles(
            session,
            [
                _article(prolite, "lama", published=datetime(2023, 1, 13, 9, 0, tzinfo=WIB)),
                _article(
                    prolite,
                    "hamamatsu",
                    match=True,
                    score=0.9,
                    published=datetime(2025, 8, 11, 10, 0, tzinfo=WIB),
                ),
                # Undated: sorted by first_seen_at.
                _article(prolite, "tanpa-tanggal", first_seen_at=datetime(2025, 9, 1, tzinfo=UTC)),
                _article(
                    progres,
                    "dubes-jepang",
                    url="https://progres.id/kota-bengkulu/dubes.html",
                    match=True,
                    published=datetime(2021, 9, 29, 14, 0, tzinfo=WIB),
                ),
            ],
        )
    with sessions.begin() as session:
        slugs = [a.url.rstrip("/").rsplit("/", 1)[-1] for a in list_articles(session)]
        assert slugs == ["tanpa-tanggal", "hamamatsu", "lama", "dubes.html"]
        matches = list_articles(session, matches_only=True)
        assert [a.url for a in matches] == [
            "https://prolitenews.com/hamamatsu/",
            "https://progres.id/kota-bengkulu/dubes.html",
        ]
        assert {a.source.name for a in list_articles(session, source="progres")} == {"progres"}
        assert list_articles(session, source="tidak-ada") == []
        recent = list_articles(session, since=datetime(2025, 8, 11, 3, 0, tzinfo=UTC))
        assert [a.url for a in recent] == [
            "https://prolitenews.com/tanpa-tanggal/",
            "https://prolitenews.com/hamamatsu/",
        ]
        assert len(list_articles(session, limit=2)) == 2
        assert [a.url for a in list_articles(session, matches_only=True, source="prolite")] == [
            "https://prolitenews.com/hamamatsu/"
        ]


def test_aware_datetimes_round_trip_as_utc(sessions: sessionmaker[Session]) -> None:
    published = datetime(2025, 8, 11, 9, 30, tzinfo=WIB)
    modified = datetime(2025, 8, 11, 12, 0, tzinfo=timezone(timedelta(hours=8)))  # WITA
    with sessions.begin() as session:
        source = ensure_source(session, "prolite", "https://prolitenews.com/")
        add_articles(session, [_article(source.id, "a", published=published, modified=modified)])
    with sessions.begin() as session:
        (article,) = list_articles(session)
        source = ensure_source(session, "prolite", "https://prolitenews.com/")
    assert article.published == published
    assert article.published.utcoffset() == timedelta(0)
    assert article.published == datetime(2025, 8, 11, 2, 30, tzinfo=UTC)
    assert article.modified == datetime(2025, 8, 11, 4, 0, tzinfo=UTC)
    for value in (article.first_seen_at, source.created_at, source.updated_at):
        assert value.tzinfo is not None
        assert value.utcoffset() == timedelta(0)


def test_naive_datetimes_are_refused(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        source_id = ensure_source(session, "prolite", "https://prolitenews.com/").id
        with pytest.raises(sa.exc.StatementError, match="naive datetime"):
            add_articles(session, [_article(source_id, "a", published=datetime(2025, 8, 11))])


def test_foreign_keys_are_enforced(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(sa.exc.IntegrityError), sessions.begin() as session:
        add_articles(session, [_article(999, "yatim")])


# --- which database this is ----------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'jajak.db'}"
    return request.getfixturevalue("postgres_url")


def test_a_database_is_the_same_until_its_schema_is_lost_or_it_is_rebuilt(any_url: str) -> None:
    from crawler.storage.identity import DatabaseGone, identify, verify

    open_database(any_url)
    first = identify(any_url)
    verify(first)  # unchanged: no error
    assert identify(any_url).instance == first.instance
    engine = make_engine(any_url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("DROP TABLE jajak_meta"))
        with pytest.raises(DatabaseGone, match="lost its schema"):
            verify(first)
        if engine.dialect.name == "postgresql":  # every table dropped, then built again
            with engine.begin() as connection:
                for name in sa.inspect(connection).get_table_names():
                    connection.execute(sa.text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))
            upgrade(engine)
        else:  # a new file at the same path
            engine.dispose()
            for suffix in ("", "-wal", "-shm"):
                Path(any_url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
            upgrade(any_url)
    finally:
        engine.dispose()
    with pytest.raises(DatabaseGone, match="replaced") as caught:
        verify(first)
    assert "\n" not in str(caught.value)


def test_a_deleted_database_whose_path_an_empty_file_took_is_deleted_not_replaced(tmp_path) -> None:
    # a connection opened after the delete (a pooled one of the daemon, a crawl child) creates
    # an empty file at the path: the user deleted the database and must read "deleted"
    import sqlite3

    from crawler.storage.identity import DatabaseGone, identify, verify

    url = f"sqlite:///{tmp_path / 'jajak.db'}"
    open_database(url)
    first = identify(url)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{tmp_path / 'jajak.db'}{suffix}").unlink(missing_ok=True)
    sqlite3.connect(tmp_path / "jajak.db").close()
    assert (tmp_path / "jajak.db").exists()
    with pytest.raises(DatabaseGone, match=r"was deleted \(an empty database is in its place\)$"):
        verify(first)
    (tmp_path / "jajak.db").write_bytes(b"not a database at all, but a file of some other program")
    with pytest.raises(DatabaseGone, match="was replaced by another file$"):
        verify(first)


def test_a_run_that_died_counts_what_it_stored(sessions: sessionmaker[Session]) -> None:
    # a crawl killed by its timeout after storing articles: its row says 0, the articles say 3
    from crawler.storage import Article, CrawlRun, close_counts, start_run

    with sessions.begin() as session:
        source = ensure_source(session, "prolite", "https://prolitenews.com/")
        run_id = start_run(session, source.id, 4242)
        for k in range(3):
            session.add(Article(source_id=source.id, url=f"https://prolitenews.com/a{k}/",
                                fetched_url=f"https://prolitenews.com/a{k}/", title=f"A{k}", text="x",
                                content_hash=f"{k:040d}", match=k == 0, crawl_run_id=run_id))
    with sessions.begin() as session:
        run = session.get(CrawlRun, run_id)
        assert close_counts(session, run) == {"pages": 3, "new_articles": 3, "matches": 1}


def test_search_finds_every_stored_article_by_word_prefix(sessions: sessionmaker[Session]) -> None:
    from crawler.storage.browse import has_fts, search_articles

    with sessions.begin() as session:
        source = ensure_source(session, "prolite", "https://prolitenews.com/")
        add_articles(session, [
            {"source_id": source.id, "url": "https://prolitenews.com/a", "title": "Pemkot Jajaki Kerjasama",
             "text": "Wali kota bertemu Dubes Jepang di Hamamatsu."},
            {"source_id": source.id, "url": "https://prolitenews.com/b", "title": "Banjir surut",
             "text": "Warga \"membersihkan\" rumah; 100% OR NEAR(x) kerja bakti."},
        ])
    with sessions.begin() as session:
        assert has_fts(session)  # migration 0009 on both backends (SQLite built with FTS5)
        assert [a.url for a in search_articles(session, "hamamatsu KERJA")] == ["https://prolitenews.com/a"]
        assert {a.url for a in search_articles(session, "kerja")} == {"https://prolitenews.com/a",
                                                                       "https://prolitenews.com/b"}
        assert [a.url for a in search_articles(session, '"membersihkan" OR NEAR(x) 100%')] == [
            "https://prolitenews.com/b"]  # query syntax typed in is only words
        session.execute(sa.text("UPDATE articles SET text = 'Tentang Osaka.' WHERE url = 'https://prolitenews.com/a'"))
        assert search_articles(session, "hamamatsu") == []
        assert [a.url for a in search_articles(session, "osaka")] == ["https://prolitenews.com/a"]
        session.execute(sa.text("DELETE FROM articles WHERE url = 'https://prolitenews.com/a'"))
        assert search_articles(session, "osaka") == []


def test_an_opened_sqlite_database_deleted_under_it_is_never_created_again(tmp_path: Path) -> None:
    """A daemon keeps its Database for days; when its file is deleted, its next connection must
    fail instead of making a new, empty database that the daemon would go on in."""
    path = tmp_path / "jajak data.db"  # a blank, which a file: URI must escape
    with Database(f"sqlite:///{path}") as database:
        with database.begin() as session:
            session.execute(sa.text("SELECT 1"))
        database.engine.dispose()  # the pool's open connections would still read the deleted file
        for name in (path.name, path.name + "-wal", path.name + "-shm"):
            (tmp_path / name).unlink(missing_ok=True)
        with pytest.raises(sa.exc.OperationalError), database.begin() as session:
            session.execute(sa.text("SELECT 1"))
    assert not path.exists()

"""Channel identity is the full target: each Telegram chat and each email recipient has its own
delivery history, secrets never reach the key, and migration 0005 keeps the history recorded
under the old keys (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import apprise
import pytest
import sqlalchemy as sa
from alembic import command

import alerts
from crawler.digest import DigestConfig, run_digest
from crawler.storage import (
    alembic_config,
    list_deliveries,
    make_engine,
    open_database,
)
from tests.conftest import store_matches
from tests.servers import free_port, smtp

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
NOW = datetime.now(UTC)


def _keys(notify: str) -> list[str]:
    return [channel.key for channel in alerts.parse_notify(notify)]


# --- the key --------------------------------------------------------------------------------------


def test_two_telegram_chat_ids_are_two_channels():
    first, second = _keys(f"tgram://{TOKEN}/987654321"), _keys(f"tgram://{TOKEN}/-1001234567890")
    both = alerts.parse_notify(f"tgram://{TOKEN}/987654321/-1001234567890")

    assert first != second
    assert sorted(c.key for c in both) == sorted(first + second)  # one URL, two chats: split
    assert {c.display for c in both} == {
        "tgram://123456789:****/987654321/-1001234567890 → chat 987654321",
        "tgram://123456789:****/987654321/-1001234567890 → chat -1001234567890",
    }
    assert len({c.origin for c in both}) == 1 and len({c.legacy_key for c in both}) == 1


def test_each_email_recipient_is_its_own_channel():
    server = "mailto://127.0.0.1:2525?from=jajak@example.com"
    alice, bob = _keys(f"{server}&to=alice@example.com"), _keys(f"{server}&to=bob@example.com")
    pair = _keys(f"{server}&to=alice@example.com,bob@example.com")

    assert alice != bob and sorted(pair) == sorted(alice + bob)
    assert _keys(f"{server}&to=Alice@Example.com") == alice  # addresses are case-insensitive
    with_cc = _keys(f"{server}&to=alice@example.com&cc=redaksi@example.com")
    with_bcc = _keys(f"{server}&to=alice@example.com&bcc=redaksi@example.com")
    assert len({*alice, *with_cc, *with_bcc}) == 3
    assert _keys(f"{server}&to=alice@example.com&cc=b@example.com,a@example.com") == _keys(
        f"{server}&to=alice@example.com&cc=a@example.com,b@example.com")
    assert _keys("mailto://127.0.0.1:2526?from=jajak@example.com&to=alice@example.com") != alice


@pytest.mark.parametrize(("same", "other"), [
    ("json://127.0.0.1:9/hook", "json://127.0.0.1:9/hook?format=markdown&rto=5&cto=2&overflow=split"),
    ("mailtos://redaksi:old-password@smtp.example.com?to=tim@example.com",
     "mailtos://redaksi:new-password@smtp.example.com?to=tim@example.com"),
])
def test_how_to_send_does_not_change_the_place(same, other):
    assert _keys(same) == _keys(other)


@pytest.mark.parametrize("other", [
    "json://127.0.0.1:9/other-hook",
    "json://127.0.0.1:9/hook?-team=b",
    "json://127.0.0.1:9/hook?+X-Token=second",
    "json://127.0.0.1:10/hook",
    "jsons://127.0.0.1:9/hook",
])
def test_webhook_path_query_headers_host_and_scheme_are_the_place(other):
    assert _keys("json://127.0.0.1:9/hook") != _keys(other)


def test_keys_hold_no_secret():
    notify = (f"tgram://{TOKEN}/987654321 json://127.0.0.1:9/h?+X-Token=abc123secret "
              "mailtos://redaksi:app-pass-2025@smtp.example.com?to=tim@example.com")
    for channel in alerts.parse_notify(notify):
        scheme, digest = channel.key.split(":")
        assert len(digest) == 32 and all(c in "0123456789abcdef" for c in digest)
        for secret in (TOKEN.split(":")[1], "abc123secret", "app-pass-2025"):
            assert secret not in channel.key + channel.display + repr(channel)


def test_the_old_key_is_apprise_url_id_shared_by_recipients():
    server = "mailto://127.0.0.1:2525?from=jajak@example.com"
    alice, = alerts.parse_notify(f"{server}&to=alice@example.com")
    bob, = alerts.parse_notify(f"{server}&to=bob@example.com")
    plugin = apprise.Apprise.instantiate(f"{server}&to=alice@example.com")

    assert alice.legacy_key == bob.legacy_key == f"mailto:{plugin.url_id()[:16]}"
    assert alice.origin != bob.origin


# --- delivery to two recipients of one SMTP server ----------------------------------------------


def _config(url: str, notify: str, tmp_path: Path) -> DigestConfig:
    return DigestConfig(database_url=url, sources_file=str(tmp_path / "none.yaml"),
                        channels=tuple(alerts.load_channels(notify)), retry_base=timedelta(0))


def _titles_in(messages) -> list[str]:
    found = []
    for message in messages:
        text = message.get_body(("plain",)).get_content()
        found += [line.split(". ", 1)[1] for line in text.splitlines()
                  if line[:1].isdigit() and ". " in line and "Jajaki" in line]
    return found


def test_a_recipient_added_later_gets_every_story_of_the_window(tmp_path):
    url = f"sqlite:///{tmp_path / 'jajak.db'}"
    open_database(url)
    titles = store_matches(url, 5)
    port = free_port()
    server = f"mailto://127.0.0.1:{port}?from=jajak@example.com"
    controller, sink = smtp(port)
    try:
        run_digest(_config(url, f"{server}&to=alice@example.com", tmp_path))
        both = _config(url, f"{server}&to=alice@example.com {server}&to=bob@example.com", tmp_path)
        reports = run_digest(both)
        again = run_digest(both)
    finally:
        controller.stop()

    assert sorted(_titles_in(sink.to("alice@example.com"))) == sorted(titles)
    assert sorted(_titles_in(sink.to("bob@example.com"))) == sorted(titles)
    assert [r.stories for r in reports] == [0, 5] and [r.stories for r in again] == [0, 0]


def test_one_url_with_two_recipients_sends_each_every_story_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'jajak.db'}"
    open_database(url)
    titles = store_matches(url, 4)
    port = free_port()
    notify = f"mailto://127.0.0.1:{port}?from=jajak@example.com&to=carol@example.com,dave@example.com"
    controller, sink = smtp(port)
    try:
        first = run_digest(_config(url, notify, tmp_path))
        second = run_digest(_config(url, notify, tmp_path))
    finally:
        controller.stop()

    for person in ("carol@example.com", "dave@example.com"):
        (message,) = sink.to(person)
        assert message["To"] == person and sorted(_titles_in([message])) == sorted(titles)
    assert [r.sent for r in first] == [4, 4] and [r.stories for r in second] == [0, 0]


# --- migration 0005: old histories kept ------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
    else:
        yield request.getfixturevalue("postgres_url")


def _old_key(url: str) -> str:
    return f"{url.split('://')[0]}:{apprise.Apprise.instantiate(url).url_id()[:16]}"


def _old_history(database: str, sent: dict[str, list[int]]) -> None:
    """Deliveries as jajak wrote them before 0005: one story per article, under old keys."""
    deliveries = sa.table(
        "deliveries", sa.column("id", sa.Integer), sa.column("story_key", sa.String),
        sa.column("channel", sa.String), sa.column("kind", sa.String), sa.column("status", sa.String),
        sa.column("attempts", sa.Integer), sa.column("sent_at", sa.DateTime(timezone=True)),
        sa.column("article_ids", sa.JSON), sa.column("created_at", sa.DateTime(timezone=True)),
    )
    links = sa.table("delivery_articles", sa.column("channel", sa.String),
                     sa.column("article_id", sa.Integer), sa.column("delivery_id", sa.Integer))
    engine = make_engine(database)
    with engine.begin() as conn:
        for channel, ids in sent.items():
            for article_id in ids:
                delivery_id = conn.execute(deliveries.insert().returning(deliveries.c.id).values(
                    story_key=f"story-{article_id}", channel=channel, kind="digest", status="sent",
                    attempts=1, sent_at=NOW, article_ids=[article_id], created_at=NOW,
                )).scalar_one()
                conn.execute(links.insert().values(channel=channel, article_id=article_id,
                                                   delivery_id=delivery_id))
    engine.dispose()


def test_migration_keeps_old_histories_where_they_are_unambiguous(database, tmp_path):
    port = free_port()
    server = f"mailto://127.0.0.1:{port}?from=jajak@example.com"
    other = f"mailto://127.0.0.1:{port}?from=humas@example.com&user=humas"
    alice = f"{server}&to=alice@example.com"                        # its own old key
    team = f"{server}&user=tim&to=carol@example.com,dave@example.com"  # one entry, 2 people
    erin, frank = f"{other}&to=erin@example.com", f"{other}&to=frank@example.com"  # one old key, 2 entries
    assert len({_old_key(alice), _old_key(team), _old_key(erin)}) == 3 and _old_key(erin) == _old_key(frank)

    command.upgrade(alembic_config(database), "0004")
    titles = store_matches(database, 3)
    ids = _article_ids(database)
    _old_history(database, {_old_key(alice): ids[:2], _old_key(team): ids, _old_key(erin): ids})

    controller, sink = smtp(port)
    try:
        config = _config(database, " ".join((alice, team, erin, frank)), tmp_path)
        reports = run_digest(config)  # upgrades to head first, as every command does
    finally:
        controller.stop()

    assert _titles_in(sink.to("alice@example.com")) == [titles[2]]
    assert sink.to("carol@example.com") == [] and sink.to("dave@example.com") == []
    for person in ("erin@example.com", "frank@example.com"):  # whose history? not guessed
        assert sorted(_titles_in(sink.to(person))) == sorted(titles)
    assert [r.sent for r in reports] == [1, 0, 0, 3, 3]
    with open_database(database)() as session:
        rows = list_deliveries(session)
    channels = {row.channel for row in rows}
    assert {c.key for c in config.channels} <= channels
    assert {c for c in channels if c.startswith("legacy:")} == {"legacy:" + _old_key(erin)}
    kept = [row for row in rows if row.channel in {c.key for c in config.channels[1:3]}]
    assert len(kept) == 6 and {row.status for row in kept} == {"sent"}  # carol's and dave's


def _article_ids(database: str) -> list[int]:
    engine = make_engine(database)
    with engine.connect() as conn:
        ids = list(conn.scalars(sa.text("SELECT id FROM articles ORDER BY id")))
    engine.dispose()
    return ids


def test_downgrade_restores_the_old_keys(tmp_path):
    database = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(database), "0004")
    store_matches(database, 1)
    _old_history(database, {"json:0123456789abcdef": _article_ids(database)})
    command.upgrade(alembic_config(database), "0005")
    engine = make_engine(database)
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT channel FROM delivery_articles")) == "legacy:json:0123456789abcdef"
    command.downgrade(alembic_config(database), "0004")
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT channel FROM deliveries")) == "json:0123456789abcdef"
    engine.dispose()


def test_a_place_configured_twice_is_one_channel_with_both_tags(tmp_path):
    config = tmp_path / "apprise.yml"
    config.write_text("version: 1\nurls:\n  - json://127.0.0.1:9/h?format=text:\n      - tag: ops\n",
                      encoding="utf-8")
    (channel,) = alerts.load_channels("json://127.0.0.1:9/h", str(config))
    assert channel.tags == frozenset({"ops"}) and channel.display == "json://127.0.0.1:9/h"

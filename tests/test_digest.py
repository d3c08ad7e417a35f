"""Digest job end to end: matches crawled from fixture portals are delivered through real local
servers (aiosmtpd SMTP, a JSON webhook, a stand-in Telegram Bot API), exactly once per story
and channel, across failures, retries and two digest processes running at once."""

from __future__ import annotations

import contextlib
import copy
import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import alerts
from crawler.demo.server import PortalServer
from crawler.demo.themes import build_site
from crawler.digest import DigestConfig, run_digest, send_instant
from crawler.storage import (
    Article,
    Delivery,
    add_articles,
    ensure_source,
    list_deliveries,
    open_database,
)
from tests.conftest import FAST, ROOT, CrawlEnv
from tests.servers import Hook, free_port, smtp

pytestmark = pytest.mark.e2e

TG_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
SCRIPT_TITLE = "Pemkot Bengkulu <script>alert(1)</script> Jajaki Kerja Sama Sister City dengan Kawasaki"
REPUBLISHED = (1, 5)  # demo article ids the second outlet republishes from the same press release


# --- fixture outlets and a database crawled once for the whole module ---------------------------


def _republished(articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The second outlet: two of the demo press releases, lightly edited, plus one story of its own."""
    out = []
    for article in articles:
        if article["id"] not in REPUBLISHED:
            continue
        copy_ = copy.deepcopy(article)
        copy_["id"] = 100 + article["id"]
        copy_["slug"] = "rilis-" + article["slug"]
        copy_["title"] = "Rilis: " + article["title"]
        published = datetime.fromisoformat(article["published"]) + timedelta(hours=2)
        copy_["published"] = published.isoformat()  # republished later the same day
        copy_["paragraphs"][0] = "(Rilis Humas) " + copy_["paragraphs"][0]
        copy_["author"] = "Tim Redaksi"
        out.append(copy_)
    extra = copy.deepcopy(next(a for a in articles if a["id"] == 2))
    extra.update(id=150, slug="festival-layang-layang-pantai-panjang", partnership=False, stage=None,
                 title="Festival Layang-Layang Meriahkan Pantai Panjang Bengkulu",
                 paragraphs=["Ratusan layang-layang berwarna-warni menghiasi langit Pantai Panjang, "
                             "Minggu (9/3/2025), dalam festival tahunan yang digelar dinas pariwisata.",
                             "Peserta datang dari berbagai kabupaten di Provinsi Bengkulu dan "
                             "beberapa daerah tetangga."])
    return [*out, extra]


@pytest.fixture(scope="module")
def template_db(tmp_path_factory, demo_articles) -> Path:
    """Two outlets crawled for real by `jajak crawl` into one SQLite file, copied by each test."""
    home = tmp_path_factory.mktemp("seed")
    env = CrawlEnv(home, f"sqlite:///{home / 'jajak.db'}")
    with PortalServer() as first, PortalServer() as second:
        first.set_site(build_site("wp-magazine", demo_articles, first.url))
        second.set_site(build_site("wp-news", _republished(demo_articles), second.url))
        env.add_source("kabarbengkulu", first.url + "/")
        env.add_source("rilisnews", second.url + "/", timezone="Asia/Makassar")
        done = env.jajak("crawl", "-q")
    assert done.returncode == 0, done.stderr[-3000:]
    return home / "jajak.db"


@pytest.fixture
def db(template_db: Path, tmp_path: Path) -> CrawlEnv:
    """A crawl environment whose database is a fresh copy of the crawled one."""
    target = tmp_path / "jajak.db"
    with sqlite3.connect(template_db) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    env = CrawlEnv(tmp_path, f"sqlite:///{target}")
    env.sources_file.write_text((template_db.parent / "sources.yaml").read_text(), encoding="utf-8")
    return env


def _config(env: CrawlEnv, notify: str = "", **changes: Any) -> DigestConfig:
    config = DigestConfig(
        database_url=env.database_url,
        sources_file=str(env.sources_file),
        channels=tuple(alerts.load_channels(notify)),
        max_age=None,  # the fixture articles were published in 2025
        retry_base=timedelta(0),
    )
    return replace(config, **changes)


def _matches(database_url: str) -> list[Article]:
    with open_database(database_url)() as session:
        return list(session.scalars(select(Article).where(Article.match.is_(True))))


def _deliveries(database_url: str) -> list[Delivery]:
    with open_database(database_url)() as session:
        return list_deliveries(session)


def _story_titles(database_url: str) -> set[str]:
    """The title of each expected story: republished copies fold into their original."""
    return {a.title for a in _matches(database_url) if not a.title.startswith("Rilis: ")}


# --- local servers ------------------------------------------------------------------------------


@pytest.fixture
def hook():
    server = Hook()
    yield server
    server.close()


def _count(texts: list[str], title: str) -> int:
    return sum(text.count(title) for text in texts)


# --- content: one entry per story, every outlet listed --------------------------------------------


def test_republished_press_release_is_one_story_listing_both_outlets(db):
    out = _render_terminal(db)

    entry = out.split("Kota Hamamatsu Jajaki Kerja Sama Air Bersih")[1].split("\n\n")[0]
    assert "Outlets: kabarbengkulu, rilisnews" in entry
    assert "Rilis: " not in out  # the copy is listed as an outlet, not as a second story
    assert "Festival Layang-Layang" not in out
    for title in _story_titles(db.database_url):
        assert out.count(title) == 1, title
    assert _deliveries(db.database_url) == []  # the terminal marks nothing


def _render_terminal(env: CrawlEnv) -> str:
    import io

    buffer = io.StringIO()
    run_digest(_config(env), out=buffer)
    return buffer.getvalue()


def test_cli_without_channel_prints_the_digest(db):
    done = db.jajak("digest", "--since", "2025-01-01", "--format", "markdown")

    assert done.returncode == 0, done.stderr
    assert "no channel configured" in done.stderr
    assert "**jajak digest:" in done.stdout
    assert "Sources: 2 crawled, 2/2 healthy" in done.stdout


# --- email through aiosmtpd -----------------------------------------------------------------------


def test_email_has_html_and_text_parts_and_escapes_article_text(db):
    sessions = open_database(db.database_url)
    with sessions.begin() as session:
        source = ensure_source(session, "kabarbengkulu", "http://example.invalid/")
        add_articles(session, [{
            "source_id": source.id, "url": "http://example.invalid/script", "title": SCRIPT_TITLE,
            "text": "Pemerintah Kota Bengkulu menjajaki kerja sama sister city dengan Kota Kawasaki.",
            "match": True, "score": 0.93, "stage": "exploring", "parties": ["Kota Kawasaki (Jepang)"],
            "cues": ["Pemerintah Kota Bengkulu menjajaki kerja sama <b>sister city</b>."],
        }])
    port = free_port()
    controller, sink = smtp(port)
    try:
        done = _jajak(db, "digest", "--since", "2025-01-01",
                      notify=f"mailto://127.0.0.1:{port}?from=jajak@example.com&to=redaksi@example.com")
    finally:
        controller.stop()

    assert done.returncode == 0, done.stderr
    assert len(sink.messages) == 1
    message = sink.messages[0]
    stories = len(_story_titles(db.database_url))
    assert message["Subject"].startswith(f"jajak digest: {stories} new partnership stories")
    assert message["To"] == "redaksi@example.com"
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "&lt;b&gt;sister city&lt;/b&gt;" in html
    assert SCRIPT_TITLE in text  # the text alternative shows the title as written
    for title in _story_titles(db.database_url):
        assert title.replace("<", "&lt;").replace(">", "&gt;") in html
        assert text.count(title) == 1
    assert "Outlets: kabarbengkulu, rilisnews" in text
    assert all(d.status == "sent" and d.attempts == 1 for d in _deliveries(db.database_url))


def _jajak(env: CrawlEnv, *args: str, notify: str = "", **extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "crawler.cli", *args, *(FAST if args[0] == "crawl" else [])]
    environment = {**env.env, "JAJAK_NOTIFY": notify, "JAJAK_DIGEST_MAX_AGE": "0",
                   "JAJAK_APPRISE_CONFIG": "", "JAJAK_INSTANT_THRESHOLD": "", **extra}
    return subprocess.run(command, cwd=env.home, env=environment, capture_output=True, text=True,
                          timeout=120, check=False)


def test_smtp_down_marks_nothing_and_the_next_run_delivers_once(db):
    port = free_port()
    config = _config(db, f"mailto://127.0.0.1:{port}?from=jajak@example.com&to=redaksi@example.com")

    failed = run_digest(config)  # nobody listens on the port

    assert failed[0].failed == failed[0].stories > 0 and failed[0].sent == 0
    rows = _deliveries(db.database_url)
    assert {d.status for d in rows} == {"failed"} and all(d.sent_at is None for d in rows)
    assert all(d.next_attempt_at is not None and "Connection error" in d.last_error for d in rows)

    controller, sink = smtp(port)
    try:
        again = run_digest(config)
        last = run_digest(config)
    finally:
        controller.stop()

    assert again[0].sent == again[0].stories == failed[0].stories
    assert last[0].stories == 0
    assert len(sink.messages) == 1
    assert {(d.status, d.attempts) for d in _deliveries(db.database_url)} == {("sent", 2)}


def test_failed_delivery_waits_for_its_backoff(db, hook):
    hook.down.add("/hook")
    config = _config(db, f"json://{hook.url}/hook", retry_base=timedelta(hours=1))
    run_digest(config)
    hook.down.clear()

    assert run_digest(config)[0].stories == 0  # not due for an hour: nothing claimed, nothing sent
    assert hook.posts == []
    rows = _deliveries(db.database_url)
    assert {(d.status, d.attempts) for d in rows} == {("failed", 1)}
    assert all(d.next_attempt_at > d.created_at + timedelta(minutes=59) for d in rows)


# --- json:// webhooks ---------------------------------------------------------------------------


def test_only_the_failed_channel_is_retried(db, hook):
    hook.down.add("/down")
    config = _config(db, f"json://{hook.url}/ok json://{hook.url}/down")

    first = run_digest(config)
    second = run_digest(config)  # /down still down
    hook.down.clear()
    third = run_digest(config)
    fourth = run_digest(config)

    assert [r.failed for r in first] == [0, first[1].stories]
    assert [r.stories for r in second] == [0, first[1].stories]
    assert [r.sent for r in third] == [0, first[1].stories]
    assert [r.stories for r in fourth] == [0, 0]
    ok, down = hook.bodies("/ok"), hook.bodies("/down")
    assert len(ok) == 1 and len(down) == 1
    for title in _story_titles(db.database_url):
        assert ok[0]["message"].count(title) == 1 and down[0]["message"].count(title) == 1
    by_channel = {}
    for row in _deliveries(db.database_url):
        by_channel.setdefault(row.channel, set()).add((row.status, row.attempts))
    assert sorted(by_channel.values(), key=len) == [{("sent", 1)}, {("sent", 3)}]


def test_nothing_new_sends_nothing_unless_heartbeat(db, hook):
    config = _config(db, f"json://{hook.url}/hook")
    run_digest(config)
    assert len(hook.posts) == 1

    run_digest(config)
    assert len(hook.posts) == 1
    run_digest(replace(config, heartbeat=True))

    assert len(hook.posts) == 2
    assert hook.posts[1][1]["message"].startswith("no new partnership talks; 2/2 sources healthy")
    again = run_digest(replace(config, heartbeat=True))  # the same hour: it was said already
    assert len(hook.posts) == 2 and again[0].line().endswith(": nothing new")


def test_dry_run_renders_each_channel_and_marks_nothing(db, hook):
    import io

    out = io.StringIO()
    config = _config(db, f"json://{hook.url}/hook tgram://{TG_TOKEN}/987654321")
    reports = run_digest(config, dry_run=True, out=out)

    assert hook.posts == [] and _deliveries(db.database_url) == []
    assert [r.stories for r in reports] == [len(_story_titles(db.database_url))] * 2
    text = out.getvalue()
    assert "=== telegram tgram://123456789:****/987654321" in text
    assert TG_TOKEN.split(":")[1] not in text


def test_tags_of_an_apprise_config_route_the_digest(db, hook, tmp_path):
    config_file = tmp_path / "apprise.yml"
    config_file.write_text(
        "version: 1\nurls:\n"
        f"  - json://{hook.url}/redaksi:\n      - tag: redaksi\n"
        f"  - json://{hook.url}/humas:\n      - tag: humas, ops\n",
        encoding="utf-8",
    )
    config = replace(_config(db), channels=tuple(alerts.load_config(config_file)))

    run_digest(config, tag="ops")

    assert [path for path, _ in hook.posts] == ["/humas"]
    with pytest.raises(ValueError, match="no configured channel has this tag"):
        run_digest(config, tag="nosuchtag")


# --- Telegram at the HTTP layer -----------------------------------------------------------------


def test_telegram_digest_is_split_between_entries(db, hook, monkeypatch):
    from apprise.plugins.telegram import NotifyTelegram

    monkeypatch.setattr(NotifyTelegram, "notify_url", f"http://{hook.url}/bot")
    config = _config(db, f"tgram://{TG_TOKEN}/987654321")

    report = run_digest(config)[0]

    posts = hook.bodies(f"/bot{TG_TOKEN}/sendMessage")
    assert report.messages == len(posts) >= 2 and report.sent == report.stories
    texts = [post["text"] for post in posts]
    for post in posts:
        assert post["chat_id"] == 987654321 and post["parse_mode"] == "HTML"
        assert len(post["text"]) < alerts.TELEGRAM_LIMIT
    assert texts[0].startswith("<b>jajak digest:") and f"(1/{len(posts)})" in texts[0]
    assert f"({len(posts)}/{len(posts)})" in texts[-1]
    for title in _story_titles(db.database_url):
        assert _count(texts, title) == 1, title
    # An entry never straddles two messages: each part holds whole entries, numbered in order.
    numbers = [int(line.split(".")[0][3:]) for text in texts for line in text.splitlines()
               if line.startswith("<b>") and line[3:4].isdigit()]
    assert numbers == list(range(1, report.stories + 1))


def test_invalid_url_is_one_masked_error(db):
    secret = "hunter2-rahasia"
    done = _jajak(db, "digest", notify=f"json://127.0.0.1:9/ok foo://redaksi:{secret}@mail.example.com")

    assert done.returncode == 2
    assert "foo://redaksi:****@mail.example.com" in done.stderr
    assert secret not in done.stderr + done.stdout


# --- two digests at once ------------------------------------------------------------------------


def _two_digests_at_once(env: CrawlEnv, hook: Hook, blocked: Any, **extra: str) -> None:
    """Start two digests while the test holds the claim lock, release it once both wait on it,
    so they really reach the claim together (``blocked(children)`` says when)."""
    environment = {**env.env, "JAJAK_NOTIFY": f"json://{hook.url}/hook", "JAJAK_DIGEST_MAX_AGE": "0",
                   "JAJAK_APPRISE_CONFIG": "", "JAJAK_INSTANT_THRESHOLD": "", **extra}
    command = [sys.executable, "-m", "crawler.cli", "digest"]
    open_database(env.database_url)  # schema at head before the test takes the lock
    with blocked() as wait_for:
        children = [subprocess.Popen(command, cwd=env.home, env=environment, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True) for _ in range(2)]
        wait_for(children)
    for child in children:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err


def _poll(condition: Any, limit: float = 30.0) -> None:
    # Synchronisation, not an assertion: if the children never show up waiting, they still run.
    deadline = time.monotonic() + limit
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


@contextlib.contextmanager
def _sqlite_write_lock(path: Path):
    """Hold SQLite's write lock; the children block in BEGIN IMMEDIATE until it is released."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")

    def wait_for(children: list[subprocess.Popen[str]]) -> None:
        def opened(pid: int) -> bool:
            fds = Path(f"/proc/{pid}/fd")
            try:
                return any(str(path) in os.readlink(fd) for fd in fds.iterdir())
            except FileNotFoundError:  # the child closed a file (or ended) while it was read: ask again
                return not fds.exists()
        _poll(lambda: all(opened(child.pid) for child in children))
        time.sleep(0.5)  # from opening the database to BEGIN IMMEDIATE is a few milliseconds

    try:
        yield wait_for
    finally:
        connection.execute("COMMIT")
        connection.close()


@contextlib.contextmanager
def _postgres_advisory_lock(url: str):
    """Hold the digest's advisory lock; release it once both children wait for it."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    key = "hashtext('jajak-deliveries:' || current_schema())"
    with engine.connect() as conn:
        conn.execute(sa.text(f"SELECT pg_advisory_lock({key})"))
        conn.commit()

        def waiting() -> int:
            return int(conn.execute(sa.text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            )).scalar_one())

        def wait_for(children: list[subprocess.Popen[str]]) -> None:
            _poll(lambda: waiting() >= 2)
            conn.commit()

        try:
            yield wait_for
        finally:
            conn.execute(sa.text(f"SELECT pg_advisory_unlock({key})"))
            conn.commit()
    engine.dispose()


def _assert_each_story_once(env: CrawlEnv, hook: Hook) -> None:
    messages = [body["message"] for body in hook.bodies("/hook")]
    titles = _story_titles(env.database_url)
    assert titles
    for title in titles:
        assert _count(messages, title) == 1, title
    rows = _deliveries(env.database_url)
    assert len(rows) == len(titles) and {d.status for d in rows} == {"sent"}


def test_two_digest_processes_deliver_each_story_once_sqlite(db, hook):
    _two_digests_at_once(db, hook, lambda: _sqlite_write_lock(db.home / "jajak.db"))
    _assert_each_story_once(db, hook)


def test_two_digests_at_the_same_moment_send_one_heartbeat(db, hook):
    run_digest(_config(db, f"json://{hook.url}/hook"))  # every story sent: nothing new after
    hook.posts.clear()

    _two_digests_at_once(db, hook, lambda: _sqlite_write_lock(db.home / "jajak.db"), JAJAK_HEARTBEAT="1")

    (beat,) = hook.bodies("/hook")
    assert beat["message"].startswith("no new partnership talks;")
    beats = [d for d in _deliveries(db.database_url) if d.kind == "heartbeat"]
    assert [(d.status, d.attempts) for d in beats] == [("sent", 1)]


@pytest.mark.postgres
def test_two_digest_processes_deliver_each_story_once_postgres(db, hook, postgres_url, tmp_path):
    pg = CrawlEnv(tmp_path, postgres_url)
    with open_database(db.database_url)() as session:
        rows = session.scalars(select(Article)).all()
        stored = [(a.source.name, a.source.url, a) for a in rows]
    with open_database(postgres_url).begin() as session:
        for name, url, article in stored:
            source = ensure_source(session, name, url)
            add_articles(session, [{
                column: getattr(article, column)
                for column in ("url", "title", "text", "published", "match", "score", "stage",
                               "cues", "parties", "sectors", "first_seen_at")
            } | {"source_id": source.id}])

    _two_digests_at_once(pg, hook, lambda: _postgres_advisory_lock(postgres_url))
    _assert_each_story_once(pg, hook)


# --- instant alerts -----------------------------------------------------------------------------


def test_instant_alerts_after_a_crawl_are_not_repeated_in_the_digest(portal, crawl_env, hook, demo_articles):
    # The first crawl sends its matches at once (threshold 0: every match is "instant"); the
    # second crawl, without instant alerts, leaves its matches to the digest. The digest must
    # carry only the second crawl's, whatever scores the model gives.
    from crawler.demo.themes import build_site

    oldest_first = sorted(demo_articles, key=lambda a: a["published"])
    server = portal("wp-magazine", articles=oldest_first[:9])
    crawl_env.add_source("kabarbengkulu", server.url + "/")
    notify = f"json://{hook.url}/hook"

    crawled = _jajak(crawl_env, "crawl", "-q", notify=notify, JAJAK_INSTANT_THRESHOLD="0")
    early = {a.title for a in _matches(crawl_env.database_url)}
    server.set_site(build_site("wp-magazine", demo_articles, server.url))
    again = _jajak(crawl_env, "crawl", "-q", notify=notify)
    digest = _jajak(crawl_env, "digest", notify=notify)

    assert crawled.returncode == again.returncode == digest.returncode == 0, crawled.stderr + digest.stderr
    instant, later = (body["message"] for body in hook.bodies("/hook"))
    late = {a.title for a in _matches(crawl_env.database_url)} - early
    assert early and late, "each half of the fixture should hold matches"
    assert all(instant.count(t) == 1 and t not in later for t in early)
    assert all(later.count(t) == 1 and t not in instant for t in late)
    kinds = {d.kind for d in _deliveries(crawl_env.database_url)}
    assert kinds == {"instant", "digest"}


def test_send_instant_does_nothing_without_threshold(db, hook):
    from crawler.storage import utcnow

    assert send_instant(_config(db, f"json://{hook.url}/hook"), found_since=utcnow()) == []
    assert hook.posts == []


def test_readme_documents_alerts():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Alerts (Telegram and email)" in readme and "jajak digest" in readme

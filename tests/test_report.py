"""Words that say what happened to each channel: sent, waiting to retry (when, and why),
given up, "nothing new" only when truly nothing; a dry run says what it would send; `jajak
status` says the same over the channel's history."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

import alerts
from alerts import ChannelFacts, describe
from crawler.digest import DigestConfig, run_digest
from crawler.status import collect, render
from crawler.storage import open_database
from tests.conftest import CrawlEnv, store_matches
from tests.servers import Hook

NOW = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)  # 08:00 WIB


@pytest.mark.parametrize(("facts", "words"), [
    (ChannelFacts(), "nothing new"),
    (ChannelFacts(sent=5, messages=2), "sent 5 stories in 2 messages"),
    (ChannelFacts(sent=1, messages=1), "sent 1 story in 1 message"),
    (ChannelFacts(waiting=12, next_retry=NOW + timedelta(minutes=35), last_error="error=500."),
     "12 waiting to retry at 08:35 WIB (last error: error=500.)"),
    (ChannelFacts(waiting=2, next_retry=NOW + timedelta(days=1)), "2 waiting to retry at 23 Nov 08:00 WIB"),
    (ChannelFacts(sent=3, messages=1, waiting=2, next_retry=NOW, given_up=(10, 10, 10, 2)),
     "sent 3 stories in 1 message; 2 waiting to retry at 08:00 WIB; 1 given up after 2 attempts; "
     "3 given up after 10 attempts"),
    (ChannelFacts(heartbeat="sent"), "nothing new, heartbeat sent"),
    (ChannelFacts(heartbeat="refused"), "nothing new, heartbeat FAILED: refused"),
    (ChannelFacts(dry_run=True, would_send=9, would_messages=1), "would send 9 stories in 1 message"),
    (ChannelFacts(dry_run=True), "would send nothing"),
    (ChannelFacts(dry_run=True, waiting=4, next_retry=NOW), "would send nothing; 4 waiting to retry at 08:00 WIB"),
])
def test_words(facts, words):
    assert describe(facts, NOW) == words


def test_long_errors_keep_their_end():
    line = describe(ChannelFacts(waiting=1, last_error="x" * 300 + " Connection refused"), NOW)
    assert line.endswith("Connection refused)") and len(line) < 260


# --- what runs say --------------------------------------------------------------------------------


@pytest.fixture
def hook():
    server = Hook()
    yield server
    server.close()


def _config(url: str, notify: str, **changes) -> DigestConfig:
    return DigestConfig(database_url=url, sources_file="none.yaml", channels=tuple(alerts.load_channels(notify)),
                        max_age=None, **changes)


def test_after_a_failed_send_the_next_run_says_what_waits(tmp_path, hook):
    url = f"sqlite:///{tmp_path / 'jajak.db'}"
    open_database(url)
    store_matches(url, 12)
    hook.down.add("/hook")
    config = _config(url, f"json://{hook.url}/hook", retry_base=timedelta(hours=1))

    first, second = run_digest(config)[0].line(), run_digest(config)[0].line()

    for line in (first, second):
        assert ": 12 waiting to retry at " in line and "(last error: Failed to send JSON" in line
        assert "nothing new" not in line and "sent" not in line.split(": ", 1)[1].split(" (")[0]
    status = render(collect(url, [], config.channels))
    assert f"other json://{hook.url}/hook: nothing sent yet; 12 waiting to retry at " in status


def test_exhausted_retries_are_given_up_and_said_so(tmp_path, hook):
    url = f"sqlite:///{tmp_path / 'jajak.db'}"
    open_database(url)
    store_matches(url, 3)
    hook.down.add("/hook")
    config = _config(url, f"json://{hook.url}/hook", max_attempts=1)

    line = run_digest(config)[0].line()
    again = run_digest(config)[0].line()
    hook.down.clear()
    store_matches(url, 2, start=10)
    sent = run_digest(config)[0].line()

    assert line.endswith(": 3 given up after 1 attempt") and again.endswith(": nothing new")
    assert sent.endswith(": sent 2 stories in 1 message")
    status = render(collect(url, [], config.channels))
    assert "2 stories sent (last " in status and status.endswith("; 3 given up after 1 attempt")


@pytest.mark.e2e
def test_dry_run_says_what_it_would_send(tmp_path, hook):
    env = CrawlEnv(tmp_path, f"sqlite:///{tmp_path / 'jajak.db'}")
    open_database(env.database_url)
    store_matches(env.database_url, 9)
    done = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "digest", "--dry-run"], cwd=tmp_path, capture_output=True,
        text=True, timeout=120, check=False,
        env={**env.env, "JAJAK_NOTIFY": f"json://{hook.url}/hook", "JAJAK_DIGEST_MAX_AGE": "0",
             "JAJAK_APPRISE_CONFIG": ""},
    )

    assert done.returncode == 0, done.stderr
    assert f"other json://{hook.url}/hook: would send 9 stories in 1 message" in done.stderr
    assert "0/9" not in done.stderr and hook.posts == []


def test_status_lists_each_channel(tmp_path):
    url = f"sqlite:///{tmp_path / 'jajak.db'}"
    channels = alerts.load_channels("json://127.0.0.1:9/a tgram://123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/42")
    status = collect(url, [], channels)

    assert [row["summary"] for row in status["channels"]] == ["nothing sent yet"] * 2
    assert "AAHdqTcv" not in render(status) + render(status, as_json=True)
    assert "channels:\n  other json://127.0.0.1:9/a: nothing sent yet" in render(status)

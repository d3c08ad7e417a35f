"""Slow and killed deliveries: a service answering within JAJAK_NOTIFY_TIMEOUT gets each story
once; a send whose outcome is unknown (a timeout after the request went out, a digest killed
mid-send) is resent at most once, and that message says it may repeat an earlier one.

Time is compressed: a 1-3 s timeout and a receiver answering after 2 s stand for jajak's 30 s
default and webhooks answering after 10 s or 40 s."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy.settings import Settings

import alerts
from crawler.digest import DigestConfig, run_digest
from crawler.storage import (
    Delivery,
    claim_delivery,
    create_delivery,
    list_deliveries,
    open_database,
)
from tests.conftest import CrawlEnv, store_matches
from tests.servers import Hook

MARK = alerts.RESEND_NOTE


@pytest.fixture
def hook():
    server = Hook()
    yield server
    server.close()


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'jajak.db'}"
    open_database(url)
    return url


def _config(database: str, notify: str, timeout: float, tmp_path: Path) -> DigestConfig:
    return DigestConfig(
        database_url=database, sources_file=str(tmp_path / "none.yaml"),
        channels=tuple(alerts.load_channels(notify, timeout=timeout)),
        max_age=None, retry_base=timedelta(0), claim_ttl=timedelta(0),
    )


def _rows(database: str) -> list[Delivery]:
    with open_database(database)() as session:
        return list_deliveries(session)


# --- the timeout ----------------------------------------------------------------------------------


def test_every_url_gets_jajaks_timeout_unless_it_sets_its_own():
    plain, own = alerts.parse_notify("json://127.0.0.1:9/a json://127.0.0.1:9/b?rto=7")
    mail, = alerts.parse_notify("mailto://127.0.0.1:2525?from=j@x.id&to=r@x.id", timeout=12)

    assert plain.url.endswith("?rto=30&cto=30")
    assert "rto=7" in own.url and "cto=30" in own.url and "rto=30" not in own.url
    assert mail.url.endswith("rto=12&cto=12") and "cto=15" not in mail.url  # email's own default
    assert "rto" not in plain.display  # what people see is the URL they wrote


def test_the_timeout_setting_is_read_and_checked(tmp_path):
    settings = Settings({"JAJAK_DATABASE_URL": "sqlite://", "JAJAK_SOURCES": "none.yaml",
                         "JAJAK_NOTIFY": "json://127.0.0.1:9/a", "JAJAK_NOTIFY_TIMEOUT": "45"})
    assert DigestConfig.from_settings(settings).channels[0].url.endswith("rto=45&cto=45")
    settings.set("JAJAK_NOTIFY_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="JAJAK_NOTIFY_TIMEOUT"):
        DigestConfig.from_settings(settings)


@pytest.mark.parametrize(("log", "maybe"), [
    (["WARNING A Connection error occurred sending JSON notification to 127.0.0.1.",
      "DEBUG Socket Exception: HTTPConnectionPool(host='127.0.0.1', port=8): Read timed out. (read timeout=1.0)"],
     True),
    (["DEBUG Socket Exception: ('Connection aborted.', RemoteDisconnected('Remote end closed connection'))"],
     True),
    (["DEBUG Socket Exception: timed out"], True),  # SMTP: may have been after DATA
    (["DEBUG Socket Exception: HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded with url: "
      "/h (Caused by NewConnectionError('Failed to establish a new connection: [Errno 111] Connection refused'))"],
     False),
    (["DEBUG Socket Exception: HTTPConnectionPool(host='10.255.255.1', port=80): Max retries exceeded "
      "(Caused by ConnectTimeoutError(..., 'Connection to 10.255.255.1 timed out. (connect timeout=1)'))"], False),
    (["WARNING Failed to send JSON POST notification: Internal Server Error - error=500."], False),
])
def test_outcome_is_unknown_only_when_the_request_went_out(log, maybe):
    assert alerts.maybe_arrived(log) is maybe


# --- slow services --------------------------------------------------------------------------------


def test_a_service_answering_within_the_timeout_gets_each_story_once(database, hook, tmp_path):
    titles = store_matches(database, 3)
    hook.delay["/slow"] = 2.0  # a webhook answering after 10 s, against the 30 s default
    config = _config(database, f"json://{hook.url}/slow", 4, tmp_path)

    first, second = run_digest(config), run_digest(config)

    (body,) = hook.bodies("/slow")
    assert all(body["message"].count(title) == 1 for title in titles)
    assert MARK not in body["message"]
    assert first[0].sent == 3 and second[0].stories == 0
    assert {(d.status, d.attempts, d.outcome_unknown) for d in _rows(database)} == {("sent", 1, False)}


def test_a_timeout_after_sending_is_resent_once_marked_then_given_up(database, hook, tmp_path):
    titles = store_matches(database, 2)
    hook.delay["/slow"] = 2.0  # always slower than the timeout: a webhook answering after 40 s
    config = _config(database, f"json://{hook.url}/slow", 1, tmp_path)

    first = run_digest(config)
    rows = _rows(database)
    second = run_digest(config)
    third = run_digest(config)

    assert first[0].failed == 2 and "Read timed out" in first[0].errors[0]
    assert {(d.status, d.outcome_unknown) for d in rows} == {("failed", True)}
    once, again = (body["message"] for body in hook.bodies("/slow"))  # the service got both
    assert MARK not in once and MARK in again and all(again.count(t) == 1 for t in titles)
    assert second[0].failed == 2 and third[0].stories == 0  # not a third time
    assert {(d.status, d.attempts) for d in _rows(database)} == {("abandoned", 2)}
    assert all(d.last_error.startswith("gave up: the outcome was unknown twice") for d in _rows(database))


@pytest.mark.e2e
def test_real_figures_a_10_s_webhook_gets_each_story_once_and_a_40_s_one_at_most_twice(database, hook, tmp_path):
    # The same two cases at full scale, with jajak's default timeout (30 s): about 70 s.
    titles = store_matches(database, 3)
    hook.delay["/ten"] = 10.0
    hook.delay["/forty"] = 40.0
    ten = _config(database, f"json://{hook.url}/ten", 30, tmp_path)
    forty = _config(database, f"json://{hook.url}/forty", 30, tmp_path)

    assert run_digest(ten)[0].sent == 3 and run_digest(ten)[0].stories == 0
    run_digest(forty), run_digest(forty), run_digest(forty)

    (body,) = hook.bodies("/ten")
    assert all(body["message"].count(title) == 1 for title in titles)
    sent = [b["message"] for b in hook.bodies("/forty")]
    assert len(sent) == 2 and MARK not in sent[0] and MARK in sent[1]


def test_a_resend_that_gets_through_is_marked_and_final(database, hook, tmp_path):
    store_matches(database, 2)
    hook.delay["/slow"] = 2.0
    config = _config(database, f"json://{hook.url}/slow", 1, tmp_path)
    run_digest(config)
    del hook.delay["/slow"]

    assert run_digest(config)[0].sent == 2 and run_digest(config)[0].stories == 0
    assert [MARK in body["message"] for body in hook.bodies("/slow")] == [False, True]
    assert {(d.status, d.attempts, d.outcome_unknown) for d in _rows(database)} == {("sent", 2, True)}


def test_a_refused_connection_is_retried_unmarked(database, tmp_path):
    store_matches(database, 1)
    config = _config(database, "json://127.0.0.1:9/nobody", 1, tmp_path)

    run_digest(config)

    (row,) = _rows(database)
    assert row.status == "failed" and row.outcome_unknown is False  # it never left: no repeat


# --- a digest killed mid-send ---------------------------------------------------------------------


@pytest.mark.e2e
def test_a_digest_killed_mid_send_is_resent_once_with_the_mark(database, hook, tmp_path):
    titles = store_matches(database, 3)
    hook.hold.add("/hook")
    env = {**CrawlEnv(tmp_path, database).env, "JAJAK_NOTIFY": f"json://{hook.url}/hook",
           "JAJAK_DIGEST_MAX_AGE": "0", "JAJAK_APPRISE_CONFIG": "", "JAJAK_INSTANT_THRESHOLD": ""}
    child = subprocess.Popen([sys.executable, "-m", "crawler.cli", "digest"], cwd=tmp_path, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert hook.arrived.wait(60), "the digest never reached the webhook"
    finally:
        os.kill(child.pid, signal.SIGKILL)  # while it waits for the answer
        child.wait(30)
    assert {d.status for d in _rows(database)} == {"sending"}
    hook.hold.clear()
    hook.release.set()

    config = _config(database, f"json://{hook.url}/hook", 5, tmp_path)  # the claim is stale at once
    resent, after = run_digest(config), run_digest(config)

    killed, again = (body["message"] for body in hook.bodies("/hook"))
    assert MARK not in killed and MARK in again and all(again.count(t) == 1 for t in titles)
    assert resent[0].sent == 3 and after[0].stories == 0
    assert {(d.status, d.outcome_unknown) for d in _rows(database)} == {("sent", True)}


def test_killed_twice_is_given_up(database):
    store_matches(database, 1)
    now = datetime.now(UTC)
    with open_database(database).begin() as session:
        delivery = create_delivery(session, story_key="story-1", channel="json:x", article_ids=[1],
                                   token="dead1", now=now)
        assert claim_delivery(session, delivery, "live1", now) is True  # the first death: resent
        assert delivery.outcome_unknown and delivery.status == "sending"
        assert claim_delivery(session, delivery, "live2", now) is False  # died during the resend
        assert delivery.status == "abandoned" and delivery.last_error.startswith("gave up")

"""`jajak web`: every page over a real SQLite database filled through the storage functions,
filters and exports, judgements as `jajak label` stores them, CSRF, login, escaping."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from starlette.testclient import TestClient

import alerts
from crawler.config import Config, ConfigError
from crawler.startup import project_settings
from crawler.storage import (
    add_articles,
    create_delivery,
    ensure_source,
    finish_delivery,
    finish_run,
    open_database,
    start_run,
)
from crawler.storage.judgements import judgements_for_training
from crawler.web import create_app

NOTIFY = "json://hooks.example/jajak?+X-Token=s3cretTOKEN42"
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
NOW = datetime.now(UTC)
BASE = "http://127.0.0.1"

SIGNED = ("Pemkot Bandung dan Hamamatsu Teken MoU Kerja Sama Pendidikan. Kedua kota sepakat bertukar "
          "guru dan pelajar mulai tahun depan, kata Wali Kota Bandung di Balai Kota. ")


def _config(tmp_path, **extra):
    settings = project_settings()
    values = {"JAJAK_HOME": str(tmp_path), "JAJAK_DATABASE_URL": f"sqlite:///{tmp_path / 'jajak.db'}",
              "JAJAK_SOURCES": str(tmp_path / "sources.yaml"), "JAJAK_NOTIFY": NOTIFY, **extra}
    for name, value in values.items():
        settings.set(name, value, priority="cmdline")
    return Config.from_settings(settings)


@pytest.fixture
def stored(tmp_path):
    """A database with a story told by two outlets, another story, a hostile match, a stored
    non-match, crawl runs and health, and deliveries to the configured channel."""
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - name: kabarbandung\n    url: http://bandung.example/\n"
        "  - name: jabarnews\n    url: http://jabar.example/\n  - name: evilnews\n    url: http://evil.example/\n",
        encoding="utf-8")
    config = _config(tmp_path)
    sessions = open_database(config.database_url)
    with sessions.begin() as session:
        bandung = ensure_source(session, "kabarbandung", "http://bandung.example/")
        jabar = ensure_source(session, "jabarnews", "http://jabar.example/")
        evil = ensure_source(session, "evilnews", "http://evil.example/")
        text = SIGNED * 4
        add_articles(session, [
            {"source_id": bandung.id, "url": "http://bandung.example/mou", "title": "Bandung dan Hamamatsu Teken MoU",
             "text": text, "match": True, "score": 0.93, "stage": "signed",
             "parties": ["Pemerintah Kota Bandung", "Kota Hamamatsu"], "sectors": ["pendidikan"],
             "cues": ["Kedua kota sepakat bertukar guru dan pelajar mulai tahun depan, kata Wali Kota Bandung di "
                      "Balai Kota."], "published": NOW - timedelta(days=2)},
            {"source_id": jabar.id, "url": "http://jabar.example/mou-bandung", "title": "Bandung-Hamamatsu Teken MoU",
             "text": text + "Baca juga berita lain.", "match": True, "score": 0.88, "stage": "signed",
             "parties": ["Pemerintah Kota Bandung", "Kota Hamamatsu"], "sectors": ["pendidikan"],
             "cues": [], "published": NOW - timedelta(days=2, hours=-3)},
            {"source_id": jabar.id, "url": "http://jabar.example/garut-korea",
             "title": "Garut Jajaki Kerja Sama Pertanian dengan Korea",
             "text": "Pemkab Garut menjajaki kerja sama pertanian dengan Provinsi Gyeonggi. " * 5,
             "match": True, "score": 0.71, "stage": "exploring", "parties": ["Pemerintah Kabupaten Garut"],
             "sectors": ["pertanian"],
             "cues": ["Pemkab Garut menjajaki kerja sama pertanian dengan Provinsi Gyeonggi."],
             "published": NOW - timedelta(days=40)},
            {"source_id": evil.id, "url": "http://evil.example/x", "title": f"Kerja sama {HOSTILE}",
             "text": f"Isi {HOSTILE} berita kerja sama.", "match": True, "score": 0.6, "stage": "exploring",
             "parties": [f"Pemkot {HOSTILE}"], "sectors": ["pariwisata"], "cues": [f"Isi {HOSTILE} berita kerja sama."],
             "published": NOW - timedelta(days=1)},
            {"source_id": bandung.id, "url": "http://bandung.example/banjir", "title": "Banjir di Dayeuhkolot surut",
             "text": "Air mulai surut sejak pagi, warga membersihkan rumah lumpur.", "match": False, "score": 0.05,
             "published": NOW - timedelta(hours=5)},
        ])
        run = start_run(session, bandung.id, pid=1)
        finish_run(session, run, pages=9, new_articles=2, matches=1, errors=0, finish_reason="finished",
                   channel="feed", stats={})
        for pid in (2, 3, 4):  # health is judged from the runs, as jajak status judges it
            failed_run = start_run(session, jabar.id, pid=pid)
            finish_run(session, failed_run, pages=0, new_articles=0, matches=0, errors=1,
                       finish_reason="unreachable", channel=None, stats={})
        channel = alerts.load_channels(NOTIFY)[0]
        sent = create_delivery(session, story_key="story-1", channel=channel.key, article_ids=[1, 2],
                               token="t1", now=NOW)
        finish_delivery(session, sent.id, "t1", ok=True, now=NOW)
        failed = create_delivery(session, story_key="story-3", channel=channel.key, article_ids=[3],
                                 token="t2", now=NOW)
        finish_delivery(session, failed.id, "t2", ok=False, now=NOW, error="HTTP 500 from hooks.example",
                        retry_at=NOW + timedelta(minutes=5))
    return config


@pytest.fixture
def client(stored):
    with TestClient(create_app(stored), base_url=BASE) as test_client:
        yield test_client


def _csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_inbox_groups_outlets_into_stories_newest_first(client):
    page = client.get("/").text
    assert "3 stories" in page
    assert page.index("Kerja sama &lt;script&gt;") < page.index("Bandung dan Hamamatsu Teken MoU") \
        < page.index("Garut Jajaki")
    story = page[page.index("Bandung dan Hamamatsu Teken MoU"):page.index("Garut Jajaki")]
    assert "kabarbandung" in story and "jabarnews" in story  # one story, both outlets
    assert "signed" in story and "0.93" in story and "Pemerintah Kota Bandung" in story and "pendidikan" in story
    assert "<mark>Kedua kota sepakat bertukar guru" in story  # the evidence sentence


@pytest.mark.parametrize(("query", "shown", "hidden"), [
    ("stage=exploring", ["Garut Jajaki"], ["Hamamatsu Teken"]),
    ("sector=pendidikan", ["Hamamatsu Teken"], ["Garut Jajaki"]),
    ("source=kabarbandung", ["Hamamatsu Teken"], ["Garut Jajaki"]),
    ("party=garut", ["Garut Jajaki"], ["Hamamatsu Teken"]),
    (f"from={(NOW - timedelta(days=45)):%Y-%m-%d}&to={(NOW - timedelta(days=30)):%Y-%m-%d}",
     ["Garut Jajaki"], ["Hamamatsu Teken"]),
    ("q=Gyeonggi", ["Garut Jajaki"], ["Hamamatsu Teken"]),
])
def test_inbox_filters(client, query, shown, hidden):
    page = client.get(f"/?{query}").text
    stories = page.split("<h2>Every stored article")[0]
    assert all(title in stories for title in shown)
    assert not any(title in stories for title in hidden)


def test_search_finds_every_stored_article_not_only_matches(client):
    page = client.get("/?q=Dayeuhkolot").text
    assert "0 stories" in page and "Banjir di Dayeuhkolot surut" in page


def test_bad_date_is_said_not_a_crash(client):
    response = client.get("/?from=yesterday")
    assert response.status_code == 200 and "is not a date like 2025-02-06" in response.text


def test_pagination(client, monkeypatch):
    monkeypatch.setattr("crawler.web.app.PAGE_SIZE", 2)
    first, second = client.get("/").text, client.get("/?page=2").text
    assert "page 1 of 2" in first and 'rel="next"' in first
    assert "Garut Jajaki" in second and "Hamamatsu Teken" not in second


def test_exports_carry_the_filtered_stories(client):
    rows = list(csv.DictReader(io.StringIO(client.get("/export.csv?stage=signed").text)))
    assert [r["title"] for r in rows] == ["Bandung dan Hamamatsu Teken MoU"]
    assert "jabarnews http://jabar.example/mou-bandung" in rows[0]["outlets"]
    data = client.get("/export.json?stage=signed").json()
    assert [d["title"] for d in data] == ["Bandung dan Hamamatsu Teken MoU"]
    assert {o["source"] for o in data[0]["outlets"]} == {"kabarbandung", "jabarnews"}
    assert data[0]["parties"] == ["Pemerintah Kota Bandung", "Kota Hamamatsu"]


def test_story_page_shows_every_outlet_and_marks_cues(client):
    page = client.get("/story/2").text  # any article of the story reaches it
    assert page.count('<article class="outlet">') == 2
    assert "<mark>Kedua kota sepakat bertukar guru dan pelajar mulai tahun depan" in page
    assert "Pemerintah Kota Bandung, Kota Hamamatsu" in page and "pendidikan" in page and "0.93" in page
    assert client.get("/story/999").status_code == 404


def test_judgements_are_stored_as_jajak_label_stores_them(client, stored):
    page = client.get("/story/1").text
    response = client.post("/story/1/judge", data={"csrf": _csrf(page), "verdict": "negotiating"},
                           follow_redirects=False)
    assert response.status_code == 303
    assert "Judgement stored" in client.get(response.headers["location"]).text
    client.post("/story/3/judge", data={"csrf": _csrf(page), "verdict": "no"})
    with open_database(stored.database_url)() as session:
        records = {r["title"]: r for r in judgements_for_training(session)}  # what `jajak train` reads
    assert records["Bandung dan Hamamatsu Teken MoU"]["stage"] == "negotiating"
    assert records["Bandung-Hamamatsu Teken MoU"]["label"] is True  # every outlet of the story
    assert records["Garut Jajaki Kerja Sama Pertanian dengan Korea"]["label"] is False
    assert "judged a partnership, negotiating" in client.get("/story/1").text


@pytest.mark.parametrize("data", [{"verdict": "right"}, {"verdict": "right", "csrf": "forged"}])
def test_post_without_the_csrf_token_is_refused(client, stored, data):
    client.get("/story/1")
    assert client.post("/story/1/judge", data=data).status_code == 403
    with open_database(stored.database_url)() as session:
        assert judgements_for_training(session) == []


def test_sources_page_uses_the_health_words_of_status(client):
    page = client.get("/sources").text
    row = page[page.index('<td><a href="/sources/jabarnews">jabarnews'):].split("</tr>")[0]
    assert "failing" in row and "3 failed crawls in a row" in row
    row = page[page.index('<td><a href="/sources/kabarbandung">kabarbandung'):].split("</tr>")[0]
    assert "finished" in row and "<td class=\"n\">2</td><td class=\"n\">1</td>" in row


def test_a_source_only_in_the_database_is_shown_and_marked(client, stored):
    with open(stored.sources_file, "w", encoding="utf-8") as sources:
        sources.write("sources:\n  - name: kabarbandung\n    url: http://bandung.example/\n")
    page = client.get("/sources").text
    assert "jabarnews</a> <em>(not in the sources file)</em>" in page and "failing" in page
    assert "kabarbandung</a></td>" in page


def test_deliveries_page_masks_the_secret(client):
    page = client.get("/deliveries").text
    assert "sent: 1 story" in page and "waiting to retry: 1" in page and "HTTP 500 from hooks.example" in page
    assert "s3cretTOKEN42" not in page and "****" in page


def test_hostile_article_is_escaped_on_every_page_and_export(client):
    raw = ("<script>", "<img src=x")
    for path in ("/", "/?q=script", "/story/4", "/sources", "/sources/evilnews", "/deliveries", "/?party=pemkot"):
        page = client.get(path).text
        assert not any(r in page for r in raw), path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img" in client.get("/story/4").text
    exported = client.get("/export.json")
    assert not any(r in exported.text for r in raw) and exported.headers["x-content-type-options"] == "nosniff"
    assert any(HOSTILE in p for d in exported.json() for p in d["parties"])  # escaped, not lost
    csv_response = client.get("/export.csv")
    assert csv_response.headers["content-disposition"].startswith("attachment")
    assert csv_response.headers["content-type"].startswith("text/csv")


def test_pages_load_nothing_from_elsewhere_and_run_no_script(client):
    response = client.get("/")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "<script" not in response.text.lower() and "http" not in response.text.split("<body>")[0]
    assert client.get("/static/style.css").status_code == 200


def test_a_foreign_host_header_gets_no_answer_without_password(client):
    assert client.get("/", headers={"host": "rebound.example"}).status_code == 400


def test_off_loopback_without_password_is_refused(stored):
    with pytest.raises(ConfigError, match="JAJAK_WEB_PASSWORD"):
        create_app(stored, host="0.0.0.0")


def test_login_flow_with_password(tmp_path, stored):
    config = _config(tmp_path, JAJAK_WEB_PASSWORD="kata-sandi-rahasia")
    with TestClient(create_app(config, host="0.0.0.0"), base_url="http://jajak.example") as web:
        response = web.get("/sources", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next=%2Fsources")
        assert web.post("/story/1/judge", data={"verdict": "right"}).status_code == 403
        form = web.get("/login?next=/sources").text
        assert web.post("/login", data={"csrf": _csrf(form), "password": "wrong", "next": "/sources"}
                        ).status_code == 401
        assert web.post("/login", data={"password": "kata-sandi-rahasia"}).status_code == 403  # no token
        response = web.post("/login", data={"csrf": _csrf(form), "password": "kata-sandi-rahasia",
                                            "next": "/sources"}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/sources"
        cookie = response.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
        page = web.get("/sources").text
        assert "jabarnews" in page and "kata-sandi-rahasia" not in page
        web.post("/logout", data={"csrf": _csrf(page)})
        assert web.get("/", follow_redirects=False).status_code == 303


def test_login_never_redirects_to_another_site(tmp_path, stored):
    config = _config(tmp_path, JAJAK_WEB_PASSWORD="pw")
    with TestClient(create_app(config), base_url=BASE) as web:
        form = web.get("/login").text
        response = web.post("/login", data={"csrf": _csrf(form), "password": "pw", "next": "//evil.example/"},
                            follow_redirects=False)
        assert response.headers["location"] == "/"


@pytest.mark.e2e
def test_jajak_web_off_loopback_without_password_is_one_line_and_exit_2(crawl_env):
    crawl_env.write_sources("sources:\n  - name: a\n    url: http://a.example/\n")
    env = {**crawl_env.env, "JAJAK_WEB_PASSWORD": ""}
    result = subprocess.run([sys.executable, "-m", "crawler.cli", "web", "--host", "0.0.0.0"], env=env,
                            cwd=crawl_env.home, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "JAJAK_WEB_PASSWORD" in result.stderr


@pytest.mark.e2e
def test_jajak_web_serves_the_inbox(crawl_env):
    import socket
    import time
    import urllib.error
    import urllib.request

    crawl_env.write_sources("sources:\n  - name: a\n    url: http://a.example/\n")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "crawler.cli", "web", "--port", str(port)],
                              env={**crawl_env.env, "JAJAK_WEB_PASSWORD": ""}, cwd=crawl_env.home,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline, page = time.monotonic() + 60, None
        while page is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    page = answer.read().decode()
            except OSError:
                time.sleep(0.2)
        assert page is not None, server.stderr.read() if server.poll() is not None else "no answer"
        assert "Partnership stories" in page and "0 stories" in page
        refused = urllib.request.Request(f"http://127.0.0.1:{port}/story/1/judge", data=b"verdict=right")
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(refused, timeout=5)
        assert caught.value.code == 403
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize(("value", "cell"), [("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+62 811", "'+62 811"),
                                             ("-", "'-"), ("Kota Bandung", "Kota Bandung"), (None, "")])
def test_csv_cells_never_run_as_formulas(value, cell):
    from crawler.web.export import _cell

    assert _cell(value) == cell


# --- issue 14: region filter, sources' chart and precision, "send test message" -----------------


def test_region_filter_offers_the_regions_of_the_parties(client):
    page = client.get("/").text
    assert '<option value="Kota Bandung">' in page and '<option value="Kabupaten Garut">' in page
    page = client.get("/", params={"region": "Kabupaten Garut"}).text
    assert "Garut Jajaki Kerja Sama" in page and "Hamamatsu Teken MoU" not in page
    page = client.get("/", params={"region": "Kota Bandung"}).text
    assert "Hamamatsu Teken MoU" in page and "Garut Jajaki" not in page


@pytest.mark.parametrize(("parties", "regions"), [
    (["Pemerintah Kota Bandung"], {"Kota Bandung"}),
    (["Pemkab Garut", "Kab. Bandung Barat"], {"Kabupaten Garut", "Kabupaten Bandung Barat"}),
    (["Pemprov Jawa Barat dan Korea"], {"Provinsi Jawa Barat"}),
    (["kota besar", "Universitas Padjadjaran"], set()),
])
def test_regions_are_read_from_party_names(parties, regions):
    from crawler.web.regions import regions_of

    assert regions_of(parties) == regions


def test_sources_page_charts_articles_per_day_and_precision_from_judgements(client):
    page = client.get("/story/3").text  # jabarnews' Garut story: judged not a partnership
    client.post("/story/3/judge", data={"csrf": _csrf(page), "verdict": "no"})
    page = client.get("/story/1").text  # both outlets' copies judged right
    client.post("/story/1/judge", data={"csrf": _csrf(page), "verdict": "right"})
    page = client.get("/sources").text
    row = page[page.index('<td><a href="/sources/jabarnews">jabarnews'):].split("</tr>")[0]
    assert "50 %" in row and "1 right of 2 judged" in row
    row = page[page.index('<td><a href="/sources/kabarbandung">kabarbandung'):].split("</tr>")[0]
    assert "100 %" in row and "<svg" in row and "<rect" in row
    assert "2 articles in 14 days" in row  # both of its articles were first seen today
    row = page[page.index('<td><a href="/sources/evilnews">evilnews'):].split("</tr>")[0]
    assert "no judged match" in row


def test_day_bars_scale_to_the_busiest_day_and_escape_labels():
    from crawler.web.charts import day_bars

    svg = str(day_bars([("<d1>", 0), ("d2", 5), ("d3", 10)]))
    assert 'height="32.0"><title>d3: 10</title>' in svg and 'height="16.0"><title>d2: 5</title>' in svg
    assert "&lt;d1&gt;: 0" in svg and "<d1>" not in svg


def test_send_test_message_sends_what_jajak_notify_test_sends(tmp_path, stored):
    from tests.servers import Hook

    hook = Hook()
    hook.down.add("/down")
    try:
        config = _config(tmp_path, JAJAK_NOTIFY=f"json://{hook.url}/ok?+X-Token=hunter2 json://{hook.url}/down")
        with TestClient(create_app(config), base_url=BASE) as web:
            page = web.get("/deliveries").text
            assert page.count("Send test message") == 2 and "hunter2" not in page
            refused = web.post("/deliveries/test", data={"channel": "0"})
            sent = web.post("/deliveries/test", data={"csrf": _csrf(page), "channel": "0"})
            failed = web.post("/deliveries/test", data={"csrf": _csrf(page), "channel": "1"})
            again = web.get("/deliveries").text
            bad = web.post("/deliveries/test", data={"csrf": _csrf(page), "channel": "7"})
    finally:
        hook.close()
    assert refused.status_code == 403 and bad.status_code == 400
    assert "Test message to other json://" in sent.text and "/ok?+X-Token=****: sent" in sent.text
    assert "/down: failed: " in failed.text and "error=500" in failed.text
    assert "Test message to" not in again  # shown once, not at each visit
    assert [body["title"] for _, body in hook.posts] == ["jajak test message"]  # /down answers 500
    assert "hunter2" not in sent.text + failed.text


def test_a_copy_stored_by_a_later_crawl_joins_its_story_in_a_running_app(client, stored):
    assert "3 stories" in client.get("/").text
    sessions = open_database(stored.database_url)
    with sessions.begin() as session:
        source = ensure_source(session, "kabarbandung", "http://bandung.example/")
        add_articles(session, [{"source_id": source.id, "url": "http://bandung.example/mou-lagi",
                                "title": "Bandung dan Hamamatsu Teken MoU", "text": SIGNED * 4 + "Ditulis ulang.",
                                "match": True, "score": 0.8, "stage": "signed", "published": NOW - timedelta(days=1)}])
    page = client.get("/").text
    assert "3 stories" in page and "http://bandung.example/mou-lagi" in page
    story = client.get("/story/1").text
    assert all(url in story for url in ("http://bandung.example/mou", "http://jabar.example/mou-bandung",
                                        "http://bandung.example/mou-lagi"))


def test_an_older_database_without_stored_pairs_groups_alike(stored, tmp_path):
    import sqlalchemy as sa

    with open_database(stored.database_url).begin() as session:
        for table in ("story_links", "story_shingles", "story_signatures"):  # as just after migration 0011
            session.execute(sa.text(f"DELETE FROM {table}"))
    with TestClient(create_app(stored), base_url=BASE) as client:
        story = client.get("/story/2").text  # before any inbox
        assert "http://bandung.example/mou" in story and "http://jabar.example/mou-bandung" in story
        assert "3 stories" in client.get("/").text

"""The page of one source (/sources/NAME): health and why as `jajak status` says it, last and
next run, its runs, its newest matches, discovery channels, enable/disable of an added source,
404 for an unknown name, escaping of hostile names and titles. Over the database of
tests/test_web.py, filled through the storage functions."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from crawler.added_sources import add, load_all
from crawler.failures import WHY
from crawler.storage import ensure_source, finish_run, open_database, start_run
from crawler.web import create_app
from tests import test_web
from tests.test_web import BASE, HOSTILE, _csrf

stored = test_web.stored  # the fixture: the database of tests/test_web.py

RAW = ("<script>", "<img src=x")


@pytest.fixture
def client(stored):
    with TestClient(create_app(stored), base_url=BASE) as test_client:
        yield test_client


def _run(config, name, *, reason="finished", why=None, pages=5, new=1, matches=0, errors=0, channel=None,
         stats=None):
    with open_database(config.database_url).begin() as session:
        source = ensure_source(session, name, f"http://{name}.example/")
        run = start_run(session, source.id, pid=7)
        finish_run(session, run, pages=pages, new_articles=new, matches=matches, errors=errors,
                   finish_reason=reason, channel=channel, stats={**(stats or {}), **({WHY: why} if why else {})})


def _rows(page: str) -> list[str]:
    body = page.split('<table class="runs">')[1].split("</table>")[0]
    return re.findall(r"<tr>\s*<td>.*?</tr>", body, flags=re.S)


def test_an_unknown_source_is_not_found(client):
    response = client.get("/sources/nosuchportal")

    assert response.status_code == 404
    assert "Not found" in response.text and "No stored source nosuchportal" in response.text


def test_a_trailing_slash_leads_to_the_page_without_it(client):
    assert client.get("/sources/", follow_redirects=False).headers["location"] == "/sources"
    assert client.get("/sources/add/", follow_redirects=False).headers["location"] == "/sources/add"
    assert "Add a source" in client.get("/sources/add/").text
    assert "<h1>kabarbandung</h1>" in client.get("/sources/kabarbandung/").text


def test_every_source_on_the_list_links_to_its_page(client):
    page = client.get("/sources").text

    for name in ("kabarbandung", "jabarnews", "evilnews"):
        assert f'<a href="/sources/{name}">{name}</a>' in page
        assert client.get(f"/sources/{name}").status_code == 200


def test_a_failing_source_shows_its_health_and_the_reason_of_its_failed_run(client, stored):
    _run(stored, "jabarnews", reason="unreachable", why="DNS lookup of jabar.example failed", pages=0, new=0,
         errors=1)

    page = client.get("/sources/jabarnews").text

    assert '<span class="health health-failing">failing</span>' in page
    assert "4 failed crawls in a row (last: unreachable, 1 errors)" in page  # health.assess's words
    assert "DNS lookup of jabar.example failed" in page
    rows = _rows(page)
    assert len(rows) == 4 and all("unreachable" in row for row in rows)
    assert "DNS lookup of jabar.example failed" in rows[0]  # newest first
    assert "the sources file (YAML)" in page and "http://jabar.example/" in page
    assert "not scheduled" in page  # no daemon has scheduled it


def test_a_healthy_source_shows_runs_chart_matches_precision_and_channels(client, stored):
    page = client.get("/story/1").text  # both outlets' copies of the Bandung story judged right
    client.post("/story/1/judge", data={"csrf": _csrf(page), "verdict": "right"})
    _run(stored, "kabarbandung", pages=12, new=3, matches=1, channel="sitemap",
         stats={"jajak/discovery/sitemap": 7, "jajak/discovery/hint": 2, "jajak/discovery/complete": 1})

    page = client.get("/sources/kabarbandung").text

    assert '<span class="health health-healthy">healthy</span>' in page
    assert "100 %" in page and "1 right of 1 judged matches" in page
    assert len(re.findall(r"<rect ", page)) == 14  # the articles-a-day chart, 14 days
    assert "2 stored, 1 matches" in page
    rows = _rows(page)
    assert len(rows) == 2
    assert "<td>sitemap</td>" in rows[0] and '<td class="n">12</td>' in rows[0]  # the newest first
    assert "<td>feed</td>" in rows[1] and '<td class="n">9</td>' in rows[1]
    assert "sitemap listed 7, hint listed 2" in page and "complete" not in page.split("Discovery")[1][:400]
    assert '<a href="/story/1">Bandung dan Hamamatsu Teken MoU</a>' in page
    assert "Banjir" not in page  # not a match
    assert re.search(r"Last run</dt><dd>\d+ \w+ \d{4} \d\d:\d\d WIB: finished", page), page


def test_the_next_run_is_the_daemons_schedule_in_jajak_timezone(client, stored):
    at = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)
    with open_database(stored.database_url).begin() as session:  # APScheduler's job store table
        session.execute(text("CREATE TABLE apscheduler_jobs (id VARCHAR(191) PRIMARY KEY, "
                             "next_run_time FLOAT, job_state BLOB NOT NULL)"))
        session.execute(text("INSERT INTO apscheduler_jobs VALUES ('crawl:kabarbandung', :at, x'00')"),
                        {"at": at.timestamp()})

    page = client.get("/sources/kabarbandung").text

    assert "Next run</dt><dd>2 Jan 2030 10:04 WIB</dd>" in page


def test_runs_are_the_twenty_newest(client, stored):
    now = datetime.now(UTC)
    with open_database(stored.database_url).begin() as session:
        source = ensure_source(session, "kabarbandung", "http://bandung.example/")
        for n in range(25):
            run = start_run(session, source.id, pid=100 + n)
            finish_run(session, run, pages=n, new_articles=0, matches=0, errors=0, finish_reason="finished",
                       channel="feed", stats={})
        # started later than the others though stored before them: newest means started last
        session.execute(text("UPDATE crawl_runs SET started_at = :at WHERE pid = 105"),
                        {"at": (now + timedelta(minutes=5)).replace(tzinfo=None)})

    rows = _rows(client.get("/sources/kabarbandung").text)

    pages = [int(re.findall(r'<td class="n">(\d+)</td>', row)[0]) for row in rows]
    assert pages == [5, *range(24, 5, -1)]  # 20 rows; the fixture's run and the oldest left out


def test_a_hostile_name_and_title_are_escaped(client, stored):
    _run(stored, HOSTILE, reason="unreachable", why=f"refused: {HOSTILE}", pages=0, new=0, errors=1)

    listing = client.get("/sources").text
    link = re.search(r'<a href="(/sources/[^"]+)">&lt;script&gt;', listing)
    assert link and "<" not in link.group(1) and '"' not in link.group(1)
    for page in (client.get(link.group(1)), client.get("/sources/" + quote(HOSTILE, safe=""))):
        assert page.status_code == 200
        assert not any(r in page.text for r in RAW)
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "refused: &lt;script&gt;" in page.text
        assert "not in the sources file" in page.text
    page = client.get("/sources/evilnews").text  # its match's title is hostile
    assert not any(r in page for r in RAW) and "Kerja sama &lt;script&gt;alert(1)" in page


def test_no_secret_is_rendered(client):
    page = client.get("/sources/kabarbandung").text

    assert "s3cretTOKEN42" not in page and "hooks.example" not in page


def test_an_added_source_is_disabled_and_enabled_on_its_page(client, stored):
    add(stored.sources_file, stored.database_url, "http://baru.example/", name="kabarbaru", origin="web")
    page = client.get("/sources/kabarbaru").text
    assert "added in the database (the web app)" in page and "Never crawled yet." in page
    assert 'action="/sources/added/kabarbaru/disable"' in page

    forged = client.post("/sources/added/kabarbaru/disable", data={"csrf": "forged", "back": "source"})
    assert forged.status_code == 403

    off = client.post("/sources/added/kabarbaru/disable", data={"csrf": _csrf(page), "back": "source"},
                      follow_redirects=False)
    assert off.status_code == 303 and off.headers["location"] == "/sources/kabarbaru?done=disabled"
    assert not {s.name: s for s in load_all(stored.sources_file, stored.database_url)}["kabarbaru"].enabled
    page = client.get(off.headers["location"]).text
    assert "Done: disabled." in page and "Enabled</dt><dd>no" in page
    assert 'action="/sources/added/kabarbaru/enable"' in page

    client.post("/sources/added/kabarbaru/enable", data={"csrf": _csrf(page), "back": "source"})
    assert {s.name: s for s in load_all(stored.sources_file, stored.database_url)}["kabarbaru"].enabled


def test_a_source_of_the_file_has_no_switch_on_its_page(client):
    page = client.get("/sources/kabarbandung").text

    assert "/sources/added/" not in page and "set in the sources file" in page

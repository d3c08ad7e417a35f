"""The web app's add-by-URL (probe -> preview -> save) and enable/disable of added sources, over
a real SQLite database and, for the probe, a fixture portal on 127.0.0.1."""

from __future__ import annotations

import html
import re

import pytest
from starlette.testclient import TestClient

from crawler.added_sources import add, load_all
from crawler.web import create_app
from tests.test_web import BASE, HOSTILE, _config, _csrf


@pytest.fixture
def config(tmp_path):
    (tmp_path / "sources.yaml").write_text("sources:\n  - name: kabarbandung\n    url: http://bandung.example/\n",
                                           encoding="utf-8")
    return _config(tmp_path)


@pytest.fixture
def client(config):
    with TestClient(create_app(config), base_url=BASE) as test_client:
        yield test_client


def _names(config):
    sources = load_all(config.sources_file, config.database_url)
    return {s.name: (sources.origins[s.name], s.enabled) for s in sources}


@pytest.mark.e2e
def test_probe_shows_channels_and_three_articles_then_save_keeps_the_source(
        portal, crawl_env, monkeypatch, config, client, demo_articles):
    for name, value in crawl_env.env.items():  # the probe's child: its cache under tmp_path
        monkeypatch.setenv(name, value)
    magazine = portal("wp-magazine")
    form = client.get("/sources/add").text

    shown = client.post("/sources/add/preview", data={"csrf": _csrf(form), "url": magazine.url + "/"})

    assert shown.status_code == 200, shown.text
    page = html.unescape(shown.text)
    assert re.search(r"<td>feed</td><td>yes \(\d+ article links\)</td>", page), page
    titles = re.findall(r'<h3><a href="[^"]+" rel="noreferrer">([^<]+)</a></h3>', page)
    assert len(titles) == 3 and set(titles) <= {a["title"] for a in demo_articles}, titles
    # each sample shows the opening of its text, not only its dateline
    openings = {" ".join(a["paragraphs"][0].split()[:4]) for a in demo_articles}
    leads = re.findall(r"<p>([^<]*)</p>", page)
    assert sum(any(o in lead for o in openings) for lead in leads) == 3, leads
    assert "127-0-0-1" in page and "127-0-0-1" not in str(_names(config))  # nothing kept yet

    saved = client.post("/sources/add/save", data={"csrf": _csrf(shown.text), "url": magazine.url + "/",
                                                   "name": "magazine"}, follow_redirects=False)

    assert saved.status_code == 303 and saved.headers["location"].startswith("/sources/add?done=added")
    assert _names(config)["magazine"] == ("web", True)
    listing = client.get("/sources/add").text
    assert "<td>magazine</td>" in listing and "Disable" in listing
    assert "magazine" in client.get("/sources").text


def test_a_bad_url_is_shown_on_the_form_escaped(client):
    form = client.get("/sources/add").text

    shown = client.post("/sources/add/preview", data={"csrf": _csrf(form), "url": HOSTILE})

    assert shown.status_code == 400
    assert "must be an http(s) URL" in shown.text
    assert "<script>" not in shown.text and "&lt;script&gt;" in shown.text


def test_a_taken_name_is_named_on_the_form(client, config):
    form = client.get("/sources/add").text

    shown = client.post("/sources/add/save", data={"csrf": _csrf(form), "url": "http://x.example/",
                                                   "name": "kabarbandung"})

    assert shown.status_code == 400 and "name &#39;kabarbandung&#39; is already used" in shown.text
    assert set(_names(config)) == {"kabarbandung"}


@pytest.mark.parametrize("path", ["/sources/add/preview", "/sources/add/save", "/sources/added/x/disable"])
def test_forms_without_the_csrf_token_are_refused(client, config, path):
    client.get("/sources/add")

    response = client.post(path, data={"url": "http://x.example/", "name": "x", "csrf": "forged"})

    assert response.status_code == 403
    assert set(_names(config)) == {"kabarbandung"}


def test_an_added_source_is_disabled_and_enabled_again(client, config):
    add(config.sources_file, config.database_url, "http://jabar.example/", name="jabar", origin="cli")
    page = client.get("/sources/add").text
    assert 'action="/sources/added/jabar/disable"' in page

    off = client.post("/sources/added/jabar/disable", data={"csrf": _csrf(page)}, follow_redirects=False)

    assert off.status_code == 303 and _names(config)["jabar"] == ("cli", False)
    page = client.get("/sources/add").text
    assert 'action="/sources/added/jabar/enable"' in page
    client.post("/sources/added/jabar/enable", data={"csrf": _csrf(page)})
    assert _names(config)["jabar"] == ("cli", True)


def test_a_source_of_the_file_cannot_be_switched_here(client, config):
    page = client.get("/sources/add").text

    response = client.post("/sources/added/kabarbandung/disable", data={"csrf": _csrf(page)})

    assert response.status_code == 404 and "no added source named" in response.text
    assert _names(config)["kabarbandung"] == ("file", True)

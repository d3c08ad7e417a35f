"""Partnership threads: stored matches linked by their parties' canonical names over time, on
the Threads page and the story page."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from crawler.storage import add_articles, ensure_source, open_database
from crawler.web import create_app
from tests.test_web import BASE, HOSTILE, NOW, _config

EXPLORING = ("Pemkot Bandung menjajaki kerja sama pendidikan dengan Kota Hamamatsu di Jepang, kata Wali Kota "
             "Bandung usai bertemu delegasi di Balai Kota pekan ini. ") * 4
SIGNED = ("Pemerintah Kota Bandung dan Kota Hamamatsu menandatangani nota kesepahaman kerja sama pertukaran "
          "guru dan pelajar di Hamamatsu, Jepang, disaksikan duta besar. ") * 4
GARUT = "Pemkab Garut dan Provinsi Gyeonggi membahas kerja sama pertanian hortikultura di Garut. " * 4


def _article(source_id, url, title, text, stage, parties, days_ago):
    return {"source_id": source_id, "url": url, "title": title, "text": text, "match": True, "score": 0.9,
            "stage": stage, "parties": parties, "sectors": [], "cues": [],
            "published": NOW - timedelta(days=days_ago)}


@pytest.fixture
def config(tmp_path):
    (tmp_path / "sources.yaml").write_text("sources:\n  - name: kabar\n    url: http://kabar.example/\n",
                                           encoding="utf-8")
    config = _config(tmp_path)
    with open_database(config.database_url).begin() as session:
        kabar = ensure_source(session, "kabar", "http://kabar.example/").id
        add_articles(session, [
            _article(kabar, "http://kabar.example/1", "Bandung jajaki kerja sama dengan Hamamatsu", EXPLORING,
                     "exploring", ["Pemkot Bandung", "Kota Hamamatsu"], 60),
            _article(kabar, "http://kabar.example/2", "Bandung dan Hamamatsu teken MoU", SIGNED,
                     "signed", ["Pemerintah Kota Bandung", "Kota Hamamatsu"], 10),
            _article(kabar, "http://kabar.example/3", "Garut dan Gyeonggi bahas pertanian", GARUT,
                     "negotiating", ["Pemkab Garut", "Provinsi Gyeonggi"], 5),
            _article(kabar, "http://kabar.example/4", "Garut saja", "Pemkab Garut menjajaki kerja sama. " * 5,
                     "exploring", ["Pemkab Garut"], 3),
            _article(kabar, "http://kabar.example/5", f"Kerja sama {HOSTILE}", f"Isi {HOSTILE} kerja sama. " * 5,
                     "exploring", [f"Pemkot {HOSTILE}", "Kota Hamamatsu"], 1),
        ])
    return config


@pytest.fixture
def client(config):
    with TestClient(create_app(config), base_url=BASE) as test_client:
        yield test_client


def _threads(page):
    return [html.unescape(h) for h in re.findall(r"<h2>([^<]+)</h2>", page)]


def test_stories_of_one_pair_under_two_names_make_one_thread_with_its_stages(client):
    page = client.get("/threads").text

    threads = _threads(page)
    assert "Kota Hamamatsu (Jepang) – Pemerintah Kota Bandung" in threads
    assert "Gyeonggi (Korea Selatan) – Pemerintah Kabupaten Garut" in threads
    assert len(threads) == 3  # a story naming one party makes no thread
    bandung = page.split("<h2>Kota Hamamatsu (Jepang) – Pemerintah Kota Bandung</h2>")[1].split("</section>")[0]
    steps = re.findall(r'<a href="/story/(\d+)">([a-z ]+)</a>', bandung.split("</p>")[0])
    assert steps == [("1", "exploring"), ("2", "signed")]  # oldest first
    assert bandung.count("<li>") == 2


def test_the_story_page_shows_its_thread(client):
    page = client.get("/story/2").text

    assert "Thread: Kota Hamamatsu (Jepang) – Pemerintah Kota Bandung" in page
    assert re.search(r'<a href="/story/1">exploring</a>.*→ <a href="/story/2">signed</a>', page)
    assert "Thread:" not in client.get("/story/4").text


def test_the_party_filter_narrows_the_threads(client):
    assert _threads(client.get("/threads", params={"party": "garut"}).text) == [
        "Gyeonggi (Korea Selatan) – Pemerintah Kabupaten Garut"]


def test_party_names_and_titles_are_escaped(client):
    page = client.get("/threads").text

    assert "<script>" not in page and "&lt;script&gt;" in page


def _story(article_id, stage, parties, day):
    from datetime import UTC, datetime

    from alerts import MatchedArticle, Story

    article = MatchedArticle(id=article_id, url=f"http://kabar.example/{article_id}", title=f"t{article_id}",
                             text="", source="kabar", published=datetime(2026, 1, day, tzinfo=UTC), score=0.9,
                             stage=stage, parties=tuple(parties))
    return Story(key=str(article_id), articles=(article,))


def test_a_story_naming_a_third_party_continues_the_pair_thread():
    from crawler.threads import build_threads, thread_of

    threads = build_threads([
        _story(1, "exploring", ["Pemkot Bandung", "Kota Hamamatsu"], 2),
        _story(2, "signed", ["Pemerintah Kota Bandung", "Kota Hamamatsu", "Kedutaan Besar Jepang"], 9),
        _story(3, "exploring", ["Pemkab Garut", "Kedutaan Besar Jepang"], 5),
    ])
    assert [t.parties for t in threads] == [
        ("Kota Hamamatsu (Jepang)", "Pemerintah Kota Bandung"),
        ("Kedutaan Besar Jepang", "Pemerintah Kabupaten Garut"),
    ]
    assert [s.stage for s in threads[0].steps] == ["exploring", "signed"]
    # the embassy named once beside the pair makes no thread of its own
    assert thread_of(threads, 2) is threads[0]

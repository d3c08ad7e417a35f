"""End to end: `scrapy crawl` and `jajak crawl` against fixture portals on 127.0.0.1, into SQLite
and PostgreSQL; a second crawl fetches no article page again."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from crawler.demo.themes import build_site
from crawler.storage import CrawlRun, list_articles, open_database

pytestmark = pytest.mark.e2e

THEMES = ["wp-magazine", "wp-news", "numeric"]


def stored(database_url: str, **filters):
    sessions = open_database(database_url)
    with sessions() as session:
        return list_articles(session, **filters)


def runs(database_url: str) -> list[CrawlRun]:
    from sqlalchemy import select

    sessions = open_database(database_url)
    with sessions() as session:
        return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def article_requests(server, article_paths: set[str]) -> list[str]:
    return [path for _, path, _, _ in server.requests if urlsplit(path).path in article_paths]


def paths_of(articles) -> set[str]:
    return {urlsplit(a.url).path for a in articles}


@pytest.mark.parametrize("theme", THEMES)
def test_portal_is_crawled_completely_from_its_url(theme, portal, crawl_env, demo_articles):
    server = portal(theme)
    crawl_env.add_source("fixture", server.url + "/")

    done = crawl_env.scrapy("crawl", "portal", "-a", "source=fixture")

    assert done.returncode == 0, done.stderr[-3000:]
    articles = stored(crawl_env.database_url)
    titles = {a.title for a in articles}
    assert titles == {a["title"] for a in demo_articles}, done.stderr[-2000:]
    for article in articles:
        assert article.text and article.published is not None and article.published.tzinfo
        assert "Baca Juga" not in article.text and "BACA JUGA" not in article.text
    run = runs(crawl_env.database_url)[-1]
    assert run.finish_reason == "finished"
    assert run.new_articles == len(demo_articles)


def test_partnership_articles_are_matched(portal, crawl_env, demo_articles):
    server = portal("wp-magazine")
    crawl_env.add_source("fixture", server.url + "/")
    assert crawl_env.scrapy("crawl", "portal", "-a", "source=fixture").returncode == 0

    matched = {a.title for a in stored(crawl_env.database_url, matches_only=True)}
    expected = {a["title"] for a in demo_articles if a["partnership"]}
    # The first model may miss a hard case, but the bulk must be found and few false alarms.
    assert len(matched & expected) >= 0.8 * len(expected)
    assert len(matched - expected) <= 1


def test_split_article_is_joined_into_one(portal, crawl_env, demo_articles):
    server = portal("wp-magazine")
    crawl_env.add_source("fixture", server.url + "/")
    assert crawl_env.scrapy("crawl", "portal", "-a", "source=fixture").returncode == 0

    joined = [a for a in stored(crawl_env.database_url) if a.pages > 1]
    assert joined, "the long fixture article was not joined"
    source = next(a for a in demo_articles if a["title"] == joined[0].title)
    assert source["paragraphs"][-1][:60] in joined[0].text
    assert not any(re.search(r"/\d+/?$", urlsplit(a.url).path) for a in stored(crawl_env.database_url))


@pytest.mark.parametrize("theme", THEMES)
def test_second_crawl_fetches_no_article_again(theme, portal, crawl_env, demo_articles):
    server = portal(theme)
    crawl_env.add_source("fixture", server.url + "/")
    assert crawl_env.scrapy("crawl", "portal", "-a", "source=fixture").returncode == 0
    article_paths = paths_of(stored(crawl_env.database_url))
    server.clear_requests()

    again = crawl_env.scrapy("crawl", "portal", "-a", "source=fixture")

    assert again.returncode == 0, again.stderr[-3000:]
    assert article_requests(server, article_paths) == []
    assert len(stored(crawl_env.database_url)) == len(demo_articles)
    assert runs(crawl_env.database_url)[-1].new_articles == 0
    # Feeds, sitemaps and listings are revalidated: conditional headers, 304 answers.
    conditional = [r for r in server.requests if "If-None-Match" in r[3] or "If-Modified-Since" in r[3]]
    assert conditional and all(r[2] in (200, 304) for r in conditional)
    assert any(r[2] == 304 for r in conditional)
    # The cost does not grow with the size of the site: a few discovery documents (plus the
    # first page of each section for a portal with neither feed nor sitemap), no article.
    assert len(server.requests) <= (12 if theme != "numeric" else 25), [r[1] for r in server.requests]


def test_new_articles_are_found_through_the_feed(portal, crawl_env, demo_articles):
    demo_articles = sorted(demo_articles, key=lambda a: a["published"])  # the two newest come later
    server = portal("wp-magazine", articles=demo_articles[:-2])
    crawl_env.add_source("fixture", server.url + "/")
    assert crawl_env.scrapy("crawl", "portal", "-a", "source=fixture").returncode == 0
    old_paths = paths_of(stored(crawl_env.database_url))
    server.set_site(build_site("wp-magazine", demo_articles, server.url))
    server.clear_requests()

    assert crawl_env.scrapy("crawl", "portal", "-a", "source=fixture").returncode == 0

    assert len(stored(crawl_env.database_url)) == len(demo_articles)
    assert article_requests(server, old_paths) == []
    assert runs(crawl_env.database_url)[-1].channel == "feed"


@pytest.mark.parametrize("markup", ["blogger", "plain_cms"])
def test_held_out_markup_is_crawled_completely(markup, portal, crawl_env, demo_articles):
    """Markups the discovery and extraction code never special-cases: a Blogger-like blog
    (Atom feed, sitemap only in robots.txt) and a PHP-style CMS (query ids, no feed, no
    sitemap, no structured data, og:type "website", a text date in a table cell)."""
    import importlib

    builder = importlib.import_module(f"tests.portals.{markup}").build_site
    server = portal(builder=builder)
    crawl_env.add_source("held-out", server.url + "/")

    done = crawl_env.scrapy("crawl", "portal", "-a", "source=held-out")

    assert done.returncode == 0, done.stderr[-3000:]
    articles = stored(crawl_env.database_url)
    assert {a.title for a in articles} == {a["title"] for a in demo_articles}
    by_title = {a["title"]: a for a in demo_articles}
    for article in articles:
        expected = by_title[article.title]
        assert expected["paragraphs"][0][:50] in article.text or expected["paragraphs"][1][:50] in article.text
        assert article.published is not None
        assert article.published.date().isoformat() == expected["published"][:10]


def test_feed_export_and_named_spider_list(portal, crawl_env, tmp_path):
    server = portal("wp-news")
    crawl_env.add_source("fixture", server.url + "/")
    out = tmp_path / "out.jsonl"

    done = crawl_env.scrapy("crawl", "portal", "-a", "source=fixture", "-O", str(out))

    assert done.returncode == 0, done.stderr[-3000:]
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records and all(r["url"] and r["title"] and "html" not in r for r in records)
    listed = crawl_env.scrapy("list")
    assert listed.stdout.split() == ["portal", "progres", "prolite"]


def test_jajak_crawl_prints_a_summary_and_survives_a_dead_site(portal, crawl_env):
    server = portal("numeric")
    crawl_env.add_source("fixture", server.url + "/")
    crawl_env.add_source("dead", "http://127.0.0.1:9/")

    done = crawl_env.jajak("crawl")

    assert done.returncode == 0, done.stderr[-3000:]
    header, _, *rows = done.stdout.strip().splitlines()
    assert header.split()[:6] == ["source", "pages", "new", "matches", "errors", "seconds"]
    fixture = next(r.split() for r in rows if r.startswith("fixture"))
    dead = next(r.split() for r in rows if r.startswith("dead"))
    assert int(fixture[2]) > 0
    assert dead[-1] == "unreachable"
    # the dead site is a few lines on the terminal, not one per URL and retry (the log has them)
    about_dead = [line for line in done.stderr.splitlines() if line.startswith("[dead]")]
    assert not any("Gave up retrying" in line for line in about_dead), about_dead
    assert sum("cannot fetch" in line for line in about_dead) == 1, about_dead
    assert len(about_dead) <= 8, about_dead  # progress, warnings and the summary, no URL list


def test_bad_sources_file_is_one_clear_error(crawl_env):
    crawl_env.write_sources("sources:\n  - name: broken\n    url: ftp://example\n")

    done = crawl_env.jajak("crawl")
    scrapy = crawl_env.scrapy("crawl", "portal", "-a", "source=broken")

    assert done.returncode == 2 and scrapy.returncode == 2
    for output in (done.stderr, scrapy.stderr):
        assert "sources.yaml" in output and "broken" in output and "url" in output
        assert "Traceback" not in output


def test_redirect_outside_the_source_is_not_followed(portal, crawl_env, demo_articles):
    from crawler.demo.site import Resource

    outside = portal("wp-news")
    server = portal("wp-magazine", articles=demo_articles[:3])
    site = dict(build_site("wp-magazine", demo_articles[:3], server.url))
    slug = demo_articles[0]["slug"]
    # Another host name (the port alone does not make another site for allowed_domains).
    site[f"/{slug}/"] = Resource(b"", "text/html", status=301,
                                 headers={"Location": f"http://localhost:{outside.port}/"})
    server.set_site(site)
    crawl_env.add_source("fixture", server.url + "/")

    assert crawl_env.scrapy("crawl", "portal", "-a", "source=fixture").returncode == 0

    assert outside.requests == []


def test_crawl_into_postgresql(portal, crawl_env, postgres_url, demo_articles):
    server = portal("wp-magazine")
    crawl_env.database_url = postgres_url
    crawl_env.add_source("fixture", server.url + "/")

    first = crawl_env.jajak("crawl")
    second = crawl_env.jajak("crawl")

    assert first.returncode == 0 and second.returncode == 0, first.stderr[-3000:]
    assert len(stored(postgres_url)) == len(demo_articles)
    assert [r.new_articles for r in runs(postgres_url)] == [len(demo_articles), 0]


def test_a_back_dated_post_is_found_by_the_periodic_full_walk(portal, crawl_env, demo_articles):
    """A post published with an old date never reaches the top of the feed; the full walk
    that a crawl makes when the last one is older than JAJAK_FULL_WALK_HOURS finds it."""
    oldest_last = sorted(demo_articles, key=lambda a: a["published"], reverse=True)
    server = portal("wp-magazine", articles=oldest_last[:-1])
    crawl_env.add_source("fixture", server.url + "/")
    assert crawl_env.scrapy("crawl", "portal", "-a", "source=fixture").returncode == 0
    server.set_site(build_site("wp-magazine", oldest_last, server.url))

    trusting = crawl_env.scrapy("crawl", "portal", "-a", "source=fixture")
    walking = crawl_env.scrapy("crawl", "portal", "-a", "source=fixture", "-s", "JAJAK_FULL_WALK_HOURS=0.0001")

    assert trusting.returncode == walking.returncode == 0
    assert [r.new_articles for r in runs(crawl_env.database_url)] == [len(demo_articles) - 1, 0, 1]
    assert runs(crawl_env.database_url)[-1].channel == "feed+sitemap"


def test_a_repeated_crawl_says_nothing_new_and_full_fetches_everything_again(portal, crawl_env, tmp_path):
    server = portal("wp-news")
    crawl_env.add_source("fixture", server.url + "/")
    first, second, full = (tmp_path / f"{name}.jsonl" for name in ("first", "second", "full"))

    crawled = crawl_env.scrapy("crawl", "portal", "-a", "source=fixture", "-O", str(first))
    again = crawl_env.scrapy("crawl", "portal", "-a", "source=fixture", "-O", str(second))
    walked = crawl_env.scrapy("crawl", "portal", "-a", "source=fixture", "-a", "full=1", "-O", str(full))

    assert crawled.returncode == again.returncode == walked.returncode == 0, again.stderr[-3000:]
    exported = [json.loads(line)["url"] for line in first.read_text(encoding="utf-8").splitlines()]
    assert exported and second.read_text(encoding="utf-8") == ""
    assert "nothing new" not in crawled.stderr
    said = [line for line in again.stderr.splitlines() if "nothing new" in line]
    assert len(said) == 1 and " INFO " in said[0], again.stderr[-3000:]
    assert said[0].endswith(f"fixture: nothing new since the last crawl ({len(exported)} articles already "
                            "stored; -a full=1 (jajak crawl --full) walks the source again and fetches them all)")
    # the full walk fetches every listed article again; the store keeps each once
    assert sorted(json.loads(line)["url"] for line in full.read_text(encoding="utf-8").splitlines()) \
        == sorted(exported)
    assert [r.new_articles for r in runs(crawl_env.database_url)] == [len(exported), 0, 0]
    assert len(stored(crawl_env.database_url)) == len(exported)


def test_jajak_crawl_full_walks_again_and_a_bad_full_is_one_line(portal, crawl_env):
    server = portal("numeric")
    crawl_env.add_source("fixture", server.url + "/")
    assert crawl_env.jajak("crawl").returncode == 0
    pages_before = len(server.requests)

    again = crawl_env.jajak("crawl")
    pages_again = len(server.requests) - pages_before
    full = crawl_env.jajak("crawl", "--full")
    pages_full = len(server.requests) - pages_before - pages_again
    bad = crawl_env.scrapy("crawl", "portal", "-a", "source=fixture", "-a", "full=maybe")

    assert again.returncode == full.returncode == 0, full.stderr[-3000:]
    assert "nothing new since the last crawl" in again.stderr
    assert pages_full > pages_again + len(stored(crawl_env.database_url)) - 1
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == ["scrapy crawl: error: -a full='maybe': want 1 or 0 (or true/false)"]

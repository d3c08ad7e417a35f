"""Sources added by URL: `jajak sources add`, kept in the database beside the sources file;
listings say where each comes from; crawls and the daemon see them without a restart."""

from __future__ import annotations

import importlib

import pytest

import crawler.settings
from crawler.added_sources import AddSourceError, add, load_all, name_for, set_enabled
from crawler.cli import main
from crawler.schedule import REFRESH_JOB, build_scheduler, refresh_sources
from crawler.storage import list_articles, open_database
from tests.test_daemon import settings_for


@pytest.fixture
def env(crawl_env, monkeypatch):
    """A sources file and database that `main([...])` uses: crawler.settings reads the
    environment when imported, so it is read again with this one, and again afterwards."""
    crawl_env.write_sources("sources:\n  - name: kabarbandung\n    url: https://bandung.example/\n")
    with monkeypatch.context() as patch:
        for name, value in crawl_env.env.items():
            if name.startswith("JAJAK_"):
                patch.setenv(name, value)
        importlib.reload(crawler.settings)
        yield crawl_env
    importlib.reload(crawler.settings)


@pytest.mark.parametrize(("url", "name"), [
    ("https://www.prolitenews.com/", "prolitenews"),
    ("https://jabar.antaranews.com/berita", "jabar-antaranews"),
    ("http://pemkot.bandung.go.id/", "pemkot-bandung"),
    ("http://127.0.0.1:8123/", "127-0-0-1-8123"),
])
def test_a_name_is_made_from_the_host(url, name):
    assert name_for(url) == name


def test_sources_add_keeps_the_source_in_the_database_and_the_listing_says_so(env, capsys):
    assert main(["sources", "add", "https://www.prolitenews.com/"]) == 0
    assert "added prolitenews" in capsys.readouterr().out
    assert main(["sources", "add", "http://jabar.example/", "--name", "jabar"]) == 0
    capsys.readouterr()

    assert main(["sources"]) == 0

    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[2:]}
    assert set(rows) == {"kabarbandung", "prolitenews", "jabar"}
    assert rows["kabarbandung"].rstrip().endswith("file")
    assert rows["jabar"].rstrip().endswith("database (sources add)")
    assert "sources:\n  - name: kabarbandung" in env.sources_file.read_text(encoding="utf-8")  # untouched


@pytest.mark.parametrize(("argv", "message"), [
    (["sources", "add", "ftp://x.example/"], "'ftp://x.example/': must be an http(s) URL"),
    (["sources", "add", "not a url"], "'not a url': must be an http(s) URL"),
    (["sources", "add", "https://b.example/", "--name", "kabarbandung"], "name 'kabarbandung' is already used"),
    (["sources", "add", "https://b.example/", "--name", "Bad Name"], "name 'Bad Name': must be a slug"),
    (["sources", "add"], "takes one URL"),
    (["sources", "disable", "kabarbandung"], "no added source named 'kabarbandung'"),
    (["sources", "--name", "x"], "--name is only for"),
])
def test_a_bad_url_or_name_is_one_line_and_exit_2(env, capsys, argv, message):
    assert main(argv) == 2

    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1, err


def test_a_made_up_name_that_is_taken_gets_the_next_free_one(env):
    first = add(str(env.sources_file), env.database_url, "https://bandung.com/kabar", name="bandung")
    second = add(str(env.sources_file), env.database_url, "https://www.bandung.com/")

    assert (first.name, second.name) == ("bandung", "bandung-2")


def test_the_file_wins_a_name_it_takes_later(env):
    add(str(env.sources_file), env.database_url, "https://other.example/", name="other")
    env.add_source("other", "https://file.example/")

    sources = load_all(str(env.sources_file), env.database_url)

    assert [(s.name, s.url) for s in sources] == [("kabarbandung", "https://bandung.example/"),
                                                 ("other", "https://file.example/")]
    assert sources.origins["other"] == "file"


def test_the_daemon_schedules_an_added_source_and_drops_a_disabled_one_without_restart(env):
    settings = settings_for(env)
    scheduler = build_scheduler(settings, load_all(str(env.sources_file), env.database_url))
    assert {job.id for job in scheduler.get_jobs()} == {"crawl:kabarbandung", "digest", REFRESH_JOB}
    assert refresh_sources(scheduler, settings) == ([], [])

    add(str(env.sources_file), env.database_url, "https://jabar.example/", name="jabar", origin="web")
    assert refresh_sources(scheduler, settings) == (["jabar"], [])
    job = scheduler.get_job("crawl:jabar")
    assert job is not None and job.args == ("jabar",) and job.executor == "crawls"

    set_enabled(env.database_url, "jabar", False)
    assert refresh_sources(scheduler, settings) == ([], ["jabar"])
    assert scheduler.get_job("crawl:jabar") is None

    set_enabled(env.database_url, "jabar", True)
    assert refresh_sources(scheduler, settings) == (["jabar"], [])


def test_enable_and_disable_from_the_command_line(env, capsys):
    add(str(env.sources_file), env.database_url, "https://jabar.example/", name="jabar")

    assert main(["sources", "disable", "jabar"]) == 0
    assert [s.enabled for s in load_all(str(env.sources_file), env.database_url) if s.name == "jabar"] == [False]
    assert main(["sources", "enable", "jabar"]) == 0
    assert [s.enabled for s in load_all(str(env.sources_file), env.database_url) if s.name == "jabar"] == [True]


def test_an_unknown_added_source_cannot_be_switched():
    with pytest.raises(AddSourceError, match="no added source named 'nope'"):
        set_enabled("sqlite://", "nope", True)


@pytest.mark.e2e
def test_crawl_and_scrapy_crawl_work_for_an_added_source(portal, env):
    magazine = portal("wp-magazine")
    added = env.jajak("sources", "add", magazine.url + "/", "--name", "magazine")
    assert added.returncode == 0, added.stderr

    crawled = env.jajak("crawl", "magazine", "--max-pages", "3")
    assert crawled.returncode == 0, crawled.stderr
    with open_database(env.database_url).begin() as session:
        assert {a.source.name for a in list_articles(session)} == {"magazine"}

    scrapy = env.scrapy("crawl", "portal", "-a", "source=magazine", "-s", "JAJAK_MAX_PAGES=4")
    assert scrapy.returncode == 0, scrapy.stderr
    with open_database(env.database_url).begin() as session:
        assert len(list_articles(session)) == 3 + 4  # four more, by `scrapy crawl` of the added source


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_0010_keeps_added_sources_on_both_backends(backend, request, tmp_path):
    url = f"sqlite:///{tmp_path / 'jajak.db'}" if backend == "sqlite" else request.getfixturevalue("postgres_url")
    (tmp_path / "sources.yaml").write_text("sources: []\n", encoding="utf-8")

    add(str(tmp_path / "sources.yaml"), url, "https://jabar.example/", name="jabar", origin="web",
        options={"render": "auto", "feeds": ["/feed/"]})
    set_enabled(url, "jabar", False)

    [source] = load_all(str(tmp_path / "sources.yaml"), url)
    assert (source.name, source.enabled, source.render, source.feeds) == (
        "jabar", False, "auto", ("https://jabar.example/feed/",))

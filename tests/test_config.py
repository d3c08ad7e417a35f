"""Configuration checked once at start: every bad setting, option or database is one line on
stderr naming it (secrets masked) and exit code 2, for `jajak` and for `scrapy crawl`."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import timedelta

import pytest
from scrapy.settings import Settings

from crawler.config import Config, ConfigError, setting_pairs
from crawler.storage import open_database
from crawler.storage.check import DatabaseUnavailable, open_checked
from crawler.storage.urls import DatabaseUrlError, database_url, mask_database_url
from tests.conftest import _postgres_reachable


def settings(**values: object) -> Settings:
    result = Settings()
    result.setmodule("crawler.settings")
    for name, value in values.items():
        result.set(name, value)
    return result


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


# --- the Config itself ------------------------------------------------------------------------


def test_defaults_make_a_config():
    config = Config.from_settings(settings())

    assert config.max_pages == 0 and config.classifier_threshold is None
    assert config.digest_max_age == timedelta(days=7) and config.heartbeat is False
    assert config.database_url.startswith("sqlite:///") and config.log_level == "INFO"


def test_values_given_as_numbers_are_read_too():
    # A crawler built in a test passes ints, the environment passes strings.
    config = Config.from_settings(settings(JAJAK_WORKER_PROCESSES=0, JAJAK_STORE_BATCH="7"))

    assert (config.worker_processes, config.store_batch) == (0, 7)


@pytest.mark.parametrize(("name", "value", "accepted"), [
    ("JAJAK_MAX_PAGES", "abc", "whole number >= 0"),
    ("JAJAK_MAX_PAGES", "-1", "whole number >= 0"),
    ("JAJAK_STORE_BATCH", "0", "whole number >= 1"),
    ("JAJAK_CLASSIFIER_THRESHOLD", "abc", "score between 0 and 1"),
    ("JAJAK_INSTANT_THRESHOLD", "1.5", "score between 0 and 1"),
    ("JAJAK_HEARTBEAT", "maybe", "1 or 0"),
    ("JAJAK_FULL_WALK_HOURS", "nan", "number >= 0"),
    ("JAJAK_CRAWL_TIMEOUT", "0", "number > 0"),
    ("JAJAK_CRAWL_CONCURRENCY", "0", "whole number >= 1"),
    ("JAJAK_ENGINE_MAX_CRAWLS", "-1", "whole number >= 0"),
    ("JAJAK_DIGEST_MAX_AGE", "a week", "duration such as 7d"),
    ("JAJAK_DIGEST_CRON", "every morning", "cron line"),
    ("JAJAK_TIMEZONE", "Mars/Olympus", "IANA time zone"),
    ("JAJAK_CONTACT_URL", "ftp://example.org", "http(s) URL"),
    ("JAJAK_HOME", "/no/such/home", "existing directory"),
    ("LOG_LEVEL", "LOUD", "one of DEBUG, INFO"),
    ("JAJAK_DATABASE_URL", "notaurl", "not a database URL"),
    ("JAJAK_CRAWL_OVERRIDES", "DOWNLOAD_DELAY=soon", "a number"),
])
def test_a_bad_value_names_the_setting_the_value_and_what_is_accepted(name, value, accepted):
    with pytest.raises(ConfigError) as caught:
        Config.from_settings(settings(**{name: value}))

    message = str(caught.value)
    shown = "JAJAK_LOG_LEVEL" if name == "LOG_LEVEL" else name
    assert message.startswith(shown) and repr(value.split("=")[-1]) in message and accepted in message
    assert "\n" not in message


def test_a_database_password_is_never_shown():
    with pytest.raises(ConfigError) as caught:
        Config.from_settings(settings(JAJAK_DATABASE_URL="mysql://jajak:s3cret-pw@db.example/jajak"))

    assert "s3cret-pw" not in str(caught.value) and "jajak:***@db.example" in str(caught.value)
    assert "MySQL/MariaDB is not supported" in str(caught.value)


@pytest.mark.parametrize(("raw", "normal"), [
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql://u@h:5433/db", "postgresql+psycopg://u@h:5433/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:///var/jajak.db", "sqlite:///var/jajak.db"),
    ("sqlite://", "sqlite://"),
])
def test_postgres_urls_mean_psycopg(raw, normal):
    assert database_url(raw).render_as_string(hide_password=False) == normal


@pytest.mark.parametrize(("raw", "says"), [
    ("", "empty"),
    ("notaurl", "not a database URL"),
    ("mysql://root@127.0.0.1/jajak", "MySQL/MariaDB is not supported"),
    ("mariadb+pymysql://root@127.0.0.1/jajak", "MySQL/MariaDB is not supported"),
    ("postgresql+psycopg2://u@h/db", "psycopg 3"),
    ("oracle://u@h/db", "unknown database kind 'oracle'"),
])
def test_unusable_database_urls_say_why(raw, says):
    with pytest.raises(DatabaseUrlError, match=says.replace("+", r"\+")):
        database_url(raw)


def test_masking_works_on_urls_that_do_not_parse():
    assert mask_database_url("weird//user:pw@host") == "weird//user:***@host"
    assert mask_database_url("postgresql+psycopg://u:pw@h/db") == "postgresql+psycopg://u:***@h/db"


@pytest.mark.parametrize(("pairs", "says"), [
    (["FOO"], "want NAME=VALUE"),
    (["FOO=1"], "unknown setting FOO"),
    (["DOWNLOAD_DELAYS=1"], "did you mean DOWNLOAD_DELAY?"),
    (["ROBOTSTXT_OBEY=perhaps"], "1 or 0"),
    (["CONCURRENT_REQUESTS=many"], "a whole number"),
])
def test_command_line_settings_must_be_known_and_of_their_type(pairs, says):
    with pytest.raises(ConfigError, match=says):
        setting_pairs("-s", pairs)


def test_known_command_line_settings_pass():
    pairs = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "JAJAK_MAX_PAGES=3", "PLAYWRIGHT_X=1"]
    assert setting_pairs("-s", pairs)["JAJAK_MAX_PAGES"] == "3"


# --- the database check -----------------------------------------------------------------------


def test_a_missing_sqlite_directory_is_reported_not_created(tmp_path):
    with pytest.raises(DatabaseUnavailable, match="does not exist"):
        open_checked(f"sqlite:///{tmp_path}/no/such/dir/jajak.db")

    assert not (tmp_path / "no").exists()


def test_jajaks_own_var_directory_is_created(tmp_path):
    open_checked(f"sqlite:///{tmp_path}/var/jajak.db", data_dir=tmp_path / "var")

    assert (tmp_path / "var" / "jajak.db").is_file()


def test_a_read_only_sqlite_file_is_found_at_start(tmp_path):
    path = tmp_path / "jajak.db"
    open_database(f"sqlite:///{path}")

    with pytest.raises(DatabaseUnavailable, match="read-only"):
        open_checked(f"sqlite:///file:{path}?mode=ro&uri=true")


def test_a_locked_sqlite_file_is_reported_after_the_busy_timeout(tmp_path):
    path = tmp_path / "jajak.db"
    open_database(f"sqlite:///{path}")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseUnavailable, match=r"locked by another process \(waited 0.1 s\)"):
            open_checked(f"sqlite:///{path}", busy_timeout=0.1)
    finally:
        holder.close()


@pytest.fixture
def postgres_running() -> None:
    if not _postgres_reachable():
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432")


@pytest.mark.postgres
@pytest.mark.parametrize(("url", "says"), [
    ("postgresql+psycopg://postgres:pw@127.0.0.1:9/test", "127.0.0.1:9: connection refused"),
    ("postgresql+psycopg://no_such_role@127.0.0.1:5432/test", 'refused the login: role "no_such_role"'),
    ("postgresql+psycopg://postgres@127.0.0.1:5432/no_such_db", 'database "no_such_db" does not exist'),
])
def test_postgresql_problems_are_one_line(postgres_running, url, says):
    with pytest.raises(DatabaseUnavailable) as caught:
        open_checked(url)

    assert says in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.postgres
def test_postgres_scheme_is_accepted_by_the_cli(crawl_env, postgres_url):
    crawl_env.database_url = postgres_url.replace("postgresql+psycopg://", "postgres://")

    done = crawl_env.jajak("db", "upgrade")

    assert done.returncode == 0, done.stderr
    assert "postgresql+psycopg://postgres@127.0.0.1:5432/test" in done.stdout


def test_the_default_database_gets_its_var_directory(crawl_env):
    env = {k: v for k, v in crawl_env.env.items() if k != "JAJAK_DATABASE_URL"}

    done = subprocess.run([sys.executable, "-m", "crawler.cli", "db", "upgrade"], cwd=crawl_env.home,
                          env=env, capture_output=True, text=True, check=False)

    assert done.returncode == 0, done.stderr
    assert (crawl_env.home / "var" / "jajak.db").is_file()


# --- every command: one line, exit 2 ------------------------------------------------------------

BAD_ENV = [
    ("status", {"JAJAK_DATABASE_URL": "notaurl"}, ["JAJAK_DATABASE_URL='notaurl'", "not a database URL"]),
    ("status", {"JAJAK_DATABASE_URL": "mysql://root:pw@127.0.0.1/jajak"},
     ["JAJAK_DATABASE_URL='mysql://root:***@127.0.0.1/jajak'", "MySQL/MariaDB is not supported"]),
    ("status", {"JAJAK_MAX_PAGES": "abc"}, ["JAJAK_MAX_PAGES='abc'", "whole number"]),
    ("articles", {"JAJAK_HEARTBEAT": "maybe"}, ["JAJAK_HEARTBEAT='maybe'", "1 or 0"]),
    ("crawl", {"JAJAK_CLASSIFIER_THRESHOLD": "abc"}, ["JAJAK_CLASSIFIER_THRESHOLD='abc'", "between 0 and 1"]),
    ("run", {"JAJAK_LOG_LEVEL": "LOUD"}, ["JAJAK_LOG_LEVEL='LOUD'", "DEBUG"]),
    ("digest", {"JAJAK_DIGEST_RETRY_BASE": "soon"}, ["JAJAK_DIGEST_RETRY_BASE='soon'", "duration"]),
    ("classify", {"JAJAK_RENDER_PAGES": "0"}, ["JAJAK_RENDER_PAGES='0'", "whole number >= 1"]),
    ("sources", {"JAJAK_CRAWL_OVERRIDES": "FOO=1"}, ["JAJAK_CRAWL_OVERRIDES FOO='1'", "unknown setting"]),
]


@pytest.mark.parametrize(("command", "env", "says"), BAD_ENV)
def test_a_bad_setting_is_one_line_and_exit_2(crawl_env, monkeypatch, command, env, says):
    crawl_env.add_source("one", "http://127.0.0.1:9/")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if "JAJAK_DATABASE_URL" in env:
        crawl_env.database_url = env["JAJAK_DATABASE_URL"]

    done = crawl_env.jajak(command, stdin="")

    line = one_line(done.stderr)
    assert done.returncode == 2 and line.startswith(f"jajak {command}: error: ")
    assert all(part in line for part in says), line
    assert "pw@" not in line


BAD_OPTIONS = [
    (["run", "--log-level", "LOUD"], ["--log-level", "'LOUD'", "DEBUG, INFO"]),
    (["run", "--log-file", "/proc/x"], ["--log-file /proc/x", "cannot write"]),
    (["eval", "--data", "/missing"], ["--data", "'/missing'", "no such file"]),
    (["train", "--output", "/missing"], ["--output", "'/missing'", "not a directory"]),
    (["crawl", "-s", "FOO"], ["-s 'FOO'", "NAME=VALUE"]),
    (["crawl", "-s", "FOO=1"], ["-s FOO='1'", "unknown setting FOO"]),
    (["crawl", "-s", "JAJAK_MAX_PAGES=abc"], ["JAJAK_MAX_PAGES='abc'", "whole number"]),
    (["crawl", "--max-pages", "0"], ["--max-pages", "'0'", "whole number >= 1"]),
    (["classify", "--threshold", "2"], ["--threshold", "'2'", "between 0 and 1"]),
    (["label", "http://x/", "--yes", "--database", "notaurl"],
     ["argument --database: 'notaurl'", "not a database URL"]),
]


@pytest.mark.parametrize(("args", "says"), BAD_OPTIONS)
def test_a_bad_option_is_one_line_and_exit_2(crawl_env, args, says):
    crawl_env.add_source("one", "http://127.0.0.1:9/")

    done = crawl_env.jajak(*args, stdin="")

    line = one_line(done.stderr)
    assert done.returncode == 2 and line.startswith(f"jajak {args[0]}: error: ")
    assert all(part in line for part in says), line


def test_unusable_databases_are_one_line_and_exit_2(crawl_env, tmp_path, monkeypatch):
    crawl_env.add_source("one", "http://127.0.0.1:9/")
    cases = {
        f"sqlite:///{tmp_path}/missing/dir/jajak.db": "directory",
        f"sqlite:///file:{crawl_env.home / 'ro.db'}?mode=ro&uri=true": "read-only",
        f"sqlite:///{crawl_env.home / 'locked.db'}": "locked by another process",
    }
    open_database(f"sqlite:///{crawl_env.home / 'ro.db'}")
    open_database(f"sqlite:///{crawl_env.home / 'locked.db'}")
    holder = sqlite3.connect(crawl_env.home / "locked.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    monkeypatch.setenv("JAJAK_SQLITE_BUSY_TIMEOUT", "0.2")
    try:
        for url, says in cases.items():
            crawl_env.database_url = url
            # a command that writes (`jajak status` only reads: tests/test_orphans.py)
            done = crawl_env.jajak("db", "upgrade")
            line = one_line(done.stderr)
            assert done.returncode == 2 and "JAJAK_DATABASE_URL=" in line and says in line, line
    finally:
        holder.close()
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize(("env", "args", "says"), [
    ({"JAJAK_MAX_PAGES": "abc"}, [], "JAJAK_MAX_PAGES='abc'"),
    ({"JAJAK_DATABASE_URL": "notaurl"}, [], "JAJAK_DATABASE_URL='notaurl'"),
    ({}, ["-s", "FOO=1"], "unknown setting FOO"),
    ({}, ["-L", "LOUD"], "LOG_LEVEL='LOUD'"),
])
def test_scrapy_crawl_says_it_in_one_line_before_scrapy_starts(crawl_env, monkeypatch, env, args, says):
    crawl_env.add_source("one", "http://127.0.0.1:9/")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if "JAJAK_DATABASE_URL" in env:
        crawl_env.database_url = env["JAJAK_DATABASE_URL"]

    done = crawl_env.scrapy("crawl", "portal", "-a", "source=one", *args)

    line = one_line(done.stderr)
    assert done.returncode == 2 and line.startswith("scrapy crawl: error: ") and says in line

"""The `jajak` command line: every subcommand documented, formats, exit codes, the demo."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

import pytest

from classifier.model import read_threshold
from crawler.cli import build_parser, main
from tests.conftest import store_matches

SUBCOMMANDS = ["crawl", "run", "status", "digest", "notify", "articles", "extract", "classify", "sources", "db",
               "demo", "train", "eval", "label", "web"]


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_has_help_and_is_in_the_readme(name):
    from tests.conftest import ROOT

    sub = build_parser()._subparsers._group_actions[0].choices[name]  # noqa: SLF001
    assert sub.format_help().strip()
    assert f"jajak {name}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_classify_passes_other_keys_through(capsys, monkeypatch):
    lines = [
        {"id": 7, "title": "Pemkot Bandung Jajaki Kerja Sama Sister City dengan Kota Kawasaki",
         "text": "Pemerintah Kota Bandung menerima kunjungan delegasi Kota Kawasaki, Jepang, untuk "
                 "menjajaki kerja sama di bidang kesehatan dan pendidikan."},
        {"id": 8, "title": "Persib Menang 2-0",
         "text": "Kerja sama tim menjadi kunci kemenangan Persib di laga kandang."},
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(json.dumps(x) for x in lines)))

    assert main(["classify", "-"]) == 0

    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == [7, 8]
    assert out[0]["match"] is True and out[0]["stage"] == "exploring"
    assert out[1]["match"] is False
    for record in out:
        assert {"score", "stage", "cues", "parties", "sectors"} <= record.keys()


@pytest.mark.e2e
def test_classify_honours_the_threshold_setting(crawl_env, monkeypatch):
    line = json.dumps({"title": "Gubernur Kaltim Terima Konjen Australia",
                       "text": "Keduanya membahas peluang kerja sama."})
    default = json.loads(crawl_env.jajak("classify", "-", stdin=line).stdout)
    # a borderline article: some evidence, below the model's own threshold
    assert 0.0 < default["score"] < read_threshold()
    assert default["match"] is False

    monkeypatch.setenv("JAJAK_CLASSIFIER_THRESHOLD", str(default["score"]))
    lenient = crawl_env.jajak("classify", "-", stdin=line)
    assert lenient.returncode == 0
    assert json.loads(lenient.stdout)["match"] is True  # the same score, the setting's threshold

    monkeypatch.setenv("JAJAK_CLASSIFIER_THRESHOLD", "abc")
    bad = crawl_env.jajak("classify", "-", stdin=line)
    assert bad.returncode == 2
    assert "JAJAK_CLASSIFIER_THRESHOLD='abc'" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_classify_names_the_bad_line(tmp_path, capsys):
    bad = tmp_path / "in.jsonl"
    bad.write_text('{"title": "a", "text": "b"}\nnot json\n', encoding="utf-8")

    assert main(["classify", str(bad)]) == 2

    assert f"{bad}:2" in capsys.readouterr().err


@pytest.mark.e2e
def test_articles_in_every_format(portal, crawl_env):
    server = portal("wp-magazine")
    crawl_env.add_source("fixture", server.url + "/")
    assert crawl_env.jajak("crawl").returncode == 0

    table = crawl_env.jajak("articles", "--matches")
    jsonl = crawl_env.jajak("articles", "--format", "json", "--source", "fixture")
    rows = crawl_env.jajak("articles", "--format", "csv", "--since", "2000-01-01")

    assert table.returncode == 0 and "article(s)" in table.stdout
    records = [json.loads(line) for line in jsonl.stdout.splitlines()]
    required = {"url", "source", "title", "published", "author", "text", "match", "score", "stage",
                "parties", "sectors", "cues"}
    assert records and all(required <= r.keys() for r in records)
    assert len(list(csv.DictReader(io.StringIO(rows.stdout)))) == len(records)


@pytest.mark.e2e
def test_sources_check_names_the_working_channel(portal, crawl_env):
    magazine, numeric = portal("wp-magazine"), portal("numeric")
    crawl_env.add_source("magazine", magazine.url + "/")
    crawl_env.add_source("numeric", numeric.url + "/")
    crawl_env.add_source("dead", "http://127.0.0.1:9/")

    listed = crawl_env.jajak("sources")
    checked = crawl_env.jajak("sources", "--check", "--timeout", "120")

    assert listed.returncode == 0 and "magazine" in listed.stdout
    assert checked.returncode == 0, checked.stderr
    rows = {line.split()[0]: line for line in checked.stdout.splitlines()[2:]}
    assert "uses feed" in rows["magazine"]
    assert "uses listing" in rows["numeric"]
    assert "down" in rows["dead"] and "connection refused" in rows["dead"]
    # each result as it came, with the reason, one line per source
    progress = sorted(checked.stderr.strip().splitlines())
    assert [line.split(":")[0] for line in progress] == ["dead", "magazine", "numeric"], checked.stderr
    assert "connection refused" in progress[0]


def test_db_upgrade_reports_the_revision(crawl_env):
    done = crawl_env.jajak("db", "upgrade")

    assert done.returncode == 0, done.stderr
    assert "at revision" in done.stdout


def test_unknown_source_is_a_configuration_error(crawl_env):
    crawl_env.write_sources("sources:\n  - name: one\n    url: https://example.org/\n")

    done = crawl_env.jajak("crawl", "two")

    assert done.returncode == 2
    assert "two" in done.stderr and "one" in done.stderr


@pytest.mark.e2e
def test_demo_shows_matched_articles(tmp_path):
    # As a newcomer runs it: any directory, nothing configured.
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("JAJAK_", "SCRAPY_"))}
    done = subprocess.run([sys.executable, "-m", "crawler.cli", "demo"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=240, check=False)

    assert done.returncode == 0, done.stderr[-3000:]
    assert "partnership talks" in done.stdout and "finished" in done.stdout
    assert "stage: exploring" in done.stdout
    assert list(tmp_path.iterdir()) == []  # the demo leaves nothing behind


# -- jajak extract ----------------------------------------------------------------------------

def _fixture_article():
    from tests.portals.realsoft import FIXTURES, expected, manifest

    art = expected("wordpress-twentytwentyone")["articles"][0]
    doc = manifest("wordpress-twentytwentyone")
    path = FIXTURES / "wordpress-twentytwentyone" / doc["resources"][art["url"]]["file"]
    return path, doc["origin"] + art["url"], art


def test_extract_a_local_file_as_json(capsys):
    from crawler.output import FIELDS

    path, url, art = _fixture_article()

    assert main(["extract", str(path), "--url", url, "--format", "json"]) == 0

    record = json.loads(capsys.readouterr().out)
    assert set(FIELDS) <= set(record)
    assert record["url"] == url
    assert record["title"] == art["title"]
    assert record["published"] == art["published"]
    assert record["text"].startswith(art["first_sentence"])
    assert record["match"] is True
    assert record["stage"] == "exploring"
    assert "Pemerintah Kota Bandung" in record["parties"]
    assert record["cues"]
    assert record["is_article"] is True
    assert record["body_source"] == "fast"


def test_extract_fetches_a_url_once_with_jajaks_user_agent(capsys):
    from crawler.demo.server import PortalServer, Resource
    from tests.portals.realsoft import page

    _, _, art = _fixture_article()
    with PortalServer() as server:
        html = page("wordpress-twentytwentyone", art["url"], server.url)
        server.set_site({art["url"]: Resource(html, "text/html; charset=UTF-8")})

        assert main(["extract", server.url + art["url"], "--format", "text"]) == 0

        requests = server.requests
    out = capsys.readouterr().out
    assert f"title:      {art['title']}" in out
    assert "verdict:    match=yes" in out
    assert len(requests) == 1
    assert requests[0][3]["User-Agent"].startswith("jajak/")


@pytest.mark.parametrize(
    ("make_target", "message"),
    [
        (lambda tmp, url: str(tmp / "missing.html"), "no such file"),
        (lambda tmp, url: str(tmp / "data.json"), "not an HTML page"),
        (lambda tmp, url: url + "/feed.json", "not an HTML page"),
        (lambda tmp, url: url + "/hilang", "answered 404"),
        (lambda tmp, url: "http://127.0.0.1:9/berita", "cannot fetch it"),
        (lambda tmp, url: "ftp://127.0.0.1/berita.html", "only http(s) URLs and local files"),
    ],
)
def test_extract_bad_input_is_one_line_and_exit_2(make_target, message, tmp_path, capsys):
    from crawler.demo.server import PortalServer, Resource

    (tmp_path / "data.json").write_text('{"title": "bukan halaman"}', encoding="utf-8")
    with PortalServer({"/feed.json": Resource('{"items": []}', "application/json")}) as server:
        code = main(["extract", make_target(tmp_path, server.url)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("jajak extract: error: ")
    assert message in err


@pytest.mark.e2e
def test_extract_command_in_a_subprocess(crawl_env):
    path, url, art = _fixture_article()

    done = crawl_env.jajak("extract", str(path), "--url", url, "--format", "json")

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == art["title"]
    missing = crawl_env.jajak("extract", str(path) + ".hilang")
    assert missing.returncode == 2
    assert missing.stderr.strip().endswith("no such file")


# --- jajak notify --test ------------------------------------------------------------------------

TG_SECRET = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def _notify(tmp_path, *args, notify="", config=""):
    import subprocess
    import sys

    from tests.conftest import CrawlEnv

    env = {**CrawlEnv(tmp_path, f"sqlite:///{tmp_path / 'jajak.db'}").env, "JAJAK_NOTIFY": notify,
           "JAJAK_APPRISE_CONFIG": config}
    return subprocess.run([sys.executable, "-m", "crawler.cli", "notify", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_notify_test_reports_each_channel_and_fails_if_one_failed(tmp_path):
    from tests.servers import Hook

    hook = Hook()
    hook.down.add("/down")
    try:
        done = _notify(tmp_path, "--test", notify=(
            f"json://{hook.url}/ok json://{hook.url}/down json://127.0.0.1:9/nobody "
            f"json://{hook.url}/secret?+X-Token=hunter2-rahasia"))
        alone = _notify(tmp_path, "--test", notify=f"json://{hook.url}/ok")
    finally:
        hook.close()

    assert done.returncode == 1 and alone.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"other json://{hook.url}/ok: sent"
    assert lines[1].startswith(f"other json://{hook.url}/down: FAILED: ") and "error=500" in lines[1]
    assert lines[2] == ("other json://127.0.0.1:9/nobody: FAILED: A Connection error occurred sending JSON "
                        "notification to 127.0.0.1. ([Errno 111] Connection refused)")
    assert lines[3] == f"other json://{hook.url}/secret?+X-Token=****: sent"
    assert "hunter2-rahasia" not in done.stdout + done.stderr
    assert [body["title"] for _, body in hook.posts] == ["jajak test message"] * 3


def test_notify_test_by_tag_and_without_channels(tmp_path):
    from tests.servers import Hook

    hook = Hook()
    config = tmp_path / "apprise.yml"
    config.write_text("version: 1\nurls:\n"
                      f"  - json://{hook.url}/redaksi:\n      - tag: redaksi\n"
                      f"  - tgram://123456789:{TG_SECRET}/42:\n      - tag: ops\n", encoding="utf-8")
    try:
        tagged = _notify(tmp_path, "--test", "--tag", "redaksi", config=str(config))
        none = _notify(tmp_path, "--test")
        bare = _notify(tmp_path, notify=f"json://{hook.url}/x")
    finally:
        hook.close()

    assert tagged.returncode == 0 and tagged.stdout == f"other json://{hook.url}/redaksi: sent\n"
    assert [path for path, _ in hook.posts] == ["/redaksi"]
    assert none.returncode == 2 and "no channel configured" in none.stderr
    assert bare.returncode == 2 and "--test" in bare.stderr


@pytest.mark.e2e
def test_sources_check_gives_up_on_a_site_that_never_answers(crawl_env):
    import socket
    import threading

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections, never answers
    held: list[socket.socket] = []
    threading.Thread(target=lambda: held.extend(iter(lambda: silent.accept()[0], None)), daemon=True).start()
    crawl_env.add_source("silent", f"http://127.0.0.1:{silent.getsockname()[1]}/")
    try:
        checked = crawl_env.jajak("sources", "--check", "--timeout", "3", timeout=60)
    finally:
        silent.close()

    assert checked.returncode == 0, checked.stderr
    assert "silent: error, no answer within 3 s" in checked.stderr


def test_version_is_printed(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as done:
        main(["--version"])

    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"jajak {version('jajak')}"


def test_bare_jajak_prints_the_help_on_stdout(capsys):
    assert main([]) == 2

    out, err = capsys.readouterr()
    assert out.startswith("usage: jajak") and "crawl" in out and "status" in out
    assert err == ""


def _stored(crawl_env):
    from crawler.storage import open_database

    open_database(crawl_env.database_url)
    crawl_env.add_source("one", "http://127.0.0.1:9/")
    return store_matches(crawl_env.database_url, 2)  # source kabarbengkulu: stored, not in the file


@pytest.mark.e2e
def test_articles_table_shows_urls_and_labelled_times_json_carries_the_offset(crawl_env, monkeypatch):
    titles = _stored(crawl_env)
    monkeypatch.setenv("JAJAK_TIMEZONE", "Asia/Makassar")

    table = crawl_env.jajak("articles")
    jsonl = crawl_env.jajak("articles", "--format", "json")

    assert table.returncode == 0, table.stderr
    header, _rule, *rows = table.stdout.splitlines()
    assert header.split() == ["published", "source", "match", "stage", "score", "title", "url"]
    assert "http://kabar.example/berita/0" in table.stdout and "http://kabar.example/berita/1" in table.stdout
    assert all(row.count(" WITA ") == 1 for row in rows[:2]), table.stdout
    records = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert [r["title"] for r in records] == titles
    for record in records:
        published, first_seen = (datetime.fromisoformat(record[k]) for k in ("published", "first_seen_at"))
        assert published.utcoffset() == first_seen.utcoffset() == timedelta(hours=8)


@pytest.mark.e2e
@pytest.mark.parametrize("timezone", ["Asia/Jakarta", "WIB"])
def test_times_are_labelled_wib_by_default_and_for_the_alias(crawl_env, monkeypatch, timezone):
    _stored(crawl_env)
    monkeypatch.setenv("JAJAK_TIMEZONE", timezone)

    table = crawl_env.jajak("articles")

    assert table.returncode == 0, table.stderr
    assert " WIB " in table.stdout and "+00:00" not in table.stdout


@pytest.mark.e2e
def test_an_unknown_source_is_one_line_and_exit_2_in_articles(crawl_env):
    _stored(crawl_env)

    unknown = crawl_env.jajak("articles", "--source", "nosuch")
    stored_only = crawl_env.jajak("articles", "--source", "kabarbengkulu")
    in_file = crawl_env.jajak("articles", "--source", "one")

    assert unknown.returncode == 2 and unknown.stdout == ""
    assert unknown.stderr.strip().splitlines() == [
        f"jajak articles: error: no source named 'nosuch' in {crawl_env.sources_file}; known: one"]
    assert stored_only.returncode == 0 and "2 article(s)" in stored_only.stdout  # left the file, still stored
    assert in_file.returncode == 0 and "0 article(s)" in in_file.stdout


def test_every_option_taking_a_source_name_checks_it():
    """Each `--source` of the parser is one that test_an_unknown_source_... covers (only articles now)."""
    parser = build_parser()
    subs = parser._subparsers._group_actions[0].choices  # noqa: SLF001
    taking = sorted(name for name, sub in subs.items()
                    if any("--source" in action.option_strings for action in sub._actions))  # noqa: SLF001
    assert taking == ["articles"]

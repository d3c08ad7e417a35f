"""The `jajak` command line: every subcommand documented, formats, exit codes, the demo."""

from __future__ import annotations

import csv
import io
import json

import pytest

from crawler.cli import build_parser, main

SUBCOMMANDS = ["crawl", "run", "status", "digest", "articles", "classify", "sources", "db", "demo", "train", "eval", "label"]


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
        {"id": 8, "title": "Persib Menang 2-0", "text": "Kerja sama tim menjadi kunci kemenangan Persib di laga kandang."},
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(json.dumps(x) for x in lines)))

    assert main(["classify", "-"]) == 0

    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == [7, 8]
    assert out[0]["match"] is True and out[0]["stage"] == "exploring"
    assert out[1]["match"] is False
    for record in out:
        assert {"score", "stage", "cues", "parties", "sectors"} <= record.keys()


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
    none = crawl_env.jajak("articles", "--source", "nosuch")

    assert table.returncode == 0 and "article(s)" in table.stdout
    records = [json.loads(line) for line in jsonl.stdout.splitlines()]
    required = {"url", "source", "title", "published", "author", "text", "match", "score", "stage",
                "parties", "sectors", "cues"}
    assert records and all(required <= r.keys() for r in records)
    assert len(list(csv.DictReader(io.StringIO(rows.stdout)))) == len(records)
    assert "0 article(s)" in none.stdout


@pytest.mark.e2e
def test_sources_check_names_the_working_channel(portal, crawl_env):
    magazine, numeric = portal("wp-magazine"), portal("numeric")
    crawl_env.add_source("magazine", magazine.url + "/")
    crawl_env.add_source("numeric", numeric.url + "/")

    listed = crawl_env.jajak("sources")
    checked = crawl_env.jajak("sources", "--check")

    assert listed.returncode == 0 and "magazine" in listed.stdout
    assert checked.returncode == 0, checked.stderr
    rows = {line.split()[0]: line for line in checked.stdout.splitlines()[2:]}
    assert "uses feed" in rows["magazine"]
    assert "uses listing" in rows["numeric"]


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

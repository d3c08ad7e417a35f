"""Every fault one clear line, nothing lost: one `jajak crawl` of portals that misbehave in every
way a site can (5xx bursts, stalls, resets, truncated and huge answers, gzip bombs, wrong types,
legacy encodings, redirect loops, hostile feeds and sitemaps, robots.txt that forbids all) and one
healthy portal. Each fault is recorded in the run (finish reason, why, a counter by kind),
nothing partial is stored, health follows, memory stays bounded and the healthy source is
untouched. One crawl checks them all: the tests below read its outcome."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from crawler.health import FAILING, HEALTHY, HealthRules, RunFacts, assess
from crawler.storage import Article, CrawlRun, SourceRow, known_urls, open_database
from tests.conftest import CrawlEnv
from tests.portals.faults import (
    LEGACY_PHRASES,
    Answer,
    FaultPortal,
    article,
    big_sitemap,
    billion_laughs,
    gzip_bomb,
    gzip_of_zeros,
    huge_page,
    legacy,
    sitemap_index,
    xxe_feed,
    xxe_sitemap,
)

pytestmark = pytest.mark.e2e

DAY = "/2026/11/20/"
# Generous caps on a crawl's peak RSS (VmHWM): a healthy one peaks near 130 MB, the one that
# unpacks a 50 MB sitemap near 200 MB; a 200 MB bomb read whole would pass both.
PEAK_MB, PEAK_OVER_HEALTHY_MB = 500, 150
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 40


def path(slug: str) -> str:
    return f"{DAY}{slug}-kerja-sama-daerah/"


@dataclass
class Outcome:
    portals: dict[str, FaultPortal]
    outside: FaultPortal
    stdout: str
    runs: dict[str, CrawlRun]
    articles: dict[str, list[Article]]
    known: dict[str, set[str]]

    def stats(self, source: str) -> dict[str, Any]:
        return self.runs[source].stats or {}

    def titles(self, source: str) -> set[str]:
        return {a.title for a in self.articles.get(source, [])}


# The article faults: path slug -> script of answers (the last one repeats).
ARTICLE_FAULTS: dict[str, list[Answer]] = {
    "burst": [Answer(500, b"oops"), Answer(502, b"bad gateway"), article("Pulih setelah 5xx")],
    "down": [Answer(503, b"down for good")],
    "stall": [replace(article("Tak pernah datang"), delay=60)],
    "reset": [Answer(reset=True)],
    "truncated": [replace(article("Terpotong di tengah"), truncate=400)],
    "bomb": [gzip_bomb(100)],
    "huge": [huge_page(20)],
    "stream": [huge_page(20, length=False)],
    "image": [Answer(body=PNG, headers={"Content-Type": "image/png"})],
    "octet": [replace(article("Berita berlabel oktet"), headers={"Content-Type": "application/octet-stream"})],
    "cp1252": [legacy("Kerja sama Windows", "windows-1252", "meta")],
    "latin1": [legacy("Kerja sama Latin", "iso-8859-1", "header")],
}
FAILED_ARTICLES = ("down", "stall", "reset", "truncated", "bomb", "huge", "stream", "loop", "away")


def _article_portal(outside: FaultPortal) -> FaultPortal:
    p = FaultPortal().start()
    p.script(path("utuh"), article("Berita utuh"))
    for slug, answers in ARTICLE_FAULTS.items():
        p.script(path(slug), *answers)
    p.script(path("loop"), Answer(301, headers={"Location": path("loop-b")}))
    p.script(path("loop-b"), Answer(301, headers={"Location": path("loop")}))
    # Another host name: the port alone does not make another site for the offsite check.
    p.script(path("away"), Answer(302, headers={"Location": f"http://localhost:{outside.url.rsplit(':', 1)[1]}/x/"}))
    p.feed([path(s) for s in ("utuh", *ARTICLE_FAULTS, "loop", "away")])
    return p


def _discovery_portal(outside: FaultPortal) -> FaultPortal:
    p = FaultPortal().start()
    remote = f"{outside.url.replace('127.0.0.1', 'localhost')}/xxe"
    p.script("/", Answer(body=(
        f'<html><head><link rel="alternate" type="application/rss+xml" href="{p.url}/feed/">'
        f'<link rel="alternate" type="application/rss+xml" href="{p.url}/feed-tawa/">'
        "<title>Peta</title></head><body><h1>Peta</h1></body></html>").encode()))
    p.script("/feed/", xxe_feed(remote))
    p.script("/feed-tawa/", billion_laughs("rss", '<rss version="2.0"><channel><title>LOL</title><item>'
                                                  "<title>LOL</title><link>LOL</link></item></channel></rss>"))
    sitemaps = ["sitemap-xxe.xml", "sitemap-tawa.xml", "sitemap-putar.xml", "sitemap-bom.xml.gz",
                "sitemap-bom-enc.xml", "sitemap-besar.xml"]
    p.script("/robots.txt", Answer(headers={"Content-Type": "text/plain"}, body=(
        "User-agent: *\nAllow: /\n" + "".join(f"Sitemap: {p.url}/{name}\n" for name in sitemaps)).encode()))
    p.script("/sitemap-xxe.xml", xxe_sitemap(remote))
    p.script("/sitemap-tawa.xml", billion_laughs(
        "urlset", '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>LOL</loc></url></urlset>'))
    p.script("/sitemap-putar.xml", sitemap_index(f"{p.url}/sitemap-putar.xml", f"{p.url}/sitemap-putar-2.xml"))
    p.script("/sitemap-putar-2.xml", sitemap_index(f"{p.url}/sitemap-putar.xml"))
    p.script("/sitemap-bom.xml.gz", Answer(body=gzip_of_zeros(200), headers={"Content-Type": "application/gzip"}))
    p.script("/sitemap-bom-enc.xml", replace(gzip_bomb(200), headers={"Content-Type": "application/xml",
                                                                      "Content-Encoding": "gzip"}))
    p.script("/sitemap-besar.xml", big_sitemap(f"{p.url}{DAY}kabar-daerah-nomor-", 60_000))
    p.script_prefix(f"{DAY}kabar-daerah-nomor-", article("Kabar daerah dari peta situs"))
    return p


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Any:
    home = tmp_path_factory.mktemp("faults")
    env = CrawlEnv(home, f"sqlite:///{home / 'jajak.db'}")
    outside = FaultPortal().start()
    portals = {"sehat": FaultPortal().start()}
    portals["sehat"].script(path("sehat-satu"), article("Kota Bandung jajaki kerja sama"))
    portals["sehat"].script(path("sehat-dua"), article("Kabupaten Garut teken nota kesepahaman"))
    portals["sehat"].feed([path("sehat-satu"), path("sehat-dua")])
    portals["artikel"] = _article_portal(outside)
    portals["peta"] = _discovery_portal(outside)
    portals["tumbang"] = down = FaultPortal().start()
    down.script("/", Answer(503, b"busy"))
    down.script_prefix("/", Answer(503, b"busy"))
    portals["robots"] = robots = FaultPortal().start()
    robots.script("/robots.txt", Answer(body=b"User-agent: *\nDisallow: /\n", headers={"Content-Type": "text/plain"}))
    robots.script(path("dilarang"), article("Dilarang robots"))
    robots.feed([path("dilarang")])
    for name, portal in portals.items():
        env.add_source(name, portal.url + "/", **({"max_pages": 5} if name == "peta" else {}))
    try:
        done = env.jajak("crawl", "-q", "--parallel", "3", "--timeout", "150",
                         "-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=2", timeout=240)
        assert done.returncode == 0, done.stdout + done.stderr[-3000:]
        sessions = open_database(env.database_url)
        with sessions() as session:
            rows = session.execute(select(SourceRow.name, SourceRow.id)).all()
            ids = dict(rows)
            runs = {name: session.scalars(select(CrawlRun).where(CrawlRun.source_id == id_)).one()
                    for name, id_ in ids.items()}
            articles = {name: list(session.scalars(select(Article).where(Article.source_id == id_)))
                        for name, id_ in ids.items()}
            known = {name: known_urls(session, id_) for name, id_ in ids.items()}
        yield Outcome(portals, outside, done.stdout, runs, articles, known)
    finally:
        for portal in (*portals.values(), outside):
            portal.stop()


def health(run: CrawlRun) -> str:
    return assess([RunFacts.from_row(run)], datetime.now(UTC), HealthRules(failed_runs=1)).state


# --- every source ---------------------------------------------------------------------------------


def test_every_crawl_records_its_end_and_stays_within_memory(outcome):
    healthy = outcome.stats("sehat")["jajak/memory/peak_mb"]
    for name, run in outcome.runs.items():
        assert run.finished_at is not None and run.finish_reason, name
        peak = outcome.stats(name).get("jajak/memory/peak_mb")
        assert peak is not None and peak < min(PEAK_MB, healthy + PEAK_OVER_HEALTHY_MB), (name, peak, healthy)


def test_the_healthy_source_is_unaffected(outcome):
    run = outcome.runs["sehat"]
    assert run.finish_reason == "finished" and run.errors == 0 and run.new_articles == 2
    assert outcome.titles("sehat") == {"Kota Bandung jajaki kerja sama", "Kabupaten Garut teken nota kesepahaman"}
    assert health(run) == HEALTHY
    assert not any(k.startswith("jajak/failures/") for k in outcome.stats("sehat"))


# --- faults of article pages: each counted by kind, the article not stored, retried next time -----


def test_faulty_articles_are_not_stored_and_not_remembered(outcome):
    stored = outcome.titles("artikel")
    assert stored == {"Berita utuh", "Pulih setelah 5xx", "Berita berlabel oktet", "Kerja sama Windows",
                      "Kerja sama Latin"}, stored
    url = outcome.portals["artikel"].url
    for slug in FAILED_ARTICLES:
        assert url + path(slug) not in outcome.known["artikel"], slug  # asked for again next crawl
    run = outcome.runs["artikel"]
    assert run.finish_reason == "finished" and run.errors >= len(FAILED_ARTICLES)
    assert outcome.stats("artikel")["jajak/crawl/complete"] is False  # the next crawl walks fully


def test_a_finished_crawl_with_failed_fetches_says_which_in_one_line(outcome):
    failed = outcome.stats("artikel")["jajak/finish/failed"]
    assert failed.startswith(f"{len(FAILED_ARTICLES)} failed fetches (too_large 3, http_503 1, "), failed
    assert f"artikel: finished: {failed} (log: " in outcome.stdout
    assert "sehat: " not in outcome.stdout and "jajak/finish/failed" not in outcome.stats("sehat")


@pytest.mark.parametrize(("kind", "count"), [
    ("http_503", 1), ("timeout", 1), ("reset", 1), ("truncated", 1), ("too_large", 3), ("redirect_loop", 1),
    ("offsite", 1),
])
def test_each_article_fault_is_counted_by_kind(outcome, kind, count):
    assert outcome.stats("artikel").get(f"jajak/failures/{kind}") == count, outcome.stats("artikel")


def test_a_5xx_burst_within_the_retries_is_weathered(outcome):
    assert outcome.portals["artikel"].requested(path("burst")) == 3
    assert outcome.portals["artikel"].requested(path("down")) == 3  # retried twice, then given up


def test_a_stall_costs_only_the_download_timeout(outcome):
    assert outcome.portals["artikel"].requested(path("stall")) == 3
    assert outcome.stats("artikel")["elapsed_time_seconds"] < 60


def test_a_binary_answer_is_not_read_and_a_mislabelled_page_is(outcome):
    assert outcome.stats("artikel").get("jajak/pages/not_html") == 1


def test_legacy_encodings_are_decoded(outcome):
    texts = {a.title: a.text for a in outcome.articles["artikel"]}
    for title, encoding in (("Kerja sama Windows", "windows-1252"), ("Kerja sama Latin", "iso-8859-1")):
        assert LEGACY_PHRASES[encoding] in texts[title], texts[title][:200]
    assert all("\ufffd" not in a.text and "\x00" not in a.text for a in outcome.articles["artikel"])


def test_a_redirect_to_another_host_is_not_followed(outcome):
    assert outcome.outside.log == []


# --- faults of the whole site: the run says why, health is failing -------------------------------


def test_a_site_answering_only_5xx_is_unreachable_with_its_status(outcome):
    run = outcome.runs["tumbang"]
    host = outcome.portals["tumbang"].url.removeprefix("http://")
    why = f"HTTP 503 from {host}"
    assert run.finish_reason == "unreachable" and outcome.stats("tumbang")["jajak/finish/why"] == why
    assert outcome.articles.get("tumbang", []) == [] and health(run) == FAILING
    assert f"tumbang: unreachable: {why}" in outcome.stdout


def test_robots_txt_forbidding_all_stops_the_crawl_with_its_reason(outcome):
    run = outcome.runs["robots"]
    host = outcome.portals["robots"].url.removeprefix("http://")
    why = f"forbidden by the robots.txt of {host}"
    assert run.finish_reason == "robots_disallowed" and outcome.stats("robots")["jajak/finish/why"] == why
    assert outcome.articles.get("robots", []) == [] and health(run) == FAILING
    assert outcome.portals["robots"].requested(path("dilarang")) == 0
    assert outcome.portals["robots"].requested("/feed/") == 0
    assert f"robots: robots_disallowed: {why}" in outcome.stdout


# --- hostile feeds and sitemaps ------------------------------------------------------------------


def test_hostile_feeds_and_sitemaps_are_read_safely(outcome):
    p, run = outcome.portals["peta"], outcome.runs["peta"]
    assert run.finish_reason == "finished" and run.channel == "sitemap"
    # XXE: no entity was resolved, neither a local file nor a URL on another host.
    assert outcome.outside.log == []
    assert not any("root:" in a.title + a.text for a in outcome.articles["peta"])
    # The index that lists itself was read a bounded number of times.
    assert p.requested("/sitemap-putar.xml") + p.requested("/sitemap-putar-2.xml") <= 40
    # 60,000 URLs: read, and cut at max_pages; the bombs did not stop the walk.
    assert len(outcome.articles["peta"]) == 5
    assert outcome.stats("peta")["jajak/discovery/complete"] is False

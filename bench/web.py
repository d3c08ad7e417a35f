"""How fast the web app answers on real volumes: 100,000 stored articles of which 5,000 are
matches (about 2,000 stories told by one to four outlets), spread over a year and 50 sources,
each with 200 crawl runs (--runs).

The rows are written with the storage layer's bulk insert (crawler.storage.add_articles, the
crawl's own path, FTS triggers included) into a fresh database, then each page is fetched
in-process (Starlette's TestClient, so the figure is the app's time without a network) once to
warm up and --repeat times; the median and the slowest are printed. --record appends the
figures to the "Web app" section of bench/RESULTS.md.

    python bench/web.py [--database-url sqlite:///tmp/web.db] [--articles 100000] [--matches 5000]
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from crawler.config import Config  # noqa: E402
from crawler.startup import project_settings  # noqa: E402
from crawler.storage import add_articles, ensure_source, open_database  # noqa: E402

_VOCABULARY = ("warga kota pemerintah jalan banjir pasar sekolah guru siswa desa bupati wali gubernur rumah sakit "
         "dinas program bantuan anggaran rapat dewan pembangunan jembatan petani harga beras listrik air "
         "polisi lalu lintas festival budaya wisata pantai gunung hutan sampah kantor pelayanan izin usaha "
         "kecil menengah pelatihan kerja pemuda olahraga stadion masjid gereja pura kampus mahasiswa")
# News text has thousands of words, a few of them frequent (Zipf): the listed words plus made-up
# ones, each drawn with weight 1/rank, so unrelated articles share few word triples, as real ones.
_SYLLABLES = ["ba", "ka", "la", "ma", "na", "pa", "ra", "sa", "ta", "ja", "ri", "ti", "ngu", "lu", "kan", "tor"]
WORDS = _VOCABULARY.split() + [a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES][:6000]
_WEIGHTS = [1 / rank for rank in range(1, len(WORDS) + 1)]
PLACES = ["Kota Bandung", "Kabupaten Garut", "Kota Surabaya", "Kabupaten Sleman", "Kota Makassar",
          "Provinsi Jawa Barat", "Kota Medan", "Kabupaten Badung", "Kota Semarang", "Kabupaten Bogor"]
PARTNERS = ["Kota Hamamatsu", "Provinsi Gyeonggi", "Kota Busan", "Kota Penang", "Universitas Leiden",
            "Kota Kitakyushu", "Provinsi Guangdong", "Kota Darwin"]
SECTORS = ["pendidikan", "pertanian", "pariwisata", "kesehatan", "infrastruktur", "perdagangan"]
STAGES = ["exploring", "negotiating", "signed", "renewed"]
SEARCH = "kerja sama hamamatsu"


def _text(rng: random.Random, words: int) -> str:
    sentences = []
    while words > 0:
        n = rng.randint(8, 16)
        sentences.append(" ".join(rng.choices(WORDS, _WEIGHTS, k=n)).capitalize() + ".")
        words -= n
    return " ".join(sentences)


def _run(rng: random.Random, source_id: int, n: int, when: datetime) -> dict[str, object]:
    """A stored crawl run as the crawl's end records it; one in ten failed (unreachable)."""
    from crawler.failures import WHY

    begun = when - timedelta(minutes=rng.randint(0, 30))
    failed = rng.random() < 0.1
    return {"source_id": source_id, "pid": 1000 + n, "started_at": begun, "finished_at": begun + timedelta(seconds=40),
            "pages": 0 if failed else rng.randint(5, 60), "new_articles": 0 if failed else rng.randint(0, 8),
            "matches": 0, "errors": int(failed), "finish_reason": "unreachable" if failed else "finished",
            "channel": None if failed else "feed",
            "stats": {WHY: "connection refused"} if failed else {"jajak/discovery/feed": rng.randint(10, 30)}}


def fill(database_url: str, articles: int, matches: int, sources: int = 50, seed: int = 14, runs: int = 200) -> float:
    """Store the articles, and ``runs`` crawl runs of each source (one every two hours, one in
    ten failed); returns the seconds it took."""
    from sqlalchemy import insert

    from crawler.storage.models import CrawlRun

    rng = random.Random(seed)
    sessions = open_database(database_url)
    now = datetime.now(UTC)
    started = time.perf_counter()
    with sessions.begin() as session:
        ids = [ensure_source(session, f"portal{i:02d}", f"http://portal{i:02d}.example/").id for i in range(sources)]
        crawls = random.Random(seed + 1)  # its own draws: the articles stay those of earlier figures
        for source_id in ids:
            rows_of_runs = [_run(crawls, source_id, n, now - timedelta(hours=2 * n)) for n in range(runs)]
            if rows_of_runs:
                session.execute(insert(CrawlRun), rows_of_runs)
    rows: list[dict[str, object]] = []
    made = 0
    # Matches: stories of one to four outlets' copies (the same release, lightly edited).
    while made < matches:
        place, partner = rng.choice(PLACES), rng.choice(PARTNERS)
        sector, stage = rng.choice(SECTORS), rng.choice(STAGES)
        when = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        title = f"Pemerintah {place} dan {partner} Jajaki Kerja Sama {sector.title()}"
        cue = f"Pemerintah {place} menandatangani nota kesepahaman kerja sama {sector} dengan {partner}."
        body = cue + " " + _text(rng, 220)
        for _copy in range(min(rng.randint(1, 4), matches - made)):
            outlet = rng.choice(ids)
            rows.append({"source_id": outlet, "url": f"http://portal{outlet:02d}.example/m/{made}", "title": title,
                         "text": body + " " + _text(rng, 15), "match": True, "score": round(rng.uniform(0.5, 1), 2),
                         "stage": stage, "parties": [f"Pemerintah {place}", partner], "sectors": [sector],
                         "cues": [cue], "published": when + timedelta(hours=rng.randint(0, 12)),
                         "first_seen_at": when + timedelta(hours=13)})
            made += 1
    for i in range(articles - matches):
        outlet = rng.choice(ids)
        when = now - timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        rows.append({"source_id": outlet, "url": f"http://portal{outlet:02d}.example/a/{i}",
                     "title": _text(rng, 9).rstrip("."), "text": _text(rng, 250), "published": when,
                     "first_seen_at": when + timedelta(hours=1)})
    for start in range(0, len(rows), 5000):
        with sessions.begin() as session:
            add_articles(session, rows[start:start + 5000])
    with sessions.begin() as session:
        if session.get_bind().dialect.name == "postgresql":
            # What autovacuum does within a minute of a bulk load: without statistics the planner
            # reads every article for "match IS true" instead of its index.
            session.execute(text("ANALYZE"))
    return time.perf_counter() - started


def measure(database_url: str, workdir: Path, repeat: int) -> list[tuple[str, float, float, float, int]]:
    """(page, first ms, median ms, slowest ms, bytes) of each page, in this order (the first
    inbox groups the matches; the pages after it reuse the grouping until the matches change)."""
    from sqlalchemy import select
    from starlette.testclient import TestClient

    from crawler.storage.models import Article
    from crawler.web import create_app

    settings = project_settings()
    sources = workdir / "sources.yaml"
    sources.write_text("sources: []\n", encoding="utf-8")
    for name, value in {"JAJAK_DATABASE_URL": database_url, "JAJAK_HOME": str(workdir),
                        "JAJAK_SOURCES": str(sources), "JAJAK_NOTIFY": ""}.items():
        settings.set(name, value, priority="cmdline")
    config = Config.from_settings(settings)
    with open_database(database_url)() as session:
        newest = session.scalars(select(Article.id).where(Article.match.is_(True))
                                 .order_by(Article.published.desc()).limit(1)).one()
    pages = {"story, before any inbox": f"/story/{newest}",
             "inbox": "/", "inbox, stage=signed": "/?stage=signed", "inbox, page 40": "/?page=40",
             f"search q={SEARCH}": f"/?q={SEARCH.replace(' ', '+')}", "story (newest match)": f"/story/{newest}",
             "sources": "/sources", "source (portal07)": "/sources/portal07"}
    figures = []
    with TestClient(create_app(config), base_url="http://127.0.0.1") as client:
        for name, path in pages.items():
            started = time.perf_counter()
            answer = client.get(path)
            first = (time.perf_counter() - started) * 1000
            answer.raise_for_status()
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                answer = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
            figures.append((name, first, statistics.median(times), max(times), len(answer.content)))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty database (default: a new SQLite file)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--matches", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=200, help="crawl runs stored per source")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--record", action="store_true", help="append the figures to bench/RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jajak-bench-web-") as tmp:
        workdir = Path(tmp)
        url = args.database_url or f"sqlite:///{workdir / 'web.db'}"
        seconds = fill(url, args.articles, args.matches, runs=args.runs)
        backend = url.split(":", 1)[0]
        print(f"{backend}: stored {args.articles} articles ({args.matches} matches) in {seconds:.1f} s")
        figures = measure(url, workdir, args.repeat)
    lines = [f"| {backend} | {name} | {first:.0f} | {median:.0f} | {slowest:.0f} | {size // 1024} |"
             for name, first, median, slowest, size in figures]
    print("| database | page | first ms | median ms | slowest ms | KiB |")
    print("\n".join(lines))
    if args.record:
        stamp = f"{datetime.now(UTC):%Y-%m-%d}, {platform.python_version()}, {args.articles} articles"
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as results:
            results.write(f"\n<!-- bench/web.py {stamp} -->\n" + "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

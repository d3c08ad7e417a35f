"""Which stored matches a digest sends: a source's first complete crawl is its baseline (what it
stored until then is alerted only when published within the 7-day window), every match stored
after it is alerted once whatever its date, and a channel added later gets the window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import alerts
from crawler.digest import DigestConfig, run_digest
from crawler.storage import CrawlRun, add_articles, ensure_source, open_database
from tests.servers import Hook

NOW = datetime.now(UTC)


@pytest.fixture
def hook():
    server = Hook()
    yield server
    server.close()


def _run(session, source_id: int, finished: datetime, complete: bool) -> None:
    session.add(CrawlRun(source_id=source_id, started_at=finished - timedelta(minutes=5), finished_at=finished,
                         finish_reason="finished", stats={"jajak/crawl/complete": complete}))


def _article(source_id: int, slug: str, *, found: timedelta, published: timedelta | None) -> dict:
    title = f"Pemkot {slug.title()} Jajaki Kerja Sama Sister City dengan Kota Kawasaki Jepang"
    return {
        "source_id": source_id, "url": f"http://{slug}.example/", "title": title,
        "text": f"{title}. " + " ".join(f"{slug}{i}" for i in range(30)), "match": True, "score": 0.9,
        "first_seen_at": NOW - found, "published": None if published is None else NOW - published,
    }


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'jajak.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    with open_database(url).begin() as session:
        old = ensure_source(session, "lama", "http://lama.example/")  # baseline done 3 hours ago
        _run(session, old.id, NOW - timedelta(hours=3), complete=True)
        new = ensure_source(session, "baru", "http://baru.example/")  # no complete crawl yet
        _run(session, new.id, NOW - timedelta(hours=2), complete=False)
        long_ago = ensure_source(session, "tua", "http://tua.example/")  # baseline 20 days ago
        _run(session, long_ago.id, NOW - timedelta(days=20), complete=True)
        add_articles(session, [
            _article(old.id, "recent", found=timedelta(hours=4), published=timedelta(days=2)),
            _article(old.id, "backfill", found=timedelta(hours=4), published=timedelta(days=30)),
            _article(old.id, "undated", found=timedelta(hours=4), published=None),
            _article(old.id, "late", found=timedelta(hours=1), published=timedelta(days=30)),
            _article(new.id, "first", found=timedelta(hours=1), published=timedelta(days=30)),
            _article(new.id, "fresh", found=timedelta(hours=1), published=timedelta(days=1)),
            _article(long_ago.id, "stale", found=timedelta(days=10), published=timedelta(days=10)),
            _article(long_ago.id, "century", found=timedelta(days=2), published=timedelta(days=100)),
        ])
    return url


def _sent(hook: Hook) -> set[str]:
    text = "\n".join(body["message"] for _, body in hook.posts)
    slugs = ("recent", "backfill", "undated", "late", "first", "fresh", "stale", "century")
    return {slug for slug in slugs if f"Pemkot {slug.title()} " in text}


def test_baseline_and_window(database, hook, tmp_path):
    config = DigestConfig(database_url=database, sources_file=str(tmp_path / "none.yaml"),
                          channels=tuple(alerts.load_channels(f"json://{hook.url}/hook")))

    report = run_digest(config)[0]

    # baseline: within 7 days of being stored (undated: its first-seen time); after: any date;
    # found 10 days ago: outside the window a channel added now gets.
    assert _sent(hook) == {"recent", "undated", "late", "fresh", "century"}
    late = hook.posts[0][1]["message"].split("Pemkot Late ")[1].split("\n\n")[0]
    assert "(terbit 30 hari lalu)" in late
    assert report.sent == 5
    assert run_digest(config)[0].stories == 0


def test_without_a_window_every_match_is_sent(database, hook, tmp_path):
    config = DigestConfig(database_url=database, sources_file=str(tmp_path / "none.yaml"),
                          channels=tuple(alerts.load_channels(f"json://{hook.url}/hook")), max_age=None)
    run_digest(config)
    assert len(_sent(hook)) == 8


# --- a republication of a story already sent -----------------------------------------------------

RELEASE = (
    "Pemerintah Kota Bengkulu dan Kota Kawasaki, Jepang, menjajaki kerja sama di bidang pengelolaan "
    "sampah dan pelatihan tenaga kesehatan. Penjajakan itu dibahas dalam pertemuan di Balai Kota "
    "Bengkulu yang dihadiri sekretaris daerah, kepala dinas lingkungan hidup, dan perwakilan "
    "kedutaan. Wali kota menyebut Kawasaki berpengalaman mengolah sampah menjadi energi listrik."
)


def _outlet(url: str, name: str, number: int, title: str, text: str = RELEASE) -> None:
    with open_database(url).begin() as session:
        source = ensure_source(session, name, f"http://{name}.example/")
        add_articles(session, [{
            "source_id": source.id, "url": f"http://{name}.example/{number}", "title": title,
            "text": f"({name.upper()}) {text}", "match": True, "score": 0.9, "stage": "exploring",
            "published": NOW - timedelta(hours=number),
        }])


def test_a_republication_of_a_sent_story_is_one_update_naming_the_new_outlet(tmp_path, hook):
    url = f"sqlite:///{tmp_path / 'jajak.db'}"
    config = DigestConfig(database_url=url, sources_file=str(tmp_path / "none.yaml"), max_age=None,
                          channels=tuple(alerts.load_channels(f"json://{hook.url}/hook")))
    _outlet(url, "kabarbengkulu", 1, "Bengkulu Jajaki Kerja Sama Pengelolaan Sampah dengan Kawasaki")
    run_digest(config)
    _outlet(url, "rilisnews", 2, "Rilis: Pemkot Bengkulu-Kawasaki Jajaki Kerja Sama Sampah")
    _outlet(url, "other", 3, "Unras dan RSUD Teken Kerja Sama Pendidikan Klinis Mahasiswa Kedokteran",
            "Universitas Rafflesia dan RSUD menandatangani perjanjian kerja sama.")  # unrelated, same day

    second = run_digest(config)[0]
    third = run_digest(config)[0]

    first, update = (body["message"] for _, body in hook.posts)
    assert first.startswith("jajak digest: 1 new partnership story")
    assert update.startswith("jajak digest: 1 new partnership story, 1 update")
    entry = update.split("2. Update: ")[1]
    assert entry.startswith("Bengkulu Jajaki Kerja Sama Pengelolaan Sampah dengan Kawasaki\n")
    assert "Also reported by rilisnews · " in entry and "http://rilisnews.example/2" in entry
    assert "Rilis: Pemkot" not in update and "1. Unras dan RSUD" in update
    assert second.sent == 2 and third.stories == 0

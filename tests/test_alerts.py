"""alerts/ as pure functions: story grouping, ordering, rendering, Telegram splitting, escaping,
channel parsing and secret masking. No database, no network."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

import alerts
from alerts import DigestInfo, MatchedArticle, group_stories, render, render_telegram

NOW = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)
TG_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"

RELEASE = (
    "Pemerintah Kota Bengkulu dan Kota Kawasaki, Jepang, menjajaki kerja sama di bidang pengelolaan "
    "sampah dan pelatihan tenaga kesehatan. Penjajakan itu dibahas dalam pertemuan di Balai Kota "
    "Bengkulu yang dihadiri sekretaris daerah, kepala dinas lingkungan hidup, dan perwakilan "
    "kedutaan. Wali kota menyebut Kawasaki berpengalaman mengolah sampah menjadi energi listrik dan "
    "siap berbagi teknologi. Tindak lanjut pertemuan berupa penyusunan surat minat yang ditargetkan "
    "rampung bulan depan sebelum dibahas bersama DPRD."
)
OTHER = (
    "Universitas Rafflesia dan RSUD Kota Bengkulu menandatangani perjanjian kerja sama pendidikan "
    "klinis bagi mahasiswa kedokteran. Rumah sakit menjadi wahana praktik selama lima tahun dengan "
    "pembagian tugas dosen klinis dan standar pembimbingan yang disepakati kedua pihak."
)


def article(id_: int, title: str, text: str = RELEASE, *, source: str = "kabarbengkulu",
            stage: str | None = "exploring", score: float = 0.9, hours: int = 0,
            **extra: object) -> MatchedArticle:
    return MatchedArticle(
        id=id_, url=f"https://{source}.example/berita/{id_}", title=title, text=text, source=source,
        published=datetime(2025, 3, 5, 3, 0, tzinfo=UTC) + timedelta(hours=hours), score=score,
        stage=stage, **extra,  # type: ignore[arg-type]
    )


INFO = DigestInfo(period_start=NOW - timedelta(days=7), period_end=NOW, sources_crawled=3,
                  sources_healthy=2, sources_total=3)


# --- grouping and ordering ----------------------------------------------------------------------


def test_stories_from_stored_pairs_are_group_stories_ones():
    original = article(7, "Bengkulu Jajaki Kerja Sama Pengelolaan Sampah dengan Kawasaki")
    copy_ = article(3, "Pemkot Bengkulu-Kawasaki Jajaki Kerja Sama Sampah", source="rilisnews", hours=2)
    unrelated = article(9, "Unras Teken PKS dengan RSUD", OTHER, stage="signed")
    articles = [original, copy_, unrelated]

    # (3, 7) as crawler.storage.links keeps it; (9, 40) names an article not given: left out.
    linked = alerts.group_linked(articles, [(7, 3), (40, 9)])

    assert linked == group_stories(articles)
    assert sorted(s.article_ids for s in linked) == [(3, 7), (9,)]
    assert alerts.group_linked(articles, []) == group_stories(articles, threshold=1.01)


def test_a_shingle_key_is_a_signed_64_bit_number_the_same_in_every_process():
    assert alerts.shingle_key(("kerja", "sama", "kota")) == alerts.shingle_key(("kerja", "sama", "kota"))
    assert alerts.shingle_key(("kerja", "sama", "kota")) != alerts.shingle_key(("kerja", "sama", "desa"))
    assert alerts.shingle_key(("a", "b", "c")) == 3516195607690045812
    assert all(-(2**63) <= alerts.shingle_key((w,)) < 2**63 for w in ("a", "b", "kerja"))


def test_republished_release_from_two_outlets_is_one_story():
    original = article(7, "Bengkulu Jajaki Kerja Sama Pengelolaan Sampah dengan Kawasaki",
                       parties=("Pemerintah Kota Bengkulu",), sectors=("lingkungan",))
    copy_ = article(3, "Pemkot Bengkulu-Kawasaki Jajaki Kerja Sama Sampah", source="rilisnews",
                    text="(Rilis) " + RELEASE.replace("bulan depan", "pada Mei"), hours=2,
                    parties=("Kota Kawasaki (Jepang)",), sectors=("lingkungan", "kesehatan"))
    unrelated = article(9, "Unras Teken PKS dengan RSUD", OTHER, stage="signed")

    stories = group_stories([original, copy_, unrelated])

    assert len(stories) == 2
    story = next(s for s in stories if len(s.articles) == 2)
    assert story.key == "story-3"  # the smallest article id: the same in every process
    assert story.lead is original  # first published
    assert story.outlets == (("kabarbengkulu", original.url), ("rilisnews", copy_.url))
    assert story.parties == ("Pemerintah Kota Bengkulu", "Kota Kawasaki (Jepang)")
    assert story.sectors == ("lingkungan", "kesehatan")
    assert story.article_ids == (3, 7)


def test_similarity_of_shingles():
    same = alerts.shingles(RELEASE)
    assert alerts.jaccard(same, alerts.shingles(RELEASE.upper())) == 1.0
    assert alerts.jaccard(same, alerts.shingles(OTHER)) < 0.05
    assert alerts.jaccard(same, frozenset()) == 0.0


def test_signed_and_exploring_first_then_score():
    texts = [f"{OTHER} Nomor {n} {'kata ' * n}{n * 'x'}" for n in range(5)]
    stories = group_stories([
        article(1, "Negosiasi", texts[0], stage="negotiating", score=1.0),
        article(2, "Jajaki rendah", RELEASE, stage="exploring", score=0.6),
        article(3, "Diteken", "Kedua pihak menandatangani MoU di Jakarta hari ini.", stage="signed", score=0.7),
        article(4, "Tanpa tahap", "Berita lain tentang pertemuan dua daerah.", stage=None, score=1.0),
        article(5, "Jajaki tinggi", "Wali kota menjajaki kerja sama dengan Daegu.", stage="exploring", score=0.95),
        article(6, "Perpanjang", "Sister city diperpanjang lima tahun.", stage="renewed", score=0.8),
    ])
    assert [s.title for s in stories] == [
        "Diteken", "Jajaki tinggi", "Jajaki rendah", "Perpanjang", "Negosiasi", "Tanpa tahap",
    ]


# --- rendering ----------------------------------------------------------------------------------

EVIL = article(11, "Pemkot <script>alert(1)</script> & *Kawasaki* [MoU]",
               evidence='Kerja sama "kota kembar" <b>disepakati</b>.', parties=("A & B",))


def test_text_digest_has_header_and_every_field():
    stories = group_stories([EVIL, article(12, "Unras Teken PKS", OTHER, stage="signed", timezone="Asia/Makassar")])
    text = render(stories, INFO, "text")

    assert text.startswith("jajak digest: 2 new partnership stories\n")
    assert "Period: 15 Nov 2026 08:00 WIB – 22 Nov 2026 08:00 WIB" in text
    assert "Sources: 3 crawled, 2/3 healthy" in text
    assert "1. Unras Teken PKS\n   signed · score 0.90 · 5 Mar 2025 11:00 WITA" in text
    assert "2. Pemkot <script>alert(1)</script> & *Kawasaki* [MoU]" in text  # text is text
    assert 'Evidence: "Kerja sama "kota kembar" <b>disepakati</b>."' in text
    assert EVIL.url in text


def test_an_old_story_says_how_long_ago_it_was_published():
    stories = group_stories([article(12, "Unras Teken PKS", OTHER, stage="signed")])
    recent = DigestInfo(period_start=None, period_end=stories[0].published + timedelta(days=1, hours=20),
                        sources_crawled=1, sources_healthy=1, sources_total=1)

    assert "5 Mar 2025 10:00 WIB (terbit 626 hari lalu)\n   Outlets:" in render(stories, INFO, "text")
    assert "(terbit 626 hari lalu)\nOutlets:" in render_telegram(stories, INFO)[0].body
    assert "terbit" not in render(stories, recent, "text") + render(stories, recent, "html")


def test_html_escapes_all_article_text():
    html = render(group_stories([EVIL]), INFO, "html")

    assert "<script>" not in html and "<b>disepakati" not in html
    assert "Pemkot &lt;script&gt;alert(1)&lt;/script&gt; &amp; *Kawasaki*" in html
    assert "&lt;b&gt;disepakati&lt;/b&gt;" in html and "A &amp; B" in html
    assert html.startswith("<!DOCTYPE html>")


def test_markdown_escapes_markup():
    md = render(group_stories([EVIL]), INFO, "markdown")

    assert r"Pemkot \<script\>alert(1)\</script\> & \*Kawasaki\* \[MoU\]" in md
    assert f"]({EVIL.url})" in md


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="unknown digest format"):
        render([], INFO, "pdf")


def test_subject_and_heartbeat():
    stories = group_stories([EVIL])
    assert alerts.subject(stories, INFO) == "jajak digest: 1 new partnership story (15 Nov 2026 – 22 Nov 2026)"
    assert alerts.heartbeat(INFO).startswith("no new partnership talks; 2/3 sources healthy")


@pytest.mark.parametrize(("zone", "expected"), [
    ("Asia/Jakarta", "5 Mar 2025 10:00 WIB"),
    ("Asia/Makassar", "5 Mar 2025 11:00 WITA"),
    ("Asia/Jayapura", "5 Mar 2025 12:00 WIT"),
])
def test_times_are_shown_in_the_sources_zone(zone, expected):
    assert alerts.format_when(datetime(2025, 3, 5, 3, 0, tzinfo=UTC), zone) == expected


# --- Telegram splitting -------------------------------------------------------------------------


def _many(count: int) -> list[MatchedArticle]:
    return [
        article(n, f"Cerita nomor {n}: Kota {n} Jajaki Kerja Sama", f"Isi unik {n} " + "lorem " * n,
                evidence=f"Kalimat bukti {n} " + "panjang " * 30, parties=("Pemkot A", "Pemkot B"),
                sectors=("kesehatan",), score=1.0 - n / 1000)
        for n in range(1, count + 1)
    ]


def test_telegram_splits_between_entries_under_the_limit():
    stories = group_stories(_many(40))
    parts = render_telegram(stories, INFO)

    assert len(parts) > 2
    assert all(len(part.body) < alerts.TELEGRAM_LIMIT for part in parts)
    assert [key for part in parts for key in part.story_keys] == [s.key for s in stories]
    for number, part in enumerate(parts, start=1):
        assert part.body.startswith("<b>jajak digest: 40 new partnership stories</b>")
        assert f"({number}/{len(parts)})" in part.body.splitlines()[0]
        for key in part.story_keys:  # every entry entirely inside the part that carries it
            story = next(s for s in stories if s.key == key)
            assert story.title in part.body and story.evidence.split()[2] in part.body


def test_telegram_fits_small_limits_and_escapes():
    parts = render_telegram(group_stories([EVIL]), INFO, limit=1200)
    assert len(parts) == 1 and "(1/" not in parts[0].body
    assert "&lt;script&gt;" in parts[0].body and "<script>" not in parts[0].body
    assert f'<a href="{EVIL.url}">' in parts[0].body


def test_story_with_many_outlets_is_trimmed_not_split():
    outlets = [article(n, "Sama", RELEASE, source=f"outlet{n}" + "x" * 40) for n in range(30)]
    story = alerts.make_story(outlets)
    parts = render_telegram([story], INFO, limit=1500)
    assert len(parts) == 1 and len(parts[0].body) < 1500
    assert "more)" in parts[0].body


# --- channels and secrets -----------------------------------------------------------------------


@pytest.mark.parametrize(("url", "masked"), [
    (f"tgram://{TG_TOKEN}/987654321", "tgram://123456789:****/987654321"),
    ("mailtos://redaksi:app-pass-2025@smtp.gmail.com?to=tim@example.com",
     "mailtos://redaksi:****@smtp.gmail.com?to=tim@example.com"),
    ("json://127.0.0.1:8080/hook?+X-Token=abc123secret", "json://127.0.0.1:8080/hook?+X-Token=****"),
    ("mailtos://smtp.example.com?user=me&pass=rahasia99&to=a@b.id",
     "mailtos://smtp.example.com?user=me&pass=****&to=a@b.id"),
    ("discord://4174216298/JHMHI8qBe7bk2ZwO5U711o3dV_js", "discord://4174216298/****"),
    ("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ", "slack://****/****/****"),
])
def test_mask_url(url, masked):
    assert alerts.mask_url(url) == masked


def test_split_urls_keeps_recipient_lists_together():
    assert alerts.split_urls(" mailto://h?to=a@x.id,b@x.id, json://h/x\ntgram://1:AB/2 ") == [
        "mailto://h?to=a@x.id,b@x.id", "json://h/x", "tgram://1:AB/2",
    ]


def test_channels_from_notify():
    channels = alerts.parse_notify(f"tgram://{TG_TOKEN}/987654321, mailto://127.0.0.1:2525?from=j@x.id&to=r@x.id json://127.0.0.1:9/h")
    assert [c.kind for c in channels] == ["telegram", "email", "other"]
    assert all(TG_TOKEN.split(":")[1] not in c.key + c.display + repr(c) for c in channels)
    assert len({c.key for c in channels}) == 3
    assert alerts.parse_notify(f"tgram://{TG_TOKEN}/987654321")[0].key == channels[0].key


def test_invalid_url_is_named_masked(caplog):
    with pytest.raises(alerts.ChannelError) as error:
        alerts.parse_notify("json://127.0.0.1:9/ok nosuch://redaksi:hunter2-rahasia@mail.example.com")
    assert str(error.value) == (
        "JAJAK_NOTIFY: invalid or unsupported Apprise URL nosuch://redaksi:****@mail.example.com"
    )
    assert "hunter2-rahasia" not in caplog.text


def test_apprise_log_lines_are_scrubbed(caplog):
    bad_token = "123456789:AAH$$secret-token-value"
    with caplog.at_level(logging.DEBUG, logger="apprise"), pytest.raises(alerts.ChannelError) as error:
        alerts.parse_notify(f"tgram://{bad_token}/987654321")
    assert "secret-token-value" not in str(error.value)
    assert caplog.records  # Apprise said why it refused the URL...
    assert "secret-token-value" not in caplog.text  # ...without the token
    logging.getLogger("apprise").warning("token was %s", "AAH$$secret-token-value")
    assert "token was AAH$$secret" in caplog.text  # nothing left behind on Apprise's logger


def test_the_secret_filter_made_from_the_configuration_masks_any_logger(tmp_path):
    config = tmp_path / "apprise.yml"
    config.write_text("version: 1\nurls:\n  - mailtos://redaksi:app-pass-2025@smtp.example.com\n",
                      encoding="utf-8")
    secrets = alerts.SecretFilter(["db-password"])
    secrets.add(alerts.url_secrets(f"tgram://{TG_TOKEN}/987654321", config))
    record = logging.LogRecord("urllib3", logging.DEBUG, __file__, 1, "POST /bot%s/sendMessage %s %s",
                               (TG_TOKEN, "app-pass-2025", "db-password"), None)

    assert secrets.filter(record)
    assert record.getMessage() == "POST /bot123456789:****/sendMessage **** ****"
    assert alerts.url_secrets("", tmp_path / "missing.yml") == set()


def test_a_channel_carries_its_secrets_and_apprise_logs_none_of_them_while_sending(caplog):
    # No network here: the Telegram API's name does not resolve, after Apprise logged its URL.
    (channel,) = alerts.parse_notify(f"tgram://{TG_TOKEN}/987654321?cto=1")
    secret = TG_TOKEN.split(":")[1]

    with caplog.at_level(logging.DEBUG, logger="apprise"):
        outcome = alerts.send_one(channel, alerts.TEST_MESSAGE)

    assert channel.secrets == (secret,) and secret not in repr(channel)
    assert not outcome.ok and secret not in outcome.error
    assert "/bot123456789:****/" in caplog.text and secret not in caplog.text


def test_config_file_with_tags(tmp_path):
    yaml_file = tmp_path / "apprise.yml"
    yaml_file.write_text(
        "version: 1\nurls:\n"
        f"  - tgram://{TG_TOKEN}/987654321:\n      - tag: redaksi\n"
        "  - mailto://127.0.0.1:2525?from=j@x.id&to=r@x.id:\n      - tag: humas, weekly\n",
        encoding="utf-8",
    )
    text_file = tmp_path / "apprise.txt"
    text_file.write_text("# channels\nredaksi, ops = json://127.0.0.1:9/a\njson://127.0.0.1:9/b\n",
                         encoding="utf-8")

    from_yaml = alerts.load_config(yaml_file)
    from_text = alerts.load_config(text_file)

    assert {c.kind: c.tags for c in from_yaml} == {
        "telegram": frozenset({"redaksi"}), "email": frozenset({"humas", "weekly"}),
    }
    assert [c.kind for c in alerts.select(from_yaml, "weekly")] == ["email"]
    assert "****" in next(c.display for c in from_yaml if c.kind == "telegram")
    assert sorted(sorted(c.tags) for c in from_text) == [[], ["ops", "redaksi"]]
    assert alerts.select(from_text, None) == from_text


def test_config_file_with_bad_url_names_file_and_entry(tmp_path):
    config = tmp_path / "apprise.yml"
    config.write_text("version: 1\nurls:\n  - json://127.0.0.1:9/a\n  - nosuch://u:pw-secret-9@h\n",
                      encoding="utf-8")
    with pytest.raises(alerts.ChannelError, match=r"apprise.yml: entry 2: .*nosuch://u:\*\*\*\*@h"):
        alerts.load_config(config)
    with pytest.raises(alerts.ChannelError, match="cannot read"):
        alerts.load_config(tmp_path / "missing.yml")


# --- composing messages for each kind of channel --------------------------------------------------


def test_compose_per_channel_kind():
    stories = group_stories(_many(30))
    telegram, mail, hook = alerts.parse_notify(
        f"tgram://{TG_TOKEN}/987654321 mailto://127.0.0.1:2525?from=j@x.id&to=r@x.id json://127.0.0.1:9/h"
    )

    tg_messages = alerts.compose(telegram, stories, INFO)
    (mail_message,) = alerts.compose(mail, stories, INFO)
    (hook_message,) = alerts.compose(hook, stories, INFO)

    assert len(tg_messages) > 1 and all(m.title == "" and m.body_format == "html" for m in tg_messages)
    assert mail_message.body_format == "html" and mail_message.title.startswith("jajak digest: 30")
    assert hook_message.body_format == "text" and len(hook_message.story_keys) == 30


def test_unreachable_service_is_a_failed_outcome():
    (channel,) = alerts.parse_notify("json://127.0.0.1:9/unreachable")  # nothing listens on port 9
    first, second = alerts.send(channel, [alerts.Message("t", "b", "text", ("story-1",)),
                                          alerts.Message("t", "c", "text", ("story-2",))])
    assert first.ok is False and "Connection error" in (first.error or "")
    assert second.ok is False and second.error == first.error  # not tried after a failure


@pytest.mark.parametrize(("zone", "label", "offset"), [
    ("Asia/Jakarta", "WIB", "+07:00"),
    ("Asia/Makassar", "WITA", "+08:00"),
    ("Asia/Jayapura", "WIT", "+09:00"),
    ("Europe/Berlin", "CET", "+01:00"),  # another zone: its own abbreviation
    ("UTC", "UTC", "+00:00"),
])
def test_times_are_labelled_for_people_and_carry_their_offset_for_machines(zone, label, offset):
    from alerts import format_iso, format_when

    when = datetime(2026, 12, 5, 4, 30, tzinfo=UTC)

    assert format_when(when, zone).endswith(f":30 {label}")
    iso = format_iso(when, zone)
    assert iso.endswith(offset) and datetime.fromisoformat(iso) == when
    assert format_iso(None, zone) is None


def test_grouping_compares_only_pairs_that_can_reach_the_threshold_and_misses_none():
    # Prefix filtering must find exactly the pairs that comparing every pair finds.
    import random

    from alerts.stories import _candidate_pairs, jaccard, shingles

    rng = random.Random(14)
    words = ["kerja", "sama", "pemkot", "bandung", "teken", "mou", "air", "bersih", "pelatihan", "guru", "kota"]
    texts = []
    for _ in range(120):
        base = [rng.choice(words) for _ in range(rng.randint(0, 25))]
        texts.append(" ".join(base))
        for _ in range(rng.randint(0, 2)):  # near copies, as outlets republish a release
            copy_ = [rng.choice(words) if rng.random() < 0.2 else w for w in base]
            texts.append(" ".join(copy_))
    signatures = [shingles(t) for t in texts]
    for threshold in (0.0, 0.2, 0.4, 0.8, 1.0):
        every = {(i, j) for j in range(len(texts)) for i in range(j)
                 if jaccard(signatures[i], signatures[j]) >= threshold}
        found = {(i, j) for i, j in _candidate_pairs(signatures, threshold)
                 if jaccard(signatures[i], signatures[j]) >= threshold}
        assert found == every, threshold

"""Article bodies on awkward markup: the block chosen by evidence, split parts joined, outlet
datelines moved to `lead`, CSS/JS and widget text dropped, trafilatura as a measured check."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from crawler.extract import extract
from crawler.extract.blocks import choose_blocks
from crawler.extract.body import choose_text
from crawler.extract.clean import is_clutter
from crawler.extract.core import parse_html
from crawler.extract.lead import split_dateline, take_lead
from crawler.extract.paragraphs import block_lines
from crawler.extract.widgets import is_code, is_widget
from crawler.items import ArticleItem
from crawler.pipelines import ExtractPipeline

PAGES = Path(__file__).parent / "pages"
BODIES = json.loads((PAGES / "bodies.json").read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("name", sorted(BODIES))
def test_body_page(name: str) -> None:
    exp = BODIES[name]
    got = extract((PAGES / name).read_bytes(), exp["url"])
    paragraphs = [_norm(p) for p in got.text.split("\n\n")]
    assert got.title == exp["title"]
    assert got.is_article
    assert got.published is not None and got.published.isoformat() == exp["published"]
    assert got.lead == exp["lead"]
    assert paragraphs[0] == _norm(exp["first"])
    assert paragraphs[-1] == _norm(exp["last"])
    for snippet in exp["with"]:
        assert snippet in got.text, snippet
    for snippet in exp["without"]:
        assert snippet not in got.text, snippet


# -- the measured rule between the fast path and trafilatura ----------------------------------

A = "Pemerintah Kota Bengkulu menjajaki kerja sama pengelolaan sampah dengan Kota Metro di Lampung."
B = "Pertemuan kedua pemerintah kota berlangsung di balai kota dan dihadiri kepala dinas lingkungan hidup."
C = "Wali kota menyebut kerja sama itu akan dituangkan dalam nota kesepahaman sebelum akhir tahun ini."
D = "Kota Metro menawarkan pelatihan pengelolaan bank sampah bagi pegawai kelurahan di Kota Bengkulu."
E = "Kedua pihak sepakat bertemu kembali bulan depan untuk membahas rancangan naskah kerja sama tersebut."
OTHER = [f"Paragraf panjang nomor {n} tentang topik lain yang sama sekali berbeda dari berita utama ini."
         for n in range(8)]


@pytest.mark.parametrize(
    ("fast", "other", "left_out", "want", "reason"),
    [
        # trafilatura's prose counts where the fast path saw it and left it out ...
        ([B, C, D, E], [A, B, C, D, E], (A,), [A, B, C, D, E], "first_sentence"),
        ([A, B, D, E], [A, B, C, D, E], (C,), [A, B, C, D, E], "longer"),  # a part between parts
        ([B, C, D], [A, B, D], (A,), [A, B, C, D], "first_sentence"),  # fast lines trafilatura lost stay
        ([A, B], OTHER, tuple(OTHER), OTHER, "other_block"),  # a bigger body the fast path passed over
        # ... and nowhere else
        ([A, B], [A, B, C, D, E], (), [A, B], None),
        ([B, C, D, E], [A, B, C, D, E], (), [B, C, D, E], None),
        ([A, B], OTHER, (), [A, B], None),
        ([B, C, D, E], [B, C, D, E], (A,), [B, C, D, E], None),  # trafilatura does not read A
        ([A, B, C], ["Berita Lainnya", "Judul Teaser Pertama", "Judul Teaser Kedua"], (), [A, B, C], None),
        # a fast path without prose (a section label, a link list) gives way
        (["Ekonomi"], [A, B, C], (), [A, B, C], "no_prose"),
    ],
)
def test_choose_text(fast: list[str], other: list[str], left_out: tuple[str, ...], want: list[str],
                     reason: str | None) -> None:
    assert choose_text(fast, other, left_out) == (want, reason)


def _page(body: str, title: str = "Kota Bengkulu Jajaki Kerja Sama Sampah dengan Kota Metro") -> str:
    return (f"<html lang='id'><head><title>{title}</title></head><body><div class='main'>"
            f"<h1>{title}</h1>{body}</div></body></html>")


def _choose(html: str) -> tuple[list[str], str | None]:
    tree = parse_html(html)
    choice = choose_blocks(tree.find("body"), tree.find(".//h1"))
    assert choice is not None
    return block_lines(choice.blocks), choice.doubt


def test_teaser_list_never_wins_over_the_article() -> None:
    teasers = "".join(
        f"<p><a href='/b/{n}'>Judul berita lain nomor {n} tentang kota</a> Ringkasan berita lain yang panjang "
        f"dan lengkap dengan kalimat utuh tentang kegiatan warga nomor {n}.</p>" for n in range(12))
    lines, _ = _choose(_page(f"<div class='isi'><p>BENGKULU – {A}</p><p>{B}</p><p>{C}</p></div>"
                             f"<div class='list'>{teasers}</div>"))
    assert lines == [f"BENGKULU – {A}", B, C]


def test_section_label_never_wins_over_the_article() -> None:
    body = "".join(f"<div>{x}</div><div><br></div>" for x in (A, B, C, D))
    lines, _ = _choose(_page(f"<div class='post-body'><p><b>Ekonomi</b></p>{body}</div>"))
    assert lines[1:] == [A, B, C, D]  # the label goes in take_lead


def test_parts_on_one_page_are_joined_in_order() -> None:
    page = _page(f"<div class='wrap'><div class='part'><p>{A}</p><p>{B}</p><p>{C}</p><p>{D}</p></div>"
                 f"<div class='pager'>Halaman 2 dari 2</div><div class='part'><p>{E}</p></div></div>")
    lines, doubt = _choose(page)
    assert lines == [A, B, C, D, E] and doubt is None


def test_loose_first_paragraph_is_read() -> None:
    lines, _ = _choose(_page(f"<div class='isi'><strong>Situs.com</strong> – Bengkulu, {A}"
                             f"<p>{B}</p><p>{C}</p><p>{D}</p></div>"))
    assert lines[0] == f"Situs.com – Bengkulu, {A}"


def test_inline_script_and_style_are_not_text() -> None:
    page = _page(f"<div class='isi'><p>{A}<script>var x = 1; googletag.cmd.push(function(){{}});</script></p>"
                 f"<p><style>.x{{color:red}}</style>{B}</p><p>{C}</p></div>")
    got = extract(page, "https://kota.test/berita/kota-bengkulu-jajaki/")
    assert got.text.split("\n\n") == [A, B, C]


@pytest.mark.parametrize(
    "line",
    [
        "#gallery-1 { margin: auto; } #gallery-1 .gallery-item { float: left; width: 33%; }",
        ".iklan{display:none}",
        "(adsbygoogle = window.adsbygoogle || []).push({});",
        "var _ads = _ads || []; _ads.push({ slot: 'tengah' });",
        "googletag.cmd.push(function() { googletag.display('div-gpt-ad-1'); });",
    ],
)
def test_code_line_is_dropped(line: str) -> None:
    assert is_code(line) and is_clutter(line)


@pytest.mark.parametrize(
    "line",
    [
        "Rate artikel ini", "Beri nilai artikel ini:", "Like (0)", "Like (0) Dislike (0)", "Suka (12)",
        "Senang 0 Terkejut 0 Sedih 0 Marah 0", "Bagaimana reaksi Anda?", "★ ★ ★ ★ ★", "(0 suara)",
        "Load More...", "Muat lebih banyak", "No More Posts Available.", "Loading...",
        "Share on Facebook", "Tweet", "Kirim via WhatsApp", "Berbagi ke Twitter", "Salin tautan",
        "— Wali Kota Bengkulu (@walikotabkl) 18 Juli 2025",
        "Terima kasih atas sambutannya. pic.twitter.com/AbCdEf12",
        "Lihat postingan ini di Instagram", "Sebuah kiriman dibagikan oleh Pemkot Bengkulu (@pemkotbengkulu)",
        "A post shared by Kota Bengkulu (@kotabengkulu)", "Baca halaman berikutnya", "Halaman 2 / 3",
        "Halaman selanjutnya", "Lanjutkan membaca", "Dengarkan artikel ini", "Waktu baca 3 menit",
        "Dapatkan update berita pilihan dan breaking news setiap hari dari Situs.com. Mari bergabung di "
        "Grup Telegram \"Situs News Update\", kemudian join.",
        "Simak breaking news dan berita pilihan kami langsung di ponselmu. Pilih saluran andalanmu akses "
        "berita Situs.com WhatsApp Channel.",
    ],
)
def test_widget_line_is_dropped(line: str) -> None:
    assert is_widget(line) and is_clutter(line)


@pytest.mark.parametrize(
    "line",
    [
        "Warga diminta memberi rating layanan puskesmas melalui aplikasi yang disiapkan dinas kesehatan.",
        "Wali kota mengaku suka (dan bangga) dengan hasil kerja sama kedua kota selama lima tahun.",
        "Pemkot akan membagikan bantuan ke warga melalui kelurahan masing-masing mulai pekan depan.",
        "Ia menulis di akun media sosialnya bahwa pertemuan berjalan hangat dan penuh kekeluargaan.",
        "Kerja sama itu berlaku untuk periode 2025–2030 di bidang kesehatan dan pendidikan.",
        "Menurut dia, fungsi koordinasi (rapat bulanan) tetap berjalan seperti biasa.",
    ],
)
def test_article_line_is_kept(line: str) -> None:
    assert not is_widget(line) and not is_code(line) and not is_clutter(line)


@pytest.mark.parametrize(
    ("paragraph", "lead", "rest"),
    [
        ("Selatanpos.com – Manna, Pemerintah Kabupaten Bengkulu Selatan menyepakati riset.",
         "Selatanpos.com – Manna", "Pemerintah Kabupaten Bengkulu Selatan menyepakati riset."),
        ("SITUS.COM - Kota Bengkulu, Pemerintah kota membuka pasar murah.", "SITUS.COM - Kota Bengkulu",
         "Pemerintah kota membuka pasar murah."),
        ("Situs.id – BENGKULU SELATAN, Warga menanam mangrove.", "Situs.id – BENGKULU SELATAN",
         "Warga menanam mangrove."),
        ("Situs.com - Wali Kota Bengkulu, Dedy Wahyudi, meninjau pasar.", "Situs.com",
         "Wali Kota Bengkulu, Dedy Wahyudi, meninjau pasar."),
        ("Situs.com – Sementara, warga masih menunggu bantuan.", "Situs.com",
         "Sementara, warga masih menunggu bantuan."),
        ("BENGKULU, SITUS.ID–Pemerintah provinsi menggelar rapat.", "BENGKULU, SITUS.ID",
         "Pemerintah provinsi menggelar rapat."),
        ("Kabarbukit – Pemerintah Kabupaten Kepahiang membuka lelang.", "Kabarbukit",
         "Pemerintah Kabupaten Kepahiang membuka lelang."),
    ],
)
def test_outlet_dateline_goes_to_lead_and_the_sentence_stays(paragraph: str, lead: str, rest: str) -> None:
    assert split_dateline(paragraph) == (lead, rest)


@pytest.mark.parametrize(
    ("lines", "lead", "text"),
    [
        (["KEPAHIANG, KABARBUKIT.ID –", A, B], "KEPAHIANG, KABARBUKIT.ID", [A, B]),
        (["Ekonomi", f"BINTUHAN - {A}", B], "BINTUHAN", [A, B]),
        (["EKSKLUSIF", "Situs.com", A], "Situs.com", [A]),
        (["Singkat saja"], None, ["Singkat saja"]),
        ([A, B], None, [A, B]),
    ],
)
def test_take_lead(lines: list[str], lead: str | None, text: list[str]) -> None:
    assert take_lead(lines) == (lead, text)


# -- crawl stats ---------------------------------------------------------------------------------


def _item(name: str) -> ArticleItem:
    url = BODIES[name]["url"]
    return ArticleItem(source="test", fetched_url=url, html=(PAGES / name).read_text(encoding="utf-8"),
                       url=url, fetched_at=datetime.now(UTC), discovered_via="feed")


def test_crawl_stats_count_checks_and_fallbacks() -> None:
    crawler = get_crawler(settings_dict={"JAJAK_WORKER_PROCESSES": 0})
    stage = ExtractPipeline.from_crawler(crawler)
    sure = asyncio.run(stage.process_item(_item("body_widgets.html")))
    assert sure.is_article
    assert crawler.stats.get_value("jajak/extract/checked") is None
    doubtful = asyncio.run(stage.process_item(_item("body_split_lead.html")))
    assert doubtful.text.startswith(BODIES["body_split_lead.html"]["first"])
    assert crawler.stats.get_value("jajak/extract/checked") == 1
    assert crawler.stats.get_value("jajak/extract/fallback/first_sentence") == 1


def test_comment_list_and_amp_widgets_are_not_the_body() -> None:
    comments = "".join(f"<div class='komen-item'><p>Komentar pembaca nomor {n} yang panjang sekali dan "
                       f"berisi pendapat pribadi tentang kerja sama kedua kota ini.</p></div>" for n in range(20))
    page = _page(f"<div class='isi'><p>{A}</p><amp-social-share type='whatsapp'>Bagikan WhatsApp</amp-social-share>"
                 f"<p>{B}</p><p>{C}</p></div><div id='komen'>{comments}</div>")
    lines, _ = _choose(page)
    assert lines == [A, B, C]


def test_photo_boxes_and_hidden_blocks_are_not_text() -> None:
    photo = ("<div class='gbr'><img src='/a.jpg' alt=''><span>Wali kota menerima tamu dari Kota Metro "
             "di ruang rapat balai kota, Senin pagi.</span></div>")
    hidden = f"<div style='display: none'>{OTHER[0]}</div><div hidden>{OTHER[1]}</div>"
    lines, _ = _choose(_page(f"<div class='isi'><p>{A}</p>{photo}<p>{B}</p>{hidden}<p>{C}</p></div>"))
    assert lines == [A, B, C]

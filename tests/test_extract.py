"""Golden-page and rule tests for crawler.extract (HTML in, Extracted out)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from crawler.extract import Extracted, extract, merge_pages
from crawler.extract.clean import clean_lines, is_caption, is_clutter
from crawler.extract.lead import split_dateline

PAGES = Path(__file__).parent / "pages"
EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seed-articles"


def _run(name: str) -> Extracted:
    return extract((PAGES / name).read_bytes(), EXPECTED[name]["url"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_page(name: str) -> None:
    exp = EXPECTED[name]
    got = _run(name)
    assert got.url == exp["canonical"]
    assert got.title == exp["title"]
    assert got.is_article is exp["is_article"]
    published = got.published.isoformat() if got.published else None
    assert published == exp["published"]
    assert got.published is None or got.published.tzinfo is not None
    assert got.author == exp["author"]
    assert got.lead == exp["lead"]
    assert list(got.continuation) == exp["continuation"]
    for snippet in exp["with"]:
        assert snippet in got.text, snippet
    for snippet in exp["without"]:
        assert snippet not in got.text, snippet
    if got.is_article:
        assert got.language == "id"
        assert "\n\n" in got.text and "\n\n\n" not in got.text


def test_golden_metadata_prolite() -> None:
    got = _run("prolite_article.html")
    assert got.tags == ("Pemkot Bandung", "Hamamatsu", "kerja sama")
    assert got.section == "News"
    assert got.image == "https://prolitenews.test/wp-content/uploads/2025/02/hamamatsu-balai-kota.jpg"
    assert got.modified is not None and got.modified.isoformat() == "2025-02-07T08:05:12+07:00"
    # the text keeps the article's own order
    text = got.text
    assert text.index("Rombongan dipimpin") < text.index("Takeda menyebut") < text.index(
        "Pertemuan ditutup"
    )


def test_amp_view_equals_canonical_page() -> None:
    amp, full = _run("progres_article_amp.html"), _run("progres_article.html")
    assert amp.url == full.url
    assert amp.text == full.text
    assert amp.published == full.published


def test_bytes_and_str_give_the_same_result() -> None:
    name = "disway_page1.html"
    html = (PAGES / name).read_text(encoding="utf-8")
    assert extract(html, EXPECTED[name]["url"]) == _run(name)


def test_merge_pages_of_split_article() -> None:
    first, second = _run("disway_page1.html"), _run("disway_page2.html")
    assert first.continuation == (EXPECTED["disway_page2.html"]["url"],)
    merged = merge_pages([first, second])
    assert merged.url == first.url and merged.title == first.title
    assert merged.published == first.published and merged.lead == first.lead
    assert merged.continuation == ()
    text = merged.text
    assert text.index("Pemerintah Provinsi Bengkulu menerima") < text.index("Selain pendidikan")
    assert text.index("Selain pendidikan") < text.index("Pertemuan ditutup dengan makan malam")
    # the promo paragraph repeated on both pages appears once
    assert text.count("Ikuti terus perkembangan kerja sama") == 1
    assert "Artikel ini telah tayang" not in text


def test_merge_pages_needs_a_page() -> None:
    with pytest.raises(ValueError, match="at least one"):
        merge_pages([])


@pytest.mark.parametrize(
    ("paragraph", "lead", "rest"),
    [
        ("KOTA BANDUNG, Prolite – Pemerintah Kota Bandung menerima tamu.",
         "KOTA BANDUNG, Prolite", "Pemerintah Kota Bandung menerima tamu."),
        ("Prolite – Pemerintah Kota Bandung menerima tamu.", "Prolite",
         "Pemerintah Kota Bandung menerima tamu."),
        ("BANDUNG Prolitenews – Wali Kota meninjau pasar.", "BANDUNG Prolitenews",
         "Wali Kota meninjau pasar."),
        ("JAKARTA, PROGRES.ID  – Walikota menyambangi kedutaan.", "JAKARTA, PROGRES.ID",
         "Walikota menyambangi kedutaan."),
        ("TRIBUNJABAR.ID, BANDUNG - Wali Kota membahas sister city.", "TRIBUNJABAR.ID, BANDUNG",
         "Wali Kota membahas sister city."),
        ("BANDUNG, TEROPONGMEDIA.ID — Pemkot menandatangani MSP.", "BANDUNG, TEROPONGMEDIA.ID",
         "Pemkot menandatangani MSP."),
        ("KOTA BANDUNG (TUGUBANDUNG.ID) – Forum profesor digelar.",
         "KOTA BANDUNG (TUGUBANDUNG.ID)", "Forum profesor digelar."),
        ("Bengkulu (ANTARA) - Bupati mengajak warga introspeksi.", "Bengkulu (ANTARA)",
         "Bupati mengajak warga introspeksi."),
        ("BANDUNG,FOKUSJabar.id: Wali Kota menyapa warga.", "BANDUNG,FOKUSJabar.id",
         "Wali Kota menyapa warga."),
        ("KABARRAFFLESIA.com – Pemkot Bengkulu jalin kerjasama.", "KABARRAFFLESIA.com",
         "Pemkot Bengkulu jalin kerjasama."),
        ("CURUP, Bengkulu Ekspress - Pemprov kucurkan dana.", "CURUP, Bengkulu Ekspress",
         "Pemprov kucurkan dana."),
    ],
)
def test_dateline_is_stripped(paragraph: str, lead: str, rest: str) -> None:
    assert split_dateline(paragraph) == (lead, rest)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Wali Kota Bandung - yang akrab disapa Kang Wali - meninjau pasar.",
        "Pertemuan itu membahas kerja sama 2025 – 2030 di bidang kesehatan.",
        "Menurut dia: kerja sama harus saling menguntungkan.",
        "Kami datang untuk menjajaki kerjasama dengan kota di Jepang.",
    ],
)
def test_ordinary_sentence_keeps_its_dash(paragraph: str) -> None:
    assert split_dateline(paragraph) == (None, paragraph)


def test_dateline_only_from_first_paragraph() -> None:
    lines = ["Isi pertama tanpa dateline.", "BANDUNG, Prolite – bukan paragraf pertama."]
    html = "<html><body><article><h1>Judul Berita Kota</h1>" + "".join(
        f"<p>{line} Kalimat tambahan agar paragraf cukup panjang untuk diekstrak.</p>"
        for line in lines * 3
    ) + "</article></body></html>"
    got = extract(html, "https://contoh.test/berita/judul-berita-kota/")
    assert got.lead is None
    assert "BANDUNG, Prolite – bukan paragraf pertama." in got.text


@pytest.mark.parametrize(
    "line",
    [
        "Baca Juga: Pemkot Bandung Perkuat Layanan Kesehatan",
        "BACA JUGA: Lima Zodiak Paling Beruntung Pekan Ini",
        "Baca juga: Harga Emas Hari Ini Naik",
        "BACA JUGA  Warga Antre Minyak Goreng",
        "Baca : Bupati Ajak Kades Rangkul Masyarakat",
        "Baca; Munas Aptiknas Digelar",
        "(Baca Juga: Warga Bentuk Bank Sampah)",
        "Bacaan Lainnya",
        "Pos terkait",
        "Berita Terkait",
        "Artikel Terkait",
        "BACA ARTIKEL LAINNYA...",
        "Baca Selanjutnya",
        "Cek Berita dan Artikel yang lain di Google News",
        "Reporter : Dedi Saputra Editor : Andi Pratama",
        "Penulis: Fajar Nugraha | Editor: Dewi Lestari",
        "Exit mobile version",
        "SCROLL TO CONTINUE WITH CONTENT",
        "Halaman: 1 2 3",
        "Halaman 1 2 Selanjutnya",
        "Page 2 of 2",
        "Artikel ini telah tayang di Kompas.com dengan judul Warga Tangkap Maling",
        "Berita ini telah tayang di Antaranews.com dengan judul: Kabel Udara Dirapikan",
        "Bagikan",
        "Share",
        "Facebook Twitter WhatsApp Telegram",
        "Tags: Pemkot Bandung, Hamamatsu",
        "Laporan Wartawan Tribun Jabar, Fajar Nugraha",
        "(Ynt/Rls)",
    ],
)
def test_clutter_line_is_dropped(line: str) -> None:
    assert is_clutter(line) or is_caption(line)
    assert clean_lines(["Paragraf pertama berita.", line, "Paragraf kedua berita."]) == [
        "Paragraf pertama berita.",
        "Paragraf kedua berita.",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "dok Pemkot Bandung",
        "(Foto: MC Kota Bengkulu/PROGRES.ID)",
        "Walikota Bengkulu berkunjung ke Kedubes Jepang (Foto: MC Kota Bengkulu/PROGRES.ID)",
        "Foto: Firmansyah/RB--",
        "Ilustrasi ibu hamil sedang berolahraga – Freepik",
        "Sumber: Dok. Diskominfo Kota Bandung",
        "Kota Bandung dan Hamamatsu Jajaki Kerja Sama (dok Pemkot Bandung).",
        "Pasar tradisional di Mukomuko--WEST JER TOURINDO/RB",
        "Wali Kota meninjau lokasi (Gorajuara.com/humasbandung.go.id)",
    ],
)
def test_caption_line_is_dropped(line: str) -> None:
    assert is_caption(line)


@pytest.mark.parametrize(
    "line",
    [
        "“Kami berharap penjajakan kerja sama ini memberi manfaat nyata,” ujar Iskandar.",
        "Walikota menyambangi Kedutaan Besar Jepang di Jakarta, Rabu (29/9/2021).",
        "- pelatihan bahasa dan keterampilan bagi calon perawat,",
        "Humas Pemkot Bandung menyebut rapat lanjutan digelar pekan depan.",
        "Bagikan bantuan sembako kepada warga terdampak banjir.",
        "Ia menambahkan, ada tiga hal yang akan dibahas:",
    ],
)
def test_article_line_is_kept(line: str) -> None:
    assert not is_clutter(line) and not is_caption(line)
    assert clean_lines([line]) == [line]


def test_repeated_caption_lines_are_dropped_but_repeated_prose_kept_once() -> None:
    lines = ["Wali Kota Bandung Muhammad Farhan", "Wali Kota Bandung Muhammad Farhan",
             "Paragraf berita yang lengkap.", "Paragraf berita yang lengkap."]
    assert clean_lines(lines) == ["Paragraf berita yang lengkap."]


def test_related_heading_takes_its_teaser_titles_along() -> None:
    lines = ["Paragraf pertama berita.", "Pos terkait",
             "Walikota Bengkulu Terima Delegasi Universitas dari Malaysia",
             "- Pemkot Bengkulu dan Pemkot Metro Teken MoU", "Paragraf terakhir berita."]
    assert clean_lines(lines) == ["Paragraf pertama berita.", "Paragraf terakhir berita."]


def test_comment_form_ends_the_text() -> None:
    lines = ["Paragraf berita.", "Leave a Reply", "Komentar pembaca yang panjang sekali."]
    assert clean_lines(lines) == ["Paragraf berita."]


def _article(url_extra: str = "", links: str = "", head: str = "") -> str:
    body = "".join(
        f"<p>Paragraf {i} tentang kerja sama Pemkot dengan mitra dari luar negeri, "
        f"yang dibahas panjang lebar oleh para pejabat daerah.</p>" for i in range(8)
    )
    return (
        "<html lang='id'><head><meta property='og:type' content='article'>"
        "<meta property='article:published_time' content='2025-01-05T10:00:00+07:00'>"
        f"<title>Pemkot Jajaki Kerja Sama Baru | Kabar Kota</title>{head}</head><body>"
        f"<article><h1>Pemkot Jajaki Kerja Sama Baru</h1>{body}{links}</article></body></html>"
    )


@pytest.mark.parametrize(
    ("page_url", "head", "expected"),
    [
        ("https://kota.test/berita/pemkot-jajaki/?amp=1", "", "https://kota.test/berita/pemkot-jajaki/"),
        ("https://kota.test/berita/pemkot-jajaki/amp/", "", "https://kota.test/berita/pemkot-jajaki/"),
        ("https://kota.test/pemkot-jajaki/?print=print", "", "https://kota.test/pemkot-jajaki/"),
        ("https://kota.test/a/?utm_source=x&utm_medium=y&gclid=1&id=5#top", "",
         "https://kota.test/a/?id=5"),
        ("https://kota.test/amp/123/pemkot-jajaki", "<link rel='canonical' href='/read/123/pemkot-jajaki'>",
         "https://kota.test/read/123/pemkot-jajaki"),
        ("https://kota.test/x?amp=1", "<meta property='og:url' content='https://kota.test/berita/x.html?fbclid=9'>",
         "https://kota.test/berita/x.html"),
    ],
)
def test_canonical_url(page_url: str, head: str, expected: str) -> None:
    assert extract(_article(head=head), page_url).url == expected


def test_title_site_suffix_removed() -> None:
    assert extract(_article(), "https://kota.test/a/").title == "Pemkot Jajaki Kerja Sama Baru"


def test_wordpress_split_post_pager() -> None:
    base = "https://kota.test/pemkot-jajaki-kerja-sama/"
    pager = (f"<div class='page-links'>Halaman: <span>1</span> <a href='{base}2/'>2</a> "
             f"<a href='{base}3/'>3</a></div>")
    got = extract(_article(links=pager), base)
    assert got.continuation == (f"{base}2/", f"{base}3/")
    assert "Halaman:" not in got.text
    later = extract(_article(links=pager), f"{base}2/")
    assert later.continuation == (f"{base}3/",)


def test_query_pager_and_single_page_view() -> None:
    base = "https://kota.test/read/77/pemkot-jajaki"
    pager = f"<div class='paging'><a href='{base}?page=2'>Halaman 2</a></div>"
    assert extract(_article(links=pager), base).continuation == (f"{base}?page=2",)
    pager_all = pager + f"<a href='{base}?halaman=all'>Tampilkan semua</a>"
    assert extract(_article(links=pager_all), base).continuation == (f"{base}?halaman=all",)


def test_archive_pagination_is_not_continuation() -> None:
    page = _article(links="<a href='https://kota.test/page/2/'>2</a>"
                          "<a href='https://kota.test/lain/2/'>2</a>")
    assert extract(page, "https://kota.test/pemkot-jajaki/").continuation == ()


def test_empty_and_broken_input() -> None:
    for html in ("", b"", "<!-- nothing -->", "<?xml version='1.0' encoding='utf-8'?><html></html>"):
        got = extract(html, "https://kota.test/x/")
        assert got.is_article is False and got.text == ""


@pytest.mark.skipif(not SEEDS.exists(), reason="shared seed articles not present")
def test_seed_article_text_is_clean() -> None:
    seed = (SEEDS / "prolite-bandung-hamamatsu.txt").read_text(encoding="utf-8")
    lines = [ln for ln in seed.splitlines() if ln.strip()]
    cleaned = clean_lines(lines[1:], title=lines[0])
    assert not any(ln.startswith(("Baca Juga", "dok Pemkot")) for ln in cleaned)
    assert split_dateline(cleaned[0])[0] == "Prolite"


def test_published_is_aware_and_not_in_future() -> None:
    for name in EXPECTED:
        got = _run(name)
        if got.published:
            assert got.published.tzinfo is not None
            assert got.published < datetime.now(got.published.tzinfo)


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ("Reporter : Rendi Saputra Editor : Dewi Kartika", "Rendi Saputra"),
        ("Penulis: Asep Sunandar | Editor: Maya", "Asep Sunandar"),
        ("Oleh Siti Rahma", "Siti Rahma"),
    ],
)
def test_byline_author_stops_before_the_editor(byline: str, author: str) -> None:
    page = (
        "<html><body><h1>Pemkot Bandung Bahas Peluang Kerja Sama dengan Kota Suwon</h1>"
        f"<div class='meta'><span>{byline}</span></div>"
        "<p>Pemerintah Kota Bandung membahas peluang kerja sama dengan Kota Suwon.</p></body></html>"
    )
    assert extract(page, "https://kabar.test/read/1/bahas-peluang").author == author


def test_headline_in_bold_text_of_a_table_layout() -> None:
    """Home-grown CMSs print the headline in <b> inside a table cell, the date below it as text,
    and a "today" date in the header; og:type is "website" on every page."""
    paragraphs = "".join(
        f"<p>Paragraf {n}: Pemerintah Kabupaten Seluma dan sebuah perguruan tinggi membahas program "
        "pelatihan guru, pembiayaan beasiswa, serta jadwal penandatanganan naskah kerja sama.</p>"
        for n in range(1, 8)
    )
    page = (
        "<html><head><title>Seluma Jajaki Kerja Sama Pelatihan Guru :: Warta</title>"
        "<meta property='og:type' content='website'></head><body><table>"
        "<tr><td>Warta Daerah &nbsp; Senin, 22 November 2026</td></tr><tr><td>"
        "<div><b>Seluma Jajaki Kerja Sama Pelatihan Guru</b></div>"
        "<div>3 Maret 2025 | 09.15 WIB &middot; Penulis: Joni Iskandar</div>"
        f"<div>{paragraphs}</div></td></tr></table></body></html>"
    )
    article = extract(page, "https://warta.test/berita/detail.php?id=12")
    assert article.is_article
    assert article.title == "Seluma Jajaki Kerja Sama Pelatihan Guru"
    assert article.published is not None and article.published.isoformat() == "2025-03-03T09:15:00+07:00"
    assert article.author == "Joni Iskandar"
    assert article.text.startswith("Paragraf 1:") and "22 November 2026" not in article.text

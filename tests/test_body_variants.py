"""Article bodies on generated page variants: short and long articles, several container
shapes, chrome around them (teaser lists, an "about us" box, comments, captions, a ticker),
inserts inside them (Baca Juga, tweets, widgets, CSS, script, ads, captions, Instagram),
datelines of four kinds and articles split in parts on one page. Each variant must give the
first and last sentence, the dateline as lead and none of the chrome."""

from __future__ import annotations

import itertools

import pytest

from crawler.extract import extract

URL = "https://kabarkaur.test/berita/kaur-jajaki-kerja-sama-air-bersih"
SENTENCES = [
    "Pemerintah Kabupaten Kaur menjajaki kerja sama pengelolaan air bersih dengan sebuah perusahaan daerah "
    "untuk tiga tahun ke depan.",
    "Pertemuan digelar di ruang rapat bupati dan dihadiri kepala dinas terkait serta perwakilan mitra.",
    "Kerja sama itu mencakup pelatihan tenaga teknis, pendampingan dan penyediaan peralatan di lapangan.",
    "\"Kami ingin hasilnya terasa langsung oleh warga, bukan hanya di atas kertas,\" kata bupati.",
    "Pihak mitra menyatakan siap mengirim tim survei pada bulan depan untuk memetakan kebutuhan daerah.",
    "Nota kesepahaman ditargetkan ditandatangani setelah kajian kelayakan rampung akhir tahun ini.",
    "Dinas terkait diminta menyiapkan data pendukung dan rencana anggaran pendamping dari APBD.",
    "Bupati berharap kerja sama serupa bisa diperluas ke kecamatan lain pada tahun berikutnya.",
]
ALWAYS_CHROME = ["Oleh Redaksi", "Pasar Ikan Direnovasi", "Kabar Kaur 2025", "Halaman"]


def _teasers(summary: bool) -> str:
    items = "".join(
        f"<p><a href='/t/{i}'>Judul berita lain nomor {i} tentang kegiatan di kota</a>"
        + (f" Ringkasan berita lain nomor {i} yang ditulis dengan kalimat lengkap dan utuh.</p>" if summary
           else "</p>") for i in range(10))
    return f"<div class='list'><h3>Lainnya</h3>{items}</div>"


AROUND = {  # chrome around the article: (HTML after it, HTML before the headline, strings it holds)
    "none": ("", "", []),
    "teasers": (_teasers(True), "", ["Judul berita lain", "Ringkasan berita lain"]),
    "teaser_titles": (_teasers(False), "", ["Judul berita lain"]),
    "about": ("<div class='kanan'><h4>Tentang Kami</h4>" + "".join(
        f"<p>Portal berita daerah ini didirikan pada tahun 201{i} oleh sekelompok wartawan lokal yang ingin "
        "menyajikan kabar cepat dan berimbang.</p>" for i in range(4)) + "</div>", "",
        ["Portal berita daerah", "Tentang Kami"]),
    "comments": ("<div id='diskusi'>" + "".join(
        f"<div class='isi-diskusi'><b>Pembaca {i}</b><p>Menurut saya kerja sama ini bagus sekali asalkan "
        "benar-benar dijalankan dan diawasi oleh dewan dan masyarakat luas.</p></div>" for i in range(6))
        + "</div>", "", ["Menurut saya", "Pembaca"]),
    "ticker": ("", "<div class='ticker'><p>Harga cabai di pasar tradisional turun tajam pekan ini menurut "
               "pedagang setempat yang ditemui wartawan.</p></div>", ["Harga cabai"]),
}
INSIDE = {  # inserts inside the article: (HTML, strings it holds)
    "none": ("", []),
    "baca_juga_box": ("<div class='box'><h4>Baca Juga</h4><ul><li><a href='/x'>Harga Cabai Turun Tajam di "
                      "Pasar Bintuhan</a></li><li><a href='/y'>Jalan Desa Tanjung Iman Mulus</a></li></ul></div>",
                      ["Harga Cabai", "Jalan Desa", "Baca Juga"]),
    "baca_juga_line": ("<p><strong>Baca Juga:</strong> <a href='/x'>Harga Cabai Turun Tajam di Pasar "
                       "Bintuhan</a></p>", ["Harga Cabai", "Baca Juga"]),
    "tweet": ("<blockquote class='twitter-tweet'><p>Terima kasih warga Kaur atas sambutannya hari ini. "
              "<a href='https://t.co/x'>pic.twitter.com/xYz12</a></p>&mdash; Bupati Kaur (@bupatikaur) "
              "<a href='#'>2 Januari 2025</a></blockquote>", ["pic.twitter", "@bupatikaur", "Terima kasih warga"]),
    "widgets": ("<div><p>Rate artikel ini</p><span>★★★★★</span></div><div><button>Like (0)</button></div>"
                "<p>Bagaimana reaksi Anda?</p>", ["Rate artikel", "★", "Like (0)", "reaksi"]),
    "css": ("<p>.td-a-rec{text-align:center}.td-a-rec img{display:block;margin:0 auto}</p>", ["td-a-rec", "{"]),
    "script": ("<p>(adsbygoogle = window.adsbygoogle || []).push({});</p>", ["adsbygoogle"]),
    "ad": ("<div class='code-block'><span>ADVERTISEMENT</span><ins class='adsbygoogle'></ins></div>"
           "<p>SCROLL TO CONTINUE WITH CONTENT</p>", ["ADVERTISEMENT", "SCROLL"]),
    "photo": ("<div class='gbr'><img src='/a.jpg'><div>Bupati menerima mitra di ruang rapat, Senin pagi.</div>"
              "</div>", ["Bupati menerima mitra"]),
    "instagram": ("<blockquote class='instagram-media'><a href='#'>Lihat postingan ini di Instagram</a><p>Sebuah "
                  "kiriman dibagikan oleh Pemkab Kaur (@pemkabkaur)</p></blockquote>", ["Instagram", "kiriman"]),
}
DATELINES = {
    "none": ("{}", None),
    "caps": ("BINTUHAN, KABARKAUR.ID – {}", "BINTUHAN, KABARKAUR.ID"),
    "outlet_place": ("Kabarkaur.id – Bintuhan, {}", "Kabarkaur.id – Bintuhan"),
    "agency": ("Bintuhan (ANTARA) - {}", "Bintuhan (ANTARA)"),
}
SHAPES = ["p", "div_paragraphs", "br", "parts_siblings", "parts_unnamed", "parts_nested"]


def _page(n: int, shape: str, container: str | None, around: str, inside: str, dateline: str
          ) -> tuple[str, str | None, list[str]]:
    fmt, lead = DATELINES[dateline]
    texts = [fmt.format(SENTENCES[0]), *SENTENCES[1:n]]
    blocks = [f"<div>{t}</div>" if shape == "div_paragraphs" else f"<p>{t}</p>" for t in texts]
    mid = len(blocks) // 2
    blocks.insert(mid, INSIDE[inside][0])
    attr = f" class='{container}'" if container else ""
    if shape == "br":
        halves = "<br><br>".join(texts[:mid]), "<br><br>".join(texts[mid:])
        body = f"<div{attr}>{halves[0]}<br><br>{INSIDE[inside][0]}{halves[1]}</div>"
    elif shape == "parts_siblings":
        first, second = "".join(blocks[:mid + 1]), "".join(blocks[mid + 1:])
        body = (f"<div class='txt'>{first}</div><div class='paging'>Halaman 2 dari 2</div>"
                f"<div class='txt'>{second}</div>")
    elif shape == "parts_unnamed":
        first, second = "".join(blocks[:mid + 1]), "".join(blocks[mid + 1:])
        body = (f"<div class='wrap'><div>{first}</div><p class='next'><a href='?page=2'>Baca halaman berikutnya</a>"
                f"</p><div>{second}</div></div>")
    elif shape == "parts_nested":
        first, second = "".join(blocks[:mid + 1]), "".join(blocks[mid + 1:])
        body = (f"<div{attr}><div class='halaman' id='h1'>{first}</div><div class='lanjut'>Halaman selanjutnya</div>"
                f"<div class='halaman' id='h2'>{second}</div></div>")
    else:
        body = f"<div{attr}>{''.join(blocks)}</div>"
    after, before, chrome = AROUND[around]
    html = (
        "<html><head><title>Kaur Jajaki Kerja Sama Air Bersih - Kabar Kaur</title>"
        "<meta property='article:published_time' content='2025-01-02T10:00:00+07:00'></head><body>"
        "<div class='top'><a href='/'>Kabar Kaur</a> <a href='/a'>Daerah</a></div>"
        f"<div class='main'>{before}<h1>Kaur Jajaki Kerja Sama Air Bersih</h1>"
        f"<div class='info'>Oleh Redaksi, 2 Januari 2025</div>{body}{after}"
        "<div class='terkait'><h3>Berita Terkait</h3><ul><li><a href='/z'>Pasar Ikan Direnovasi</a></li></ul></div>"
        "</div><div class='foot'>Kabar Kaur 2025</div></body></html>"
    )
    return html, lead, [*chrome, *INSIDE[inside][1], *ALWAYS_CHROME]


CASES = [
    # chrome around articles of every length and container
    *[(n, shape, container, around, "none", dateline) for n, shape, container, around, dateline in itertools.product(
        [2, 3, 6], ["p", "div_paragraphs", "br"], ["entry-content", "isi", None], AROUND, ["none", "caps"])],
    # inserts inside, datelines and parts
    *[(n, shape, "isi-artikel", around, inside, dateline) for n, shape, around, inside, dateline in itertools.product(
        [3, 8], SHAPES, ["none", "teasers"], INSIDE, DATELINES)],
]


@pytest.mark.parametrize(("n", "shape", "container", "around", "inside", "dateline"), CASES)
def test_body_variant(n: int, shape: str, container: str | None, around: str, inside: str, dateline: str) -> None:
    html, lead, chrome = _page(n, shape, container, around, inside, dateline)
    got = extract(html, URL)
    paragraphs = got.text.split("\n\n")
    assert got.lead == lead
    assert paragraphs[0] == SENTENCES[0]
    assert paragraphs[-1] == SENTENCES[n - 1]
    assert [s for s in chrome if s in got.text] == []

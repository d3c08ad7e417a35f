"""Text cleaning for the extract stage: drops clutter lines (related-post inserts, captions,
credits, share bars, bylines, pagers, republication trailers, widgets, CSS and script text)."""

from __future__ import annotations

import re

from .widgets import is_code, is_widget

_I = re.I
# Related-post inserts: the whole line goes ("Baca Juga: <judul>", "BACA JUGA", "Baca : ...").
RELATED = re.compile(
    r"^[\s(\[*•\-–]*(baca\s*juga|baca\s*[:;]|baca\s+(?:artikel|berita)\s+lainnya|bacaan\s+lainnya"
    r"|baca\s+selengkapnya|baca\s+selanjutnya|berita\s+terkait|artikel\s+terkait|pos(?:t|ts)?\s+terkait"
    r"|berita\s+lainnya|artikel\s+lainnya|related\s+(?:posts?|articles?|news)|lihat\s+juga|simak\s+juga"
    r"|you\s+may\s+also\s+like|more\s+stories)(?![a-z])",
    _I,
)
# Headings that open a list of links: everything short right after them goes too.
RELATED_HEADING = re.compile(
    r"^[\s(\[*•\-–]*(bacaan\s+lainnya|berita\s+terkait|artikel\s+terkait|pos(?:t|ts)?\s+terkait"
    r"|baca\s+juga|baca\s+(?:artikel|berita)\s+lainnya|berita\s+lainnya|artikel\s+lainnya"
    r"|related\s+(?:posts?|articles?|news)|you\s+may\s+also\s+like|more\s+stories|berita\s+pilihan"
    r"|terpopuler|terkini|rekomendasi)[\s.:…]*$",
    _I,
)
INLINE_RELATED = re.compile(r"\(\s*baca\s*(?:juga)?\s*[:;][^)]*\)", _I)
# A comment form or comment list marks the end of the article text.
END_MARKERS = re.compile(
    r"^(leave a reply|leave a comment|tinggalkan balasan|tinggalkan komentar|berikan komentar"
    r"|your email address will not be published|alamat email anda tidak akan dipublikasikan"
    r"|\d+\s+(comments?|komentar)\b|komentar\s*\(\d+\)|comments?$|komentar$)",
    _I,
)
# One alternation of patterns anchored at the line's start, matched once per line.
CLUTTER = re.compile(
    "|".join(
        f"(?:{p})"
        for p in (
        r"^(artikel|berita|tulisan)\s+ini\s+(telah|sudah|sebelumnya)\s+(tayang|terbit|dimuat)",
        r"^(?=.{0,200}$).*\bgoogle\s+news\b",
        r"^(cek|simak|ikuti|baca)\s+(berita|artikel|update|informasi)\b.*\b(di|melalui|via)\b.{0,40}$",
        r"^(reporter|penulis|editor|pewarta|redaktur|laporan\s+(wartawan|reporter)|kontributor"
        r"|sumber\s+berita|author|writer)\s*:",
        r"^(reporter|penulis|pewarta)\b.{0,60}\beditor\b",
        r"^(laporan\s+(wartawan|reporter)\s+\S+)",
        r"^exit\s+mobile\s+version$",
        r"^(advertisement|iklan|ads|sponsored|scroll\s+to\s+(continue|resume)\b.*)$",
        r"^(halaman|page)\s*:?\s*(\d+\s*)+(selanjutnya|next|berikutnya|»|›)?$",
        r"^(halaman|page)\s+\d+\s+(dari|of)\s+\d+$",
        r"^(\d+\s+)+(selanjutnya|next|berikutnya|»|›)$",
        r"^(selanjutnya|sebelumnya|berikutnya|next|previous|prev|«|»|tampilkan\s+semua"
        r"|lihat\s+semua|baca\s+selanjutnya)[\s:»«›‹>]*$",
        r"^(bagikan|share|share\s+this|bagikan\s+artikel|share\s+on|sebarkan|bagikan\s+ke)\b.{0,60}"
        r"(?<![.!?])$",
        r"^((facebook|twitter|whatsapp|telegram|line|linkedin|pinterest|email|copy\s+link|salin"
        r"\s+tautan|x)\W*){2,}$",
        r"^(tags?|topik|label|kata\s+kunci|keywords?)\s*[:#]",
        r"^(tentang\s+penulis|about\s+the\s+author|lihat\s+semua\s+(artikel|pos|berita)|view\s+all"
        r"\s+posts)\b",
        r"^(required\s+fields\s+are\s+marked|kolom\s+yang\s+wajib\s+ditandai)",
        r"^copyright\b|^©|^hak\s+cipta\b",
        r"^\((?:[a-z]{2,5})(?:/[a-z]{2,5})*\)$",  # reporter initials "(dsn)", "(Ynt/Rls)"
        r"^\[\w+(?:_\w+)*\](\s*\[\w+(?:_\w+)*\])*$",  # unrendered shortcodes "[galeri_foto]"
        )
    ),
    _I,
)
# Photo credits: "dok Pemkot Bandung", "Foto: X/RB--", "Sumber: Dok. ...", "Ilustrasi ... – Freepik".
CREDIT_LINE = re.compile(
    r"^[\s(\[]*(dok\b|dok\.|dok:|foto\b|foto:|photo\b|sumber\s*:\s*dok|ilustrasi\b"
    r"|ist\b|ist\.|istimewa\b|kredit\s+foto)",
    _I,
)
WEAK_CREDIT_LINE = re.compile(r"^[\s(\[]*(dokumentasi|humas|image|gambar|sumber)\b", _I)
CREDIT_TAIL = re.compile(
    r"(\(\s*(dok|foto|photo|sumber|ist|istimewa|ilustrasi|humas|instagram|net|screenshot"
    r"|tangkapan\s+layar)\b[^()]*\)|\([^()]*\.(id|com|co\.id|net)\b[^()]*\)"
    r"|\s[-–—]\s*(freepik|shutterstock|pixabay|unsplash|istock|getty\s*images|canva|pexels))\s*\.?$",
    _I,
)
# Disway-style credit suffixes: "...--WEST JER TOURINDO/RB", "Firmansyah/RB--" (case matters).
CREDIT_CAPS_TAIL = re.compile(r"(--\s*[A-Z][A-Z /.]{0,40}|/[A-Z]{2,}--?)\s*$")
SENTENCE_END = re.compile(r"[.!?\"”’'…:]\s*$")


def _norm(line: str) -> str:
    return re.sub(r"\s+", " ", line).strip()


def is_caption(line: str) -> bool:
    """A short photo caption or credit line rather than article prose."""
    if len(line) > 220:
        return False
    unfinished = not SENTENCE_END.search(line)
    if CREDIT_LINE.match(line) and (len(line) < 80 or (unfinished and len(line) < 160)):
        return True
    if WEAK_CREDIT_LINE.match(line) and unfinished and len(line) < 100:
        return True
    return bool(CREDIT_TAIL.search(line) or CREDIT_CAPS_TAIL.search(line))


def is_clutter(line: str) -> bool:
    """A line that belongs to the page chrome, not to the article."""
    if RELATED.match(line) or is_widget(line) or is_code(line):
        return True
    return bool(CLUTTER.match(line))


def _title_like(line: str) -> bool:
    return len(line) < 160 and not SENTENCE_END.search(line)


def clean_lines(lines: list[str], title: str | None = None) -> list[str]:
    """Drop clutter lines and repeated captions; keep the article's own order."""
    out: list[str] = []
    skipping_links = False
    norm_title = _norm(title).lower() if title else None
    for raw in lines:
        line = " ".join((INLINE_RELATED.sub(" ", raw) if "(" in raw else raw).split())
        if not line:
            continue
        if END_MARKERS.match(line):
            break
        if RELATED_HEADING.match(line):
            skipping_links = True  # the teaser titles that follow a heading-only block
            continue
        if skipping_links and (line.startswith("- ") or _title_like(line)):
            continue
        skipping_links = False
        if is_clutter(line) or is_caption(line):
            continue
        if norm_title and line.lower().rstrip(".") == norm_title.rstrip("."):
            continue  # the headline repeated as a caption or alternate heading
        if out and line == out[-1]:
            if _title_like(line):
                out.pop()  # "Wali Kota Bandung Muhammad Farhan" twice: a caption, drop both
            continue
        out.append(line)
    # A headline-like line closing the text is a teaser of the next/related post.
    while len(out) > 1 and _title_like(out[-1]) and not out[-1].startswith("- ") \
            and not out[-1].endswith(")"):
        out.pop()
    return out

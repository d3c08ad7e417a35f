"""Lines of the extract stage that page furniture leaves in an article body: CSS rules and
script text, widget labels (ratings, likes, reactions, load-more, share, audio players), the
chrome of embedded posts (tweets, Instagram, TikTok) and the markers between article parts."""

from __future__ import annotations

import re

_I = re.I
# A CSS rule "sel { prop: value; }": its braces with a declaration inside.
_CSS_RULE = re.compile(r"[^{}]{0,120}\{\s*(?:[-\w]+\s*:\s*[^{};]+;?\s*)+\}")
# Script text: a declaration, a call on a page object, an ad-loader push, a function literal.
_JS = re.compile(
    r"^\s*(?:(?:var|let|const)\s+[\w$]+\s*=|\(?\s*(?:window|document|googletag|adsbygoogle|jQuery|\$)\b"
    r"[\w.$\s=|\[\]()]*[.(]|\(function\s*\(|function\s+[\w$]*\s*\(|[\w$]+\.push\s*\(\s*[{\[(])",
)
_JS_PUNCT = re.compile(r"[;{}()=]")
_TWEET_PHOTO = re.compile(r"pic\.twitter\.com/\w+", _I)  # an embedded tweet's text
# One alternation of patterns anchored at the line's start, matched once per line.
WIDGET = re.compile(
    "|".join(
        f"(?:{p})"
        for p in (
        # ratings, likes, reactions
        r"^(rate|beri(kan)?\s+(nilai|rating|penilaian))\s+(artikel|berita|tulisan|postingan)\s+ini\b.{0,30}$",
        r"^(apa|bagaimana)\s+(reaksi|perasaan|tanggapan)(mu|\s+(anda|kamu))\b.{0,50}$",
        r"^((like|dislike|suka|tidak\s+suka|love|vote|upvote|downvote)\s*\(?\d*\)?\W*)+$",
        r"^((senang|sedih|marah|terkejut|kaget|lucu|takut|bangga|terinspirasi|kecewa|wow|haha"
        r"|suka|cinta|love|angry|sad)\s*:?\s*\(?\d+%?\)?\s*)+$",
        r"^[\s★☆✩✪⭐*]*(?:[★☆✩✪⭐]\s*){3,}.{0,40}$",
        r"^\(?\d+\s*(suara|votes?|ulasan|penilaian|ratings?)\)?$",
        r"^(jadilah\s+yang\s+pertama\s+menyukai|be\s+the\s+first\s+to\s+like)\b",
        r"^(like|suka)\s+(this|ini)\s*:?$|^(like|suka)\s+(loading|memuat)\.*$",
        # load-more buttons, infinite scroll, players, reading time
        r"^(load|show|view)\s+more\b.{0,25}$|^(muat|tampilkan|lihat)\s+(lebih\s+banyak|lainnya)\b.{0,25}$",
        r"^no\s+more\s+(posts|pages|articles)\b|^(loading|memuat)\W*$",
        r"^(dengarkan|putar)\s+(artikel|berita)(\s+ini)?\b.{0,30}$|^listen\s+to\s+this\s+article\b",
        r"^(waktu\s+baca|lama\s+membaca|estimasi\s+baca)\s*:?\s*\d+|^\d+\s+menit\s+(membaca|baca)$",
        r"^(ukuran|font)\s*(huruf|teks|font)?\s*:?\s*(a\s*){2,}$",
        # share buttons
        r"^(share|bagikan|berbagi|kirim(kan)?(\s+ini)?)\s+(on|to|ke|via|lewat|melalui)\s+\w+(\s+\w+)?\W*$",
        r"^(tweet|pin\s+it|blogthis!?|salin\s+tautan|copy\s+link|klik\s+untuk\s+membagikan\b.*"
        r"|click\s+to\s+(share|print|email)\b.*)$",
        # the outlet's own channels: "Dapatkan update berita ... Grup Telegram", "... WhatsApp Channel"
        r"^(dapatkan|simak|ikuti|gabung|bergabung|follow|pantau)\b.{0,250}\b(whatsapp\s+channel"
        r"|saluran\s+whatsapp|grup\s+telegram|channel\s+telegram|google\s+news)\b",
        # embedded posts: tweet by-line, photo link, Instagram and TikTok chrome
        r"^[—–-]\s*[^()]{1,80}\(@\w{1,30}\)(\s+.{0,40})?$",
        r"^(https?://)?(t\.co|x\.com|twitter\.com)/\S+$",
        r"^(lihat|view)\s+(postingan|kiriman|post)\s+(ini\s+)?(di|on)\s+(instagram|tiktok|facebook)\b",
        r"^(sebuah\s+kiriman\s+dibagikan\s+oleh|a\s+post\s+shared\s+by|postingan\s+yang\s+dibagikan"
        r"\s+oleh)\b",
        r"^♬|^@\w+\s+♬",
        r"^(tonton|watch)\s+(di|on)\s+(youtube|tiktok|instagram)\b",
        # the markers between the parts of an article printed on one page
        r"^(baca|lanjut(kan)?(\s+(baca|membaca))?)\s+halaman\s+(berikutnya|selanjutnya|\d+)\b.{0,20}$",
        r"^halaman\s+(berikutnya|selanjutnya|sebelumnya)\W*$",
        r"^(halaman|page|hal\.?)\s*\d+\s*(/|dari|of)\s*\d+$",
        r"^(lanjut(kan)?\s+membaca|continue\s+reading)\b.{0,30}$",
        )
    ),
    _I,
)


def is_code(line: str) -> bool:
    """CSS rules or script text that reached the body as text."""
    if "{" in line and "}" in line:
        covered = sum(len(m.group(0)) for m in _CSS_RULE.finditer(line))
        if covered >= 0.5 * len(line):
            return True
    return bool(_JS.match(line)) and len(_JS_PUNCT.findall(line)) >= 3


def is_widget(line: str) -> bool:
    """A widget's label, an embedded post's chrome or a part marker, not article prose."""
    return len(line) <= 400 and bool(WIDGET.match(line) or _TWEET_PHOTO.search(line))

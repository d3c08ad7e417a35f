"""The lead of the extract stage: the dateline that opens an article ("KOTA, Situs.id –",
"Situs.com – Kota,", "KOTA (ANTARA) -") leaves the text for `lead`, its sentence stays."""

from __future__ import annotations

import re

from .clean import SENTENCE_END

_I = re.I
_PRE = r"(?P<pre>[A-Za-z0-9 .,()'/&]{2,60}?)"
# "PRE – text": a dash, bar or colon; an en or em dash may touch the sentence ("KOTA–Warga").
DATELINE = re.compile(_PRE + r"\s*(?P<sep>[-–—|]{1,2}\s+|[–—]{1,2}(?=[A-Z\"“])|:\s+)(?=\S)")
# A dateline printed as a paragraph of its own: "KEPAHIANG, KABARBUKIT.ID –".
BARE_DATELINE = re.compile(_PRE + r"\s*(?P<sep>[-–—|:]{1,2})?\s*$")
_DOMAIN = re.compile(r"\.(id|com|co\.id|net|org|news)\b", _I)
_BRAND_WORD = re.compile(r"[A-Z][\w.&'’]*$")
# "Situs.com – Manna, Pemerintah ...": the place after the outlet's name belongs to the dateline.
_PLACE = re.compile(r"(?P<place>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}),\s+(?=\S)")
_PLACE_KIND = {"kota", "kabupaten", "kab", "kab.", "provinsi", "kecamatan", "pulau", "kepulauan", "desa"}
_COMPASS = {"utara", "selatan", "barat", "timur", "tengah", "raya", "pusat", "kota", "baru"}
# Words that open a sentence's subject or a clause, never a dateline's place.
_NOT_PLACE = {
    "pemerintah", "pemkot", "pemkab", "pemprov", "wali", "walikota", "wakil", "bupati", "gubernur",
    "ketua", "kepala", "dinas", "menteri", "presiden", "kapolres", "kapolda", "camat", "lurah",
    "direktur", "sekda", "sekretaris", "anggota", "warga", "polisi", "tim", "para", "sejumlah",
    "dalam", "menurut", "sebelumnya", "selain", "saat", "ketika", "usai", "setelah", "pada", "di",
    "dengan", "untuk", "sementara", "namun", "kemudian", "adapun", "akhirnya", "oleh", "bahkan",
    "meski", "jadi", "ini", "itu", "hari", "kemarin", "kini", "seperti", "senin", "selasa", "rabu",
    "kamis", "jumat", "sabtu", "minggu", "bapak", "ibu", "mereka", "kami", "kita", "ia", "dia",
}


def _is_dateline(pre: str, sep: str = "", rest: str = "") -> bool:
    words = pre.replace(",", " ").split()
    if not words or len(words) > 6:
        return False
    if re.search(r"[A-Z]{3,}", pre) or "(" in pre or _DOMAIN.search(pre):
        return True
    # An outlet's name alone ("Prolite – Pemerintah ..."): one or two capitalised words set off
    # by a dash from a sentence that starts with a capital.
    return (len(words) <= 2 and all(_BRAND_WORD.match(w) for w in words)
            and sep.strip()[:1] in ("-", "–", "—") and rest[:1].isupper())


def _place_end(pre: str, rest: str) -> int:
    """Length of the place ("Manna, ") that follows an outlet's name at the start of `rest`."""
    if "," in pre or "(" in pre or len(pre.split()) > 2:
        return 0  # the dateline already has its place
    m = _PLACE.match(rest)
    if not m or not rest[m.end():]:
        return 0
    words = m["place"].split()
    if words[0].lower() in _NOT_PLACE:
        return 0
    placey = (m["place"].isupper() or len(words) == 1 or words[0].lower() in _PLACE_KIND
              or words[-1].lower() in _COMPASS)
    return m.end() if placey else 0


def split_dateline(paragraph: str) -> tuple[str | None, str]:
    """Split "KOTA BANDUNG, Prolite – Pemerintah ..." into (lead, rest); (None, text) if none."""
    m = DATELINE.match(paragraph)
    if not m:
        return None, paragraph
    pre = m["pre"].strip()
    rest = paragraph[m.end():].lstrip()
    if not rest or not _is_dateline(pre, m["sep"], rest):
        return None, paragraph
    place = _place_end(pre, rest)
    if place:
        lead = paragraph[: m.end()].strip() + " " + rest[:place].strip().rstrip(",")
        return lead, rest[place:].lstrip()
    return pre.rstrip(" ,"), rest


def bare_dateline(line: str) -> str | None:
    """The dateline when `line` is nothing else ("CURUP, RAKYATPOS.COM –"), else None."""
    m = BARE_DATELINE.match(line)
    if not m:
        return None
    pre = m["pre"].strip().rstrip(",")
    strong = bool(_DOMAIN.search(pre) or "(" in pre or (m["sep"] and re.search(r"[A-Z]{3,}", pre)))
    return pre if strong and _is_dateline(pre) else None


def _label(line: str) -> bool:
    """A section label or kicker over the text ("Ekonomi", "EKSKLUSIF"), not a sentence."""
    return len(line) < 40 and len(line.split()) <= 3 and not line.startswith("- ") \
        and not SENTENCE_END.search(line)


def take_lead(lines: list[str]) -> tuple[str | None, list[str]]:
    """The dateline that opens the text, and the text without it; section labels above the
    first paragraph go too."""
    lines = list(lines)
    while len(lines) > 1 and _label(lines[0]) and bare_dateline(lines[0]) is None:
        lines.pop(0)
    if not lines:
        return None, lines
    bare = bare_dateline(lines[0])
    if bare and len(lines) > 1:
        return bare, lines[1:]
    lead, lines[0] = split_dateline(lines[0])
    return lead, lines

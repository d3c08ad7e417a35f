"""Party extraction for the classifier (classify step): organisation and place names, normalised.

"Pemkot Bandung" -> "Pemerintah Kota Bandung"; "Dubes Jepang" -> "Kedutaan Besar Jepang";
"Kota Hamamatsu, Jepang" -> "Kota Hamamatsu (Jepang)". Runs only on the few evidence sentences.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from .canonical import canonical, same_party
from .gazetteer import GAZETTEER as G
from .regex_trie import by_first_char, starts_word, trie_pattern

# A capitalised word, or the "dr" of a hospital named after a doctor ("RSUD dr Soekardjo").
_WORD = re.compile(r"[ \t]+([A-Z0-9(][\w'’&.()-]*|dr\.?(?=[ \t]+[A-Z]))")
_RUN = re.compile(r"(?:[ \t]+(?:[A-Z0-9(][\w'’&.()-]*|dr\.?(?=[ \t]+[A-Z])))+")
# Words that end a captured name, compared in lower case (titles are in Title Case).
_STOP = G.stopwords
# Words that open another organisation's name: "Kementerian X dan Pemerintah Provinsi Y".
_ORG_STARTS = frozenset(
    {"Pemerintah", "Pemkot", "Pemkab", "Pemprov", "Pemko", "Pemda", "Kota", "Kabupaten"}
    | {"Provinsi", "Universitas", "Institut", "Politeknik", "PT", "RSUD", "Bank", "Kedutaan"}
    | {"Kedubes", "Dubes", "Konsulat", "Kementerian", "DPRD"}
)
_DIRECTIONS = frozenset({"barat", "timur", "utara", "selatan", "tengah", "raya", "baru", "daya"})


def _mentions(text: str, hints: tuple[str, ...]) -> bool:
    return any(hint in text for hint in hints)


def _word_start(*words: str) -> str:
    """Alternation of words that must open a word, as after a leading \\b. The check sits after
    each first letter ((?<!\\w.)): a leading \\b would stop `re` from skipping to those letters."""
    return by_first_char("|".join(re.escape(w[0]) + r"(?<!\w.)" + re.escape(w[1:]) for w in words))


# The keyword alternations below are grouped by first letter (regex_trie.by_first_char): the
# same matches at half the cost or less.
_GOV = re.compile(
    "(?P<kind>"
    + by_first_char(
        r"Pemerintah\s+Kota|Pemerintah\s+Kabupaten|Pemerintah\s+Provinsi|Pemerintah\s+Daerah|"
        r"Pemkot|Pemkota|Pemko|Pemkab|Pemprov|Pemda|Kota|Kabupaten|Kab\.|Provinsi|Prov\.|"
        r"Wakil\s+Wali\s*[Kk]ota|Wali\s*[Kk]ota|Walkot|Wako|Wawali|Wakil\s+Bupati|Bupati|Wabup|"
        r"Wakil\s+Gubernur|Gubernur|Wagub|Pemerintah"
    )
    # "Pemkab dan Kejari Karimun": a bare government word joined to a body (_shared_place)
    + r")(?=[ \t]+(?:[A-Z]|(?:dan|serta|&)[ \t]+[A-Z]))"
)
# Substring of the matched keyword -> level of government; checked in this order.
_LEVELS = (
    ("kab", "kab"),
    ("prov", "prov"),
    ("daerah", "daerah"),
    ("pemda", "daerah"),
    ("ko", "kota"),
)
_OFFICIALS = ("wali", "wakil", "walkot", "wako", "wawali", "bupati", "wabup", "gubernur", "wagub")
# Which gazetteer tables resolve a name after each keyword, in order.
_LOOKUP = {
    "kota": ("kota", "kab"),
    "kab": ("kab", "kota"),
    "prov": ("prov",),
    "daerah": ("prov", "kota", "kab"),
    "pemerintah": ("prov", "kota", "kab"),
}
_GOV_FORM = {
    "kota": "Pemerintah Kota",
    "kab": "Pemerintah Kabupaten",
    "prov": "Pemerintah Provinsi",
}

_EMBASSY = re.compile(
    by_first_char(
        r"Kedutaan\s+Besar|Kedubes|Kedutaan|Duta\s+Besar|Dubes|Embassy\s+of|Konsulat\s+Jenderal|"
        r"Konsul\s+Jenderal|Konjen|KJRI|"
        # a consulate that is no consulate general, and its consul: "Konsulat AS di Surabaya",
        # "Konsul Kehormatan Maroko"
        r"Konsulat(?:\s+Kehormatan)?|Konsul(?:\s+Kehormatan)?"
    )
    + r"(?:\s+(?:Besar\s+)?(?:Republik|Negara|Kerajaan))?(?=[ \t]+[A-Z])"
)
# Substrings without which a pattern cannot match: a few `in` tests cost less than its scan.
_EMBASSY_HINTS = ("Kedu", "Duta", "Dubes", "Embassy", "Konsul", "Konjen", "KJRI")
_KBRI = re.compile(r"KBRI[ \t]+([A-Z]\w+)")
_MINISTRY = re.compile(r"Kementerian(?=[ \t]+[A-Z])")
_MINISTER = re.compile(r"Menteri(?=[ \t]+[A-Z])")
_MIN_WORD = re.compile(r"[ \t]+((?:dan|&)[ \t]+)?([A-Z][\w-]*)")
_INSTITUTION = re.compile(
    "(?P<kind>"
    + by_first_char(
        r"Universitas|Universiti|Institut|Politeknik|Sekolah\s+Tinggi|Akademi|STIKes|STIE|"
        r"UIN|IAIN|STAIN|STKIP|STMIK|STIH|STIKOM|STT|Sekretariat\s+DPRD|Puskesmas|Klinik|Perusda|"
        r"RSUD|RSUP|RSIA|RSU|RS|Rumah\s+Sakit\s+Umum\s+Daerah|Rumah\s+Sakit\s+Umum\s+Pusat|Rumah\s+Sakit|"
        r"PT\.?|Perumda|Perum|Perseroda|PDAM|PD|BUMDes|Bumdes|BUMD|Bank|Pondok\s+Pesantren|Ponpes|Pesantren|"
        r"SMKN?|SMAN?|SMPN?|SDN?|MTsN?|MAN|Madrasah|Koperasi|Yayasan|Asosiasi|Himpunan|Lembaga|Kelompok\s+Tani|"
        r"Dinas|Badan|Komisi|Ombudsman|Kepolisian|Polresta|Polres|Polda|Kejaksaan\s+Negeri|Kejaksaan\s+Tinggi|"
        r"Kejari|Kejati|Pengadilan|BPJS|Hotel|CV|Pemerintah\s+Desa|Desa|Kamar\s+Dagang|Persatuan|Ikatan|"
        r"Kodam|Korem|Kodim|Lantamal|Lanud|Lanal|Keraton|Kesultanan|Kedatuan|Paguyuban"
    )
    + r")(?=[ \t]+(?:[A-Z0-9(]|dr\b))"
)
# Foreign-style names whose kind word comes last: "Mitsui & Co", "Borneo FC", "Ghent Port Company".
_TRAILING_WORDS = (
    by_first_char(
        r"Co\.?|Ltd\.?|Inc\.?|Corporation|Corp\.?|Group|University|College|Institute|Company|FC|"
        r"Foundation|Energy|Holdings?|Limited|GmbH|AG|Berhad|Bhd\.?"
    )
    + r"(?![\w])"
)
_TRAILING = re.compile(r"(?:[A-Z][\w&'.-]*[ \t]+){1,5}" + _TRAILING_WORDS)
_TRAILING_HINT = re.compile(r"[ \t]" + _TRAILING_WORDS)  # cheap test before the costly pattern
# English names built on "of" or "for": "University of Melbourne", "Port of Rotterdam Authority",
# "People's Bank of China", "Japan Bank for International Cooperation". A few English words may
# stand before the kind word; Indonesian ones there are a headline's ("Gandeng University of ...").
_OF_KINDS = (
    r"University|Universiti|Institute|Ministry|Bank|Port|Department|Chamber|Academy|College|School|"
    r"Board|Council|Agency|Authority|Embassy|Consulate|Government|Prefecture|Museum|Hospital|Center|"
    r"Centre|Foundation|Federation|Association|Society|Commission|Corporation|Office|Organization|"
    r"Organisation|Bureau|Directorate|Municipality|Province|City|State|Republic|Kingdom|Faculty"
)
# Found from the "of" back to the kind word (a pattern that opened with the English words would
# be tried at every offset of the text)
_OF_WORD = re.compile(r"[ \t](?:of|for)(?:[ \t]+the)?(?=[ \t]+[A-Z])")  # _take reads from the blank
_OF_HEAD = re.compile(
    r"(?:(?:The|National|Royal|Central|State|Federal|International|Asian|Islamic|People's|Reserve|"
    r"Open|Technical|Catholic|Imperial|Japan|Korea|Chinese|American|European|Australian)[ \t]+){0,3}"
    + f"(?:{_OF_KINDS})$"
)
_OF_HINTS = (" of ", " for ")
_INST_FORM = {
    "rumah sakit umum daerah": "RSUD",
    "rumah sakit umum pusat": "RSUP",
    "rs": "Rumah Sakit",
    "pt.": "PT",
}
_ACRONYMS = G.acronyms
_KNOWN_NAMES = frozenset(_ACRONYMS.values())
_ACRONYM_RE = re.compile("(?:" + trie_pattern(_ACRONYMS) + r")\b")
_NUMBERED = re.compile(r"[ \t]+(I{1,3}|IV|V|VI{1,3}|IX|X|XI{1,3}|XIV)\b")  # "PTPN XII", "Pelindo III"
# MoUs with a dozen campuses or firms at once are common; a user watching any of them needs
# its name (8 -> 16 on the real training side: parties recall +0.012, precision -0.006).
MAX_PARTIES = 16
# A minister's title names the ministry only when the words after it are a ministry's name
# ("Menteri Kesehatan ..."), never a person's ("Menteri Susi").
_MINISTRIES = frozenset(canonical(v) for v in _ACRONYMS.values() if v.startswith("Kementerian "))
_COUNTRY_KEYS = frozenset(c.lower() for c in G.country.values())


# "PT Java Wood Industri Rp30 miliar", "Desa 2020": an amount or a year is never part of a name
_AMOUNT = re.compile(r"(?:Rp|US\$|USD|IDR)[\d.,]|(?:19|20)\d\d$")
_AMOUNT_FIRST = "RUI12"  # the first characters _AMOUNT can match: a cheaper test for most words
# A title before the organisation ("Direktur Utama PT X Budi Santoso", "Dirjen Minerba Kementerian
# ESDM Thamrin Sihite"): the capitalised words after the organisation are likely a person's name.
_ROLES = frozenset(
    {"Direktur", "Dirut", "Dirjen", "Direksi", "Kepala", "Ketua", "Sekretaris", "Sekjen", "Rektor", "Wakil"}
    | {"Manajer", "Manager", "GM", "CEO", "Presiden", "Komisaris", "Deputi", "Asisten", "Kabid", "Kabag"}
    | {"Kasi", "Kasubag", "Plt", "Pj", "Staf", "Perwakilan", "Pimpinan", "Pemilik", "Owner", "Founder"}
    | {"Koordinator", "Kadis", "Kapolres", "Kapolda", "Kajari", "Kajati", "Dekan", "Sekda", "Jubir"}
    | {"Humas", "Chairman", "Director", "Head", "Officer", "Bicara"}  # "Juru Bicara"
)


_CAPITALISED = re.compile(r"[A-Z][\w.&-]*$")
_TITLE_JOINS = frozenset({"dan", "&", "serta"})


def _role_before(chunk: str, start: int) -> bool:
    """Whether a title opens the run of capitalised words that ends right before start.

    A walk back over at most 80 characters of the same line (a regex searched there costs ten
    times more, and this runs for every organisation named in the evidence).
    """
    window = chunk[max(0, start - 80) : start]
    if not window or window[-1] not in " \t":
        return False
    words = window[window.rfind("\n") + 1 :].split()
    for w in reversed(words):
        if w in _TITLE_JOINS:  # "Dirjen Mineral dan Batu Bara Kementerian ESDM ..."
            continue
        if _CAPITALISED.match(w) is None:
            return False
        if w in _ROLES:
            return True
    return False


_LEADING_NOT_NAME = _STOP | frozenset(
    {"direktur", "dirut", "presiden", "ketua", "manajer", "manager", "ceo", "utama", "sponsor", "klub",
     "pemain", "pelatih", "suporter", "owner", "chairman", "director", "sponsori", "gandeng", "dukung",
     "perpanjang", "kontrak", "apparel", "jersey", "mitra", "resmi"}
)
_ACRONYM_WORD = re.compile(r"[A-Z]{2,}$|RI$")
_NAME_TITLES = frozenset({"dr", "prof", "drs", "dra", "ir", "h", "hj", "kh", "st", "moh", "muh"})
_HAJI = frozenset({"H", "Hj"})


def _role_trim(chunk: str, text: str, kind: str, words: list[str], start: int) -> list[str]:
    """The organisation's own words when a title before it says a person's name follows.

    The longest shorter form that the article also writes on its own (followed by a lower-case
    word or punctuation) wins; else the name ends after its first acronym ("PT SCTK", "Ombudsman
    RI"); else the words stay as they are.
    """
    if len(words) < 2:
        return words
    if not _role_before(chunk, start):
        # No title before it: cut only a tail of plain names ("Bank Mandiri Iwan Tri Imawan",
        # "Kejaksaan Negeri Kudus Ardian") when the article writes the whole once and a shorter
        # form on its own elsewhere.
        if text.count(" ".join([kind, *words])) > 1:
            return words
        for n in range(len(words) - 1, 0, -1):
            tail = words[n:]
            if not all(
                w[:1].isupper()
                and not _ACRONYM_WORD.match(w)
                and w.lower() not in _DIRECTIONS
                and (w not in _PLAIN_LEVELS or i == len(tail) - 1)
                for i, w in enumerate(tail)
            ):
                break  # "Kota Bima" after a name is its place, not a person's name
            last = words[n - 1].rstrip(".")
            if len(last) == 1 or last.lower() in _NAME_TITLES:
                continue  # "RSUD dr. R. Soedarsono": a hospital named after a person keeps the name
            if _stands_alone(text, " ".join([kind, *words[:n]])):
                return words[:n]
        return words
    for n in range(1, len(words) - 1):
        # "Direktur Utama Bank Bengkulu H. Agusalim": after a title, a pilgrim's "H."/"Hj." past
        # the body's first word starts the person (right after it, it names the body: "RSUD H.
        # Damanhuri")
        if words[n] in _HAJI and words[n + 1][:1].isupper():
            return words[:n]
    for n in range(len(words) - 1, 0, -1):
        if _stands_alone(text, " ".join([kind, *words[:n]])):
            return words[:n]
    placed = _ends_at_place(words)
    if placed:
        return words[:placed]  # "Kepala Kejari Kabupaten Cirebon Yudhi Kurniawan"
    for n, w in enumerate(words[:-1], 1):
        if _ACRONYM_WORD.match(w) and words[n][:1].isupper() and not _ACRONYM_WORD.match(words[n]):
            return words[:n]
    for n in range(1, len(words) - 1):
        # "Direktur PT Sinar Jaya Budi Santoso": Budi starts the person. Not a name's last word
        # ("Munawal Hadi": a surname), nor one after a title ("RSUD dr Slamet Martodirdjo").
        last = words[n - 1].rstrip(".")
        if words[n] in _GIVEN_NAMES and len(last) > 1 and last.lower() not in _NAME_TITLES:
            return words[:n]
    return words


_LEVEL_WORDS = {"Kabupaten": "kab", "Kab.": "kab", "Kota": "kota", "Provinsi": "prov", "Prov.": "prov"}
# Words that carry a body's name on past its place: "Polres Magelang Kota", "... Kota Cabang X"
_AFTER_PLACE = frozenset({"Kota", "Cabang", "Wilayah", "Regional", "Unit", "Area", "Perwakilan"})


def _ends_at_place(words: list[str]) -> int:
    """How many words end at "Kabupaten/Kota/Provinsi <known place>" when capitalised words that
    do not go on with the body's name follow it (after a title, the person); 0 otherwise."""
    for i, w in enumerate(words[:-2]):
        level = _LEVEL_WORDS.get(w)
        if level is None:
            continue
        hit = G.longest(words[i + 1 :], G.levels[level])
        if hit is None:
            continue
        n = i + 1 + hit[1]
        rest = words[n:]
        if not rest or rest[0] in _AFTER_PLACE or rest[0].lower() in _DIRECTIONS or _ACRONYM_WORD.match(rest[0]):
            continue
        return n
    return 0


# Given names common enough to say where a person's name starts after "Direktur PT X ..."; names
# that also name institutions ("Ahmad Dahlan", "Andi Djemma", "Santa Maria") are left out.
_GIVEN_NAMES = frozenset(
    {"Agus", "Budi", "Bambang", "Joko", "Dedi", "Dedy", "Hendra", "Heru", "Eko", "Edi", "Edy", "Eddy"}
    | {"Rudi", "Rudy", "Arief", "Arif", "Siti", "Rina", "Dewi", "Ratna", "Wahyu", "Wawan", "Iwan"}
    | {"Irwan", "Teguh", "Yudi", "Rahmat", "Rachmat", "Imam", "Ismail", "Hadi", "Haris", "Fajar"}
    | {"Rizky", "Rizki", "Reza", "Dian", "Dani", "Deni", "Doni", "Faisal", "Fauzi", "Gunawan", "Hery"}
    | {"Heri", "Slamet", "Sugeng", "Taufik", "Yanto", "Zainal", "Zulkifli", "Anwar", "Asep", "Ujang"}
    | {"Dadang", "Cecep", "Yohanes", "Johannes", "Fransiskus", "Agustinus", "Bayu", "Rizal", "Lukman"}
    | {"Sandi", "Sandy", "Yoga", "Kurniawan", "Ikhsan", "Ihsan", "Syamsul", "Syaiful", "Saiful"}
)


def _stands_alone(text: str, form: str) -> bool:
    """Whether text writes form followed by punctuation, a lower-case word or its end, never by
    another capitalised word or a letter (a plain scan: one compiled regex per form is slow)."""
    size = len(text)
    i = text.find(form)
    while i >= 0:
        j = k = i + len(form)
        while k < size and text[k] in " \t":
            k += 1
        if k == size:
            return True
        ch = text[k]
        if not (ch.isalnum() or ch == "_") or (k > j and "a" <= ch <= "z"):
            return True
        i = text.find(form, i + 1)
    return False


# A person's name follows an organisation's without a comma in Indonesian reporting ("... Kerja
# Sama Politeknik Negeri Bali I Ketut Sutama"): an academic or religious title, or a Balinese
# birth-order name after "I"/"Ni", starts the person. Only after the first word: hospitals are
# named after doctors ("RSUD Dr. Soetomo", "RSUP Prof. Dr. R. D. Kandou").
_HONORIFICS = frozenset({"Prof", "Dr", "Drs", "Dra", "Ir", "Hj", "KH", "Kyai", "Ustaz", "Ustadz", "Ida", "Cokorda"})
_PERSON_OPENERS = frozenset({"I", "Ni", "Anak"})
_GIVEN = re.compile(
    r"[ \t]+(?:Made|Ketut|Wayan|Nyoman|Putu|Komang|Kadek|Gede|Gde|Gusti|Nengah|Luh|Nym|Kt|Agung)\b"
)


def _next_is_given_name(text: str, pos: int) -> bool:
    return _GIVEN.match(text, pos) is not None


# A headline's verb glued to the name before it ("PT SCMPP Jadwalkan", "BUMDes Dimatangkan"):
# -kan verbs, bare or with me-/di-; the -kan nouns of names open with pe-, ke- or ter-
# ("Pendidikan", "Kependudukan", "Terbarukan") and places are short ("Tarakan", "Nunukan")
_VERB = re.compile(r"(?:[Dd]i|[Mm]e)[a-z]{4,}kan|(?![Pp]e|[Kk]e|[Tt]er)[A-Z][a-z]{4,}kan")


# "Kerja" ends a name ("... Teken Kerja Sama") except in the names of labour offices and
# training centres: "Dinas Tenaga Kerja", "Balai Latihan Kerja"
_WORK_BODIES = frozenset({"Tenaga", "Latihan", "Pelatihan", "Keselamatan", "Satuan", "Unit"})


# A dot that does not end the name: "PT.", a title or an initial ("RSUD dr. R. Soedarsono").
_INITIAL = re.compile(r"(?:PT|[A-Z]|dr|Dr|Prof|Ir|Drs|Hj?|KH|Moh|Muh|St)\.$")


# A name that opens with a founding date ("Universitas 17 Agustus 1945"): a month goes on with
# the name only right after a day that is the name's first word, so "Universitas Lampung 12 Mei
# 2016" still ends before the date.
_MONTHS = frozenset(
    {"januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september"}
    | {"oktober", "november", "desember"}
)
_DAY_OPENS = re.compile(r"(?:[1-9]|[12][0-9]|3[01])")
_MONTH_AHEAD = re.compile(r"[ \t]+(?i:" + "|".join(sorted(_MONTHS)) + r")\b")


def _take(text: str, pos: int, limit: int = 5) -> tuple[list[str], int]:
    """Capitalised words after pos, stopping at function words / verbs; returns (words, end)."""
    run = _RUN.match(text, pos)  # one regex call for the whole run of candidate words
    if run is None:
        return [], pos
    words: list[str] = []
    end = pos
    for m in _WORD.finditer(text, pos, run.end()):
        raw = m.group(1)
        word = raw.rstrip(".)").lstrip("(")
        if (
            not word
            or (
                word.lower() in _STOP
                and not (word == "Kerja" and words and words[-1] in _WORK_BODIES)
                and not (word.lower() in _MONTHS and _DAY_OPENS.fullmatch(" ".join(words)) is not None)
            )
            or (raw.startswith("(") and words)
            or (word[0] in _AMOUNT_FIRST and _AMOUNT.match(word) and not (words and words[-1].lower() in _MONTHS))
        ):
            break
        if words and (
            (word[0].isdigit() and _MONTH_AHEAD.match(text, m.end()) is not None)  # "... 12 Mei 2016"
            or word in _HONORIFICS
            or (word in _PERSON_OPENERS and _next_is_given_name(text, m.end()))
            or _VERB.fullmatch(word) is not None
        ):
            break  # "Universitas Airlangga Prof. Nasih", "Politeknik Negeri Bali I Ketut Sutama"
        if len(words) == limit:
            # the limit cut a place in two ("Bank Pembangunan Daerah Jawa | Timur"): a compass
            # word after it still belongs to the name
            if word.lower() in _DIRECTIONS:
                words.append(word)
                end = m.end()
            break
        words.append(word)
        end = m.end()
        if raw.endswith(".") and _INITIAL.match(raw) is None:
            break
    return words, end


_PARTNER_WORDS = ("dengan", "bersama", "antara", "dan", "gandeng", "menggandeng", "oleh", "pihak", "kepada")
_PARTNER_BEFORE = re.compile(rf"\b(?:{'|'.join(_PARTNER_WORDS)})[ \t]+(?:pihak[ \t]+)?$", re.I)
_PARTNER_ENDS = frozenset(w[-3:] for w in _PARTNER_WORDS)


def _after_partner_word(text: str, pos: int) -> bool:
    """_PARTNER_BEFORE.search(text, pos - 24, pos): whether a partner word and blanks end at pos.

    Most names follow no partner word; the regex search tries every offset of the window, so a
    name whose preceding word cannot end like a partner word is answered without it.
    """
    lo = max(0, pos - 24)
    window = text[lo:pos]
    if window.endswith("\n"):
        window = window[:-1]  # `$` also matches before a final newline
    head = window.rstrip(" \t")
    if len(head) == len(window):
        return False  # no blank before pos
    tail = head[-3:]
    if tail.isascii() and tail.lower() not in _PARTNER_ENDS:
        return False  # (other letters may match ASCII ones under re.I: those go to the regex)
    return _PARTNER_BEFORE.search(text, lo, pos) is not None


_WORDS = re.compile(r"[^\W_]+")
_GENERIC_WORDS = frozenset(
    {"pemerintah", "kota", "kabupaten", "provinsi", "pt", "bank", "universitas", "kedutaan", "besar"}
)

_COUNTRY_SEP = re.compile(r"\s*(?:,|\(|\bdi\b)\s*")


def _country_after(text: str, pos: int) -> str | None:
    """Country named right after a foreign city: "Hamamatsu, Jepang" / "Hamamatsu (Jepang)"."""
    m = _COUNTRY_SEP.match(text, pos)
    if m is None:
        return None
    c = G.country_re.match(text, m.end())
    return G.country[c.group().lower()] if c else None


def _government(text: str, m: re.Match[str]) -> tuple[str | None, int]:
    """Normalised government (or foreign city) named after a Pemkot/Kota/Wali Kota... keyword."""
    raw_kind = " ".join(m.group("kind").lower().split())
    official = raw_kind.startswith(_OFFICIALS)
    if official:
        kind = "kab" if "bup" in raw_kind else "prov" if "gub" in raw_kind else "kota"
    else:
        kind = next((level for key, level in _LEVELS if key in raw_kind), "pemerintah")
    words, end = _take(text, m.end())
    if not words:
        shared = None if official or kind not in _GOV_FORM else _shared_place(text, end, kind)
        return (f"{_GOV_FORM[kind]} {shared}" if shared else None), end
    for k in range(len(words)):  # "Pemerintah Daerah Otonomi Guangxi"
        foreign = G.longest_foreign(words[k:])
        if foreign is not None:
            return foreign[0].party, end
    if kind == "pemerintah":
        hit = G.longest(words, G.country)
        if hit is not None:
            return f"Pemerintah {hit[0]}", end
    if kind == "daerah":
        # "Pemerintah Daerah Istimewa Yogyakarta": "Daerah" opens the province's own name
        hit = G.longest(["Daerah", *words], G.levels["prov"])
        if hit is not None:
            return f"{_GOV_FORM['prov']} {hit[0]}", end
    for level in _LOOKUP[kind]:
        hit = G.longest(words, G.levels[level])
        if hit is not None:
            own = level if kind in ("daerah", "pemerintah") else kind
            names = [hit[0]]
            if hit[1] == len(words):  # "Pemerintah Provinsi Jawa Tengah dan Lampung": both
                more, end = _coordinated(text, end, G.levels[level])
                names += more
            return " | ".join(f"{_GOV_FORM[own]} {name}" for name in names), end
    if official or kind == "pemerintah":
        return None, end  # "Wali Kota Helmi": a person, not a place
    joined = _joined(words[0], kind)
    if joined:
        return " | ".join(joined), end
    name = words[0]
    if len(words) > 1 and (words[1].lower() in _DIRECTIONS or len(name) <= 5):
        name = f"{name} {words[1]}"
    country = _country_after(text, end)
    if country is not None:
        return (f"Kota {name}" if kind == "kota" else " ".join(words)) + f" ({country})", end
    if raw_kind in ("kota", "kabupaten", "kab.", "provinsi", "prov."):
        return None, end  # bare "Kota Layak Anak", "Kota Tua": not a known place
    return (f"Pemerintah Daerah {name}" if kind == "daerah" else f"{_GOV_FORM[kind]} {name}"), end


_AND = re.compile(r"[ \t]*(?:,|dan|serta|&)(?=[ \t]+[A-Z])")


_AND_BODY = re.compile(r"[ \t]+(?:dan|serta|&)[ \t]+([A-Z][\w.'-]*(?:[ \t]+[A-Z][\w.'-]*){0,5})")


def _shared_place(text: str, pos: int, kind: str) -> str | None:
    """The place of a bare government word joined to a body that names it: "Pemkab dan Kejari
    Karimun", "Pemkot dan Polres Magelang Kota", "Pemkot dan Pemkab Sukabumi" (the place ends
    the body's name, or comes one word before its end)."""
    joint = _AND_BODY.match(text, pos)
    if joint is None:
        return None
    body = joint.group(1).split()  # the body's kind word ("Kejari") is a stop word of _take
    body = body[: next((i for i, w in enumerate(body) if i and w.lower() in _STOP), len(body))]
    table = G.levels[kind]
    for k in range(1, len(body)):
        hit = G.longest(body[k:], table)
        if hit is not None and k + hit[1] >= len(body) - 1:
            return hit[0]
    return None


def _coordinated(text: str, end: int, table: dict[str, str]) -> tuple[list[str], int]:
    """Places of one level that share the government word before them ("Pemerintah Kabupaten
    Bantul, Sleman dan Kulon Progo"): each must be the whole run of capitalised words after its
    "dan" or comma, so that "dan Bank BJB" or "dan Kota Batu" ends the list."""
    places: list[str] = []
    while (joint := _AND.match(text, end)) is not None:
        words, stop = _take(text, joint.end())
        hit = G.longest(words, table) if words else None
        if hit is None or hit[1] != len(words):
            break
        places.append(hit[0])
        end = stop
    return places, end


def _joined(word: str, kind: str) -> list[str]:
    """"Pemprov Jateng-Lampung": two governments of one level written as one word."""
    if "-" not in word or kind not in _GOV_FORM:
        return []
    table = G.levels[kind]
    places = [table.get(part.lower()) for part in word.split("-")]
    if len(places) < 2 or None in places:
        return []
    return [f"{_GOV_FORM[kind]} {place}" for place in places]


@dataclass(slots=True)
class Candidate:
    """One organisation or place named in the evidence sentences, with where and how often.

    roles: bit 1 the lead sentence, bit 2 a cue sentence, bit 4 the strongest cue sentence, bit 8
    a sentence that enumerates names near the cue sentences (rules._lists).
    """

    name: str
    kind: str
    title: bool = False
    count: int = 0
    first: float = 0.0
    roles: int = 0
    partner_word: bool = False  # right after "dengan", "bersama", "antara", "dan", "gandeng"
    in_title: bool = False  # its distinctive words all appear in the title, in any case
    peers: int = 0  # the most other candidates named with it in one body sentence
    many: bool = False  # the headline counts the partners ("dengan Tujuh Perguruan Tinggi")
    mentions: int = 0  # how often its rarest distinctive word stands anywhere in the article


ROLE_LEAD, ROLE_CUE, ROLE_BEST, ROLE_LIST = 1, 2, 4, 8
KINDS = (
    "institution", "government", "embassy", "kbri", "ministry", "acronym", "foreign", "country", "place", "name",
    "caps", "subject", "listed",
)
# A capitalised name right after a partner word in the body ("menggandeng Wings Air", "dengan
# Mubadala Energy"): brands, clubs and firms without PT/Bank/Universitas. Often a person
# ("bersama Budi Santoso"), so it is its own kind and the party selector weighs it.
_PARTNER_NAME = re.compile(
    _word_start("dengan", "bersama", "menggandeng", "gandeng", "antara", "mitra", "sponsor")
    + r"(?=[ \t]+(?:pihak[ \t]+)?[A-Z])"
)
_LIST_START = re.compile(
    _word_start("yakni", "yaitu", "seperti", "meliputi", "antaranya", "dihadiri", "termasuk")
    + r"(?=[ \t]+[A-Z])"
)
_LIST_HINTS = ("yakni", "yaitu", "seperti", "meliputi", "antaranya", "dihadiri", "termasuk")


def _a_place(words: list[str], kind: str) -> bool:
    """Whether an enumerated name is a place or a country ("seperti Bandung, Bogor")."""
    if kind != "listed":
        return False
    name = " ".join(words)
    return G.place_re.fullmatch(name) is not None or name.lower() in G.country or name.lower() in G.foreign


_COMPANY_FROM = re.compile(
    _word_start(
        "Perusahaan", "perusahaan", "Investor", "investor", "Grup", "grup",
        "Konsorsium", "konsorsium", "Korporasi", "korporasi", "Pengusaha", "pengusaha",
    )
    + r"[ \t]+(?:asal|dari)[ \t]+"
)
# ("rup" alone is in "korupsi" and "berupa": the blank after "Grup" is part of its hint)
_COMPANY_HINTS = ("erusahaan", "nvestor", "rup ", "rup\t", "onsorsium", "orporasi", "engusaha")
# "Investor Malaysia", "Tiga Pengembang Korea Selatan", "perusahaan asal Jepang": the country
# says where the firms come from
_INVESTOR_WORDS = (
    "perusahaan", "investor", "pengembang", "pengusaha", "korporasi", "konsorsium", "grup", "swasta", "mitra"
)
_INVESTORS_FROM = re.compile(rf"\b(?i:{'|'.join(_INVESTOR_WORDS)})(?:[ \t]+(?i:asal|dari))?[ \t]+$")
_FIRM_KINDS = frozenset({"name", "caps", "acronym", "institution", "subject"})
_NAMED = re.compile(r"[ \t]*,?[ \t]*(?:(?:yakni|yaitu|bernama)[ \t]+)?(?=[A-Z])")
_NOT_A_NAME = frozenset(
    {"Bapak", "Ibu", "Pak", "Bu", "Menteri", "Wamen", "Kapolri", "Presiden", "Sekretaris", "Ketua", "Kepala"}
    | {"Direktur", "Wali", "Wakil", "Bupati", "Gubernur", "Camat", "Lurah", "Kades", "Dinas", "Tim", "Para"}
    | {"Dubes", "Duta", "Rektor", "Dekan", "Dirut", "Kapolres", "Kapolda", "Dandim", "Danrem", "Pangdam"}
    | {"Satgas", "Forkopimda", "DPRD", "Komisi", "Fraksi", "Anggota", "Warga", "Masyarakat", "Pemerintah"}
    | {"Rombongan", "Delegasi", "Jajaran", "Seluruh", "Sejumlah", "Semua", "Kedua", "Pimpinan", "Perwakilan"}
    # the agreement, its programme or the news about it, capitalised in a headline or a quote:
    # "Teken Kesepakatan Kerja Sama", "Program Jaga Desa", "Kabar Bank BUMN Jadi Sponsor"
    | {"Kesepakatan", "Kesepahaman", "Perjanjian", "Nota", "Kontrak", "Adendum", "Addendum", "Amandemen"}
    | {"Renegosiasi", "Program", "Kabar"}
)


# An all-capitals word the gazetteer does not know ("PBSI", "PTBA", "KPC", "TVRI") is often a
# party; these never are: documents, programmes, units, titles, media and plant types.
_CAPS = re.compile(r"[A-Z][A-Z0-9]{1,6}\b")
_CAPS_NOT_PARTY = frozenset(
    re.findall(
        r"\S+",
        "PT CV RS RSUD SD SMP SMA SMK SMKN SDM ID OPD SKPD UMKM UKM CEO BUMD BUMN APBD APBN PAD KKN MBKM TUN US RI NKRI"
        " MW MVA MMBTU PLTU PLTS PLTA PLTGU PUPR TPA ASN PNS UU KH SH MM MH HM S1 S2 S3 RKUD KK LPPM PJBG PJBL KEK"
        " SPAM KUR CSR WIB WITA WIT IUPK KSP KPBU KERJA SAMA MOU LOI PKS DPRD DPR DPD HUT SPKLU QRIS PKL"
        " CPO PTN PTS FX ATM TV PM LPK BLK P3MI"
        " BBM LPG PPDS JKN GOR BLU ADV CCTV II III IV VI VII VIII IX XI XII KOTA BESAR ANTARA KOMPAS TEMPO KONTAN"
        " PROGRES AKBP TNI OTT HAM SOP SK PERDA PERWALI PERBUP RPJMD RKPD KUA PPAS PPA BPKAD DPMPTSP"
        " PI KUB FH FE FK KSO PKP2B PJBG PPA PJBL SPJBTL ISL IBL"
        " PPJT BUJT LNG COP TPT SPBU PLTP PLTSA IPP EPC BOT BGS KPS FDI"
        # programmes, permits, rules and kinds of body: "kerja sama EBT", "lahan HGB", "PTS"
        " EBT KTT PEN PTS PTM KB HGB HGU IUP RKT IA PSN KSPN DAK DAU PMDN TKDN SNI MBG RTRW"
        # workers, investment, work orders, waste-to-energy, a trade treaty: "MoU TKI", "IEU-CEPA"
        " TKI PMA SPK WTE IEU CEPA",
    )
)
# "TANGERANG SELATAN -", "SIDOARJO (RadarJatim.id) -": a dateline names where, never who
# Tried at line starts only (a match never crosses a newline): a (?m)^ pattern is tried everywhere,
# _DATELINE_NEXT only after each newline (`re` jumps from one to the next).
# (a hyphen inside a word: "TRIBUN-TIMUR.COM, MAKASSAR -", whose "TIMUR" and "COM" are no parties)
DATELINE = re.compile(r"[A-Z][A-Z'.-]*(?:[ \t]+[A-Z][A-Z'.-]*)*[ \t]*(?:[,(][^\n]{0,40}?)?[ \t]*[-–—]")
_DATELINE_NEXT = re.compile(f"\n({DATELINE.pattern})")
# "dengan Tujuh Perguruan Tinggi", "Teken MoU dengan 27 Perusahaan", "Sejumlah Investor China"
_TITLE_MANY = re.compile(
    r"\b(?:[Dd]ua|[Tt]iga|[Ee]mpat|[Ll]ima|[Ee]nam|[Tt]ujuh|[Dd]elapan|[Ss]embilan|[Ss]epuluh|[Ss]ebelas|"
    r"[Dd]ua [Bb]elas|[Bb]elasan|[Pp]uluhan|[Ss]ejumlah|[Bb]erbagai|[Rr]atusan|\d+)[ \t]+"
    r"(?:[Pp]erguruan|[Kk]ampus|[Uu]niversitas|PTS|PTN|SMK|SMA|[Ss]ekolah|[Pp]erusahaan|BUMD|BUMN|BUMDes|"
    r"[Ll]embaga|[Ii]nstansi|[Ii]nvestor|[Pp]emda|[Pp]emkab|[Pp]emkot|[Kk]abupaten|[Dd]aerah|[Nn]egara|"
    r"[Bb]ank|[Rr]umah [Ss]akit|RS|[Mm]itra|[Pp]emangku|[Pp]rodusen|[Ss]melter|[Pp]esantren|[Pp]onpes|"
    r"[Dd]esa|[Kk]ejari|[Oo]rganisasi|[Pp]ihak|[Kk]ementerian|[Aa]sosiasi|[Kk]operasi|[Pp]engembang|"
    r"[Kk]lub|[Pp]rovinsi|[Mm]adrasah|[Hh]otel|[Oo]perator|[Mm]askapai|[Pp]elaku|[Pp]engusaha|[Kk]ota|PDAM|"
    r"[Pp]erumda|[Rr]umah|[Ii]nstitusi|[Pp]emerintah|[Kk]epala [Dd]aerah|[Bb]upati|[Ww]ali)"
)


def counts_partners(title: str) -> bool:
    """Whether a headline counts the partners ("dengan Tujuh Perguruan Tinggi", "27 Perusahaan")."""
    return _TITLE_MANY.search(title) is not None


_LIST_NEXT = re.compile(r"(?:,(?:[ \t]+(?:dan|serta))?|[ \t]+(?:dan|serta))(?=[ \t]+[A-Z])")
_TITLE_HEAD = re.compile(r"[A-Z0-9][\w'’&.-]*(?:[ \t]+[A-Z0-9][\w'’&.-]*){0,4}")


def _shortest_alone(body: str, kind: str, words: list[str]) -> list[str]:
    """A headline name cut back to the longest form the body writes on its own ("PT YKI Belum"
    in a Title Case headline is "PT YKI" when the body says "PT YKI bersama ..."); the words
    as they are when the body writes the whole name or no shorter form alone."""
    if len(words) < 2:
        return words
    # compared without dots: the words lost theirs ("RSUD dr. R. Soedarsono" -> "dr", "R")
    body = body.replace(".", "")
    head = f"{kind.replace('.', '')} " if kind else ""
    if body.find(head + " ".join(words)) >= 0:
        return words
    for n in range(len(words) - 1, 0, -1):
        if _stands_alone(body, head + " ".join(words[:n])):
            return words[:n]
    return words


def _title_subject(title: str, body: str) -> tuple[str, int] | None:
    """The organisation a headline opens with when no keyword marks it ("Chevron Minta ...",
    "Le Minerale Kembali Jadi Sponsor ..."): the capitalised words before the first function
    word or verb, cut to the longest form the body also writes on its own, and not a person
    (the body never puts a title such as "Direktur" right before it)."""
    m = _TITLE_HEAD.match(title)
    if m is None:
        return None
    words: list[str] = []
    for w in m.group().split():
        if w.lower() in _STOP or w in _NOT_A_NAME or w in _ORG_STARTS or _AMOUNT.match(w):
            break
        words.append(w)
    if not words:
        return None
    for n in range(len(words), 0, -1):
        form = " ".join(words[:n])
        if n == 1 and _common_word(body, form):
            break
        at = body.find(form)
        if at >= 0 and _stands_alone(body, form):
            if _role_before(body, at) or G.place_re.fullmatch(form) or G.country_re.fullmatch(form):
                return None
            return form, m.start()
    return None


# "Rudi AS Wibowo": initials between a given name and a surname (the body, not a Title Case
# headline); "Presiden AS Joe Biden", "Dubes AS Sung Kim" name the country
_NAME_BEFORE = re.compile(r"([A-Z][a-z]+)[ \t]+$")
_NAME_AFTER = re.compile(r"[ \t]+[A-Z][a-z]+")


def _inside_a_name(text: str, m: re.Match[str]) -> bool:
    before = _NAME_BEFORE.search(text, max(0, m.start() - 30), m.start())
    return (
        before is not None
        and before.group(1) not in _NOT_A_NAME
        and _NAME_AFTER.match(text, m.end()) is not None
    )


def _common_word(body: str, word: str) -> bool:
    """A capitalised word that names nothing: a number ("Tiga", "200") or a word the body writes
    in lower case (headline openers "Renegosiasi ...", "Investor ...", the "Wisata" of a title's
    "Desa Wisata")."""
    low = word.lower()
    if not any(ch.isalpha() for ch in word) or low in _NUMBER_WORDS:
        return True
    return low != word and _written(body, low)


def _written(body: str, low: str) -> bool:
    """Whether `low` stands in body as a word of its own: not inside a longer word, an address
    or a path (no word character, ".", "@", "/" or "-" before it, no word character after).
    A find loop, not a regex: the words differ per article, and a pattern for each overflowed
    `re`'s cache of 512, so most were compiled anew (8% of classify()'s instructions)."""
    at = body.find(low)
    end = len(body)
    while at >= 0:
        stop = at + len(low)
        before = body[at - 1] if at else " "
        if not (_is_word(before) or before in ".@/-") and not (stop < end and _is_word(body[stop])):
            return True
        at = body.find(low, at + 1)
    return False


def _is_word(ch: str) -> bool:
    """`re`'s \\w for one character (sre tests isalnum() or "_")."""
    return ch.isalnum() or ch == "_"


_NUMBER_WORDS = frozenset(
    {"satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh"}
    | {"sebelas", "puluhan", "ratusan", "ribuan"}
)


def extract(text: str, title_len: int, spans: Iterable[tuple[int, int]]) -> tuple[str, ...]:
    """Normalised parties mentioned in the given spans of text (title span first), ranked by
    title first, then mentions, then first mention (the rule layer's own choice)."""
    return rank(candidates(text, title_len, [(a, b, 0) for a, b in spans]))


def rank(found: list[Candidate]) -> tuple[str, ...]:
    """Candidates in the rule layer's order, cut to MAX_PARTIES."""
    ordered = sorted(found, key=lambda c: (-c.title, -c.count, c.first))
    return no_stand_in_country([c.name for c in ordered[:MAX_PARTIES]])


NATIONAL_PARTY = "Pemerintah Indonesia"
_COUNTRY_NAMES = frozenset(G.country.values())


def no_stand_in_country(names: list[str]) -> tuple[str, ...]:
    """The chosen parties without a bare country, unless the national government is a party too.
    A country alone is a party of a partnership between governments ("Indonesia dan Malaysia
    Teken MoU"); beside a region, a campus or a firm, the partner is a body of that country
    ("Investor Korea Selatan Lirik Baubau", "Unhas dan Universitas di Jepang") and the country
    would stand in for it. Out of fold, 13 of 44 bare countries chosen were right, 10 of them
    beside the national government."""
    if NATIONAL_PARTY in names:
        return tuple(names)
    return tuple(n for n in names if n not in _COUNTRY_NAMES)


# The kind of a body spelled out, with no name of its own ("dua Badan Usaha Milik Desa di
# Kendal", "dengan Lembaga Filantropi"): which village enterprise is said elsewhere, or not at all.
_GENERIC_TYPE = re.compile(
    r"Badan[ \t]+Usaha[ \t]+Milik[ \t]+(?:Desa(?:[ \t]+Bersama)?|Negara|Daerah)"
    r"|Badan[ \t]+Usaha(?:[ \t]+(?:Jalan[ \t]+Tol|Pelaksana))?|Lembaga[ \t]+(?:Filantropi|Swadaya[ \t]+Masyarakat)"
    r"|Koperasi[ \t]+Desa|Perguruan[ \t]+Tinggi|Pemerintah[ \t]+Desa"
    # a kind of campus without its name, a football association's provincial branch, and a
    # council's commission (which approves, never signs)
    r"|(?:Universitas|Institut)[ \t]+(?:Agama[ \t]+)?Islam[ \t]+Negeri|Asosiasi[ \t]+Provinsi"
    r"|Komisi[ \t]+(?:[IVX]{1,4}|[A-E])"
    # legal-form noise left alone when a name breaks at its brackets: "(Persero) Tbk"
    r"|Tbk\.?|Persero",
    re.IGNORECASE,
)


# The national government: "Pemerintah Indonesia", "Pemerintah RI", "Pemerintah Pusat", a
# headline's "Indonesia dan UEA", "RI-Malaysia", and "Pemerintah dan JICA" (no region named).
# Not a lower-case "pemerintah pusat" in passing ("sesuai target pemerintah pusat": a party in 3
# of 42 real training positives that say it) nor "se-Indonesia" (nationwide).
_NATIONAL = re.compile(
    r"[Pp]emerintah[ \t]+(?:Republik[ \t]+Indonesia|Indonesia|RI)\b|Pemerintah[ \t]+Pusat\b"
    r"|(?<![\w-])(?:Indonesia|RI)(?=[ \t]*(?:[-\u2013\u2014]|dan[ \t])[ \t]*[A-Z])"
    r"|(?<![Ss]e[-\u2013\u2014])(?<=[-\u2013\u2014])(?:Indonesia|RI)\b"
    r"|(?<![\w ])Pemerintah(?=[ \t]+dan[ \t]+[A-Z])"
)
_NATIONAL_HINTS = ("Indonesia", "RI", "usat", "Pemerintah dan")
# A brand taking a commercial role: "Umbro sebagai Apparel", "Indomilk Resmi Jadi Sponsor"
_ROLE_TAKEN = re.compile(
    r"(?<![\w-])([A-Z][\w&'’.-]*(?:[ \t]+[A-Z0-9][\w&'’.-]*){0,3}?)"
    r"(?:[ \t]+(?:[Kk]embali|[Rr]esmi))?[ \t]+(?:[Ss]ebagai|[Jj]adi|[Mm]enjadi)[ \t]+"
    r"(?:[Ss]ponsor|[Aa]pparel|[Mm]itra[ \t]+[Rr]esmi|[Pp]emasok|[Oo]perator|[Pp]engelola)\b"
)
_NONBLANK = re.compile(r"\S+")
_ROLE_HINTS = ("ponsor", "pparel", "itra Resmi", "itra resmi", "emasok", "perator", "engelola")
# Who can own a regional or state enterprise
_OWNERS = (G.province, G.kota, G.kab, G.country)
# "di ", "di Ballroom ", "di Mercure ": the words before a hotel that make it a venue
_AT_A_PLACE = re.compile(r"\bdi(?:[ \t]+[A-Z][\w-]*){0,2}[ \t]+$")


# Kinds of body always followed by a name of their own; "Dinas Pendidikan", "Badan Pangan" are
# named by their field
_NEEDS_A_NAME = frozenset(
    {"Universitas", "Universiti", "Institut", "Politeknik", "Akademi", "UIN", "IAIN", "PT", "Perumda"}
    | {"Bank", "Pondok Pesantren", "Ponpes", "Pesantren", "Koperasi", "Yayasan", "Asosiasi", "Lembaga"}
    | {"Hotel", "CV", "Desa", "Himpunan", "Perusda", "Klinik", "Rumah Sakit", "Paguyuban"}
)
# Kinds read from capitalisation alone (not from a keyword or the gazetteer)
_PLAIN_KINDS = frozenset({"name", "subject"})
# ...where these are one body, not a programme: "Kejagung dan TNI", "dengan UKM" (Universiti
# Kebangsaan Malaysia); as an unknown all-capitals word they are mostly context
_ALSO_ONE_BODY = frozenset({"TNI", "UKM"})


_PROPER_BEFORE = re.compile(r"(?:[A-Z][a-z]+[ \t]+){1,2}$")


def _own_name_before(chunk: str, start: int) -> int:
    """Where an English "of" name starts when proper names stand before its kind word: "Wuhu
    Institute of Technology", "Tokyo University of Science" (not a verb or a title: "Gandeng
    University of ...", "Presiden Wuhu Institute ...")."""
    m = _PROPER_BEFORE.search(chunk, max(0, start - 40), start)
    if m is None:
        return start
    for w in _NONBLANK.finditer(m.group()):
        if w.group().lower() not in _LEADING_NOT_NAME and w.group() not in _ORG_STARTS:
            # the name runs from the first word that can open one to the kind word
            rest = m.group()[w.start():].split()
            if all(x.lower() not in _LEADING_NOT_NAME for x in rest):
                return m.start() + w.start()
    return start


def candidates(
    text: str, title_len: int, spans: Iterable[tuple[int, int, int]], lower: str | None = None
) -> list[Candidate]:
    """Parties named in (start, end, roles) spans of text (title span first), one per
    organisation under its canonical name. lower: text.lower(), when the caller has it."""
    found: dict[str, Candidate] = {}
    order: list[str] = []
    span_roles: list[int] = []
    named_in: dict[int, set[str]] = {}  # body piece -> the keys named there

    def add(name: str | None, pos: int, kind: str) -> None:
        if not name or _GENERIC_TYPE.fullmatch(name):
            return
        if kind in _PLAIN_KINDS and name in _CAPS_NOT_PARTY and name not in _ALSO_ONE_BODY:
            return  # "dengan BUMN", "OPD ..."
        key = name.lower()
        c = found.get(key)
        if c is None:
            c = found[key] = Candidate(name, kind, first=float(pos))
            order.append(key)
        c.title = c.title or pos < title_end
        c.count += 1
        piece = bisect_right(bounds, pos) - 1
        c.roles |= span_roles[piece]
        if pos > title_end:
            named_in.setdefault(piece, set()).add(key)
        c.partner_word = c.partner_word or _after_partner_word(chunk, pos)

    # One scan over the evidence sentences joined by newlines (names never cross a newline).
    pieces: list[str] = []
    offsets: list[int] = []  # article offset of each piece, to tell title hits from body hits
    for start, end, roles in spans:
        offsets.append(start)
        pieces.append(text[start:end])
        span_roles.append(roles)
    chunk = "\n".join(pieces)
    bounds = [0]
    for piece in pieces[:-1]:
        bounds.append(bounds[-1] + len(piece) + 1)
    title_end = len(pieces[0]) if offsets and offsets[0] < title_len else -1

    covered = bytearray(len(chunk) + 1)  # 1 where a name was already read

    def take(a: int, b: int) -> None:
        covered[a:b] = b"\x01" * (b - a)

    def read_before(a: int, b: int) -> bool:
        return 1 in covered[a:b]

    def free(pos: int) -> bool:
        # the patterns carry no leading \b (it would slow `re` down): check the word start here
        return not covered[pos] and starts_word(chunk, pos)

    # Institutions first: the place in "RSUD dr Soekardjo Kota Tasikmalaya" is not a party.
    for m in _INSTITUTION.finditer(chunk):
        if m.group("kind") != "Desa" and _AFTER_MINISTRY.search(chunk, max(0, m.start() - 12), m.start()):
            continue  # "Kementerian Koperasi Ahmad Zabadi": the ministry, read below
        if free(m.start()):
            words, stop = _take(chunk, m.end(), 5)
            if "PT" in words:
                # "BUMD Cilegon PT PCM", "BUMD PT Sinergi": the company's own name starts at PT,
                # which the next match reads; what stands before it only describes it
                cut = words.index("PT")
                if cut == 0 or G.place_re.fullmatch(" ".join(words[:cut])):
                    continue
                words, stop = _take(chunk, m.end(), cut)
            if m.group("kind") in ("BUMD", "BUMN") and words:
                # "BUMD DKI", "BUMD Milik DKI Jakarta", "BUMN Tiongkok": the owner's place says
                # whose enterprise it is, not which; only a name after it ("BUMD Jabar MUJ") names one
                rest = words[1:] if words[0] == "Milik" else words
                owner = max((G.longest(rest, t) or ("", 0) for t in _OWNERS), key=lambda h: h[1])[1]
                if owner:
                    take(m.start(), stop)
                    add(" ".join(rest[owner:]) or None, m.start(), "name")
                    continue
            if m.group("kind") in _OFFICE_KINDS:
                words, stop = _office_name(chunk, words, stop)
            take(m.start(), stop)
            if m.group("kind") == "Desa":
                # "di Desa Mangliawan, Kecamatan Pakis", "LMDH Gegerhalang, Desa Malahayu": a
                # village is where the partnership happens or whose group signs; its government
                # signs as "Pemerintah Desa ..." (read above). Read here only so that its name is
                # not read again as something else ("Menteri Desa PDTT": not a ministry either)
                continue
            venue = m.group("kind") == "Hotel" and _AT_A_PLACE.search(chunk, max(0, m.start() - 30), m.start())
            if words and not venue:
                # "di Hotel Sultan", "di Ballroom Hotel Mercure": where they signed, not who
                kind = " ".join(m.group("kind").split())
                words = _role_trim(chunk, text, kind, words, m.start())
                if m.start() < title_end:
                    words = _shortest_alone(text[title_len:], kind, words)
                if len(words) == 1 and kind in _NEEDS_A_NAME and words[0].isalpha() and _common_word(text, words[0]):
                    continue  # "Lembaga Sekaligus", "UIN Online", "Desa Digital": no name follows
                add(f"{_INST_FORM.get(kind.lower(), kind)} {' '.join(words)}", m.start(), "institution")
    for of in _OF_WORD.finditer(chunk) if _mentions(chunk, _OF_HINTS) else ():
        head = _OF_HEAD.search(chunk, max(0, of.start() - 60), of.start())
        if head is None or not free(head.start()):
            continue
        head_start = _own_name_before(chunk, head.start())
        if read_before(head_start, head.start()):
            head_start = head.start()
        words, stop = _take(chunk, of.end(), 4)
        while words and chunk.startswith((" and ", " & "), stop) and stop + 5 < len(chunk):
            # "Institute of Science and Technology": "and" joins two words of one name
            joint = "and" if chunk.startswith(" and ", stop) else "&"
            more, end = _take(chunk, stop + 1 + len(joint), 2)
            if not more:
                break
            words += [joint, *more]
            stop = end
        if words:
            take(head_start, stop)
            add(f"{chunk[head_start:of.end()].strip()} {' '.join(words)}", head_start, "institution")
    for m in _TRAILING.finditer(chunk) if _TRAILING_HINT.search(chunk) else ():
        if free(m.start()):
            # "Lanjutkan Sponsor Borneo FC", "Presiden Borneo FC": the name starts after the
            # last verb or title
            tokens = list(_NONBLANK.finditer(m.group()))
            cut = max(
                (i + 1 for i, w in enumerate(tokens[:-1]) if w.group().lower() in _LEADING_NOT_NAME), default=0
            )
            if len(tokens) - cut >= 2:
                # only the name is read: in "Gubernur Sulut Terima Presiden Wuhu Institute" the
                # words before it are still the governor's government
                start = m.start() + tokens[cut].start()
                take(start, m.end())
                add(" ".join(w.group() for w in tokens[cut:]), start, "institution")
    for m in _NATIONAL.finditer(chunk) if _mentions(chunk, _NATIONAL_HINTS) else ():
        if free(m.start()):
            take(m.start(), m.end())
            add(NATIONAL_PARTY, m.start(), "government")
    for m in _GOV.finditer(chunk):
        if free(m.start()):
            branch = _branch_of(chunk, m) if m.group("kind") in _PLAIN_LEVELS else None
            if branch is not None:
                # "BPBD Kabupaten Bima", "Kadin Kabupaten Tasikmalaya": the body's office in the
                # place, not the place's government
                office, start, stop = branch
                take(start, stop)
                add(office, start, "acronym")
                continue
            gov, stop = _government(chunk, m)
            take(m.start(), stop)
            for one in gov.split(" | ") if gov else (None,):
                add(one, m.start(), "foreign" if one and one.endswith(")") else "government")
    for m in _COMPANY_FROM.finditer(chunk) if _mentions(chunk, _COMPANY_HINTS) else ():
        # "perusahaan asal Malaysia, Sime Darby Plantation": the company, not its country
        c = G.country_re.match(chunk, m.end())
        if c is None or not free(m.start()):
            continue
        named = _NAMED.match(chunk, c.end())
        words, stop = _take(chunk, named.end() - 1 if named else c.end(), 4)
        if words and words[0] not in _NOT_A_NAME:
            take(m.start(), stop)
            add(f"{' '.join(words)} ({G.country[c.group().lower()]})", m.end(), "name")
    for m in _EMBASSY.finditer(chunk) if _mentions(chunk, _EMBASSY_HINTS) else ():
        if not free(m.start()):
            continue
        words, stop = _take(chunk, m.end(), 3)
        take(m.start(), stop)
        title = m.group()
        consulate = title.lower().startswith(("kons", "konj", "kjri"))
        general = not consulate or "Jenderal" in title or title.startswith(("Konjen", "KJRI"))
        hit = G.longest(words, G.country)
        if hit is None and title.endswith("Republik"):  # "Konsulat Republik Demokratik Timor Leste"
            hit = G.longest(["Republik", *words], G.country)
        if hit is not None:
            office = "Kedutaan Besar" if not consulate else "Konsulat Jenderal" if general else "Konsulat"
            add(f"{office} {hit[0]}", m.start(), "embassy")
        elif general and title.startswith(("Konsulat", "KJRI")) and words and words[0] not in ("RI", "Indonesia"):
            # "Konsul Jenderal Glen Askew", "Konjen Glen Askew": the title of a person, not a body
            add(f"Konsulat Jenderal {' '.join(words[:2])}", m.start(), "embassy")
    for m in _KBRI.finditer(chunk):
        if not free(m.start()):
            continue
        take(m.start(), m.end())
        add(f"KBRI {m.group(1)}", m.start(), "kbri")
    for m in _MINISTRY.finditer(chunk):
        if not free(m.start()):
            continue
        words, stop = _ministry_words(chunk, m.end())
        take(m.start(), stop)
        words = _role_trim(chunk, text, "Kementerian", words, m.start())
        # "Kementerian Keuangan Luky Alfirman": a known ministry's name ends where the person's
        # begins (an unknown one, often foreign, is read as written)
        known = _known_ministry(words)
        if known is not None and _regional_office(words):
            known = None  # "Kementerian Agama Sumatera Barat": the regional office, as written
        add(known or (f"Kementerian {' '.join(words)}" if words else None), m.start(), "ministry")
    for m in _MINISTER.finditer(chunk):
        # "Menteri Kesehatan Budi Gunadi Sadikin": the minister signs for the ministry
        if free(m.start()):
            words, stop = _ministry_words(chunk, m.end())
            known = _known_ministry(words)
            if known is not None:
                take(m.start(), stop)
                add(known, m.start(), "ministry")
    for m in _ACRONYM_RE.finditer(chunk):
        if free(m.start()):
            name = _ACRONYMS[m.group()]
            # state companies once split by region keep its number: "Pelindo III" is PT
            # Pelabuhan Indonesia III, another company than Pelindo I
            number = _NUMBERED.match(chunk, m.end()) if name.startswith("PT ") else None
            add(f"{name} {number.group(1)}" if number else name, m.start(), "acronym")
    for m in G.foreign_re.finditer(chunk):
        # "Konjen RI di Guangzhou": a location, not a partner
        if free(m.start()) and not chunk.endswith("di ", 0, m.start()):
            take(m.start(), m.end())
            add(G.foreign[m.group().lower()].party, m.start(), "foreign")
    # only in the body: in a Title Case headline the run after "dengan" goes on into the verbs
    partners = [(m, "name") for m in _PARTNER_NAME.finditer(chunk, max(title_end, 0) + 1)]
    if _mentions(chunk, _LIST_HINTS):
        # "dihadiri Bulog, Pertamina Patra Niaga, Pupuk Indonesia, ID Food, dan Bank Mandiri":
        # the firms of an enumeration, read like the names after a partner word but of their
        # own kind (an enumeration names places and people as often)
        partners += [(m, "listed") for m in _LIST_START.finditer(chunk, max(title_end, 0) + 1)]
        partners.sort(key=lambda e: e[0].start())
    for m, kind in partners:
        at = m.end()
        if chunk.startswith(" pihak", at):
            at += 6
        if not free(at + 1):
            continue
        words, stop = _take(chunk, at, 3)
        if read_before(at + 1, stop):
            # "dengan Fakultas Kedokteran Universitas Hasanuddin": a unit of a body already read
            continue
        if words and words[0] not in _NOT_A_NAME and not words[0].isdigit() and not _a_place(words, kind):
            take(at + 1, stop)
            add(" ".join(words), at + 1, kind)
            # "dengan Bluebird, Gojek, Grab dan Transjakarta": every name of the list
            for _ in range(MAX_PARTIES):
                nxt = _LIST_NEXT.match(chunk, stop)
                if nxt is None:
                    break
                at = nxt.end()  # the blank before the next name
                if covered[at + 1]:  # a PT or a government already read: go past it
                    stop = at + 1
                    while stop < len(chunk) and covered[stop]:
                        stop += 1
                    continue
                words, stop = _take(chunk, at, 3)
                if not words or words[0] in _NOT_A_NAME or words[0].isdigit():
                    break
                if read_before(at + 1, stop) or _a_place(words, kind):
                    continue
                take(at + 1, stop)
                add(" ".join(words), at + 1, kind)
    dateline = DATELINE.match(chunk)
    if dateline is not None:
        take(0, dateline.end())
    for dateline in _DATELINE_NEXT.finditer(chunk):
        take(dateline.start(1), dateline.end(1))
    for m in _CAPS.finditer(chunk):
        word = m.group()
        if (
            word not in _CAPS_NOT_PARTY
            and not (word[0] in _AMOUNT_FIRST and _AMOUNT.match(word))  # "USD371 Juta"
            and free(m.start())
            and word.lower() not in G.country
            and word.lower() not in G.province  # "KONI DIY", "Museum NTB": where, not who
            and G.place_re.fullmatch(word.title()) is None
        ):
            take(m.start(), m.end())
            add(word, m.start(), "caps")
    for m in _ROLE_TAKEN.finditer(chunk) if _mentions(chunk, _ROLE_HINTS) else ():
        # "Gandeng Injers sebagai Apparel", "Indomilk Resmi Jadi Sponsor": the brand that takes
        # the role, named without a PT
        if not free(m.start()):
            continue
        starts = [m.start(1) + w.start() for w in _NONBLANK.finditer(m.group(1))]
        words = m.group(1).split()
        # the name starts after the last verb or title: "Prim-A Gantikan Victor sebagai Sponsor"
        cut = max(
            (i + 1 for i, w in enumerate(words) if w.lower() in _LEADING_NOT_NAME or _VERB.fullmatch(w)),
            default=0,
        )
        at = starts[cut] if cut < len(words) else m.start()
        words = words[cut:]
        if words and words[0] not in _NOT_A_NAME and not (len(words) == 1 and _common_word(text, words[0])):
            take(at, m.end(1))
            add(" ".join(words), at, "name")
    if title_end > 0:
        # the headline's subject, at its start or after a lead-in clause ("Lima Kali Beruntun,
        # Daihatsu Kembali Jadi Sponsor ...")
        clause = chunk.find(", ", 0, title_end)
        for at in (0, clause + 2) if clause > 0 else (0,):
            if free(at):
                subject = _title_subject(chunk[at:title_end], text[title_len:])
                if subject is not None:
                    add(subject[0], at + subject[1], "subject")
    # Bare Indonesian place names only count in the title ("Bandung dan Hamamatsu Jajaki ...").
    bare: list[tuple[str, str, int]] = []
    for m in G.place_re.finditer(chunk, 0, max(title_end, 0)):
        if free(m.start()) and not chunk.endswith("di ", 0, m.start()) and not _after_a_venue(chunk, m.start()):
            bare.append((_bare_place(m.group()), m.group().lower(), m.start()))
    origin_only: dict[str, bool] = {}  # country key -> named only as the origin of investors
    for m in G.country_re.finditer(chunk):
        if free(m.start()) and not (m.group() == "AS" and m.start() > title_end and _inside_a_name(chunk, m)):
            country = G.country[m.group().lower()]
            add(country, m.start(), "country")
            origin = _INVESTORS_FROM.search(chunk, max(0, m.start() - 40), m.start()) is not None
            origin_only[country.lower()] = origin_only.get(country.lower(), True) and origin
    for name, place, pos in bare:
        # "Lampung dan Bengkulu ..." in a headline: the body says which government of Bengkulu.
        if not any(k.endswith(" " + place) for k in found):
            add(name, pos, "place")
    if any(origin_only.values()) and any(
        c.kind in _FIRM_KINDS and c.name.split()[0].lower() not in _INVESTOR_WORDS and c.name.lower() not in G.country
        for c in found.values()
    ):
        # "Tiga Pengembang Malaysia ... Sime Darby Berhad, SP Setia": the firms are the parties
        # and the country only says where they come from. Without a firm named, "investor
        # Tiongkok" is the only name the partner has, and stays.
        for key, only in origin_only.items():
            if only and key in found and found[key].kind == "country":
                del found[key]
                order.remove(key)
    title_words = set(_WORDS.findall(chunk[: max(title_end, 0)].lower()))
    many = title_end > 0 and _TITLE_MANY.search(chunk, 0, title_end) is not None
    for keys in named_in.values():
        for key in keys & found.keys():
            found[key].peers = max(found[key].peers, len(keys) - 1)
    for candidate in found.values():
        candidate.many = many
        own = _distinctive(candidate.name)[0]
        candidate.in_title = bool(own) and own <= title_words
    if "(" in text:
        defined = _defined_acronyms(text)
        for candidate in found.values() if defined else ():
            # "PT DLN" where the article wrote "PT Dharma Lautan Nusantara (DLN)": the name it
            # defines, for the reader and for linking stories that name the firm either way
            short = candidate.name[3:] if candidate.name.startswith("PT ") else candidate.name
            long = defined.get(short)
            # the gazetteer's name stays ("PT PLN" however an article spells it out): one name
            # per organisation across articles
            if long is not None and candidate.name not in _KNOWN_NAMES and short not in _ACRONYMS:
                candidate.name = long if long.startswith("PT ") or short == candidate.name else f"PT {long}"
                continue
            # "PT Perusahaan Listrik Negara (PLN)": the gazetteer's name for the acronym
            known = next((_ACRONYMS[a] for a, n in defined.items() if n == candidate.name and a in _ACRONYMS), None)
            if known is not None:
                candidate.name = known
    merged = _merge(found, order)
    # The party a story is about is named all through it, a passer-by once: "Pemkot Bengkulu" in
    # ten sentences, the hotel where they met in one. Counted on the whole text (the spans above
    # are only the evidence sentences), as substrings: one C-level count per word.
    if lower is None:
        lower = text.lower()
    for party in merged:
        distinct = _distinctive(party.name)[0]
        party.mentions = min(lower.count(w) for w in distinct) if distinct else party.count
    return merged


# "PT Dharma Lautan Nusantara (DLN)", "Kawasan Industri Hijau Indonesia (KIHI)": a name and the
# acronym the article goes on to use. The bracket is found first and the words read back from it
# (a pattern that opened with the words would be tried at every capital letter of the text).
_BRACKETED = re.compile(r"\(([A-Z][A-Z0-9&-]{1,9})\)")
_NAME_BEFORE_BRACKET = re.compile(r"(?:[A-Z][\w&'.-]*[ \t]+){1,8}$")
_NOT_INITIALS = frozenset({"pt", "dan", "and", "of", "the", "&", "tbk", "persero"})


def _defined_acronyms(text: str) -> dict[str, str]:
    """Acronym -> the name it stands for, where the article defines it: the shortest run of
    capitalised words before the bracket whose initials spell the acronym, "PT" kept."""
    out: dict[str, str] = {}
    for m in _BRACKETED.finditer(text):
        acronym = m.group(1)
        if acronym in out:
            continue
        before = _NAME_BEFORE_BRACKET.search(text, max(0, m.start() - 120), m.start())
        if before is None:
            continue
        words = before.group().split()
        for k in range(len(words)):
            rest = words[k:]
            initials = "".join(w[0] for w in rest if w.lower() not in _NOT_INITIALS)
            if initials.lower() == acronym.lower() and rest[0] not in _LEADING_CAPS:
                out[acronym] = " ".join(rest)
                break
    return out


_LEADING_CAPS = frozenset({"Direktur", "Dirut", "Ketua", "Kepala", "Menteri", "Gubernur", "Bupati", "Wali"})


# Official names listed with commas: "Kementerian Pendidikan Tinggi, Sains, dan Teknologi",
# "Kementerian Desa, Pembangunan Daerah Tertinggal, dan Transmigrasi". The list must close with
# "dan X": a comma alone is more often a person ("Kementerian ESDM, Arifin Tasrif").
_MIN_LIST = re.compile(
    r"(?:[ \t]+[A-Z][\w-]*){1,3}(?:,(?:[ \t]+[A-Z][\w-]*){1,3}){1,4},?[ \t]+dan(?:[ \t]+[A-Z][\w-]*){1,3}"
)


def _known_ministry(words: list[str]) -> str | None:
    """The Indonesian ministry the words after "Kementerian" or "Menteri" open with, under its
    canonical name, with the country that follows it ("Pertahanan Malaysia"); None if none."""
    for n in range(len(words), 0, -1):
        name = canonical("Kementerian " + " ".join(words[:n]))
        if name in _MINISTRIES:
            country = G.longest(words[n:], G.country) if n < len(words) else None
            return f"{name} {country[0]}" if country is not None else name
    return None


# Bodies whose name runs on over "dan" and commas: "Dinas Tenaga Kerja dan Transmigrasi
# Provinsi Maluku Utara", "Dinas Kepemudaan, Olahraga dan Pariwisata Kabupaten Kendal"
_OFFICE_KINDS = frozenset({"Dinas", "Badan", "Lembaga", "Komisi"})
# the words a government task is named by (one more of them after "dan" continues the name;
# a name of another kind, "Dinas Pendidikan dan Universitas Lampung", does not)
_OFFICE_WORDS = frozenset(
    re.findall(
        r"\S+",
        "pendidikan kebudayaan kesehatan tenaga transmigrasi pangan pertanian perikanan kelautan "
        "koperasi ukm usaha perdagangan perindustrian industri pariwisata olahraga kepemudaan pemuda "
        "perhubungan lingkungan kehutanan perkebunan peternakan sosial pemberdayaan kependudukan "
        "pencatatan komunikasi informatika statistik persandian penanaman pelayanan pekerjaan penataan "
        "perumahan kawasan permukiman pertanahan energi sumber perpustakaan kearsipan ketahanan "
        "hortikultura tanaman pengendalian keluarga perlindungan kebersihan pertamanan pemadam "
        "penyelamatan cipta bina tata ruang aset keuangan pendapatan anggaran pembangunan perencanaan "
        "penelitian pengembangan inovasi riset teknologi sains hukum ham investasi pasar kebencanaan "
        "kebakaran desa daerah masyarakat perempuan anak penduduk sipil modal mineral",
    )
)
_OFFICE_JOIN = re.compile(r",?[ \t]+(?:dan|&)[ \t]+|,[ \t]+")


def _office_name(text: str, words: list[str], stop: int) -> tuple[list[str], int]:
    """A government office's name read on over "dan" and commas while the next words name
    another of its tasks."""
    while words:
        join = _OFFICE_JOIN.match(text, stop)
        if join is None:
            break
        more, end = _take(text, join.end() - 1, 7)  # _take reads from the blank before a word
        if not more or more[0].lower() not in _OFFICE_WORDS:
            break
        glue = join.group().strip()
        if glue.startswith(","):
            words = [*words[:-1], words[-1] + ","]
        conj = glue.lstrip(", ")
        words = [*words, *([conj] if conj else []), *more]
        stop = end
    # "Dinas Pendidikan dan Kebudayaan (Disdikbud) Kabupaten Lahat": its place after its acronym
    short = _BRACKET_THEN_PLACE.match(text, stop)
    if words and short is not None:
        more, end = _take(text, short.end(), 4)
        if len(more) >= 2:
            words, stop = [*words, *more], end
    return words, stop


_BRACKET_THEN_PLACE = re.compile(
    r"[ \t]*\([A-Za-z]{2,15}\)(?=[ \t]+(?:Kota|Kabupaten|Kab\.|Provinsi|Prov\.)[ \t]+[A-Z])"
)


_OFFICE_SHORT = re.compile(r"Di[ns][a-z]{2,12}")  # Dinkes, Disdik, Dishub, Disnakertrans, Dinsos
_PLAIN_LEVELS = frozenset({"Kota", "Kabupaten", "Kab.", "Provinsi", "Prov."})
_BODY_BEFORE = re.compile(r"(?<![\w-])([A-Z][A-Za-z]{1,9})[ \t]+$")
# acronyms of a level of government or of the country, never a body with offices
_NOT_A_BODY = frozenset({"RI", "NKRI", "DKI", "DIY", "NTB", "NTT", "PT", "CV", "UD", "TNI", "SMK", "SMA", "SMP", "SD"})


def _branch_of(text: str, m: re.Match[str]) -> tuple[str, int, int] | None:
    """(name, start, end) of a body's office named by its acronym and a place ("BPBD Kabupaten
    Bima", "Kemenag Kota Bima"), or None when the word before the place is no such acronym."""
    before = _BODY_BEFORE.search(text, max(0, m.start() - 12), m.start())
    if before is None:
        return None
    word = before.group(1)
    if word in _NOT_A_BODY:
        return None
    known = _ACRONYMS.get(word)
    office = _OFFICE_SHORT.fullmatch(word) is not None and word != "Dinas"  # "Dinkes", "Dishub"
    if known is None and not office and (word in _CAPS_NOT_PARTY or not (word.isupper() and len(word) >= 3)):
        return None  # "RKUD Kota Serang", "APBD Provinsi": a document or a figure, not a body
    if known is not None and known.startswith(("Universitas", "Institut", "Politeknik")):
        return None
    place, stop = _government(text, m)
    if place is None or " | " in place or place.endswith(")"):
        return None
    level = place.split(" ", 2)  # "Pemerintah Kabupaten Bima"
    where = " ".join(level[1:]) if level[0] == "Pemerintah" else place
    return f"{known or word} {where}", before.start(1), stop


def _regional_office(words: list[str]) -> bool:
    """Whether the words after "Kementerian" name a ministry's office in a region ("Agama
    Kabupaten Karawang", "Agama Karawang")."""
    for n in range(1, len(words)):
        rest = words[n:]
        if rest[0] in _REGION_WORDS or any(G.longest(rest, t) for t in (G.province, G.kab, G.kota)):
            return True
    return False


_REGION_WORDS = frozenset({"Kabupaten", "Kab", "Kab.", "Kota", "Provinsi", "Prov", "Wilayah", "Kanwil"})
_AFTER_MINISTRY = re.compile(r"(?:Kementerian|Menteri)[ \t]+$")


def _ministry_words(text: str, pos: int) -> tuple[list[str], int]:
    listed = _MIN_LIST.match(text, pos)
    if listed is not None:
        return listed.group().split(), listed.end()
    words: list[str] = []
    end = pos
    while len(words) < 6:
        m = _MIN_WORD.match(text, pos)
        if m is None or m.group(2).lower() in _STOP or m.group(2) in _ORG_STARTS:
            break
        if len(words) == 1 and words[0].isupper() and (m.group(1) or not m.group(2).isupper()):
            # "Kementerian ESDM dan PT Freeport", "Kementerian ESDM Yakin ...": a ministry's
            # acronym is its whole name ("Kementerian PPN Bappenas" goes on)
            break
        if m.group(1):
            words.append(m.group(1).strip())
        words.append(m.group(2))
        pos = end = m.end()
    if words and words[-1] in ("RI", "Republik"):
        words.pop()
    return words, end


def _key(name: str) -> str:
    return name.replace(" dr. ", " ").replace(" dr ", " ")


# A place named after a building or site is where it happened, not who: "Teken MoU di Istana
# Bogor", "Bandara Tjilik Riwut", "Stadion Jakabaring"
_VENUES = frozenset(
    {"Istana", "Gedung", "Hotel", "Stadion", "Bandara", "Pelabuhan", "Terminal", "Pantai", "Alun-alun"}
    | {"Masjid", "Pendopo", "Aula", "Bendungan", "Tol", "Stasiun"}
)


def _after_a_venue(chunk: str, pos: int) -> bool:
    before = chunk[max(0, pos - 12) : pos].split()
    return bool(before) and chunk[pos - 1 : pos] == " " and before[-1] in _VENUES


def _bare_place(name: str) -> str:
    key = name.lower()
    if key in G.kota:
        return f"Pemerintah Kota {G.kota[key]}"
    if key in G.kab:
        return f"Pemerintah Kabupaten {G.kab[key]}"
    return f"Pemerintah Provinsi {G.province[key]}"


@lru_cache(maxsize=8192)
def _name_words(name: str) -> frozenset[str]:
    return frozenset(_WORDS.findall(name.lower()))


@lru_cache(maxsize=8192)
def _distinctive(name: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The words of a canonical name that tell it apart, their first letters, and the first
    letters of all its words (an acronym opens with a generic word's: "Unkhair", "Universitas
    Khairun")."""
    every = _name_words(name)
    mine = every - _GENERIC_WORDS
    return mine, frozenset(w[0] for w in mine), frozenset(w[0] for w in every)


def _merge(found: dict[str, Candidate], order: list[str]) -> list[Candidate]:
    """Candidates under canonical names, two names of one organisation merged."""
    keys = [k for k in order if k != "indonesia"]
    # A bare country adds nothing when a more specific party from that country is present, and a
    # name cut short in a Title Case headline ("PT Kimia Farma") yields to its full body form.
    stems = [_key(k) for k in keys]
    heads = set()  # every stem cut before one of its blanks: "x" in heads when "x ..." is a stem
    for stem in stems:
        blank = stem.find(" ")
        while blank >= 0:
            # "Kementerian Pertahanan" is not cut short by "Kementerian Pertahanan Malaysia": the
            # country names another organisation
            if stem[blank + 1 :] not in _COUNTRY_KEYS:
                heads.add(stem[:blank])
            blank = stem.find(" ", blank + 1)
    keys = [
        k
        for k, stem in zip(keys, stems, strict=True)
        if not (k in _COUNTRY_KEYS and any(k in o for o in keys if o != k))
        and not (stem in heads and not k.startswith("pemerintah"))
    ]
    # Most telling first, so that the merged candidate keeps the better name.
    keys.sort(key=lambda k: (-found[k].title, -found[k].count, found[k].first))
    out: list[Candidate] = []
    words: list[tuple[frozenset[str], frozenset[str], frozenset[str]]] = []
    for k in keys:
        c = found[k]
        name = canonical(c.name)
        mine, initials, opens = _distinctive(name)
        # same_party() only where a merge is possible: a shared distinctive word, or a
        # distinctive word that opens with the letter of one of the other's words (an
        # abbreviation, or the same name written apart)
        same = None
        for o, (theirs, their_initials, their_opens) in zip(out, words, strict=True):
            if (
                not mine
                or not theirs
                or not mine.isdisjoint(theirs)
                or not initials.isdisjoint(their_opens)
                or not their_initials.isdisjoint(opens)
            ) and same_party(o.name, name):
                same = o
                break
        if same is None:
            c.name = name
            out.append(c)
            words.append((mine, initials, opens))
        else:  # "Pemkab Tubaba" after "Kabupaten Tulang Bawang Barat"
            if " " not in same.name and " " in name:
                same.name = name  # "Unmus" in the headline, "Universitas Musamus" in the text
            same.title = same.title or c.title
            same.count += c.count
            same.first = min(same.first, c.first)
            same.roles |= c.roles
            same.partner_word = same.partner_word or c.partner_word
            same.in_title = same.in_title or c.in_title
            same.peers = max(same.peers, c.peers)
    return out

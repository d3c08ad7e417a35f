"""One canonical name per organisation (classify step), and when two names are the same party.

"Pemkot Bandung", "Pemerintah Kota Bandung" and "Kota Bandung" are one party; so are "BNI" and
"PT Bank Negara Indonesia (Persero) Tbk". canonical() gives the display form the classifier
stores, so that stories about the same partnership can be linked; same_party() is the lenient
comparison used to score extraction against labels written by other people.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from .gazetteer import GAZETTEER as G

# Short forms of governments and institutions -> the full form (whole words, any case).
# Short forms of governments and missions at the start of a name -> the full form. One regex:
# the group that matched says which form (most names are already canonical and match nothing).
_PREFIX_FORMS = (
    (r"(?i:Pemkot|Pemkota|Pemko)\b\.?\s*", "Pemerintah Kota "),
    (r"(?i:Pemkab)\b\.?\s*", "Pemerintah Kabupaten "),
    (r"(?i:Pemprov)\b\.?\s*", "Pemerintah Provinsi "),
    (r"(?i:Pemda)\b\.?\s*", "Pemerintah Daerah "),
    (r"(?i:Kedubes|Kedutaan|Dubes|Duta\s+Besar)\b\.?\s*(?i:Besar\s+)?", "Kedutaan Besar "),
    (r"(?i:Konjen|Konsul\s+Jenderal)\b\.?\s*", "Konsulat Jenderal "),
    (r"KBRI\s+(?:di\s+)?", "Kedutaan Besar Republik Indonesia di "),
    (r"KJRI\s+(?:di\s+)?", "Konsulat Jenderal Republik Indonesia di "),
    (r"(?i:Kejari)\b\.?\s*", "Kejaksaan Negeri "),
    (r"(?i:Kejati)\b\.?\s*", "Kejaksaan Tinggi "),
)
_PREFIX = re.compile("^(?:" + "|".join(f"({p})" for p, _ in _PREFIX_FORMS) + ")")
# Inside a name: "SMKN" -> "SMK Negeri", "Kab." -> "Kabupaten", "PT." -> "PT"; and legal-form
# noise that never tells two organisations apart ("(Persero)", "Tbk").
_INNER = re.compile(
    r"\b(?P<school>SMK|SMA|SMP|SD|MTs)N\b|\b(?P<kab>Kab\.\s*)|\b(?P<prov>Prov\.\s*)|\b(?P<pt>PT\.\s*)|"
    r"(?P<noise>\s*\((?i:Persero|Perseroda)\)|\s+\b(?i:Tbk)\b\.?|\s+\b(?i:Persero)\b)"
)
_INNER_FORMS = {"kab": "Kabupaten ", "prov": "Provinsi ", "pt": "PT ", "noise": ""}


def _inner(m: re.Match[str]) -> str:
    kind = m.lastgroup or ""
    return f"{m.group('school')} Negeri" if kind == "school" else _INNER_FORMS[kind]


_SPACE = re.compile(r"\s+")

# Words that say what kind of body a name is, not which one: "Kota" alone matches nothing.
_GENERIC = frozenset(
    {
        "pemerintah", "kota", "kabupaten", "provinsi", "daerah", "pt", "bank", "universitas",
        "institut", "politeknik", "kedutaan", "besar", "konsulat", "jenderal", "kementerian", "dinas",
        "badan", "rumah", "sakit", "rs", "rsud", "rsup", "sekolah", "tinggi", "negeri", "republik",
        "rakyat", "the", "of", "dan", "and", "di", "cv", "persero", "tbk",
        "university", "institute", "college", "polytechnic",  # "IPB University"
        # legal forms, like "Tbk": "MPDT Capital Berhad" is "PT PMA MPDT Capital"
        "berhad", "bhd", "sdn", "ltd", "limited", "inc", "llc", "gmbh", "plc", "pma",
        # governments abroad: "Kerajaan Negeri Sabah", "Pemerintah Prefektur Wakayama", "Daerah
        # Otonom Guangxi", "Majlis Perbandaran Tawau" (a Malaysian town's council)
        "kerajaan", "prefektur", "otonom", "perbandaran", "majlis",
    }
)
_TOKEN = re.compile(r"[^\W_]+")
# Kinds of body: two names of different kinds are never one party.
_KINDS = (
    ("embassy", frozenset({"kedutaan", "konsulat", "kbri", "kjri"})),
    ("ministry", frozenset({"kementerian"})),
    ("university", frozenset({"universitas", "institut", "politeknik", "university", "akademi"})),
    ("hospital", frozenset({"rsud", "rsup", "rs", "rumah"})),
    ("company", frozenset({"pt", "bank", "cv", "perumda", "pdam", "perusahaan", "perum"})),
    ("prosecutor", frozenset({"kejaksaan", "kejari", "kejati"})),
    ("police", frozenset({"kepolisian", "polda", "polres", "polresta", "polsek"})),
    ("court", frozenset({"pengadilan"})),
    ("government", frozenset({"pemerintah", "kota", "kabupaten", "provinsi"})),
)
# Other names of one place or country, compared as words (lower case).
_ALIASES = {
    "solo": "surakarta",
    "jogja": "yogyakarta",
    "jogjakarta": "yogyakarta",
    "diy": "yogyakarta",
    "dij": "yogyakarta",
    "turkiye": "turki",
    "china": "tiongkok",
    "cina": "tiongkok",
    "rrt": "tiongkok",
    "korsel": "korea selatan",
    "as": "amerika serikat",
    "usa": "amerika serikat",
    "uea": "uni emirat arab",
    "uae": "uni emirat arab",
    "jabar": "jawa barat",
    "jateng": "jawa tengah",
    "jatim": "jawa timur",
    "sumut": "sumatera utara",
    "sumbar": "sumatera barat",
    "sumsel": "sumatera selatan",
    "kaltim": "kalimantan timur",
    "kalbar": "kalimantan barat",
    "kalsel": "kalimantan selatan",
    "kalteng": "kalimantan tengah",
    "sulsel": "sulawesi selatan",
    "sulut": "sulawesi utara",
    "sulteng": "sulawesi tengah",
    "sultra": "sulawesi tenggara",
    "ntb": "nusa tenggara barat",
    "ntt": "nusa tenggara timur",
    "dki": "jakarta",
    "kepri": "kepulauan riau",
    "babel": "bangka belitung",
    "sulbar": "sulawesi barat",
    "kaltara": "kalimantan utara",
    "malut": "maluku utara",
    # police commands by their short and their full names: "Polda Jabar" is "Kepolisian Daerah
    # Jawa Barat", "Polres Kendal" is "Kepolisian Resor Kendal"
    "polda": "kepolisian daerah",
    "polres": "kepolisian resor",
    "polresta": "kepolisian resor kota",
    "polrestabes": "kepolisian resor kota besar",
    "polsek": "kepolisian sektor",
    # numbered bodies are written both ways: "Perum Jasa Tirta 1" is "Perum Jasa Tirta I",
    # "Angkasa Pura II" is "Angkasa Pura 2", "Kodam IX" is "Kodam 9"
    **{r: str(n) for n, r in enumerate(("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"), 1)},
    # Sulawesi Selatan and Sulawesi Barat were one province: "Kejati Sulselbar" is Kejati Sulsel
    "sulselbar": "sulawesi selatan barat",
    # offices by the short forms every outlet uses, which often take syllables from inside
    # their words ("Disnakertrans": DInaS teNAga KERja TRANSmigrasi), so no acronym rule spells
    # them: "Disnaker Kabupaten Malang" is "Dinas Tenaga Kerja Kabupaten Malang"
    "ponpes": "pondok pesantren",
    "kanwil": "kantor wilayah",
    "bpd": "bank pembangunan daerah",  # "PT BPD Jatim" is Bank Jatim
    "disnaker": "dinas tenaga kerja",
    "disnakertrans": "dinas tenaga kerja transmigrasi",
    "disnakertransmigrasi": "dinas tenaga kerja transmigrasi",
    "disdik": "dinas pendidikan",
    "disdikbud": "dinas pendidikan kebudayaan",
    "dinkes": "dinas kesehatan",
    "dishub": "dinas perhubungan",
    "diskominfo": "dinas komunikasi informatika",
    "dispar": "dinas pariwisata",
    "disparbud": "dinas pariwisata kebudayaan",
    "disperindag": "dinas perindustrian perdagangan",
    "dislutkan": "dinas kelautan perikanan",
    "lanal": "pangkalan angkatan laut",
    "lantamal": "pangkalan utama angkatan laut",
    "lanud": "pangkalan udara",
    "lldikti": "lembaga layanan pendidikan tinggi",
}


@lru_cache(maxsize=8192)  # the same few thousand names recur across articles
def canonical(name: str) -> str:
    """Display form of one party: full government and embassy forms, no legal-form suffixes."""
    out = _SPACE.sub(" ", name).strip(" ,.;:-")
    if not out:
        return out
    full = G.acronyms.get(out)
    if full is None and out.startswith("PT "):  # "PT ITDC" is ITDC, a company under its short name
        short = G.acronyms.get(out[3:])
        full = short if short is not None and short.startswith("PT ") else None
    if full is not None:
        return full
    abroad = _ABROAD.fullmatch(out)
    if abroad is not None:
        # "Provinsi Chungcheongbuk-do (Korea Selatan)", "Pemerintah Kota Davao": a foreign place
        # and its government are one party, named as the gazetteer names the place
        key, country = abroad.group("place").lower(), abroad.group("country")
        foreign = G.foreign.get(key)
        home = country is None and any(key in level for level in G.levels.values())  # "Malaka", NTT
        if foreign is not None and country in (None, foreign.country) and not home:
            return foreign.party
    m = _PREFIX.match(out)
    if m is not None and m.lastindex:
        out = _PREFIX_FORMS[m.lastindex - 1][1] + out[m.end() :]
    out = _INNER.sub(_inner, out)
    out = _SPACE.sub(" ", out).strip()
    gov = _GOVERNMENT.match(out)
    if gov is not None:  # "Pemerintah Kabupaten Kukar" is "Pemerintah Kabupaten Kutai Kartanegara"
        place = G.levels[_LEVEL_TABLE[gov.group(1)]].get(gov.group(2).lower())
        if place is not None:
            out = f"Pemerintah {gov.group(1)} {place}"
    return out


_GOVERNMENT = re.compile(r"Pemerintah (Kota|Kabupaten|Provinsi) (.+)$")
_ABROAD = re.compile(
    r"(?:Pemerintah )?(?:(?:Provinsi|Kota|Prefektur|Negara Bagian|Negeri|Distrik|Wilayah|Region) )?"
    r"(?P<place>[^()]+?)(?: \((?P<country>[^()]+)\))?"
)
_LEVEL_TABLE = {"Kota": "kota", "Kabupaten": "kab", "Provinsi": "prov"}


_BRACKETS = re.compile(r"\([^)]*\)")
_BRACKET_ACRONYM = re.compile(r"\(([A-Z][A-Z0-9&-]{1,9})\)")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&-]{1,9}")


# A country's one-word other names ("Slovakia", "Japan") as its gazetteer name, except words of
# another country's name ("Korea" names Korea Selatan, but is a word of "Korea Utara").
_COUNTRY_WORDS = {
    alias: name.lower()
    for alias, name in G.country.items()
    if " " not in alias and alias != name.lower()
    and not any(alias in other.split() for other in G.country if " " in other)
}


@lru_cache(maxsize=8192)
def _tokens(name: str) -> tuple[str, ...]:
    # "(Jepang)" after a foreign city says where it is: "Jepang" alone is another party
    out: list[str] = []
    for t in _TOKEN.findall(_BRACKETS.sub(" ", canonical(name)).lower()):
        t = _modern(t)
        out.extend(_ALIASES.get(t, _COUNTRY_WORDS.get(t, t)).split())
    return tuple(out)


# Names kept in the spelling of before 1972 ("Pupuk Sriwidjaja", "Tjipinang", "Soedirman")
# are written in today's spelling too ("Sriwijaya", "Cipinang", "Sudirman"): one party
_OLD_SPELLING = re.compile("dj|tj|oe|sj")
_NEW_SPELLING = {"dj": "j", "tj": "c", "oe": "u", "sj": "sy"}
_OLD_J = re.compile("(?<![dts])j")  # a lone "j" of the old spelling


def _modern(token: str) -> str:
    if not _OLD_SPELLING.search(token):
        return token
    # in the old spelling a lone "j" is today's "y" ("Sriwidjaja"), "dj" today's "j"
    return _OLD_SPELLING.sub(lambda m: _NEW_SPELLING[m.group()], _OLD_J.sub("y", token))


_FILLERS = frozenset({"pt", "cv", "dan", "and", "of", "the", "di"})


def _initials(tokens: Sequence[str]) -> str:
    return "".join(t[0] for t in tokens)


def _kind(tokens: Sequence[str]) -> str | None:
    # The first word says what a body is: "Perusahaan Daerah Air Minum Kabupaten Bangli" is a
    # firm and "Politeknik Kesehatan Kementerian Kesehatan" a school, whatever words follow.
    for kind, marks in _KINDS:
        if tokens[0] in marks:
            return kind
    words = set(tokens)
    for kind, marks in _KINDS:
        if words & marks:
            return kind
    return None


@lru_cache(maxsize=16384)
def same_party(a: str, b: str) -> bool:
    """Whether two names denote the same organisation or place, however abbreviated.

    Equal canonical forms; or, for bodies of one kind (a university is not the province it is
    named after, Kota Bandung is not Kabupaten Bandung), the distinctive words of one contained
    in the other's, written together or apart; or one is the acronym of the other (BNI, PT Bank
    Negara Indonesia).
    """
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    for x, y in ((a, b), (b, a)):
        # "Kementerian Investasi/BKPM": the acronym after a slash is the body's other name
        # (not "Koperasi Desa/Kelurahan Merah Putih", one name)
        if (
            "/" in x
            and _ACRONYM.fullmatch(x.rsplit("/", 1)[1].strip())
            and any(same_party(part, y) for part in x.split("/") if part.strip())
        ):
            return True
        # "PT Pengembangan Pariwisata Indonesia (ITDC)": the acronym in brackets is the name
        # it goes by ("ITDC" alone), which its words need not spell
        short = _BRACKET_ACRONYM.search(x)
        if short is not None and same_party(short.group(1), y):
            return True
    if _abroad_of(ta, tb) or _abroad_of(tb, ta):
        return False
    levels = {"kota", "kabupaten", "provinsi"}
    la, lb = levels & set(ta), levels & set(tb)
    if la and lb and la != lb:
        return False
    ka, kb = _kind(ta), _kind(tb)
    if ka and kb and ka != kb and {ka, kb} != {"government", "embassy"}:
        return False
    if ("bank" in ta) != ("bank" in tb) and not _bank_named(*((a, b) if "bank" in ta else (b, a))):
        return False
    da = [t for t in ta if t not in _GENERIC]
    db = [t for t in tb if t not in _GENERIC]
    if not da or not db:
        return False
    whole_a = [t for t in ta if t not in _FILLERS]
    whole_b = [t for t in tb if t not in _FILLERS]
    if _named_after(da, ka, whole_a, db, kb) or _named_after(db, kb, whole_b, da, ka):
        return False
    if "".join(da) == "".join(db):  # "Bandarlampung", "Bandar Lampung"
        return True
    if _covered(da, whole_b) or _covered(db, whole_a):
        return True
    # an acronym is made of the words as written: "JTT" is Jogja Tugu Trans, not Yogyakarta ...
    ra, rb = _written(a), _written(b)
    return (ra, rb) != (ta, tb) and (_covered(da, rb) or _covered(db, ra))


def _bank_named(bank: str, other: str) -> bool:
    """Whether a name without the word "bank" names this bank: by its own words ("Mandiri") or
    their acronym ("BNI"). A bank is no other firm of its place: "Bank Daerah Bangli" and "PDAM
    Bangli" share their one distinctive word, the place."""
    words = [t for t in _tokens(other) if t not in _GENERIC]
    written = [t for t in _written(other) if t not in _GENERIC]
    return _covered(words, [t for t in _tokens(bank) if t not in _FILLERS]) or _covered(written, _written(bank))


@lru_cache(maxsize=8192)
def _places(words: tuple[str, ...]) -> frozenset[str]:
    """The places (gazetteer names) that words name, with nothing more; empty for other words.
    "bandung" is the city and the regency, "bandung barat" only the regency."""
    key = " ".join(words)
    if key == "indonesia":
        return frozenset({"Indonesia"})
    found = {table.get(key) for table in (G.kota, G.kab, G.province, G.country)}
    foreign = G.foreign.get(key)
    return frozenset(f for f in (*found, foreign.party if foreign else None) if f)


_PLACE_LIKE_KINDS = frozenset({None, "government", "embassy"})


def _named_after(
    place: Sequence[str], kind: str | None, whole: Sequence[str], other: Sequence[str], other_kind: str | None
) -> bool:
    """Whether the first name's words are a place and the other is another place or a body named
    after it: "Riau" is not "Kepulauan Riau" nor "Bandung" "Bandung Barat"; "Universitas
    Indonesia" is not "Indonesia", "China Huadian Corporation" not "Tiongkok", "Persija Jakarta"
    not "Bank DKI". The place's government ("Pemerintah Kota Bandung"), a mission of a country
    ("Konsulat Jenderal Jepang di Medan") and two bodies of one kind ("Bank Jateng", "Bank
    Pembangunan Daerah Jawa Tengah") stay as lenient as the other rules. whole: the first
    name's words with the generic ones, which an acronym spells."""
    places = _places(tuple(place))
    if not places:
        return False
    if kind in _PLACE_LIKE_KINDS and other_kind not in _PLACE_LIKE_KINDS:
        return True  # a campus, hospital, firm or bank of the place
    others = _places(tuple(other))
    if others:
        return not places & others
    if other_kind is not None:
        return False
    # a club, chamber or investor of the place; not the name's acronym ("BI", "Bank Indonesia")
    return not set(other) <= set(place) and not _covered(other, whole)


# Foreign countries as name tokens: "Indonesia" qualifies nothing, home bodies go without it
_ABROAD_TOKENS = frozenset(c.lower() for c in G.country.values()) - {"indonesia"}


# bodies named the Indonesian way, without "Indonesia": a foreign one adds its country
_HOME_STYLE = frozenset({"kementerian", "pemerintah", "badan", "kepolisian", "komisi", "dewan", "lembaga", "otoritas"})


def _abroad_of(short: Sequence[str], long: Sequence[str]) -> bool:
    """Whether long is short's words and a foreign country: "Kementerian Pertahanan Malaysia" is
    another ministry than "Kementerian Pertahanan"."""
    if len(long) <= len(short) or short[0] not in _HOME_STYLE or not set(short) <= set(long):
        return False  # "Aspire Academy Qatar" is "Aspire Academy": only a home body omits the country
    rest = [t for t in long if t not in short]
    return " ".join(rest) in _ABROAD_TOKENS


@lru_cache(maxsize=8192)
def _written(name: str) -> tuple[str, ...]:
    """The words of a name as written (no alias replaced), without fillers."""
    return tuple(
        _modern(t) for t in _TOKEN.findall(_BRACKETS.sub(" ", canonical(name)).lower()) if t not in _FILLERS
    )


def _covered(short: Sequence[str], long: Sequence[str]) -> bool:
    """Each word of short is a word of long or an abbreviation of some of long's words."""
    return all(w in long or _abbreviates(w, long) for w in short)


def _abbreviates(word: str, words: Sequence[str]) -> bool:
    """"unibos" of universitas bosowa, "pangkep" of pangkajene kepulauan, "bni" of bank negara
    indonesia, "telkom" of telekomunikasi: word is made of leading pieces of words in order."""
    if len(word) < 2 or word.isdigit():
        return False
    for i, w in enumerate(words):
        if w[0] != word[0]:
            continue
        if _pieces(word, words[i:]):
            return True
        if len(word) >= 4 and word[:2] == w[:2] and _subsequence(word, w):
            return True
    return False


def _pieces(word: str, words: Sequence[str]) -> bool:
    if not word:
        return True
    if not words or words[0][0] != word[0]:
        return False
    head = words[0]
    for k in range(min(len(head), len(word)), 0, -1):
        if word[:k] == head[:k] and any(_pieces(word[k:], words[j:]) for j in range(1, len(words) + 1)):
            return True
    return False


def _subsequence(word: str, w: str) -> bool:
    it = iter(w)
    return all(ch in it for ch in word)


def unique(names: Sequence[str]) -> tuple[str, ...]:
    """Canonical names, the later of two names for one party dropped (order kept)."""
    out: list[str] = []
    for name in names:
        c = canonical(name)
        if c and not any(same_party(c, o) for o in out):
            out.append(c)
    return tuple(out)


def matched(predicted: Sequence[str], gold: Sequence[str]) -> int:
    """How many gold parties some predicted party names (each prediction used once)."""
    used: set[int] = set()
    hits = 0
    for g in gold:
        for i, p in enumerate(predicted):
            if i not in used and same_party(p, g):
                used.add(i)
                hits += 1
                break
    return hits

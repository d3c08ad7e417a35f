"""Sector tagging for the classifier (classify step): a fixed vocabulary of keyword patterns.

"sister city" is a form of cooperation, not a sector: it shows up in cues, never here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .regex_trie import bases, compile_named

SECTORS: dict[str, str] = {
    "kesehatan": (
        r"kesehatan|medis|rumah\s+sakit|rsud|puskesmas|nakes|stunting|perawat|keperawatan|"
        r"dokter|farmasi|obat-obatan|layanan\s+kesehatan|gizi|lansia|penyakit"
    ),
    "pendidikan": (
        r"pendidikan|sekolah|beasiswa|pertukaran\s+pelajar|pertukaran\s+mahasiswa|pelajar|"
        r"mahasiswa|kampus|akademik|guru|dosen|kurikulum|penelitian|riset|kkn|"
        r"perguruan\s+tinggi"
    ),
    "SDM/ketenagakerjaan": (
        r"sdm|sumber\s+daya\s+manusia|pelatihan|peningkatan\s+kapasitas|kapasitas|kompetensi|"
        r"talenta|vokasi|keterampilan|capacity\s+building"
        r"|tenaga\s+kerja|ketenagakerjaan|pekerja\s+migran|pekerja|magang|lowongan|"
        r"penempatan\s+kerja|karier|karir|pemagangan|pencari\s+kerja|lulusan"
    ),
    "pariwisata": r"pariwisata|wisata|wisatawan|turis|turisme|destinasi|tourism",
    "budaya": (
        r"budaya|kebudayaan|kesenian|seni|pertukaran\s+budaya|kuliner|warisan\s+budaya|"
        r"cagar\s+budaya"
    ),
    "ekonomi/investasi": (
        r"ekonomi|investasi|investor|penanaman\s+modal|umkm|ekonomi\s+kreatif|pembiayaan|"
        r"hilirisasi|bisnis|perbankan|keuangan|kredit|permodalan|kawasan\s+ekonomi|"
        r"rkud|rekening\s+kas|penyertaan\s+modal|koperasi|pembayaran|nontunai|non-tunai|qris|"
        r"berinvestasi|menanamkan\s+modal|modal|dpmptsp"
    ),
    "perdagangan": r"perdagangan|dagang|ekspor|impor|komoditas|produk\s+unggulan|pemasaran|pasar|ritel|"
        r"minimarket|misi\s+dagang|promosi\s+produk|memasarkan|pelaku\s+usaha|toko|gerai|lintas\s+batas",
    "pertanian": r"pertanian|petani|pangan|padi|perkebunan|peternakan|hortikultura|agribisnis",
    "perikanan": r"perikanan|nelayan|kelautan|budidaya\s+ikan|tambak|maritim",
    "industri": r"industri|manufaktur|pabrik|industrialisasi",
    "infrastruktur": (
        r"infrastruktur|jalan\s+tol|pembangunan\s+jalan|jembatan|konstruksi|drainase|irigasi|"
        r"bendungan|perumahan|permukiman|tata\s+ruang|pengembangan\s+kota|"
        r"metropolitan|revitalisasi|gedung|fasilitas\s+umum|pembangunan\s+kawasan|lahan"
    ),
    "air/sanitasi": (
        r"air\s+bersih|air\s+minum|penyediaan\s+air|pipa\s+air|kebocoran\s+air|pdam|sanitasi|"
        r"pengelolaan\s+air|perumda\s+air|tirtawening|spam|air\s+baku|tirta"
    ),
    "lingkungan": (
        r"lingkungan|sampah|limbah|daur\s+ulang|perubahan\s+iklim|emisi|penghijauan|"
        r"konservasi|polusi|pencemaran|biohazard"
    ),
    "energi": r"energi|listrik|ebt|energi\s+terbarukan|tenaga\s+surya|plts|plta|pltu|pltsa|biogas|kelistrikan|"
        r"migas|minyak|gas\s+bumi|kilang|batu\s*bara|penerangan\s+jalan|pju|spklu|kendaraan\s+listrik|"
        r"pln|pertamina",
    "transportasi": (
        r"transportasi|angkutan|perhubungan|bus|kereta|lrt|mrt|pelabuhan|bandara|penerbangan|"
        r"lalu\s+lintas|logistik|terminal|kendaraan|parkir|dermaga|peti\s+kemas|kepelabuhanan|pelindo"
    ),
    "teknologi/digital": (
        r"teknologi|digital|digitalisasi|smart\s+city|kota\s+cerdas|aplikasi|tik|informatika|"
        r"startup|inovasi|telkom|elektronik|satu\s+data"
    ),
    "kebencanaan": (
        r"bencana|kebencanaan|gempa|mitigasi|tsunami|banjir|longsor|tanggap\s+darurat|"
        r"evakuasi|karhutla|bpbd|bnpb"
    ),
    "keamanan/hukum": (
        r"keamanan|pertahanan|ketertiban|terorisme|keamanan\s+siber|kamtibmas|hukum|"
        r"bantuan\s+hukum|pendampingan\s+hukum|perdata|tata\s+usaha\s+negara|datun|penegakan\s+hukum"
    ),
    "pemerintahan": (
        r"tata\s+kelola|pelayanan\s+publik|birokrasi|pemerintahan|reformasi\s+birokrasi|"
        r"administrasi|kependudukan|adminduk|spbe|e-government|perencanaan\s+pembangunan|"
        r"pengawasan|akuntabilitas|pengelolaan\s+keuangan\s+daerah|aset\s+daerah|kerja\s+sama\s+daerah|"
        r"statistik|data\s+terpadu|otonomi|ombudsman|pengaduan|pajak\s+daerah|pajak|retribusi|"
        r"pendapatan\s+asli\s+daerah"
    ),
    "sosial": (
        r"kemiskinan|disabilitas|perlindungan\s+anak|pemberdayaan\s+perempuan|"
        r"kesejahteraan\s+sosial|pelayanan\s+sosial|bidang\s+sosial|jaminan\s+sosial|bansos|"
        r"bantuan\s+sosial|bkkbn|keluarga\s+berencana"
    ),
    "olahraga": (
        r"olahraga|keolahragaan|sepak\s+bola|sepakbola|liga|klub|sponsor|atlet|stadion|"
        r"turnamen|voli|basket|bulu\s+tangkis|futsal"
    ),
}
# Words that name two sectors at once (one regex match names one): a prosecutor's civil and
# administrative-law help is also about government; a port or a terminal is also infrastructure.
_ALSO = {
    "perdata": "pemerintahan",
    "datun": "pemerintahan",
    "tata usaha negara": "pemerintahan",
    "pelabuhan": "infrastruktur",
    "bandara": "infrastruktur",
    "dermaga": "infrastruktur",
    "terminal": "infrastruktur",
    "pelindo": "infrastruktur",
    "kepelabuhanan": "infrastruktur",
    "spklu": "transportasi",
    "kendaraan listrik": "transportasi",
}
_IDS = {f"s{i}": name for i, name in enumerate(SECTORS)}
_SECTOR_RE = compile_named((f"s{i}", pat) for i, pat in enumerate(SECTORS.values()))
# Sector named by each group number of _SECTOR_RE (hits() reads it once per match).
_SECTOR_OF = tuple(_IDS.get(row, "") for row in bases(_SECTOR_RE))
# The only sectors whose words can be an _ALSO word: other matches skip that lookup.
_ALSO_FROM = frozenset(
    name for word in _ALSO for name, pat in SECTORS.items() if re.fullmatch(f"(?:{pat})", word)
)
# "bidang kesehatan", "sektor pariwisata": an explicit field of cooperation weighs more. Runs
# once over the scan text; a sector word right after one of these is an explicit field.
_FIELD_RE = re.compile(r" (?:bidang|sektor|fokus|klaster|pilar)(?= )")


@dataclass(slots=True)
class SectorHit:
    """One sector named in the evidence: weighted mentions, explicit-field mentions, title."""

    name: str
    score: float = 0.0
    fields: int = 0
    title: bool = False
    first: int = 0


def field_words(scan: str) -> list[re.Match[str]]:
    """The field words ("bidang", "sektor", ...) of a scan text, for hits(fields=...)."""
    return list(_FIELD_RE.finditer(scan))


def hits(
    scan: str,
    starts: Sequence[int],
    weights: Sequence[float],
    title_end: int = -1,
    fields: Iterable[re.Match[str]] | None = None,
) -> list[SectorHit]:
    """Sectors named in the article (scan as regex_trie.scan_text), each mention weighted by
    the weight of its sentence (sentence k starts at starts[k]; weight 0 = ignored); strongest
    first. One scan over the whole article; fields: field_words() of scan or of a longer text
    it opens (the caller's own scan, reused)."""
    field_ends = {m.end() for m in (_FIELD_RE.finditer(scan) if fields is None else fields)}
    found: dict[str, SectorHit] = {}
    k, last = 0, len(starts) - 1
    sector_of = _SECTOR_OF
    for m in _SECTOR_RE.finditer(scan):
        pos = m.start()
        while k < last and starts[k + 1] <= pos:  # matches come in order: walk the sentences
            k += 1
        weight = weights[k]
        if not weight:
            continue
        field = pos in field_ends
        sector = sector_of[m.lastindex or 0]
        also = _ALSO.get(m.group()[1:]) if sector in _ALSO_FROM else None
        for name in (sector, also) if also else (sector,):
            h = found.get(name)
            if h is None:
                h = found[name] = SectorHit(name, first=pos)
            h.score += weight * (2.0 if field else 1.0)
            h.fields += field
            h.title = h.title or pos < title_end
    return sorted(found.values(), key=lambda h: (-h.score, h.first))


def tag(scan: str, spans: Iterable[tuple[int, int, float]]) -> tuple[str, ...]:
    """Names of the sectors named in weighted (start, end, weight) spans, strongest first."""
    starts, weights = [0], [0.0]  # nothing counts outside the spans
    for start, end, weight in sorted(spans):
        starts += [start, end + 1]
        weights += [weight, 0.0]
    return tuple(h.name for h in hits(scan, starts, weights))

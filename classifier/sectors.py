"""Sector tagging for the classifier (classify step): a fixed vocabulary of keyword patterns.

"sister city" is a form of cooperation, not a sector: it shows up in cues, never here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .regex_trie import base, compile_named

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
    "SDM": (
        r"sdm|sumber\s+daya\s+manusia|pelatihan|peningkatan\s+kapasitas|kapasitas|kompetensi|"
        r"talenta|vokasi|keterampilan|capacity\s+building"
    ),
    "pariwisata": r"pariwisata|wisata|wisatawan|turis|turisme|destinasi|tourism",
    "budaya": (
        r"budaya|kebudayaan|kesenian|seni|pertukaran\s+budaya|kuliner|warisan\s+budaya|"
        r"cagar\s+budaya"
    ),
    "ekonomi/investasi": (
        r"ekonomi|investasi|investor|penanaman\s+modal|umkm|ekonomi\s+kreatif|pembiayaan|"
        r"hilirisasi|bisnis"
    ),
    "perdagangan": r"perdagangan|dagang|ekspor|impor|komoditas|produk\s+unggulan|pemasaran",
    "pertanian": r"pertanian|petani|pangan|padi|perkebunan|peternakan|hortikultura|agribisnis",
    "perikanan": r"perikanan|nelayan|kelautan|budidaya\s+ikan|tambak|maritim",
    "industri": r"industri|manufaktur|pabrik|industrialisasi",
    "infrastruktur": (
        r"infrastruktur|jalan\s+tol|pembangunan\s+jalan|jembatan|konstruksi|drainase|irigasi|"
        r"bendungan|perumahan|permukiman|tata\s+ruang"
    ),
    "air bersih": (
        r"air\s+bersih|air\s+minum|penyediaan\s+air|pipa\s+air|kebocoran\s+air|pdam|sanitasi|"
        r"pengelolaan\s+air|perumda\s+air|tirtawening|spam"
    ),
    "lingkungan": (
        r"lingkungan|sampah|limbah|daur\s+ulang|perubahan\s+iklim|emisi|penghijauan|"
        r"konservasi|polusi|pencemaran|biohazard"
    ),
    "energi": r"energi|listrik|ebt|energi\s+terbarukan|tenaga\s+surya|plts|plta|biogas|kelistrikan",
    "transportasi": (
        r"transportasi|angkutan|perhubungan|bus|kereta|lrt|mrt|pelabuhan|bandara|penerbangan|"
        r"lalu\s+lintas|logistik"
    ),
    "teknologi/digital": (
        r"teknologi|digital|digitalisasi|smart\s+city|kota\s+cerdas|aplikasi|tik|informatika|"
        r"startup|inovasi"
    ),
    "kebencanaan": (
        r"bencana|kebencanaan|gempa|mitigasi|tsunami|banjir|longsor|tanggap\s+darurat|"
        r"evakuasi|karhutla|bpbd|bnpb"
    ),
    "ketenagakerjaan": (
        r"tenaga\s+kerja|ketenagakerjaan|pekerja\s+migran|pekerja|magang|lowongan|"
        r"penempatan\s+kerja|karier|karir"
    ),
    "keamanan": r"keamanan|pertahanan|ketertiban|terorisme|keamanan\s+siber|kamtibmas",
    "pemerintahan": (
        r"tata\s+kelola|pelayanan\s+publik|birokrasi|pemerintahan|reformasi\s+birokrasi"
    ),
    "sosial": (
        r"kemiskinan|disabilitas|perlindungan\s+anak|pemberdayaan\s+perempuan|"
        r"kesejahteraan\s+sosial|pelayanan\s+sosial|bidang\s+sosial"
    ),
    "olahraga": r"olahraga|keolahragaan",
}
_IDS = {f"s{i}": name for i, name in enumerate(SECTORS)}
_SECTOR_RE = compile_named((f"s{i}", pat) for i, pat in enumerate(SECTORS.values()))
# "bidang kesehatan", "sektor pariwisata": an explicit field of cooperation weighs more.
_FIELD_RE = re.compile(r"\b(?:bidang|sektor|fokus|klaster|pilar)\s+$")  # on scan text


def tag(scan: str, spans: Iterable[tuple[int, int, float]]) -> tuple[str, ...]:
    """Sectors named in weighted spans of the article (as regex_trie.scan_text), strongest first."""
    score: dict[str, float] = {}
    first: dict[str, int] = {}
    for start, end, weight in spans:
        # scan[k + 1] is article[k]; the match opens on the space before the word.
        for m in _SECTOR_RE.finditer(scan, start, end + 1):
            name = _IDS[base(m.lastgroup)]
            field = _FIELD_RE.search(scan, max(start, m.start() - 12), m.start() + 1)
            w = weight * (2.0 if field else 1.0)
            score[name] = score.get(name, 0.0) + w
            first.setdefault(name, m.start())
    return tuple(sorted(score, key=lambda s: (-score[s], first[s])))

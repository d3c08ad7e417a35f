"""Cue patterns for the rule classifier (classify step): partnership words, stage verbs, negatives.

All patterns run on the lowercased article (IGNORECASE is slower); each table becomes one trie-shaped
alternation (regex_trie.compile_named), so an article is scanned once per table. Every alternative
must open with a literal; matches are kept only where they start a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .regex_trie import compile_named

# kerja sama / kerjasama / kerja-sama / bekerja sama / dikerjasamakan / kerjsama / kerjsa sama
KS = r"(?:be|di|meng?)?kerj(?:a|sa)?[\s-]*sama(?:kan(?:nya)?|nya)?"
_DOCS = (
    r"mou|m\.o\.u|nota\s+kesepahaman|nota\s+kesepakatan(?:\s+bersama)?|memorandum\s+of\s+understanding|"
    r"memorandum\s+saling\s+pengertian|letter\s+of\s+intent|loi|perjanjian\s+" + KS + r"|pks|msp|"
    r"kesepakatan\s+bersama|naskah\s+" + KS + r"|piagam\s+" + KS + r"|plan\s+of\s+action|"
    r"addendum|adendum"
)


@dataclass(frozen=True)
class Cue:
    """A positive cue. kind "topic" = partnership noun; "action" = meeting or stage verb."""

    name: str
    pattern: str
    kind: str
    weight: float
    stage: str | None = None
    needs_topic: bool = False  # stage only counts when a topic cue is in the same sentence
    topic: float = 0.0  # an action phrase that already contains a partnership noun ("draf MoU")


# Order matters where alternatives can start at the same offset: longer, more specific first.
CUES: tuple[Cue, ...] = (
    # negotiating (before "naskah ..." docs and "pertemuan" / "bahas")
    Cue("draft", r"(?:draf|draft|rancangan|konsep|finalisasi\s+naskah|pembahasan\s+naskah|naskah)\s+"
        r"(?:" + _DOCS + r"|" + KS + r"|perjanjian|kesepakatan)", "action", 1.0, "negotiating", topic=1.0),
    Cue("lanjutan", r"(?:pertemuan|pembahasan|rapat|perundingan|negosiasi)\s+lanjutan", "action", 0.9,
        "negotiating"),
    Cue("nego", r"negosiasi|perundingan|berunding|merundingkan", "action", 0.8, "negotiating", True),
    Cue("pokja", r"kelompok\s+kerja|working\s+group|pokja|joint\s+committee|komite\s+bersama", "action",
        0.7, "negotiating", True),
    Cue("dprd", r"(?:persetujuan|restu|disetujui|direstui)\s+(?:dari\s+)?dprd|dprd\s+(?:\w+\s+){0,3}?"
        r"(?:resmi\s+)?(?:menyetujui|setujui|restui|merestui|memberikan\s+persetujuan)", "action", 1.0,
        "negotiating", True),
    Cue("final", r"finalisasi|memfinalisasi|finalkan|mematangkan|matangkan|pematangan|harmonisasi",
        "action", 0.8, "negotiating", True),
    Cue("tindak", r"tindak\s*lanjut|menindaklanjuti|tindaklanjuti|ditindaklanjuti", "action", 0.6,
        "negotiating", True),
    Cue("tor", r"term\s+of\s+reference|kerangka\s+acuan", "action", 0.7, "negotiating", True),
    # topics
    Cue("sister", r"sister\s+(?:city|cities|province)|kota\s+(?:kembar|bersaudara|sahabat)|"
        r"mitra\s+kota|provinsi\s+(?:kembar|bersaudara)|twin\s+cit(?:y|ies)", "topic", 1.0),
    Cue("doc", _DOCS, "topic", 1.0),
    Cue("ks", KS, "topic", 1.0),
    Cue("mitra", r"kemitraan|bermitra", "topic", 0.9),
    Cue("kolab", r"kolaborasi|berkolaborasi|kolaboratif", "topic", 0.5),
    Cue("gandeng", r"gandeng|menggandeng|digandeng|rangkul|merangkul", "topic", 0.5),
    Cue("sinergi", r"sinergi|bersinergi|sinergitas|mitra", "topic", 0.35),
    # exploring
    Cue("jajak", r"jajaki|menjajaki|dijajaki|penjajakan|jajagi|menjajagi|dijajagi|penjajagan", "action",
        1.0, "exploring"),
    Cue("jajakan", r"menjajakan", "action", 0.6, "exploring", True),  # common typo of menjajaki
    Cue("peluang", r"(?:bahas|membahas|dibahas|pembahasan|membicarakan|diskusikan|mendiskusikan|buka|"
        r"membuka|cari|mencari|melihat|tangkap)\s+(?:\w+\s+){0,2}?(?:peluang|potensi|kemungkinan|"
        r"prospek|rencana)", "action", 1.0, "exploring"),
    Cue("bahas", r"bahas|membahas|dibahas|membicarakan|dibicarakan|berdiskusi|mendiskusikan", "action",
        0.7, "exploring", True),
    Cue("tawar", r"menawarkan|tawarkan|ditawarkan|tawaran|mengusulkan|usulkan|usulan|mengajukan|ajukan|"
        r"pengajuan", "action", 0.8, "exploring", True),
    Cue("audiensi", r"audiensi|beraudiensi|courtesy\s+call|kunjungan\s+kehormatan", "action", 0.7,
        "exploring"),
    Cue("kunjungan", r"(?:menerima|terima|sambut|menyambut)\s+(?:kunjungan|delegasi|rombongan|dubes|"
        r"duta\s+besar|konjen|konsul)|kunjungan\s+(?:kerja|delegasi|resmi|balasan)|kunker|silaturahmi|"
        r"silaturahim", "action", 0.6, "exploring"),
    Cue("temui", r"temui|menemui|bertemu|sambangi|menyambangi|disambangi|kunjungi|mengunjungi|"
        r"dikunjungi|berkunjung|bertandang|pertemuan", "action", 0.45, "exploring"),
    # signed
    Cue("resmi", r"resmi\s+(?:menjalin|jalin|bekerja\s*sama|bermitra|menandatangani|teken|meneken|"
        r"bekerjasama)", "action", 1.0, "signed", topic=0.8),
    Cue("teken", r"teken|meneken|diteken|tandatangani|menandatangani|ditandatangani|ditandatanganinya|"
        r"penandatanganan|tanda\s+tangan|bertanda\s+tangan|signing", "action", 1.0, "signed", True),
    Cue("sepakat", r"sepakati|menyepakati|disepakati|sepakat|bersepakat|kesepakatan", "action", 0.5,
        "signed", True),
    Cue("jalin", r"jalin|menjalin|dijalin", "action", 0.4, "signed", True),
    # renewed
    Cue("perpanjang", r"perpanjang|memperpanjang|perpanjangan|diperpanjang", "action", 1.0, "renewed",
        True),
    Cue("perbarui", r"perbarui|memperbarui|diperbarui|pembaruan|perbaharui|memperbaharui|pembaharuan|"
        r"diperbaharui|renewal", "action", 1.0, "renewed", True),
    Cue("lanjutkan", r"lanjutkan|melanjutkan|dilanjutkan", "action", 0.5, "renewed", True),
    Cue("perluas", r"perluas|memperluas|diperluas|perluasan|lebarkan|melebarkan", "action", 0.5,
        "renewed", True),
    Cue("perkuat", r"perkuat|memperkuat|pererat|mempererat|tingkatkan|meningkatkan", "action", 0.3),
)
CUE_BY_NAME: dict[str, Cue] = {c.name: c for c in CUES}
CUE_RE = compile_named((c.name, c.pattern) for c in CUES)

# A planned signing is a negotiating signal ("akan meneken"); a planned "menjalin" is exploring.
MODAL_RE = re.compile(
    r"\b(?:akan|segera|rencana|rencananya|berencana|direncanakan|bakal|siap|ingin|berkeinginan|"
    r"jelang|menjelang|persiapan|dijadwalkan|ditargetkan|harapkan|berharap|mudah-mudahan|"
    r"semoga|keinginan|niat|berniat)\b[^.]{0,30}$"
)

_CRIME_NOT = (r"(?!\s+(?:usaha|umkm|ekonomi|industri|wisata|pariwisata|seni|bisnis|budaya|ekspor|"
              r"pasar|kreatif|perikanan|pertanian|kebijakan|pendidikan))")

# Negative contexts: sentence-level suppressors and document-level penalties.
NEGATIVES: dict[str, str] = {
    # sentence-level: "bekerja sama dengan Polres" (police operation) and collusion
    "policecoop": KS + r"\s+(?:dengan|antara)\s+(?:pihak\s+|jajaran\s+|anggota\s+)?(?:polres\w*|polsek|"
    r"polda|kepolisian|polisi|aparat|satreskrim|satnarkoba|bnn|tim\s+gabungan|warga\s+untuk)",
    "collusion": r"kong\s*kali\s*kong|bersekongkol|persekongkolan|" + KS + r"\s+dengan\s+oknum",
    "team": KS + r"\s+(?:tim|antar\s*pemain|antarpemain|antarlini|team|yang\s+baik\s+antar\s*pemain)",
    # by-line: an event "held in cooperation with" someone
    "kdengan": KS + r"\s+(?:dengan|antara)|(?:berkolaborasi|kolaborasi)\s+dengan|menggandeng|"
    r"hasil\s+" + KS + r"|atas\s+" + KS,
    "event": r"menggelar|digelar|gelar|menyelenggarakan|diselenggarakan|selenggarakan|penyelenggaraan|"
    r"mengadakan|diadakan|adakan|dihelat|menghelat|pasar\s+murah|operasi\s+pasar|donor\s+darah|"
    r"bazar|lomba|festival|seminar|webinar|workshop|lokakarya|sosialisasi|vaksinasi|"
    r"khitanan\s+massal|pengobatan\s+gratis|jalan\s+sehat|turnamen|konser|pameran|expo|talkshow|"
    r"pentas|penyaluran|pembagian|bakti\s+sosial|baksos",
    # appeals: "mengajak seluruh pihak ... bersinergi", "perlu kerja sama semua pihak"
    "appeal": r"mengajak|ajak|mengimbau|imbau|menghimbau|himbau|meminta|minta|menyerukan|serukan|"
    r"mendorong|dorong|perlu|butuh|membutuhkan|dibutuhkan|diperlukan|memerlukan|harus|pentingnya|"
    r"wajib|hendaknya|mari",
    "allparties": r"(?:seluruh|semua|segenap|setiap|para|berbagai)\s+(?:pihak|elemen|lapisan|komponen|"
    r"unsur|stakeholder|pemangku|masyarakat|warga|opd|perangkat\s+daerah|instansi|kalangan|"
    r"jajaran|stakeholders)|lintas\s+(?:sektor\w*|instansi|opd|elemen|stakeholder)|"
    r"(?:tidak|tak)\s+(?:bisa|dapat|mungkin)\s+(?:bekerja\s+)?sendiri|tanggung\s+jawab\s+bersama|"
    r"bersama-sama|gotong\s+royong|pentahelix|penta\s+helix",
    # background and retrospective
    "bgstrong": r"sejak\s+(?:tahun\s+)?(?:19|20)\d\d|sejak\s+(?:saat\s+itu|lama|dulu|ditandatangani\w*|"
    r"awal)|berakhir\s+pada|(?:telah|sudah)\s+berakhir|habis\s+masa\s+berlaku|masa\s+berlaku\w*\s+"
    r"(?:telah\s+|sudah\s+)?habis|(?:19|20)\d\d\s*[–—-]\s*(?:19|20)\d\d|jalan\s+di\s*tempat|"
    r"mangkrak|mandek|(?:tidak|tak|belum)\s+berjalan|evaluasi\s+(?:\w+\s+){0,2}?(?:mou|" + KS + r")",
    "bgmedium": r"(?:telah|sudah|yang)\s+(?:terjalin|menjalin|dijalin|berjalan|lama)|selama\s+ini|"
    r"selama\s+(?:\d+|puluhan|belasan|beberapa)\s+tahun|peringatan|hut|ulang\s+tahun|anniversary|"
    r"(?:tahun|bulan)\s+lalu|pada\s+(?:tahun\s+)?(?:19|20)\d\d|pernah|"
    r"(?:implementasi|realisasi|pelaksanaan|hasil|buah|wujud\s+nyata|wujud|bagian)\s+(?:dari\s+)?"
    r"(?:program\s+)?(?:" + KS + r"|mou|nota|perjanjian|kesepakatan|sister)",
    # cancelled or terminated cooperation
    "cancel": r"dibatalkan|membatalkan|batalkan|pembatalan|batal|diputus|pemutusan|putus\s+(?:kontrak|"
    r"kerja|hubungan)|memutus(?:kan)?\s+(?:kontrak|" + KS + r"|hubungan|mou)|diakhiri|mengakhiri|"
    r"akhiri|dihentikan|menghentikan|hentikan|penghentian|dicabut|mencabut|(?:tidak|tak)\s+"
    r"(?:diperpanjang|dilanjutkan|memperpanjang|melanjutkan)|dibekukan|membekukan|bekukan|pembekuan|"
    r"wanprestasi|digugat|menggugat",
    # document-level penalties
    "party": r"partai|parpol|koalisi|berkoalisi|pilkada|pilwalkot|pilwakot|pilbup|pilgub|pileg|pilpres|"
    r"pemilu|pemilihan\s+(?:umum|kepala\s+daerah|wali\s*kota|bupati|gubernur)|paslon|pasangan\s+calon|"
    r"bakal\s+calon|bacalon|bapaslon|mengusung|diusung|usungan|cawalkot|cawawalkot|cabup|cawabup|"
    r"cagub|cawagub|capres|cawapres|caleg|dpd|dpc|dpw|dpp|golkar|gerindra|pdip|pdi\s+perjuangan|"
    r"pdi-p|nasdem|demokrat|pkb|ppp|psi|perindo|hanura|rekomendasi\s+partai|kursi\s+dprd|"
    r"komunikasi\s+politik|politik",
    "crime": r"tersangka|pelaku" + _CRIME_NOT + r"|diringkus|meringkus|ringkus|curanmor|dpo|ditangkap|"
    r"penangkapan|pencurian|perampokan|begal|narkoba|sabu|barang\s+bukti|ditahan|kriminal|jambret|"
    r"penipuan|tindak\s+pidana|buron|komplotan|sindikat|oknum|pembunuhan|penganiayaan|"
    r"polres\w*|polsek|reskrim",
    "corrupt": r"korupsi|tipikor|kerugian\s+negara|suap|gratifikasi|terdakwa|dakwaan|didakwa|vonis|"
    r"divonis|penyidik|penyidikan|penyelidikan|mark\s*-?\s*up|penyelewengan|penyalahgunaan|kpk|"
    r"pengadilan|persidangan|jaksa\s+penuntut",
    "sport": r"pertandingan|bertanding|laga|gol|liga|skor|pelatih|klub|turnamen|kejuaraan|stadion|"
    r"pemain|wasit|suporter|sepak\s*bola|futsal|voli|basket|kemenangan|kekalahan|babak|"
    r"kompak|kekompakan|tanding",
    "study": r"studi\s+banding|studi\s+tiru|kaji\s+banding|benchmarking|menimba\s+ilmu|belajar|"
    r"mempelajari|adopsi|mengadopsi|diadopsi|meniru|mereplikasi|replikasi|amati\s+tiru",
}
NEG_RE = compile_named(NEGATIVES.items())

# Document-level penalty per hit and the cap on hits counted.
PENALTY: dict[str, tuple[float, int]] = {
    "party": (1.0, 5),
    "crime": (0.7, 5),
    "corrupt": (1.0, 4),
    "sport": (0.6, 5),
    "study": (0.8, 3),
}

# Organisation / place markers near a partnership word (proximity signal).
ORG_RE = compile_named([(
    "org", r"pemkot|pemkota|pemko|pemkab|pemprov|pemda|pemerintah|kota|kabupaten|kab\.|provinsi|"
    r"wali\s*kota|walikota|wako|bupati|gubernur|universitas|institut|politeknik|kampus|sekolah\s+tinggi|"
    r"rsud|rsup|rumah\s+sakit|pt|perumda|pdam|bumd|bumn|perusahaan|investor|kedubes|kedutaan|dubes|"
    r"duta\s+besar|konjen|konsulat|konsul|kementerian|kemen\w+|kbri|delegasi|dinas|badan|bank|"
    r"jica|koica|usaid|giz|unicef|undp|who|adb|jetro|kotra|lembaga|yayasan|asosiasi|kadin"
)])
DOC_SHORT = frozenset({"pks", "msp"})  # abbreviations only trusted when written in capitals

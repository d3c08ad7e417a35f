"""Tests for classifier/canonical.py: one name per organisation, and when two names are one party."""

from __future__ import annotations

import pytest

from classifier import classify
from classifier.canonical import canonical, matched, same_party, unique
from classifier.rules import analyse, explain


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("Pemkot Bandung", "Pemerintah Kota Bandung"),
        ("Pemkab  Serang", "Pemerintah Kabupaten Serang"),
        ("Pemprov Jawa Barat", "Pemerintah Provinsi Jawa Barat"),
        ("Kedubes Jepang", "Kedutaan Besar Jepang"),
        ("KBRI Tokyo", "Kedutaan Besar Republik Indonesia di Tokyo"),
        ("PT. Bank Negara Indonesia (Persero) Tbk", "PT Bank Negara Indonesia"),
        ("SMKN 6 Samarinda", "SMK Negeri 6 Samarinda"),
        ("Kemenkes", "Kementerian Kesehatan"),
        ("Kejari Bantul", "Kejaksaan Negeri Bantul"),
        ("Kejati Sumut", "Kejaksaan Tinggi Sumut"),
        # a foreign place and its government are one party, under the gazetteer's name
        ("Provinsi Chungcheongbuk-do (Korea Selatan)", "Chungcheong Utara (Korea Selatan)"),
        ("Pemerintah Kota Davao", "Kota Davao (Filipina)"),
        ("Pemerintah Negeri Sabah", "Sabah (Malaysia)"),
        ("Malaka", "Malaka"),  # a regency of NTT before the Malaysian state
    ],
)
def test_canonical_names(raw: str, want: str) -> None:
    assert canonical(raw) == want


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Pemkot Bandung", "Pemerintah Kota Bandung"),
        ("Bandung", "Pemerintah Kota Bandung"),
        ("BNI", "PT Bank Negara Indonesia (Persero) Tbk"),
        ("Bank BRI", "PT Bank Rakyat Indonesia"),
        ("PT PLN (Persero)", "PT Perusahaan Listrik Negara"),
        ("Unibos", "Universitas Bosowa"),
        ("Pemerintah Kabupaten Pangkep", "Pemerintah Kabupaten Pangkajene dan Kepulauan"),
        ("Pemerintah Kota Bandarlampung", "Pemerintah Kota Bandar Lampung"),
        ("Pemerintah Kota Solo", "Pemerintah Kota Surakarta"),
        ("Kedutaan Besar Turki", "Kedutaan Besar Turkiye"),
        ("PT Telkom Indonesia", "PT Telekomunikasi Indonesia"),
        ("Hamamatsu", "Kota Hamamatsu (Jepang)"),
        ("Perum Jasa Tirta 1", "Perum Jasa Tirta I"),  # a number written in Roman numerals
        ("PT Angkasa Pura II", "Angkasa Pura 2"),
        ("IPB University", "Institut Pertanian Bogor"),  # the English kind word is generic
        ("PT JTT", "PT Jogja Tugu Trans"),  # an acronym of the words as written, not of "Yogyakarta"
        ("Polda Jabar", "Kepolisian Daerah Jawa Barat"),  # a police command's short name
        ("Polres Kendal", "Kepolisian Resor Kendal"),
        ("MPDT Capital Berhad", "PT PMA MPDT Capital"),  # legal forms tell no two companies apart
        # the acronym in brackets is the name it goes by, though its words do not spell it
        ("ITDC", "PT Pengembangan Pariwisata Indonesia (ITDC)"),
        ("PT ITDC", "PT Pengembangan Pariwisata Indonesia (ITDC)"),
        ("PT KAI", "PT Kereta Api Indonesia"),  # a company under its short name after PT
        ("Pelindo III", "PT Pelabuhan Indonesia III"),
        ("Kejagung", "Kejaksaan Agung"),
        ("Aspire Academy", "Aspire Academy Qatar"),  # a foreign body with its country
        ("PT Pupuk Sriwidjaja", "PT Pupuk Sriwijaya"),  # the spelling of before 1972
        ("PT Food Station Tjipinang Jaya", "PT Food Station Cipinang Jaya"),
        # a place is its government, and a country its government or its mission
        ("Kaltara", "Pemerintah Provinsi Kalimantan Utara"),
        ("Bangka Belitung", "Pemerintah Provinsi Kepulauan Bangka Belitung"),
        ("Malaysia", "Pemerintah Malaysia"),
        ("Tiongkok", "Kedutaan Besar Tiongkok"),
        ("Sabah (Malaysia)", "Kerajaan Negeri Sabah"),
        ("Wakayama (Jepang)", "Pemerintah Prefektur Wakayama"),
        ("Pemerintah Jerman", "Pemerintah Republik Federal Jerman"),
        ("Konsulat Jenderal Jepang", "Konsulat Jenderal Jepang di Medan"),
        # two bodies of one kind named by one place, and a body and its acronym
        ("Bank Jateng", "PT Bank Pembangunan Daerah Jawa Tengah"),
        ("BI", "Bank Indonesia"),
        ("UM", "Universitas Negeri Malang"),
        # a firm is told by its first word, whatever place ends its name
        ("PDAM Bangli", "Perusahaan Daerah Air Minum Kabupaten Bangli"),
        ("PDAM Tirtawening", "Perusahaan Daerah Air Minum Tirtawening Kota Bandung"),
        # offices by the short forms that take syllables from inside their words
        ("Disnakertrans Kabupaten Kuningan", "Dinas Tenaga Kerja dan Transmigrasi Kabupaten Kuningan"),
        ("Disdikbud Kota Malang", "Dinas Pendidikan dan Kebudayaan Kota Malang"),
        ("Lanal Mataram", "Pangkalan TNI Angkatan Laut Mataram"),
        ("Ponpes Pandanwangi", "Pondok Pesantren Pandanwangi"),
        ("Kejaksaan Tinggi Sulselbar", "Kejaksaan Tinggi Sulawesi Selatan"),  # one province then
        ("Kementerian Investasi/BKPM", "Badan Koordinasi Penanaman Modal"),  # two names, one body
        ("Kedutaan Besar Slowakia", "Kedutaan Besar Slovakia"),  # a country's other spelling
        # a bank by its own words or their acronym
        ("Mandiri", "PT Bank Mandiri"),
        ("PT BPD Jatim", "Bank Jatim"),
    ],
)
def test_same_party_however_abbreviated(a: str, b: str) -> None:
    assert same_party(a, b)
    assert same_party(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Pemerintah Kota Bandung", "Pemerintah Kabupaten Bandung"),
        ("Universitas Lampung", "Pemerintah Provinsi Lampung"),
        ("Jepang", "Kota Hamamatsu (Jepang)"),  # a country is not its city or company
        ("Malaysia", "Petronas (Malaysia)"),
        ("PT Pelindo III", "PT Pelabuhan Indonesia IV"),
        ("Universitas Negeri Malang", "Universitas Negeri Makassar"),
        ("Kementerian Kesehatan", "Kementerian Keuangan"),
        ("PT Bank DKI", "PT Bank Jateng"),
        ("PT Angkasa Pura I", "PT Angkasa Pura II"),
        ("Polda Jabar", "Polda Jatim"),
        ("Polres Kendal", "Polda Jateng"),
        ("SP Setia Sdn Bhd", "I&P Group Sdn Bhd"),
        ("Kota Osaka (Jepang)", "Jepang"),  # a bracketed country is no acronym
        ("PT Wijaya Karya (WIKA)", "PT Pembangunan Perumahan (PP)"),
        # a country after a ministry names another government's ministry
        ("Kementerian Pertahanan", "Kementerian Pertahanan Malaysia"),
        # a place is not a club, firm, campus or chamber named after it, nor another place
        ("Persija Jakarta", "Bank DKI"),
        ("DKI", "Kamar Dagang dan Industri DKI Jakarta"),
        ("Indonesia", "Universitas Indonesia"),
        ("Kaltara", "Bank Kaltara"),
        ("Tiongkok", "China Huadian Corporation"),
        ("Korea Selatan", "perusahaan asal Korea Selatan"),
        ("Riau", "Pemerintah Provinsi Kepulauan Riau"),
        ("Pemerintah Kabupaten Manggarai", "Pemerintah Kabupaten Manggarai Timur"),
        ("Papua Nugini", "Pemerintah Provinsi Papua"),
        # "Perth" is spelled by the letters of "Pemerintah", but is another city
        ("Kota Perth (Australia)", "Pemerintah Kota Denpasar"),
        # a city's water firm is no bank of the city, nor its government; a school of a
        # ministry is not the ministry
        ("PDAM Bangli", "Perusahaan Daerah Bank Daerah Bangli"),
        ("PDAM Bangli", "Bank Daerah Bangli"),  # one place is all the two names share
        ("PT Liga Indonesia Baru", "PT Bank Rakyat Indonesia"),
        ("Perusahaan Daerah Air Minum Kabupaten Bangli", "Perusahaan Daerah Bank Daerah Bangli"),
        ("Perusahaan Umum Daerah Air Minum Kota Makassar", "Pemerintah Kota Makassar"),
        ("Politeknik Kesehatan Kementerian Kesehatan Makassar", "Kementerian Kesehatan"),
        ("Kedutaan Besar Korea Utara", "Kedutaan Besar Korea Selatan"),
    ],
)
def test_different_parties(a: str, b: str) -> None:
    assert not same_party(a, b)
    assert not same_party(b, a)


def test_unique_and_matched() -> None:
    names = unique(["Pemkab Tulang Bawang Barat", "Pemerintah Kabupaten Tulangbawang Barat", "Universitas Lampung"])
    assert names == ("Pemerintah Kabupaten Tulang Bawang Barat", "Universitas Lampung")
    assert matched(["Pemkot Bandung", "Pemerintah Kota Bandung"], ["Pemerintah Kota Bandung", "Kota Hamamatsu"]) == 1


@pytest.mark.parametrize(
    ("name", "full"),
    [
        ("Pemkab HST", "Pemerintah Kabupaten Hulu Sungai Tengah"),
        ("Pemerintah Kabupaten OKU", "Pemerintah Kabupaten Ogan Komering Ulu"),
        ("Pemkab Kukar", "Pemerintah Kabupaten Kutai Kartanegara"),
        ("Pemkot Solo", "Pemerintah Kota Surakarta"),
        ("Pemkab Tanjabbar", "Pemerintah Kabupaten Tanjung Jabung Barat"),
        ("Pemerintah Kabupaten Antah Berantah", "Pemerintah Kabupaten Antah Berantah"),
    ],
)
def test_regency_and_city_short_forms_are_one_name(name: str, full: str) -> None:
    assert canonical(name) == full


def test_every_regency_and_city_is_known_once() -> None:
    # 416 regencies and 98 cities (2024); a short form never names two places of one level
    from classifier.gazetteer import GAZETTEER

    assert len(set(GAZETTEER.kab.values())) == 416
    assert len(set(GAZETTEER.kota.values())) == 98
    assert GAZETTEER.kab["kepulauan meranti"] == GAZETTEER.kab["meranti"] == "Kepulauan Meranti"


def test_a_regency_named_like_a_common_word_needs_its_keyword() -> None:
    # "Puncak" and "Buru" are regencies of Papua Tengah and Maluku, and everyday words
    v = classify(
        "Puncak Acara, Pemkot Ambon Teken MoU dengan Universitas Pattimura",
        "Ambon - Pemerintah Kota Ambon dan Universitas Pattimura menandatangani nota kesepahaman "
        "pengembangan SDM aparatur pada puncak acara hari jadi kota, Senin (7/9/2026).",
    )
    assert v.match
    assert not any("Puncak" in p for p in v.parties)
    assert "Pemerintah Kabupaten Puncak" in classify(
        "Pemkab Puncak Jajaki Kerja Sama dengan Universitas Cenderawasih",
        "Jayapura - Pemerintah Kabupaten Puncak menjajaki kerja sama pendidikan dengan Universitas "
        "Cenderawasih untuk beasiswa putra daerah, Kamis (3/9/2026).",
    ).parties
    # "Batu Bara" is coal in a Title Case headline (and "Batu" a stone), a regency of Sumatera
    # Utara and a city of Jawa Timur after their keyword
    found = analyse(
        "PLN dan PT Bukit Asam Teken Kontrak Pasokan Batu Bara untuk PLTU",
        "Jakarta - PT PLN dan PT Bukit Asam menandatangani kontrak pasokan batu bara untuk PLTU"
        " Suralaya, Senin (7/9/2026).",
    )
    assert found is not None
    names = [c.name for c in explain(found, True)[1]]
    assert "PT PLN" in names
    assert not any("Batu" in name for name in names), names


def test_a_title_or_an_initial_does_not_end_a_name() -> None:
    v = classify(
        "RSUD dr. R. Soedarsono Pasuruan dan Universitas Brawijaya Teken Kerja Sama Pendidikan Klinis",
        "Pasuruan - RSUD dr. R. Soedarsono Pasuruan dan Universitas Brawijaya menandatangani "
        "perjanjian kerja sama pendidikan klinis bagi mahasiswa kedokteran, Rabu (2/9/2026).",
    )
    assert any("Soedarsono" in p for p in v.parties), v.parties


def test_a_partner_without_a_marker_word_is_found_after_dengan() -> None:
    # no PT, Bank or Universitas: an airline, named right after the partner word in the body
    v = classify(
        "Pemkab Kepulauan Selayar Teken Kerja Sama Subsidi Rute Penerbangan",
        "Benteng - Pemerintah Kabupaten Kepulauan Selayar menandatangani perjanjian kerja sama "
        "dengan Wings Air untuk subsidi rute Selayar-Makassar, Senin (7/9/2026). Kerja sama itu "
        "ditandatangani Bupati Kepulauan Selayar bersama Budi Santoso dari maskapai tersebut.",
    )
    assert v.match
    assert "Wings Air" in v.parties
    assert "Pemerintah Kabupaten Kepulauan Selayar" in v.parties


def test_two_governments_written_as_one_word_are_two_parties() -> None:
    v = classify(
        "Pemprov Jateng-Lampung Sepakati Kerja Sama Pangan",
        "Semarang - Pemprov Jateng-Lampung sepakat bekerja sama di bidang pangan. Nota kesepakatan "
        "diteken di Semarang, Senin (7/9/2026).",
    )
    assert set(v.parties[:2]) == {"Pemerintah Provinsi Jawa Tengah", "Pemerintah Provinsi Lampung"}


def test_a_company_from_a_country_is_the_party_not_the_country() -> None:
    v = classify(
        "Perusahaan Malaysia Jajaki Investasi Sawit di Kabupaten Sambas",
        "Sambas - Perusahaan asal Malaysia, Sime Darby Plantation, menjajaki investasi pengolahan "
        "sawit di Kabupaten Sambas. Perwakilan perusahaan bertemu Bupati Sambas, Rabu (2/9/2026).",
    )
    assert "Sime Darby Plantation (Malaysia)" in v.parties
    assert "Malaysia" not in v.parties


def _names(title: str, body: str) -> tuple[str, ...]:
    from classifier.parties import extract

    text = f"{title}\n{body}"
    return extract(text, len(title), [(0, len(title)), (len(title) + 1, len(text))])


def test_every_name_of_a_partner_list_is_a_candidate() -> None:
    names = _names(
        "PLN Teken Kerja Sama Ekosistem Kendaraan Listrik",
        "PLN meneken kerja sama dengan Bluebird, Gojek, Grab dan Transjakarta, Senin (7/9/2026).",
    )
    # Transjakarta under the company's name (the gazetteer knows it)
    assert {"Bluebird", "Gojek", "Grab", "PT Transportasi Jakarta"} <= set(names), names


def test_an_unknown_acronym_is_a_candidate_and_a_document_is_not() -> None:
    names = _names(
        "Le Minerale Kembali Jadi Sponsor Turnamen",
        "Le Minerale kembali menjadi sponsor turnamen PBSI tahun ini. MoU dan PKS diteken di Jakarta.",
    )
    assert "PBSI" in names, names
    assert not {"MoU", "PKS", "MOU"} & set(names), names


def test_a_headline_opening_with_a_brand_names_it() -> None:
    names = _names(
        "Le Minerale Kembali Jadi Sponsor Turnamen",
        "Le Minerale kembali menjadi sponsor utama turnamen bulu tangkis nasional tahun ini.",
    )
    assert "Le Minerale" in names, names
    # a person the body introduces with a title is not a party
    names = _names(
        "Budi Santoso Sambut Tawaran Kerja Sama",
        "Direktur Budi Santoso menyambut tawaran kerja sama itu, Senin (7/9/2026).",
    )
    assert "Budi Santoso" not in names, names


def test_a_headline_name_runs_no_further_than_the_body_writes_it() -> None:
    names = _names(
        "PT YKI Belum Teken Kontrak Baru dengan Pemkab Sikka",
        "PT YKI bersama Pemerintah Kabupaten Sikka masih membahas kontrak baru jaringan internet.",
    )
    assert "PT YKI" in names, names
    assert "PT YKI Belum" not in names, names


def test_a_consul_general_is_a_person_not_a_consulate() -> None:
    names = _names(
        "Surabaya Jajaki Kerja Sama Pendidikan",
        "Wali Kota Surabaya menerima Konsul Jenderal Glen Askew untuk menjajaki kerja sama pendidikan.",
    )
    assert not any("Glen" in n for n in names), names


def test_every_country_is_a_country_party() -> None:
    names = _names(
        "Dubes Bulgaria Tawarkan Beasiswa untuk Belitung",
        "Duta Besar Bulgaria menawarkan kerja sama dengan Pemkab Belitung. Pemerintah Kolombia juga hadir.",
    )
    assert "Kedutaan Besar Bulgaria" in names, names
    assert "Pemerintah Kolombia" in names, names


def test_a_foreign_place_is_known_by_its_other_name() -> None:
    names = _names(
        "Jateng Jajaki Kerja Sama dengan Chungbuk",
        "Pemprov Jateng menjajaki kerja sama dengan Chungbuk, Korea Selatan.",
    )
    assert "Chungcheong Utara (Korea Selatan)" in names, names


def test_a_canonical_name_is_its_own_canonical_name() -> None:
    """Stories are linked by canonical name: "PLN" and "PT PLN" once gave "PT PLN (Persero)",
    whose canonical name is "PT PLN", so one company had two names."""
    from classifier.gazetteer import GAZETTEER
    from classifier.training.corpus import REAL_TEST, TEST, read_jsonl, training_records

    names = {"PLN", "PT PLN", "Pertamina", "PT Pertamina (Persero)", *GAZETTEER.acronyms, *GAZETTEER.acronyms.values()}
    for record in [*training_records(), *read_jsonl(REAL_TEST), *read_jsonl(TEST)]:
        names.update(record.get("parties") or ())
    moved = {name: canonical(name) for name in names if canonical(canonical(name)) != canonical(name)}
    assert not moved, moved
    assert canonical("PLN") == canonical("PT PLN") == canonical("PT PLN (Persero)")


def test_a_home_ministry_and_its_foreign_counterpart_are_two_parties() -> None:
    names = _names(
        "Menhan RI dan Menhan Malaysia Bahas Kerja Sama Industri Pertahanan",
        "Kuala Lumpur - Menteri Pertahanan Sjafrie Sjamsoeddin bertemu Menteri Pertahanan Malaysia "
        "Mohamed Khaled Nordin membahas kerja sama industri pertahanan, Selasa (1/9/2026). "
        "Kementerian Pertahanan dan Kementerian Pertahanan Malaysia sepakat menyusun nota kesepahaman.",
    )
    assert {"Kementerian Pertahanan", "Kementerian Pertahanan Malaysia"} <= set(names), names


def test_a_ministry_name_ends_where_an_official_name_begins() -> None:
    names = _names(
        "Kemenkeu dan Bank Dunia Teken Pinjaman Infrastruktur",
        "Jakarta - Kementerian Keuangan Luky Alfirman menandatangani perjanjian pinjaman dengan "
        "Bank Dunia untuk pembangunan jalan daerah, Kamis (3/9/2026).",
    )
    assert "Kementerian Keuangan" in names, names
    assert not any("Luky" in n for n in names), names


def test_a_body_named_with_its_place_is_its_office_not_the_place_government() -> None:
    names = _names(
        "BPBD Kabupaten Bima dan PT Sinar Jaya Teken Kerja Sama Logistik Bencana",
        "Bima - BPBD Kabupaten Bima dan PT Sinar Jaya menandatangani kerja sama logistik bencana. "
        "Kadin Kabupaten Bima turut menandatangani nota itu, Senin (7/9/2026).",
    )
    assert "BPBD Kabupaten Bima" in names, names
    assert "Pemerintah Kabupaten Bima" not in names, names
    assert any(n.endswith("Kabupaten Bima") and n.startswith(("Kadin", "Kamar Dagang")) for n in names), names


def test_an_office_name_runs_on_over_its_tasks() -> None:
    names = _names(
        "Disnakertrans Maluku Utara Gandeng PT Sinar Jaya",
        "Sofifi - Dinas Tenaga Kerja dan Transmigrasi Provinsi Maluku Utara menandatangani kerja sama "
        "pelatihan dengan PT Sinar Jaya. Dinas Pendidikan dan Universitas Khairun juga hadir.",
    )
    assert "Dinas Tenaga Kerja dan Transmigrasi Provinsi Maluku Utara" in names, names
    assert "Pemerintah Provinsi Maluku Utara" not in names, names
    # a body of another kind after "dan" is another party
    assert not any("Pendidikan dan" in n for n in names), names
    names = _names(
        "Dinkes Kota Bima Gandeng PT Sinar Jaya",
        "Bima - Dinas Kesehatan (Dinkes) Kota Bima menandatangani kerja sama dengan PT Sinar Jaya.",
    )
    # its place after its acronym in brackets; "Dinkes Kota Bima" in the headline is the same office
    assert any(same_party(n, "Dinas Kesehatan Kota Bima") for n in names), names
    assert "Pemerintah Kota Bima" not in names, names
    names = _names(
        "Pemkot Serang Pindahkan RKUD ke PT Sinar Jaya",
        "Serang - Pemkot Serang meneken kerja sama pemindahan RKUD Kota Serang ke PT Sinar Jaya.",
    )
    assert not any("RKUD" in n for n in names), names  # an account, not an office


def test_an_acronym_and_its_name_are_one_party_under_the_full_name() -> None:
    """ "Unmus" in the headline and "Universitas Musamus (Unmus)" in the text: one party, shown by
    its full name, though their distinctive words ("unmus", "musamus") open with other letters."""
    v = classify(
        "Unmus dan Pemkab Merauke Teken MoU Pengembangan SDM",
        "Merauke - Universitas Musamus (Unmus) dan Pemerintah Kabupaten Merauke menandatangani nota "
        "kesepahaman pengembangan sumber daya manusia aparatur, Senin (7/9/2026). Rektor Unmus "
        "menyebut kerja sama mencakup pelatihan dan penelitian. Unmus akan menugaskan dosen untuk "
        "pendampingan.\n\nBupati Merauke berharap kerja sama dengan Unmus segera berjalan.",
    )
    assert v.match
    assert sorted(v.parties) == ["Pemerintah Kabupaten Merauke", "Universitas Musamus"], v.parties
    found = [
        c.name
        for c in explain(
            analyse(
                "Unkhair dan Pemkot Ternate Teken MoU",
                "Ternate - Universitas Khairun (Unkhair) dan Pemerintah Kota Ternate menandatangani nota "
                "kesepahaman. Rektor Unkhair hadir, Senin (7/9/2026).",
            ),
            True,
        )[1]
    ]
    assert "Universitas Khairun" in found and "Unkhair" not in found, found


def test_a_country_stands_as_a_party_only_beside_the_national_government() -> None:
    """"Investor Korea Selatan Lirik Baubau": the partner is a body from that country, which the
    country would stand in for; "Indonesia dan Malaysia Teken MoU": two states sign."""
    from classifier.parties import no_stand_in_country

    assert no_stand_in_country(["Pemerintah Kota Baubau", "Korea Selatan"]) == ("Pemerintah Kota Baubau",)
    assert no_stand_in_country(["Pemerintah Indonesia", "Malaysia"]) == ("Pemerintah Indonesia", "Malaysia")
    # a foreign city, its government or a mission is named, not stood in for
    kept = ["Pemerintah Kota Denpasar", "Kota Perth (Australia)", "Kedutaan Besar Australia"]
    assert no_stand_in_country(kept) == tuple(kept)
    v = classify(
        "Investor Korea Selatan Lirik Industri Perikanan di Baubau",
        "BAUBAU - Investor asal Korea Selatan menjajaki kerja sama dengan Pemkot Baubau untuk industri "
        "perikanan terpadu, Senin (3/3/2025). Rombongan investor Korea Selatan diterima Wali Kota Baubau.",
    )
    assert v.match and "Korea Selatan" not in v.parties, v.parties

"""Tests for classifier/canonical.py: one name per organisation, and when two names are one party."""

from __future__ import annotations

import pytest

from classifier.canonical import canonical, matched, same_party, unique


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
    ],
)
def test_different_parties(a: str, b: str) -> None:
    assert not same_party(a, b)
    assert not same_party(b, a)


def test_unique_and_matched() -> None:
    names = unique(["Pemkab Tulang Bawang Barat", "Pemerintah Kabupaten Tulangbawang Barat", "Universitas Lampung"])
    assert names == ("Pemerintah Kabupaten Tulang Bawang Barat", "Universitas Lampung")
    assert matched(["Pemkot Bandung", "Pemerintah Kota Bandung"], ["Pemerintah Kota Bandung", "Kota Hamamatsu"]) == 1

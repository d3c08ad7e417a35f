"""Regions of the inbox's region filter, read from the stored parties: the sources file has no
region field, so a story's regions are the cities, regencies and provinces its parties name
("Pemerintah Kota Bandung" -> "Kota Bandung", "Pemkab Garut" -> "Kabupaten Garut")."""

from __future__ import annotations

import re
from collections.abc import Iterable

# The word that says what kind of region follows, as Indonesian news writes it, and the form
# shown in the filter.
_KINDS = {
    "kota": "Kota", "pemkot": "Kota", "kabupaten": "Kabupaten", "kab": "Kabupaten", "pemkab": "Kabupaten",
    "provinsi": "Provinsi", "prov": "Provinsi", "pemprov": "Provinsi",
}
_REGION = re.compile(
    r"\b(kota|pemkot|kabupaten|kab|pemkab|provinsi|prov|pemprov)\.?\s+"
    r"((?:[A-Z][\w'-]*)(?:\s+[A-Z][\w'-]*){0,2})",
    re.IGNORECASE,
)
# Capitalised words that end a region's name rather than belong to it.
_STOP = {"dan", "dengan", "di", "ke", "dari", "untuk", "pada", "yang"}


def regions_of(parties: Iterable[str]) -> set[str]:
    """The regions named by these parties, e.g. {"Kota Bandung", "Kabupaten Garut"}."""
    found = set()
    for party in parties:
        for kind, name in _REGION.findall(party):
            words = []
            for word in name.split():
                if word.casefold() in _STOP or not word[0].isupper():
                    break
                words.append(word)
            if words:
                found.add(f"{_KINDS[kind.casefold()]} {' '.join(words)}")
    return found

"""Place and country lookups for party extraction (classify step), loaded from gazetteer.json."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .regex_trie import trie_pattern

_PATH = Path(__file__).with_name("gazetteer.json")


@dataclass(frozen=True)
class Foreign:
    name: str
    country: str
    kind: str  # "kota" or "wilayah" (state, prefecture, province)

    @property
    def party(self) -> str:
        prefix = "Kota " if self.kind == "kota" else ""
        return f"{prefix}{self.name} ({self.country})"


class Gazetteer:
    """Name -> canonical lookups plus case-sensitive trie regexes over the original text."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.province: dict[str, str] = {}
        for entry in data["provinces"]:
            for alias in [entry["name"], *entry["aliases"]]:
                self.province[alias.lower()] = entry["name"]
        self.kota = _names(data["kota"])
        self.kab = _names(data["kabupaten"])
        self.country: dict[str, str] = {}
        for entry in data["countries"]:
            for alias in [entry["name"], *entry["aliases"]]:
                self.country[alias.lower()] = entry["name"]
        self.foreign: dict[str, Foreign] = {}
        for entry in data["foreign_places"]:
            place = Foreign(entry["name"], entry["country"], entry["kind"])
            for alias in [entry["name"], *entry.get("aliases", ())]:  # "Port Klang": Pelabuhan Klang
                self.foreign[alias.lower()] = place
        foreign_names = [a for e in data["foreign_places"] for a in [e["name"], *e.get("aliases", ())]]
        country_names = [a for e in data["countries"] for a in [e["name"], *e["aliases"]]]
        self.country_re = re.compile("(?:" + trie_pattern(country_names) + r")\b")
        self.foreign_re = re.compile(
            "(?:" + trie_pattern(foreign_names) + r")\b"
        )
        # place names found without a keyword: never the short forms ("Tuba", "Mura") nor names
        # that are common words ("Puncak", "Buru"), which count only after Kota/Kabupaten/Pemkab
        indonesian = {
            e["name"]
            for e in [*data["provinces"], *data["kota"], *data["kabupaten"]]
            if e.get("bare", True)
        }
        # countries and foreign places in one scan, for the proximity signal
        self.name_re = re.compile(
            "(?:"
            + trie_pattern([*country_names, *foreign_names])
            + r")\b"
        )
        self.place_re = re.compile("(?:" + trie_pattern(indonesian) + r")\b")
        self.levels = {"kota": self.kota, "kab": self.kab, "prov": self.province}
        self.max_words = 4
        # first words of every multi-table name: a lookup is skipped when the first word is unknown
        self._first = {
            id(table): frozenset(name.split()[0] for name in table)
            for table in (self.kota, self.kab, self.province, self.country, self.foreign)
        }
        self.stopwords: frozenset[str] = frozenset(data["name_stopwords"])
        self.acronyms: dict[str, str] = dict(data["acronyms"])

    def longest(self, words: list[str], table: dict[str, str]) -> tuple[str, int] | None:
        """Longest prefix of words found in table: (canonical name, words used)."""
        first = self._first.get(id(table))
        if not words or (first is not None and words[0].lower() not in first):
            return None
        for n in range(min(len(words), self.max_words), 0, -1):
            hit = table.get(" ".join(words[:n]).lower())
            if hit is not None:
                return hit, n
        return None

    def longest_foreign(self, words: list[str]) -> tuple[Foreign, int] | None:
        """longest() over the foreign places."""
        if not words or words[0].lower() not in self._first[id(self.foreign)]:
            return None
        for n in range(min(len(words), self.max_words), 0, -1):
            hit = self.foreign.get(" ".join(words[:n]).lower())
            if hit is not None:
                return hit, n
        return None


def _names(entries: list[dict[str, Any]]) -> dict[str, str]:
    """lower-case name or short form -> the place's name."""
    table: dict[str, str] = {}
    for entry in entries:
        for alias in [entry["name"], *entry["aliases"]]:
            table[alias.lower()] = entry["name"]
    return table


GAZETTEER = Gazetteer(json.loads(_PATH.read_text(encoding="utf-8")))

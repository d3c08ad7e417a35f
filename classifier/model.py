"""The trained layer of the classifier (classify step): weights.json, loaded once per process.

Pure-Python scoring of the exported linear models (see training/fit.py): TF-IDF over the
article's n-grams -> text margin; stacker over text margin + rule features -> Platt-calibrated
score; stage model over rule stage votes + the same TF-IDF terms.
"""

from __future__ import annotations

import hashlib
import json
import math
import threading
from collections import Counter
from itertools import compress
from operator import mul
from pathlib import Path
from typing import Any, cast

from .features import (
    PARTY_CROSS,
    PARTY_FEATURES,
    RULE_FEATURES,
    SECTOR_FEATURES,
    SECTOR_NAMES,
    STAGE_FEATURES,
    TEXT_CLIP,
    UNNAMED_FEATURES,
    named_sector_row,
    party_heads,
)
from .parties import KINDS, MAX_PARTIES, Candidate, no_stand_in_country, rank
from .sectors import SectorHit

WEIGHTS = Path(__file__).with_name("weights.json")
VERSION_FILE = Path(__file__).with_name("weights_version.json")
FORMAT = "jajak-classifier/2"

TextScores = tuple[float, tuple[float, ...]]  # (text margin, stage text terms)
SectorTerm = tuple[float, tuple[tuple[int, float], ...]]  # idf, ((sector index, coef), ...)
# What the model knows of one n-gram: idf, text coef, stage coef per class, then the sector text
# model's SectorTerm (None when the sector vocabulary lacks the n-gram).
Entry = tuple[float, float, float, float, float, float, SectorTerm | None]
Known = list[tuple[Entry, int]]  # (entry, count) of an article's known n-grams, in its order


def read_version(path: Path = VERSION_FILE) -> str:
    """"hybrid-1+<12 hex>": the artefact's version and the start of its SHA-256."""
    if not path.is_file():
        return "untrained"  # only while `jajak train` builds the first artefact
    meta = json.loads(path.read_text(encoding="utf-8"))
    return f"{meta['version']}+{meta['sha256'][:12]}"


def read_threshold(path: Path = VERSION_FILE) -> float:
    """The packaged model's match threshold (chosen by `jajak train`), 0.5 before the first one."""
    if not path.is_file():
        return 0.5
    return float(json.loads(path.read_text(encoding="utf-8")).get("threshold", 0.5))


class Model:
    """The exported weights, arranged for one dict lookup per n-gram."""

    def __init__(self, data: dict[str, Any]) -> None:
        if data.get("format") != FORMAT:
            raise ValueError(f"classifier weights: format {data.get('format')!r}, want {FORMAT}")
        rel = data["relevance"]
        st = data["stage"]
        if rel["features"][1:] != list(RULE_FEATURES) or st["features"][: len(STAGE_FEATURES)] != (
            list(STAGE_FEATURES)
        ):
            raise ValueError("classifier weights: features differ from this code; run jajak train")
        self.threshold = float(data["threshold"])
        self.text_intercept = float(data["text"]["intercept"])
        self.rel_coef: list[float] = rel["coef"]
        self.rel_intercept = float(rel["intercept"])
        self.rule_coef = self.rel_coef[1:]
        self.platt_a, self.platt_b = (float(v) for v in rel["platt"])
        self.classes: list[str] = st["classes"]
        self.stage_coef: list[list[float]] = st["coef"]
        self.stage_intercept: list[float] = st["intercept"]
        if len(self.classes) != 4:
            raise ValueError(f"classifier weights: stages {self.classes}, want four")
        pm = data.get("parties")
        if pm is not None and pm["features"] != list(PARTY_FEATURES):
            raise ValueError("classifier weights: party features differ from this code; run jajak train")
        self.party_coef: list[float] | None = pm["coef"] if pm else None
        # the head columns, the kind's one-hot columns, then the heads crossed with each kind
        heads = len(PARTY_FEATURES) - len(KINDS) * (1 + len(PARTY_CROSS))
        width = len(PARTY_CROSS)
        coef = self.party_coef or []
        self.party_head_coef = coef[:heads]
        self.party_kind_coef: dict[str, tuple[float, list[float]]] = {
            kind: (coef[heads + k], coef[heads + len(KINDS) + k * width : heads + len(KINDS) + (k + 1) * width])
            for k, kind in enumerate(KINDS)
        } if coef else {}
        self.party_intercept = float(pm["intercept"]) if pm else 0.0
        self.party_cut = float(pm["threshold"]) if pm else 0.5
        self.party_floor = float(pm["floor"]) if pm else 0.5
        sm = data.get("sectors")
        if sm is not None and sm["features"] != list(SECTOR_FEATURES):
            raise ValueError("classifier weights: sector features differ from this code; run jajak train")
        if sm is not None and sm["names"] != list(SECTOR_NAMES):
            raise ValueError("classifier weights: sector vocabulary differs from this code; run jajak train")
        self.sector_coef: list[float] | None = sm["coef"] if sm else None
        self.sector_intercept = float(sm["intercept"]) if sm else 0.0
        self.sector_cut = logit(float(sm["threshold"])) if sm else 0.0
        # the labels' sectors come in pairs (a scholarship: pendidikan and SDM): each sector's
        # pointwise mutual information with the likeliest one, weighted, moves the others
        self.sector_pair: list[list[float]] | None = sm.get("pair") if sm else None
        self.sector_pair_weight = float(sm.get("pair_weight", 0.0)) if sm else 0.0
        # term -> (idf, ((sector index, coef), ...)): the text model is sparse (L1), so most
        # terms touch one or two sectors
        sector_terms: dict[str, SectorTerm] = {}
        self.sector_text_intercept: list[float] = [0.0] * len(SECTOR_NAMES)
        if sm:
            text = sm["text"]
            weights: list[list[tuple[int, float]]] = [[] for _ in text["terms"]]
            for j, pairs in enumerate(text["coef"]):
                for t, c in pairs:
                    weights[t].append((j, c))
            sector_terms = {
                term: (idf, tuple(w))
                for term, idf, w in zip(text["terms"], text["idf"], weights, strict=True)
            }
            self.sector_text_intercept = list(text["intercept"])
        columns = zip(data["idf"], data["text"]["coef"], *st["text_coef"], strict=True)
        # term -> Entry: both text models in one dict, so that one lookup per n-gram serves
        # text_scores and sector_text. Inside classify() these lookups wait on memory (the other
        # stages evict the weights from the CPU caches; they cost 4x what they cost in a loop of
        # their own), so each entry is built compact: _compact() allocates its floats together.
        self.entries: dict[str, Entry] = {
            term: _compact(w, sector_terms.get(term))
            for term, w in zip(data["terms"], columns, strict=True)
        }
        # fit() learns the sector vocabulary on a subset of the same n-grams with the same min_df,
        # so it lies inside the text one; a term outside it would get zero text weights, which
        # add nothing (idf 0.0 makes every product 0.0).
        for term, sector in sector_terms.items():
            if term not in self.entries:
                self.entries[term] = _compact((0.0,) * 6, sector)

    def known(self, grams: Counter[str]) -> Known:
        """The article's n-grams the model knows, with their counts, in the article's order."""
        found = list(map(self.entries.get, grams))  # the lookups at C speed
        # compress() drops the unknown ones (None) at C speed too
        return cast(Known, list(compress(zip(found, grams.values(), strict=True), found)))

    def text_scores(self, grams: Counter[str], known: Known | None = None) -> TextScores:
        """Text margin and per-stage text terms of the l2-normalised sublinear TF-IDF vector.

        Computes what scikit-learn's TfidfVectorizer + LogisticRegression compute, in one pass
        over the known n-grams (no vector is built). known: self.known(grams), when the caller
        has it already.
        """
        log = math.log
        norm = text = s0 = s1 = s2 = s3 = 0.0
        # The sums run in the article's n-gram order (a set intersection's order varied with the
        # process's hash seed anyway); float sums may differ in the last bit, never more.
        for (idf, c, c0, c1, c2, c3, _), n in self.known(grams) if known is None else known:
            v = idf if n == 1 else (1.0 + log(n)) * idf
            norm += v * v
            text += c * v
            s0 += c0 * v
            s1 += c1 * v
            s2 += c2 * v
            s3 += c3 * v
        scale = 1.0 / math.sqrt(norm) if norm else 0.0
        return self.text_intercept + text * scale, (s0 * scale, s1 * scale, s2 * scale, s3 * scale)

    def relevance(self, margin: float, rules: list[float]) -> float:
        """Calibrated probability that the article reports partnership talks."""
        z = self.rel_intercept + self.rel_coef[0] * margin
        z += sum(map(mul, self.rule_coef, rules))  # map(mul) runs at C speed
        z = self.platt_a * z + self.platt_b
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def stage(self, text: tuple[float, ...], votes: list[float]) -> str:
        """Most likely stage given the rule layer's votes (+ its own pick) and the text terms."""
        best, best_z = self.classes[0], -math.inf
        for k, cls in enumerate(self.classes):
            z = self.stage_intercept[k] + text[k]
            z += sum(map(mul, self.stage_coef[k], votes))
            if z > best_z:
                best, best_z = cls, z
        return best


    def parties(self, found: list[Candidate]) -> tuple[str, ...]:
        """The candidates that are parties to the partnership, most likely first.

        A partnership has two sides: the best two are kept down to a lower floor (all of them
        when the headline counts the partners).
        """
        if self.party_coef is None or not found:
            return rank(found)
        b, head_coef, kind_coef = self.party_intercept, self.party_head_coef, self.party_kind_coef
        # party_vectors() without its one-hot kind columns: their products are the kind's own
        # coefficients and zeros, so only the candidate's own kind is read.
        scored = []
        for i, (head, c) in enumerate(zip(party_heads(found), found, strict=True)):
            z = sum(map(mul, head_coef, head))
            kind = kind_coef.get(c.kind)
            if kind is not None:
                z += kind[0] + sum(map(mul, kind[1], [head[j] for j in PARTY_CROSS]))
            scored.append((b + z, i))
        scored.sort(reverse=True)
        cut = logit(self.party_cut)
        floor = logit(self.party_floor)
        # a headline that counts the partners ("dengan Lima Kampus") promises more than two
        sides = MAX_PARTIES if found[0].many else 2
        keep = [i for k, (z, i) in enumerate(scored) if z >= cut or (k < sides and z >= floor)]
        return no_stand_in_country([found[i].name for i in keep[:MAX_PARTIES]])


    def sector_text(self, grams: Counter[str], known: Known | None = None) -> list[float]:
        """Margin of each sector's text model (SECTOR_NAMES order) on the l2-normalised
        sublinear TF-IDF vector of the article's n-grams, as scikit-learn computes it.
        known: self.known(grams), when the caller has it already (its entries are then still
        in the CPU caches)."""
        log = math.log
        out = [0.0] * len(self.sector_text_intercept)
        norm = 0.0
        for entry, n in self.known(grams) if known is None else known:  # the article's order
            sector = entry[6]
            if sector is None:
                continue
            idf, coefs = sector
            v = idf if n == 1 else (1.0 + log(n)) * idf
            norm += v * v
            for j, c in coefs:
                out[j] += c * v
        scale = 1.0 / math.sqrt(norm) if norm else 0.0
        return [b + z * scale for b, z in zip(self.sector_text_intercept, out, strict=True)]

    def sectors(
        self, hits: list[SectorHit], grams: Counter[str], known: Known | None = None
    ) -> tuple[str, ...]:
        """The sectors of the partnership: the likeliest always, others above the cut.

        Only for an article whose evidence was read (hits found): a sector the text implies
        without naming it may join those the evidence names. known: as for sector_text.
        """
        if self.sector_coef is None or not hits:
            return tuple(h.name for h in hits)
        coef, b = self.sector_coef, self.sector_intercept
        # sector_rows() without building the rows of sectors the evidence does not name: such a
        # row's sum(map(mul)) is 0.0 + coef[i] * n + coef[j] * t, the same floats (zeros add
        # nothing), so only the named rows are built and summed.
        top, n = hits[0].score, math.log1p(len(hits))
        named = {h.name: (r, h) for r, h in enumerate(hits)}
        i, j = UNNAMED_FEATURES
        n_term, c_text = 0.0 + coef[i] * n, coef[j]
        z = []
        for name, t in zip(SECTOR_NAMES, self.sector_text(grams, known), strict=True):
            t = max(-TEXT_CLIP, min(TEXT_CLIP, t))
            found = named.get(name)
            if found is None:
                z.append(b + (n_term + c_text * t))
            else:
                z.append(b + sum(map(mul, coef, named_sector_row(*found, top, n, t))))
        kept = pick_sectors(z, self.sector_pair, self.sector_pair_weight, self.sector_cut)
        return tuple(SECTOR_NAMES[i] for i in kept)


MAX_SECTORS = 4


def pick_sectors(z: list[float], pair: list[list[float]] | None, weight: float, cut: float) -> list[int]:
    """Indices of the sectors kept from their margins z: the likeliest always, then up to
    MAX_SECTORS - 1 others whose margin, moved by weight x the pair table's row of the
    likeliest, reaches the cut (as fit_sectors chose them)."""
    first = max(range(len(z)), key=z.__getitem__)
    row = pair[first] if pair is not None and weight else None
    others = [(v + weight * row[i] if row is not None else v, i) for i, v in enumerate(z) if i != first]
    others.sort(key=lambda e: -e[0])
    return [first, *(i for v, i in others[: MAX_SECTORS - 1] if v >= cut)]


def _compact(text: tuple[float, ...], sector: SectorTerm | None) -> Entry:
    """An Entry whose floats are new objects made one after the other (x * 1.0 is a new float
    with every bit of x), so that they share a few cache lines instead of one line each."""
    idf, c, c0, c1, c2, c3 = text
    if sector is None:
        return (idf * 1.0, c * 1.0, c0 * 1.0, c1 * 1.0, c2 * 1.0, c3 * 1.0, None)
    entry = (idf * 1.0, c * 1.0, c0 * 1.0, c1 * 1.0, c2 * 1.0, c3 * 1.0)
    sidf = sector[0] * 1.0
    return (*entry, (sidf, tuple((j, v * 1.0) for j, v in sector[1])))


def logit(p: float) -> float:
    """log(p / (1 - p)), p clamped away from 0 and 1."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


_lock = threading.Lock()
_loaded: Model | None = None


def load(path: Path = WEIGHTS, version_file: Path = VERSION_FILE) -> Model:
    """Read and check an artefact (its SHA-256 must match the version file)."""
    data = path.read_bytes()
    want = json.loads(version_file.read_text(encoding="utf-8"))["sha256"]
    if hashlib.sha256(data).hexdigest() != want:
        raise ValueError(f"{path}: does not match {version_file.name}; run jajak train")
    return Model(json.loads(data))


def model() -> Model:
    """The packaged model, loaded on first use and then shared by the whole process."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = load()
    return _loaded


def reset() -> None:
    """Forget the loaded model (after `jajak train` rewrote the weights in this process)."""
    global _loaded
    with _lock:
        _loaded = None

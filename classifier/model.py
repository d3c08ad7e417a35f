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
from pathlib import Path
from typing import Any

from .features import RULE_FEATURES, STAGE_FEATURES

WEIGHTS = Path(__file__).with_name("weights.json")
VERSION_FILE = Path(__file__).with_name("weights_version.json")
FORMAT = "jajak-classifier/1"

TextScores = tuple[float, tuple[float, ...]]  # (text margin, stage text terms)


def read_version(path: Path = VERSION_FILE) -> str:
    """"hybrid-1+<12 hex>": the artefact's version and the start of its SHA-256."""
    if not path.is_file():
        return "untrained"  # only while `jajak train` builds the first artefact
    meta = json.loads(path.read_text(encoding="utf-8"))
    return f"{meta['version']}+{meta['sha256'][:12]}"


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
        self.platt_a, self.platt_b = (float(v) for v in rel["platt"])
        self.classes: list[str] = st["classes"]
        self.stage_coef: list[list[float]] = st["coef"]
        self.stage_intercept: list[float] = st["intercept"]
        if len(self.classes) != 4:
            raise ValueError(f"classifier weights: stages {self.classes}, want four")
        columns = zip(data["idf"], data["text"]["coef"], *st["text_coef"], strict=True)
        # term -> (idf, text coef, stage coef per class)
        self.terms: dict[str, tuple[float, ...]] = dict(zip(data["terms"], columns, strict=True))

    def text_scores(self, grams: Counter[str]) -> TextScores:
        """Text margin and per-stage text terms of the l2-normalised sublinear TF-IDF vector.

        Computes what scikit-learn's TfidfVectorizer + LogisticRegression compute, in one pass
        over the known n-grams (no vector is built).
        """
        terms = self.terms
        log = math.log
        norm = text = s0 = s1 = s2 = s3 = 0.0
        for g in grams.keys() & terms.keys():
            idf, c, c0, c1, c2, c3 = terms[g]
            n = grams[g]
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
        z += sum(c * f for c, f in zip(self.rel_coef[1:], rules, strict=True))
        z = self.platt_a * z + self.platt_b
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def stage(self, text: tuple[float, ...], votes: list[float]) -> str:
        """Most likely stage given the rule layer's votes (+ its own pick) and the text terms."""
        best, best_z = self.classes[0], -math.inf
        for k, cls in enumerate(self.classes):
            z = self.stage_intercept[k] + text[k]
            z += sum(c * f for c, f in zip(self.stage_coef[k], votes, strict=True))
            if z > best_z:
                best, best_z = cls, z
        return best


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

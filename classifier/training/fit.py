"""Fitting the trained layer (training side of the classify step): labelled records -> weights.

Three linear models, all exported as plain numbers (no pickle) for classifier/model.py:
a TF-IDF word 1-2-gram logistic regression (text margin); a stacker over that margin and the
rule layer's features, Platt-calibrated on out-of-fold margins; and a stage model over the rule
layer's stage votes plus the same TF-IDF terms. Fixed folds and solvers: rebuilding is byte-exact.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..evidence import decide_stage
from ..features import RULE_FEATURES, STAGE_FEATURES, STAGE_NAMES, rule_vector, stage_vector
from ..features import text_grams as grams_of
from ..hybrid import judge
from ..model import Model
from ..rules import analyse
from .corpus import Record, group_ids, stratum
from .evaluate import Report, evaluate

VERSION = "hybrid-1"
TEXT_C = 100.0  # little regularisation: the corpus is small and its vocabulary varied
META_C = 0.1  # the stacker must not lean on one rule feature
STAGE_C = 1.0
STAGE_TEXT_WEIGHT = 3.0  # TF-IDF values are small next to standardised vote counts
MIN_DF = 3
FOLDS = 5
RULE_STAGES = tuple(f"rule_{s}" for s in STAGE_NAMES)


def _identity(grams: Counter[str]) -> Counter[str]:
    return grams


@dataclass
class Prepared:
    """Features of records: counted n-grams, rule vectors, stage vectors, labels, groups."""

    grams: list[Counter[str]]
    rules: list[list[float]]
    stages: list[list[float]]
    labels: list[int]
    stage_labels: list[str | None]
    groups: list[int]


def prepare(records: list[Record]) -> Prepared:
    """Run the rule layer and the n-gram counter over every record once."""
    grams, rules, stages = [], [], []
    for r in records:
        a = analyse(r["title"], r["text"])
        grams.append(grams_of(a))
        rules.append(rule_vector(a))
        rule_stage = decide_stage(a.sents) if a is not None else "exploring"
        onehot = [float(rule_stage == s) for s in STAGE_NAMES]
        stages.append([*stage_vector(a), *onehot])
    return Prepared(
        grams=grams,
        rules=rules,
        stages=stages,
        labels=[int(bool(r["label"])) for r in records],
        stage_labels=[r.get("stage") if r["label"] else None for r in records],
        groups=group_ids(records),
    )


def _r(x: float) -> float:
    return float(round(float(x), 6))


def fit(records: list[Record]) -> dict[str, Any]:
    """Fit the three models on records; returns the JSON-ready artefact."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict
    from sklearn.preprocessing import StandardScaler

    p = prepare(records)
    y = np.array(p.labels)
    groups = np.array(p.groups)
    folds = GroupKFold(n_splits=FOLDS)
    vec = TfidfVectorizer(
        analyzer=_identity, sublinear_tf=True, min_df=MIN_DF, lowercase=False, dtype=np.float64
    )
    x = vec.fit_transform(p.grams)
    text = LogisticRegression(C=TEXT_C, max_iter=5000)
    oof = cross_val_predict(text, x, y, cv=folds, groups=groups, method="decision_function")
    text.fit(x, y)

    meta_x = np.column_stack([oof, np.array(p.rules)])
    scaler = StandardScaler().fit(meta_x)
    meta = LogisticRegression(C=META_C, max_iter=5000)
    meta_z = scaler.transform(meta_x)
    meta_oof = cross_val_predict(
        meta, meta_z, y, cv=folds, groups=groups, method="decision_function"
    )
    meta.fit(meta_z, y)
    platt = LogisticRegression(C=1e4, max_iter=5000).fit(meta_oof.reshape(-1, 1), y)
    # fold the standardisation into the coefficients: w.(x - mu)/sd + b
    w = meta.coef_[0] / scaler.scale_
    b = meta.intercept_[0] - float(np.dot(w, scaler.mean_))

    pos = [i for i, s in enumerate(p.stage_labels) if s is not None]
    sx = np.array([p.stages[i] for i in pos])
    s_scaler = StandardScaler().fit(sx)
    s_scale = np.where(s_scaler.scale_ > 0, s_scaler.scale_, 1.0)
    from scipy.sparse import csr_matrix, hstack

    stage_x = hstack([csr_matrix((sx - s_scaler.mean_) / s_scale), x[pos] * STAGE_TEXT_WEIGHT])
    stage = LogisticRegression(C=STAGE_C, max_iter=5000)
    stage.fit(stage_x.tocsr(), [p.stage_labels[i] for i in pos])
    n_struct = sx.shape[1]
    classes = [str(c) for c in stage.classes_]
    s_coef = stage.coef_[:, :n_struct] / s_scale
    s_icpt = stage.intercept_ - s_coef @ s_scaler.mean_
    s_text = stage.coef_[:, n_struct:] * STAGE_TEXT_WEIGHT

    terms = vec.get_feature_names_out()
    return {
        "format": "jajak-classifier/1",
        "version": VERSION,
        "records": {"total": len(records), "positive": int(y.sum())},
        "threshold": 0.5,
        "terms": [str(t) for t in terms],
        "idf": [_r(v) for v in vec.idf_],
        "text": {"coef": [_r(v) for v in text.coef_[0]], "intercept": _r(text.intercept_[0])},
        "relevance": {
            "features": ["text_margin", *RULE_FEATURES],
            "coef": [_r(v) for v in w],
            "intercept": _r(b),
            "platt": [_r(platt.coef_[0][0]), _r(platt.intercept_[0])],
        },
        "stage": {
            "classes": classes,
            "features": [*STAGE_FEATURES, *RULE_STAGES],
            "coef": [[_r(v) for v in row] for row in s_coef],
            "intercept": [_r(v) for v in s_icpt],
            "text_coef": [[_r(v) for v in row] for row in s_text],
        },
    }


def dump(artefact: dict[str, Any]) -> bytes:
    """Canonical bytes of an artefact (same artefact, same bytes, same version hash)."""
    return json.dumps(artefact, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def save(artefact: dict[str, Any], weights: Path, version_file: Path) -> str:
    """Write weights and the small version file next to them; returns the model version."""
    data = dump(artefact)
    weights.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    meta = {"version": artefact["version"], "sha256": digest, "records": artefact["records"]}
    version_file.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return f"{artefact['version']}+{digest[:12]}"


def cross_validate(records: list[Record], seed: int = 0) -> Report:
    """Grouped, stratified k-fold estimate of the whole pipeline, scored as classify() scores."""
    from sklearn.model_selection import StratifiedGroupKFold

    strata = [stratum(r) for r in records]
    splitter = StratifiedGroupKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    models: dict[tuple[str, str], Model] = {}
    for train_ix, test_ix in splitter.split(records, strata, group_ids(records)):
        m = Model(fit([records[i] for i in train_ix]))
        for i in test_ix:
            models[(records[i]["title"], records[i]["text"])] = m
    return evaluate(records, lambda title, text: judge(models[(title, text)], title, text))

"""Quality gate for classifier/ (classify step): pinned floors on the fixed test split.

A change that lowers precision, recall, stage accuracy or extraction quality below these floors
fails here. The floors sit a little under the figures measured when the model was trained
(see `jajak eval`), so that retraining noise passes and real regressions do not.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from classifier import MODEL_VERSION, classify
from classifier.hybrid import judge
from classifier.model import VERSION_FILE, WEIGHTS, Model
from classifier.training.corpus import (
    PARTS,
    TEST,
    TRAIN,
    build_split,
    groups,
    read_jsonl,
    stratum,
)
from classifier.training.evaluate import Report, evaluate, format_report

FLOORS = {"precision": 0.95, "recall": 0.95, "f1": 0.95, "stage_accuracy": 0.85}
EXTRACTION_FLOORS = {"parties": (0.45, 0.55), "sectors": (0.55, 0.75)}  # (precision, recall)


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate(read_jsonl(TEST), lambda title, text: classify(title, text))


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_test_split_floor(report: Report, metric: str) -> None:
    value = getattr(report, metric)
    assert value >= FLOORS[metric], format_report(report, "test split")


@pytest.mark.parametrize("which", sorted(EXTRACTION_FLOORS))
def test_extraction_floor(report: Report, which: str) -> None:
    precision, recall = report.extraction(which)
    want_p, want_r = EXTRACTION_FLOORS[which]
    assert precision >= want_p, (which, precision)
    assert recall >= want_r, (which, recall)


def test_corpus_size_and_mix() -> None:
    records = read_jsonl(TRAIN) + read_jsonl(TEST)
    positives = [r for r in records if r["label"]]
    assert len(records) >= 600
    assert len(positives) >= 200
    assert {r["stage"] for r in positives} == {"exploring", "negotiating", "signed", "renewed"}
    assert len(records) - len(positives) >= 250


def test_split_is_fixed_and_reproducible(tmp_path: Path) -> None:
    build_split(PARTS, tmp_path)
    assert (tmp_path / "train.jsonl").read_bytes() == TRAIN.read_bytes()
    assert (tmp_path / "test.jsonl").read_bytes() == TEST.read_bytes()


def test_split_keeps_partnerships_together() -> None:
    train, test = read_jsonl(TRAIN), read_jsonl(TEST)
    assert not {r["id"] for r in train} & {r["id"] for r in test}
    joined = train + test
    side = ["train"] * len(train) + ["test"] * len(test)
    for members in groups(joined):
        assert len({side[i] for i in members}) == 1, [joined[i]["id"] for i in members]
    share = len(test) / len(joined)
    assert 0.25 <= share <= 0.30
    for key in {stratum(r) for r in joined}:
        n_test = sum(stratum(r) == key for r in test)
        n_all = sum(stratum(r) == key for r in joined)
        assert abs(n_test - 0.27 * n_all) <= 2, key


def test_artefact_is_small_versioned_and_intact() -> None:
    data = WEIGHTS.read_bytes()
    meta = json.loads(VERSION_FILE.read_text(encoding="utf-8"))
    assert len(data) < 3_000_000
    assert hashlib.sha256(data).hexdigest() == meta["sha256"]
    version = f"{meta['version']}+{meta['sha256'][:12]}"
    assert version == MODEL_VERSION
    assert b"pickle" not in data[:100]


def test_training_reproduces_the_shipped_model() -> None:
    from classifier.training.fit import fit

    artefact = fit(read_jsonl(TRAIN))
    shipped = json.loads(WEIGHTS.read_bytes())
    assert artefact["terms"] == shipped["terms"]
    fresh = Model(artefact)
    for r in read_jsonl(TEST)[:60]:
        a = judge(fresh, r["title"], r["text"])
        b = classify(r["title"], r["text"])
        assert a.score == pytest.approx(b.score, abs=2e-3)
        assert a.stage == b.stage


def test_threshold_moves_precision_and_recall(report: Report) -> None:
    strict = evaluate(read_jsonl(TEST), lambda t, x: classify(t, x, threshold=0.9))
    assert strict.precision >= report.precision
    assert strict.recall <= report.recall

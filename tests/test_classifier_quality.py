"""Quality gate for classifier/ (classify step): pinned floors on both fixed test splits.

The real-news test split (real Indonesian articles, paraphrased, never trained on) is the one
that counts; the written split is kept so that the style of the first portals does not regress.
A change that lowers a figure below its floor fails here. The floors sit a little under the
figures measured when the model was trained (`jajak eval`), so that retraining noise passes and
real regressions do not.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from classifier import MODEL_VERSION, classify
from classifier.hybrid import judge
from classifier.model import VERSION_FILE, WEIGHTS, Model
from classifier.training.corpus import (
    PARTS,
    REAL_ORDINARY,
    REAL_PARTS,
    REAL_TEST,
    REAL_TRAIN,
    TEST,
    TRAIN,
    build_split,
    groups,
    read_jsonl,
    stratum,
    training_records,
)
from classifier.training.evaluate import Report, evaluate, format_report

# Real news: what users read. Measured figures are in the README's classifier section.
# Measured when the model was trained (1,645 test articles): P 0.941, R 0.905, F1 0.923, stage
# 0.901; parties 0.865 / 0.756, sectors 0.786 / 0.766 (precision / recall). The precision floor
# went from 0.95 to 0.94 when parts z19-z21 added 93 test articles, most of them hard negatives
# and courtesy calls: 8 of their 48 negatives match, and the model before them read P 0.944 on the
# grown split too (0.951 on the 1,439 before). The sector cut moved with the same data; the
# sector floors follow it. The parties' recall
# floor went from 0.76 to 0.74 when same_party() stopped taking a place for a body named after it
# ("Bank DKI" for "Persija Jakarta", "Tiongkok" for "China Huadian Corporation"): the model before
# that read 0.849 / 0.767 under the old comparison and 0.835 / 0.754 under this one. The F1 floor was
# lowered from 0.93 when the split took in 29 everyday articles with stage verbs, three of which
# still match (the model before them scored the same on them). The cut is the
# middle of the near-best cuts on out-of-fold scores (fit.choose_threshold).
REAL_FLOORS = {"precision": 0.94, "recall": 0.90, "f1": 0.92, "stage_accuracy": 0.87}
# The parties' recall floor went back to 0.75 when same_party() learnt the offices' short forms
# ("Disnakertrans", "PDAM Bangli") and the consulates became candidates.
REAL_EXTRACTION_FLOORS = {"parties": (0.83, 0.75), "sectors": (0.78, 0.75)}  # (precision, recall)
# Written corpus, the style of the first portals. Measured: P 1.000, R 0.950, F1 0.974, stage 0.965.
WRITTEN_FLOORS = {"precision": 0.93, "recall": 0.93, "f1": 0.93, "stage_accuracy": 0.88}
HARD_NEGATIVE_KINDS_MIN = 12
# Ordinary news, what a monitor mostly reads: measured 0 matches in 251 articles.
ORDINARY_FALSE_ALARMS_MAX = 0.01
RESERVED = Path(__file__).resolve().parents[2] / "shared" / "tools" / "reserved.py"


@pytest.fixture(scope="module")
def real() -> Report:
    return evaluate(read_jsonl(REAL_TEST), lambda title, text: classify(title, text))


@pytest.fixture(scope="module")
def written() -> Report:
    return evaluate(read_jsonl(TEST), lambda title, text: classify(title, text))


@pytest.mark.parametrize("metric", sorted(REAL_FLOORS))
def test_real_news_floor(real: Report, metric: str) -> None:
    assert getattr(real, metric) >= REAL_FLOORS[metric], format_report(real, "real-news test split")


@pytest.mark.parametrize("which", sorted(REAL_EXTRACTION_FLOORS))
def test_real_news_extraction_floor(real: Report, which: str) -> None:
    precision, recall = real.extraction(which)
    want_p, want_r = REAL_EXTRACTION_FLOORS[which]
    assert precision >= want_p, (which, precision)
    assert recall >= want_r, (which, recall)


@pytest.mark.parametrize("metric", sorted(WRITTEN_FLOORS))
def test_written_floor(written: Report, metric: str) -> None:
    assert getattr(written, metric) >= WRITTEN_FLOORS[metric], format_report(written, "written test split")


def test_real_corpus_size_and_mix() -> None:
    records = read_jsonl(REAL_TRAIN) + read_jsonl(REAL_TEST)
    positives = [r for r in records if r["label"]]
    negatives = [r for r in records if not r["label"]]
    assert len(records) >= 1000
    assert len({r["outlet"] for r in records}) >= 120
    assert len(positives) >= 0.4 * len(records)
    stages = Counter(r["stage"] for r in positives)
    assert set(stages) == {"exploring", "negotiating", "signed", "renewed"}
    assert min(stages.values()) >= 50, stages
    hard = [r for r in negatives if r["kind"] != "other"]
    assert len(hard) >= 250
    assert len({r["kind"] for r in hard}) >= HARD_NEGATIVE_KINDS_MIN
    for r in records:  # every real article keeps where it came from, every positive is explained
        assert r["url"].startswith(("http://", "https://")), r["id"]
        if r["label"]:
            assert len(r["parties"]) >= 1 and r["sectors"], r["id"]


def test_ordinary_news_rarely_matches() -> None:
    """A cue word or context that fires on everyday news (accidents, prices, crime, sport) would
    flood users with false alarms that the near-miss negatives of the test split do not show."""
    records = read_jsonl(REAL_ORDINARY)
    assert len(records) >= 200
    assert not any(r["label"] for r in records)
    assert not {r["id"] for r in records} & {r["id"] for r in read_jsonl(REAL_TRAIN) + read_jsonl(REAL_TEST)}
    alarms = [r["id"] for r in records if classify(r["title"], r["text"]).match]
    assert len(alarms) <= ORDINARY_FALSE_ALARMS_MAX * len(records), alarms


def test_written_corpus_is_kept() -> None:
    records = read_jsonl(TRAIN) + read_jsonl(TEST)
    assert len(records) >= 600


@pytest.mark.skipif(not RESERVED.is_file(), reason="the reserved-article filter (shared/tools) is not beside the repo")
def test_no_reserved_article_in_the_corpus() -> None:
    # both corpora: a written article may not borrow a reserved article's headline either
    for path in sorted([*REAL_PARTS.glob("*.jsonl"), REAL_ORDINARY, *PARTS.glob("*.jsonl")]):
        data = path.read_text(encoding="utf-8")
        done = subprocess.run([sys.executable, str(RESERVED)], input=data, capture_output=True, text=True, check=True)
        assert done.stdout.count("\n") == data.count("\n"), (path, done.stderr)


@pytest.mark.parametrize(("parts", "train", "test"), [(REAL_PARTS, REAL_TRAIN, REAL_TEST), (PARTS, TRAIN, TEST)])
def test_split_is_fixed_and_reproducible(tmp_path: Path, parts: Path, train: Path, test: Path) -> None:
    (tmp_path / "train.jsonl").write_bytes(train.read_bytes())
    (tmp_path / "test.jsonl").write_bytes(test.read_bytes())
    build_split(parts, tmp_path)
    assert (tmp_path / "train.jsonl").read_bytes() == train.read_bytes()
    assert (tmp_path / "test.jsonl").read_bytes() == test.read_bytes()


def test_a_growing_corpus_keeps_its_test_split(tmp_path: Path) -> None:
    # the split of the parts before the newest one, then the newest part added: every earlier
    # test article stays in test, and the new articles are shared out too
    newest = sorted(REAL_PARTS.glob("*.jsonl"))[-1]
    parts, out = tmp_path / "parts", tmp_path / "out"
    parts.mkdir()
    out.mkdir()
    for path in sorted(REAL_PARTS.glob("*.jsonl")):
        if path != newest:
            (parts / path.name).write_bytes(path.read_bytes())
    build_split(parts, out)
    test_before = {r["id"] for r in read_jsonl(out / "test.jsonl")}
    (parts / newest.name).write_bytes(newest.read_bytes())
    build_split(parts, out)
    test_after = {r["id"] for r in read_jsonl(out / "test.jsonl")}
    added = {r["id"] for r in read_jsonl(newest)}
    assert test_before <= test_after
    assert 0.15 * len(added) <= len(test_after & added) <= 0.45 * len(added)


@pytest.mark.parametrize(("train_path", "test_path"), [(REAL_TRAIN, REAL_TEST), (TRAIN, TEST)])
def test_split_keeps_stories_together(train_path: Path, test_path: Path) -> None:
    train, test = read_jsonl(train_path), read_jsonl(test_path)
    assert not {r["id"] for r in train} & {r["id"] for r in test}
    joined = train + test
    side = ["train"] * len(train) + ["test"] * len(test)
    for members in groups(joined):
        assert len({side[i] for i in members}) == 1, [joined[i]["id"] for i in members]
    stories = {r.get("story") for r in train if r.get("story")}
    assert not stories & {r.get("story") for r in test if r.get("story")}
    share = len(test) / len(joined)
    # 27% is the aim; new articles that join a training story to a test story (by naming its
    # partners) pull that story into test, so the share drifts above it (0.32 with parts t and u)
    assert 0.22 <= share <= 0.34
    for key in {stratum(r) for r in joined}:
        n_test = sum(stratum(r) == key for r in test)
        n_all = sum(stratum(r) == key for r in joined)
        # renewals name the partners of an earlier story, so more of them are pulled into test
        assert abs(n_test - 0.27 * n_all) <= max(3, 0.15 * n_all), key


def test_artefact_is_small_versioned_and_intact() -> None:
    data = WEIGHTS.read_bytes()
    meta = json.loads(VERSION_FILE.read_text(encoding="utf-8"))
    assert len(data) < 20_000_000
    assert hashlib.sha256(data).hexdigest() == meta["sha256"]
    version = f"{meta['version']}+{meta['sha256'][:12]}"
    assert version == MODEL_VERSION
    assert b"pickle" not in data[:100]


def test_training_reproduces_the_shipped_model() -> None:
    from classifier.training.fit import fit

    artefact = fit(training_records())
    shipped = json.loads(WEIGHTS.read_bytes())
    assert artefact["terms"] == shipped["terms"]
    fresh = Model(artefact)
    for r in read_jsonl(REAL_TEST)[:60]:
        a = judge(fresh, r["title"], r["text"])
        b = classify(r["title"], r["text"])
        assert a.score == pytest.approx(b.score, abs=2e-3)
        assert a.stage == b.stage
        assert a.parties == b.parties
        assert a.sectors == b.sectors


def test_threshold_moves_precision_and_recall(real: Report) -> None:
    strict = evaluate(read_jsonl(REAL_TEST), lambda t, x: classify(t, x, threshold=0.9))
    assert strict.precision >= real.precision
    assert strict.recall <= real.recall

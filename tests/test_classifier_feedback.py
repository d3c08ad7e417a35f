"""Feedback loop of the classifier: `jajak label` stores judgements, `jajak train` learns from
them, `jajak eval --judgements` reports precision per source (store stage + classify step)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from classifier.training.corpus import training_records
from crawler.cli import build_parser, main
from crawler.storage import add_articles, ensure_source, open_database
from crawler.storage.judgements import (
    Judgement,
    add_judgement,
    judgements_for_training,
    precision_by_source,
)

MATCH = {
    "title": "Pemkot Bogor dan Kota Gimhae Jajaki Kerja Sama Pendidikan",
    "text": "BOGOR – Pemkot Bogor dan Kota Gimhae, Korea Selatan, menjajaki kerja sama.",
    "match": True,
    "stage": "exploring",
}
OTHER = {
    "title": "Pasar Murah Digelar di Alun-alun",
    "text": "Pemkot menggelar pasar murah bekerja sama dengan Bulog.",
    "match": False,
}


def _run(*argv: str) -> int:
    # As `jajak` runs them: settings and options checked first, then the command.
    return main(list(argv))


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'jajak.db'}"
    sessions = open_database(url)
    with sessions.begin() as session:
        portal = ensure_source(session, "portal-a", "http://127.0.0.1/a")
        other = ensure_source(session, "portal-b", "http://127.0.0.1/b")
        add_articles(session, [
            {**MATCH, "url": "http://127.0.0.1/a/1", "source_id": portal.id},
            {**OTHER, "url": "http://127.0.0.1/a/2", "source_id": portal.id},
            {**OTHER, "url": "http://127.0.0.1/b/1", "source_id": other.id, "match": True},
        ])
    return url


def test_label_stores_and_replaces_a_judgement(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("label", "http://127.0.0.1/a/1", "--no", "--database", db) == 0
    assert _run("label", "http://127.0.0.1/a/1", "--yes", "--stage", "exploring",
                "--database", db) == 0
    assert "exploring" in capsys.readouterr().out
    with open_database(db)() as session:
        rows = list(session.query(Judgement))
        assert len(rows) == 1
        assert (rows[0].label, rows[0].stage, rows[0].source) == (True, "exploring", "portal-a")


def test_label_rejects_unknown_urls_and_stage_without_yes(db: str) -> None:
    sessions = open_database(db)
    with sessions.begin() as session, pytest.raises(LookupError):
        add_judgement(session, "http://127.0.0.1/nowhere", True)
    with sessions.begin() as session, pytest.raises(ValueError, match="stage"):
        add_judgement(session, "http://127.0.0.1/a/1", False, "signed")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["label", "http://127.0.0.1/a/1"])  # --yes or --no is required


def test_judgements_become_training_records_and_precision(db: str) -> None:
    sessions = open_database(db)
    with sessions.begin() as session:
        add_judgement(session, "http://127.0.0.1/a/1", True, "exploring")
        add_judgement(session, "http://127.0.0.1/a/2", False)
        add_judgement(session, "http://127.0.0.1/b/1", False)
    with sessions() as session:
        records = judgements_for_training(session)
        stats = {s.source: s for s in precision_by_source(session)}
    assert [(r["title"], r["label"], r["stage"]) for r in records] == [
        (MATCH["title"], True, "exploring"),
        (OTHER["title"], False, None),
        (OTHER["title"], False, None),
    ]
    assert stats["portal-a"].precision == 1.0
    assert stats["portal-b"].precision == 0.0
    assert stats["portal-b"].flagged == 1


def test_eval_judgements_prints_per_source(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    _run("label", "http://127.0.0.1/b/1", "--no", "--database", db)
    assert _run("eval", "--judgements", "--database", db) == 0
    out = capsys.readouterr().out
    assert "portal-b" in out
    assert "0.000" in out


def test_eval_prints_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "few.jsonl"
    rows = [
        {**MATCH, "label": True, "parties": [], "sectors": ["pendidikan"]},
        {**OTHER, "label": False, "stage": None, "kind": "cobranding"},
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert _run("eval", "--data", str(data)) == 0
    out = capsys.readouterr().out
    assert "precision 1.000" in out
    assert "worst false positives" in out
    assert "ordinary news" not in out  # --data scores that file alone


def test_eval_counts_false_alarms_on_ordinary_news(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("eval", "--worst", "1") == 0
    out = capsys.readouterr().out
    assert "real-news test split" in out and "written test split" in out
    line = next(x for x in out.splitlines() if x.startswith("ordinary news, model"))
    assert re.search(r": \d{3} articles, \d+ matched \(false alarms: \d+\.\d%\)$", line), line


def test_train_includes_judgements(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run("label", "http://127.0.0.1/a/2", "--no", "--database", db)
    out_dir = tmp_path / "model"
    out_dir.mkdir()
    assert _run("train", "--database", db, "--output", str(out_dir)) == 0
    text = capsys.readouterr().out
    assert "(1 from stored judgements)" in text
    weights = json.loads((out_dir / "weights.json").read_bytes())
    assert weights["records"]["total"] == len(training_records()) + 1
    assert (out_dir / "weights_version.json").is_file()


def test_the_match_threshold_is_the_top_of_a_broad_plateau_not_a_lone_spike() -> None:
    import numpy as np

    from classifier.training.fit import choose_threshold

    # Out-of-fold scores: 100 clear positives (0.90), 10 negatives just under 10 positives
    # (0.695 / 0.705), 20 clear negatives (0.35). Only the cut 0.70 separates all, by luck of a
    # few articles; every cut from 0.71 up loses 10 positives and none is a false alarm.
    prob = np.array([0.90] * 100 + [0.695] * 10 + [0.705] * 10 + [0.35] * 20)
    y = np.array([1] * 100 + [0] * 10 + [1] * 10 + [0] * 20)
    assert choose_threshold(prob, y) >= 0.71

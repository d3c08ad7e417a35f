"""classify() as the crawl calls it (ClassifyPipeline): the verdict's fields and the model's
version as plain values. The call is pickled by name to a worker process and its answer comes
back pickled; plain values keep the crawl process from importing the classifier (a second of
CPU in the middle of a crawl, and its memory) when its workers do the classifying."""

from __future__ import annotations

from typing import Any


def classify_fields(title: str, text: str, threshold: float | None = None) -> tuple[Any, ...]:
    """(match, score, stage, cues, parties, sectors, model version) of classifier.classify."""
    from classifier import MODEL_VERSION, classify

    verdict = classify(title, text, threshold=threshold)
    return (verdict.match, verdict.score, verdict.stage, verdict.cues, verdict.parties, verdict.sectors,
            MODEL_VERSION)

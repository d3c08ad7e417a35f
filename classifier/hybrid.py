"""The classifier's entry point (classify step): rules + trained layer -> Verdict.

The rule layer finds the evidence (cue sentences, negative contexts, parties, sectors); the
trained layer turns its features and the article's n-grams into a calibrated score and a stage.
"""

from __future__ import annotations

from .evidence import decide_stage
from .features import STAGE_NAMES, rule_vector, stage_vector, text_grams
from .model import Model, model, read_threshold, read_version
from .rules import analyse, explain
from .verdict import Verdict

MODEL_VERSION = read_version()
DEFAULT_THRESHOLD = read_threshold()  # the packaged model's own, chosen on out-of-fold scores
_EXPLAIN_FROM = 0.2  # below this score parties and sectors are not worth extracting


def classify(title: str, text: str, *, threshold: float | None = None) -> Verdict:
    """Score one article; match when the score reaches threshold (DEFAULT_THRESHOLD if None)."""
    return judge(model(), title, text, threshold)


def judge(m: Model, title: str, text: str, threshold: float | None = None) -> Verdict:
    """classify() with a given model (cross-validation scores models that are never saved)."""
    title = title or ""
    text = text or ""
    a = analyse(title, text)
    if a is None:
        return Verdict(match=False, score=0.0, stage=None)
    grams = text_grams(a)
    known = m.known(grams)  # looked up once for the text and the sector models
    margin, stage_text = m.text_scores(grams, known)
    score = round(m.relevance(margin, rule_vector(a)), 4)
    match = score >= (m.threshold if threshold is None else threshold)
    cues, found, hits = explain(a, match or score >= _EXPLAIN_FROM)
    parties = m.parties(found)
    sectors = m.sectors(hits, grams, known)
    stage = None
    if match:
        rule_stage = decide_stage(a.sents)
        headline = a.sents.get(0)
        votes_in_title = headline.stages if headline is not None else []
        if ("exploring", 1.0) in votes_in_title and all(st == "exploring" for st, _ in votes_in_title):
            # "Jajaki ..." alone in the headline: the partnership is being explored, whatever
            # background the body gives ("Tindak Lanjut Penjajakan" is negotiating)
            stage = "exploring"
        else:
            votes = [*stage_vector(a), *(float(rule_stage == s) for s in STAGE_NAMES)]
            stage = m.stage(stage_text, votes)
    return Verdict(
        match=match, score=score, stage=stage, cues=cues, parties=parties, sectors=sectors
    )

"""Per-sentence evidence records and what the Verdict shows from them (classify step).

rules.py fills a Sentence for every sentence that holds a cue or a negative context; this module
picks the stage and the cue sentences from those records.
"""

from __future__ import annotations

from .sentences import Doc
from .verdict import STAGES

MAX_CUES = 5
CUE_CHARS = 300


class Sentence:
    """Evidence found in one sentence.

    topic/act: strongest partnership noun / verb weight; hits: (cue, start, end); neg: negative
    context counts; orgs: organisations near a cue (max 3); e: evidence weight (-1 = cancellation).
    cancel_at: where the sentence's last cancellation context starts (-1: none).
    """

    __slots__ = (
        "topic", "act", "hits", "neg", "orgs", "topic_pos", "e", "stages", "background", "cancel_at"
    )

    def __init__(self) -> None:
        self.topic = 0.0
        self.act = 0.0
        self.hits: list[tuple[str, int, int]] = []
        self.neg: dict[str, int] = {}
        self.orgs = 0
        self.topic_pos: list[int] = []
        self.e = 0.0
        self.stages: list[tuple[str, float]] = []
        self.background = False
        self.cancel_at = -1  # offset of the last cancellation context ("berakhir", "batal")


EMPTY = Sentence()  # stands for any sentence without hits; never mutated


def get(sents: dict[int, Sentence], i: int) -> Sentence:
    """The record of sentence i, or the shared empty record."""
    return sents.get(i, EMPTY)


def new(sents: dict[int, Sentence], i: int) -> Sentence:
    """The record of sentence i, created on first use."""
    s = sents.get(i)
    if s is None:
        s = sents[i] = Sentence()
    return s


def has(s: Sentence, *names: str) -> bool:
    """Whether any of the named cues fired in s."""
    return any(n in names for n, _, _ in s.hits)


def decide_stage(sents: dict[int, Sentence]) -> str:
    """Title decides first; else the body votes, earlier sentences weighing more."""
    order: dict[str, int] = {st: k for k, st in enumerate(STAGES)}
    title = get(sents, 0).stages
    if title:
        strong = [v for v in title if v[1] >= 0.8] or title
        return max(strong, key=lambda v: (v[1] >= 0.8, order[v[0]]))[0]
    tally: dict[str, float] = {}
    for i in sorted(sents):
        s = sents[i]
        if not i:
            continue
        pos = 1.5 if i <= 3 else 1.0 if i <= 10 else 0.7
        for stage, w in s.stages:
            tally[stage] = tally.get(stage, 0.0) + w * pos
    if not tally:
        return "exploring"
    return max(tally, key=lambda st: (tally[st], order[st]))


def pick_cues(sents: dict[int, Sentence], ranked: list[int]) -> list[int]:
    """Indices of the cue sentences: best first, a sister-city sentence always among them."""
    picked = ranked[:MAX_CUES]
    sister = next((i for i in ranked if has(sents[i], "sister")), None)
    if sister is not None and sister not in picked:
        picked[-1] = sister  # sister city is a form of partnership worth showing
    return picked


def trim_cue(doc: Doc, i: int, s: Sentence) -> str:
    """Sentence i as it appears in the article, cut to ~CUE_CHARS around its first cue."""
    start, end = doc.spans[i]
    if end - start <= CUE_CHARS:
        return doc.full[start:end]
    anchor = (s.topic_pos or [s.hits[0][1]])[0]
    lo = max(start, min(anchor - CUE_CHARS // 3, end - CUE_CHARS))
    hi = min(end, lo + CUE_CHARS)
    if lo > start:
        lo = doc.full.find(" ", lo, anchor) + 1 or lo
    if hi < end:
        hi = doc.full.rfind(" ", anchor, hi) if doc.full.rfind(" ", anchor, hi) > anchor else hi
    return doc.full[lo:hi].strip()

"""Features for the trained layer of the classifier (classify step), shared by training and use.

Text: word 1-2-grams of the title (prefixed "t:") and of the article's lead, counted.
Rules: a fixed vector read off the rule layer's Analysis (evidence, penalty, negative contexts).
Training (classifier/training/fit.py) calls these same functions, so features always agree.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from .rules import Analysis

# The lead carries the news in Indonesian reporting; later paragraphs are mostly quotes and
# background, and reading them would cost speed for little signal (checked on CV).
LEAD_CHARS = 1000
_WORD = re.compile(r"[^\W\d_]+")

# Negative-context kinds counted per article (names from negatives.py).
NEG_KINDS = (
    "party",
    "crime",
    "corrupt",
    "sport",
    "study",
    "cancel",
    "bgstrong",
    "bgmedium",
    "appeal",
    "allparties",
    "kdengan",
    "event",
    "policecoop",
    "team",
)
STAGE_NAMES = ("exploring", "negotiating", "signed", "renewed")
RULE_FEATURES: tuple[str, ...] = (
    "rule_logit",
    "raw",
    "penalty",
    "title_e",
    "title_topic",
    "title_act",
    "best_body_e",
    "evidence_sents",
    "background_sents",
    "cancelled",
    *(f"neg_{k}" for k in NEG_KINDS),
    *(f"title_neg_{k}" for k in NEG_KINDS),
)
STAGE_FEATURES: tuple[str, ...] = (
    *(f"title_{s}" for s in STAGE_NAMES),
    *(f"lead_{s}" for s in STAGE_NAMES),
    *(f"body_{s}" for s in STAGE_NAMES),
    *(f"bg_{s}" for s in STAGE_NAMES),
    "modal",
)


def _bigrams(words: list[str], prefix: str) -> map[str]:
    # map() over str.__add__ runs at C speed; this is the hottest loop of the trained layer
    return map(str.__add__, [f"{prefix}{w} " for w in words[:-1]], words[1:])


def text_grams(a: Analysis | None) -> Counter[str]:
    """Counted word 1-2-grams of the title ("t:"-prefixed) and of the lead of the text.

    Reads the rule layer's lowercased article, so related-article boxes are already gone.
    """
    if a is None:
        return Counter()
    doc = a.doc
    t = _WORD.findall(doc.lower, 0, doc.title_end)
    b = _WORD.findall(doc.lower, doc.title_end, doc.title_end + LEAD_CHARS)
    grams: Counter[str] = Counter(b)
    grams.update(_bigrams(b, ""))
    grams.update(["t:" + w for w in t])
    grams.update(_bigrams(t, "t:"))
    return grams


def rule_vector(a: Analysis | None) -> list[float]:
    """RULE_FEATURES for one article (all zero for an empty one)."""
    if a is None:
        return [0.0] * len(RULE_FEATURES)
    sents = a.sents
    title = sents.get(0)
    neg: Counter[str] = Counter()
    title_neg: dict[str, int] = title.neg if title is not None else {}
    body = [s.e for i, s in sents.items() if i and s.e > 0]
    for s in sents.values():
        neg.update(s.neg)
    return [
        max(-8.0, min(8.0, a.logit)),
        a.raw,
        a.penalty,
        max(title.e, 0.0) if title is not None else 0.0,
        title.topic if title is not None else 0.0,
        title.act if title is not None else 0.0,
        max(body, default=0.0),
        math.log1p(len(body)),
        math.log1p(sum(1 for s in sents.values() if s.background)),
        float(any(s.e < 0 for s in sents.values())),
        *(math.log1p(neg[k]) for k in NEG_KINDS),
        *(float(title_neg.get(k, 0) > 0) for k in NEG_KINDS),
    ]


def stage_vector(a: Analysis | None) -> list[float]:
    """STAGE_FEATURES: the rule layer's stage votes by position (title, lead, body, background)."""
    out = [0.0] * len(STAGE_FEATURES)
    if a is None:
        return out
    index = {s: k for k, s in enumerate(STAGE_NAMES)}
    modal = 0.0
    for i, s in a.sents.items():
        if s.e <= 0:
            continue
        slot = 0 if i == 0 else 1 if i <= 3 else 2
        for stage, w in s.stages:
            out[slot * 4 + index[stage]] += w
            modal += w < 1.0 and stage in ("negotiating", "exploring")
        if s.background:
            for name, _, _ in s.hits:
                if name in _BG_STAGE:
                    out[12 + index[_BG_STAGE[name]]] += 1.0
    out[-1] = modal
    return [math.log1p(v) for v in out]


# Cue names whose stage shows even in background sentences ("sebelumnya telah diteken").
_BG_STAGE = {
    "teken": "signed",
    "resmi": "signed",
    "perpanjang": "renewed",
    "perbarui": "renewed",
    "jajak": "exploring",
    "draft": "negotiating",
}

"""Features for the trained layer of the classifier (classify step), shared by training and use.

Text: word 1-2-grams of the title (prefixed "t:") and of the article's lead, counted.
Rules: a fixed vector read off the rule layer's Analysis (evidence, penalty, negative contexts).
Training (classifier/training/fit.py) calls these same functions, so features always agree.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from .parties import KINDS, ROLE_BEST, ROLE_CUE, ROLE_LEAD, ROLE_LIST, Candidate
from .patterns import CUES
from .rules import Analysis
from .sectors import SECTORS, SectorHit

# The lead carries the news in Indonesian reporting; later paragraphs are mostly quotes and
# background, and reading them would cost speed for little signal (checked on CV).
LEAD_CHARS = 1000
_WORD = re.compile(r"[^\W\d_]+")
# On lowercased text without non-ASCII letters, [a-z]+ splits exactly as _WORD does at half the
# cost (its Unicode class is tested char by char); the check for such letters costs a tenth.
_ASCII_WORD = re.compile(r"[a-z]+")
_OTHER_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")

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
    "training",
    "budget",
    "critic",
    "review",
    "promo",
    "explain",
    "aid",
    "rubric",
)
STAGE_NAMES = ("exploring", "negotiating", "signed", "renewed")
_COUNTED = tuple(c for c in CUES if c.counted_as is None)
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
    *(f"cue_{c.name}" for c in _COUNTED),
    *(f"title_cue_{c.name}" for c in _COUNTED),
)
# Each cue's column: its own, or that of the cue it is a form of (Cue.counted_as)
_CUE_INDEX = {c.name: [d.name for d in _COUNTED].index(c.counted_as or c.name) for c in CUES}
# Verbs that everyday news uses as often as partnership news ("Polres Lanjutkan Operasi Zebra",
# "Dinkes Perluas Jangkauan Vaksinasi"): cues only beside a partnership word. The other stage
# verbs say something even alone ("teken", "sepakat": grouped CV F1 -0.005 when all were read so).
_WEAK_VERBS = frozenset({"lanjutkan", "perluas"})
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
    t = _words(doc.lower, 0, doc.title_end)
    b = _words(doc.lower, doc.title_end, doc.title_end + LEAD_CHARS)
    # body bigrams were measured to add nothing on real news (CV F1 0.923 with, 0.923 without)
    b += ["t:" + w for w in t]
    b += _bigrams(t, "t:")
    return Counter(b)  # one count over one list: Counter.update costs per call


def _words(lower: str, start: int, end: int) -> list[str]:
    """_WORD.findall(lower, start, end), through the ASCII pattern where that is the same."""
    pattern = _WORD if _OTHER_LETTER.search(lower, start, end) else _ASCII_WORD
    return pattern.findall(lower, start, end)


def rule_vector(a: Analysis | None) -> list[float]:
    """RULE_FEATURES for one article (all zero for an empty one)."""
    if a is None:
        return [0.0] * len(RULE_FEATURES)
    sents = a.sents
    title = sents.get(0)
    neg = dict(a.contexts)
    title_neg = {**(title.neg if title is not None else {}), **a.title_contexts}
    body = [s.e for i, s in sents.items() if i and s.e > 0]
    cues = [0] * len(_COUNTED)
    title_cues = [0.0] * len(_COUNTED)
    index = _CUE_INDEX
    weak = _WEAK_VERBS
    for i, s in sents.items():
        for kind, n in s.neg.items():
            neg[kind] = neg.get(kind, 0) + n
        for name, _, _ in s.hits:
            if name in weak and s.topic <= 0.0:
                continue  # an office carrying on its own work, not a renewal
            cues[index[name]] += 1
            if i == 0:
                title_cues[index[name]] = 1.0
    log1p = math.log1p
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
        *[log1p(neg.get(k, 0)) for k in NEG_KINDS],
        *[float(title_neg.get(k, 0) > 0) for k in NEG_KINDS],
        *map(log1p, cues),
        *title_cues,
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


PARTY_FEATURES: tuple[str, ...] = (
    "title",
    "log_count",
    "first_rank",
    "lead",
    "cue",
    "best",
    "title_and_body",
    "log_candidates",
    "partner_word",
    "in_title_words",
    "list",
    "log_peers",
    "many_x_peers",
    "log_mentions",
    *(f"kind_{k}" for k in KINDS),
    *(f"{k}_x_{h}" for k in KINDS for h in ("title", "lead", "cue", "best", "partner_word")),
)
# Where a name stands says more for some kinds than others: a country in the headline is
# often only the setting, an acronym after "dengan" is the partner. The head columns crossed
# with the kind (grouped CV: party F1 +0.006).
PARTY_CROSS = (0, 3, 4, 5, 8)  # title, lead, cue, best, partner_word in party_heads()


def party_vectors(found: list[Candidate]) -> list[list[float]]:
    """PARTY_FEATURES of each party candidate: where it is named, how often, what it is."""
    rows = []
    width = len(PARTY_CROSS)
    for head, c in zip(party_heads(found), found, strict=True):
        cross = [0.0] * (width * len(KINDS))
        k = KINDS.index(c.kind)
        cross[k * width : (k + 1) * width] = [head[j] for j in PARTY_CROSS]
        rows.append([*head, *(float(c.kind == k) for k in KINDS), *cross])
    return rows


def party_heads(found: list[Candidate]) -> list[list[float]]:
    """The PARTY_FEATURES of each candidate before its kind (the one-hot columns that end them)."""
    order = sorted(range(len(found)), key=lambda i: found[i].first)
    first_rank = {i: r for r, i in enumerate(order)}
    n = math.log1p(len(found))
    return [
        [
            float(c.title),
            math.log1p(c.count),
            1.0 / (1.0 + first_rank[i]),
            float(bool(c.roles & ROLE_LEAD)),
            float(bool(c.roles & ROLE_CUE)),
            float(bool(c.roles & ROLE_BEST)),
            float(c.title and c.count > 1),
            n,
            float(c.partner_word),
            float(c.in_title),
            float(c.roles == ROLE_LIST),  # named only in an enumeration, not where they signed
            math.log1p(c.peers),
            float(c.many) * math.log1p(c.peers),
            math.log1p(c.mentions),
        ]
        for i, c in enumerate(found)
    ]


# A sector is judged on two readings: the words of the vocabulary the evidence names (a hit,
# strongest first) and a per-sector text model over the article's n-grams, which also knows the
# sectors a text implies without naming them ("garmen" is industri, "batas wilayah" is
# pemerintahan). Every sector of the vocabulary gets a row; one absent from the hits has zeros.
SECTOR_FEATURES: tuple[str, ...] = (
    "log_score",
    "rank",
    "relative",
    "field",
    "title",
    "log_sectors",
    "named",
    "text",
    "named_text",
)
SECTOR_NAMES: tuple[str, ...] = tuple(SECTORS)
TEXT_CLIP = 10.0  # a text margin beyond this says nothing more


def sector_rows(hits: list[SectorHit], text: list[float]) -> list[list[float]]:
    """SECTOR_FEATURES of every sector of SECTOR_NAMES (hits come strongest first; text is
    the text model's margin of each sector, in the same order)."""
    top = hits[0].score if hits else 1.0
    n = math.log1p(len(hits))
    named = {h.name: (r, h) for r, h in enumerate(hits)}
    rows = []
    for name, t in zip(SECTOR_NAMES, text, strict=True):
        t = max(-TEXT_CLIP, min(TEXT_CLIP, t))
        found = named.get(name)
        if found is None:
            rows.append([0.0, 0.0, 0.0, 0.0, 0.0, n, 0.0, t, 0.0])  # see UNNAMED_FEATURES
            continue
        rows.append(named_sector_row(*found, top, n, t))
    return rows


# The only features of a sector the evidence does not name (the others are 0.0).
UNNAMED_FEATURES = (SECTOR_FEATURES.index("log_sectors"), SECTOR_FEATURES.index("text"))


def named_sector_row(rank: int, h: SectorHit, top: float, n: float, t: float) -> list[float]:
    """The sector_rows() row of a sector the evidence names (rank 0 = strongest)."""
    return [
        math.log1p(h.score),
        1.0 / (1.0 + rank),
        h.score / top,
        float(h.fields > 0),
        float(h.title),
        n,
        1.0,
        t,
        t,
    ]

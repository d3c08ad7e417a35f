"""Rule-based scoring (classify step): article title + text -> Verdict.

Evidence is counted per sentence (partnership noun x meeting/stage verb x nearby organisation),
weighted up in the title and down in background sentences, then offset by negative contexts
(party coalitions, crime, sports, appeals, by-lines, cancellations, study visits).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right

from . import parties as party_rules
from . import sectors as sector_rules
from .gazetteer import GAZETTEER as G
from .patterns import CUE_BY_NAME, CUE_RE, DOC_SHORT, MODAL_RE, NEG_RE, ORG_RE, PENALTY
from .regex_trie import base, starts_word
from .sentences import LIST_ITEM, Doc, segment
from .verdict import STAGES, Verdict

MODEL_VERSION = "rules-1"
DEFAULT_THRESHOLD = 0.5

TITLE_WEIGHT = 2.5
BACKGROUND_WEIGHT = 0.25
BIAS = 3.0  # raw evidence at which the score is 0.5
SLOPE = 1.2
MAX_CUES = 5
CUE_CHARS = 300
_BG_OPENERS = ("sebelumnya", "untuk diketahui", "seperti diketahui", "diketahui,", "sebagai informasi",
               "perlu diketahui", "sejak saat itu", "adapun sebelumnya")
_SUPPRESSORS = frozenset({"policecoop", "collusion", "team"})
_FIELD_WORD = re.compile(r" (?:bidang|sektor) ")  # on the scan text: "di bidang pariwisata"
_WEAK_STAGE = frozenset({"jalin", "sepakat", "lanjutkan", "perluas", "temui", "kunjungan", "bahas",
                         "tindak"})


class _Sent:
    __slots__ = ("topic", "act", "hits", "neg", "orgs", "topic_pos", "e", "stages", "background")

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


def classify(title: str, text: str, *, threshold: float | None = None) -> Verdict:
    """Score one article; match when the score reaches threshold (DEFAULT_THRESHOLD if None)."""
    limit = DEFAULT_THRESHOLD if threshold is None else threshold
    title = title or ""
    text = text or ""
    if not title.strip() and not text.strip():
        return Verdict(match=False, score=0.0, stage=None)
    doc = segment(title, text)
    sents = _collect(doc)
    raw, penalty = _evidence(doc, sents)
    score = 1.0 / (1.0 + math.exp(-SLOPE * (raw - penalty - BIAS)))
    score = round(score, 4)
    match = score >= limit
    ranked = sorted((i for i, s in enumerate(sents) if s.e > 0), key=lambda i: -sents[i].e)
    cue_ids = _pick_cues(sents, ranked)
    cues = tuple(_trim(doc, i, sents[i]) for i in cue_ids)
    if not ranked or (score < 0.2 and not match):
        # parties and sectors only matter for likely matches; skipping them keeps negatives cheap
        return Verdict(match=match, score=score, stage=None, cues=cues)
    scope = sorted({0, *ranked[:8], *(i for i in (1,) if i < len(sents) and sents[i].neg.keys()
                                        .isdisjoint(_SUPPRESSORS))})
    spans = [doc.spans[i] for i in scope]
    found = party_rules.extract(doc.full, doc.title_end, spans)
    fields = {doc.sentence_of(m.start()) for m in _FIELD_WORD.finditer(doc.scan)}
    fields = {i for i in fields if i >= 0 and sents[i].neg.keys().isdisjoint(_SUPPRESSORS)}
    weights = [(*doc.spans[i], TITLE_WEIGHT if i == 0 else 1.0) for i in sorted({*scope, *fields})]
    sectors = sector_rules.tag(doc.scan, weights)
    stage = _stage(sents) if match else None
    return Verdict(match=match, score=score, stage=stage, cues=cues, parties=found, sectors=sectors)


def _collect(doc: Doc) -> list[_Sent]:
    """One pass per pattern table over the whole article; hits are binned into sentences."""
    sents = [_Sent() for _ in doc.spans]
    lower = doc.lower
    party_words = 0
    scan = doc.scan
    for m in NEG_RE.finditer(scan):
        kind = base(m.lastgroup)
        s = sents[doc.sentence_of(m.start())]
        s.neg[kind] = s.neg.get(kind, 0) + 1
        party_words += kind == "party"
    for m in CUE_RE.finditer(scan):
        name = base(m.lastgroup)
        start, end = m.start(), m.end() - 1
        if name == "doc" and lower[start:end] in DOC_SHORT:
            # "PKS" is Partai Keadilan Sejahtera next to party words; "pks"/"msp" in lower case are words.
            if party_words or not doc.full[start:end].isupper():
                continue
        s = sents[doc.sentence_of(start)]
        s.hits.append((name, start, end))
    org_pos = [m.start() for m in ORG_RE.finditer(scan)]
    org_pos += _names(doc)
    org_pos.sort()
    for i, s in enumerate(sents):
        if s.hits:
            _score_sentence(doc, i, sents, org_pos)
    return sents


def _names(doc: Doc) -> list[int]:
    """Offsets of countries and foreign places anywhere, and Indonesian place names in the title."""
    full = doc.full
    hits = list(G.name_re.finditer(full))
    hits += G.place_re.finditer(full, 0, doc.title_end)
    return [m.start() for m in hits if starts_word(full, m.start())]


def _background(doc: Doc, sents: list[_Sent], i: int, fresh: bool) -> bool:
    """Retrospective sentence ("Sebelumnya ... sejak 2014"), or a list item under one."""
    if i == 0:
        return "bgstrong" in sents[0].neg or ("bgmedium" in sents[0].neg and not fresh)
    start = doc.spans[i][0]
    neg = sents[i].neg
    if "bgstrong" in neg or doc.lower.startswith(_BG_OPENERS, start):
        return True
    if "bgmedium" in neg and not fresh:
        return True
    if doc.full[start] in "0123456789-•*" and LIST_ITEM.match(doc.full, start):
        j = i - 1
        while j > 0 and LIST_ITEM.match(doc.full, doc.spans[j][0]):
            j -= 1
        return j > 0 and _background(doc, sents, j, False)
    return False


def _score_sentence(doc: Doc, i: int, sents: list[_Sent], org_pos: list[int]) -> None:
    s = sents[i]
    start, end = doc.spans[i]
    for name, a, _ in s.hits:
        cue = CUE_BY_NAME[name]
        if cue.kind == "topic":
            s.topic = max(s.topic, cue.weight)
            s.topic_pos.append(a)
        else:
            s.act = max(s.act, cue.weight)
            if cue.topic:
                s.topic = max(s.topic, cue.topic)
                s.topic_pos.append(a)
    # Proximity: organisation/place mentions within 120 characters of a cue, same sentence.
    anchors = s.topic_pos or [a for _, a, _ in s.hits]
    near = set()
    for a in anchors:
        lo = bisect_left(org_pos, max(start, a - 120))
        hi = bisect_right(org_pos, min(end, a + 120))
        near.update(org_pos[lo:hi])
    s.orgs = min(len(near), 3)
    neg = s.neg
    if neg.keys() & _SUPPRESSORS:
        return
    if "kdengan" in neg and "event" in neg and not _has(s, "teken", "doc", "jajak", "peluang", "sister"):
        return  # by-line: "pasar murah digelar bekerja sama dengan ..."
    if "appeal" in neg and "allparties" in neg:
        return  # rhetoric: "mengajak seluruh elemen masyarakat berkolaborasi"
    strong_act = any(CUE_BY_NAME[n].weight >= 0.8 and CUE_BY_NAME[n].kind == "action" for n, _, _ in s.hits)
    # "mendorong Pemkot memperkuat kolaborasi dengan kampus": urging, not talks
    urged = "appeal" in neg and s.topic < 0.9 and not strong_act
    if "cancel" in neg and s.topic:
        s.e = -1.0  # marks a cancellation; counted as a penalty in _evidence
        return
    org_factor = 1.0 + 0.25 * s.orgs
    if s.topic:
        e = s.topic * (1.0 + 0.6 * s.act) * org_factor
    elif s.act and s.orgs:
        e = 0.35 * s.act * org_factor
    else:
        e = 0.0
    fresh = any(n not in _WEAK_STAGE and CUE_BY_NAME[n].kind == "action" for n, _, _ in s.hits)
    s.background = _background(doc, sents, i, fresh)
    if s.background:
        e *= BACKGROUND_WEIGHT
    if "study" in neg:
        e *= 0.5
    if urged:
        e *= 0.3
    if i == 0:
        e *= TITLE_WEIGHT
    s.e = e
    if not s.background and e > 0:
        s.stages = _stage_votes(doc, s)


def _has(s: _Sent, *names: str) -> bool:
    return any(n in names for n, _, _ in s.hits)


def _stage_votes(doc: Doc, s: _Sent) -> list[tuple[str, float]]:
    votes: list[tuple[str, float]] = []
    for name, a, _ in s.hits:
        cue = CUE_BY_NAME[name]
        if cue.stage is None or (cue.needs_topic and not s.topic):
            continue
        stage, weight = cue.stage, cue.weight
        if stage in ("signed", "renewed") and MODAL_RE.search(doc.lower, max(0, a - 40), a):
            # planned signing -> still negotiating; a wish to "menjalin" -> exploring
            stage = "exploring" if name in _WEAK_STAGE else "negotiating"
            weight *= 0.8
        votes.append((stage, weight))
    return votes


def _evidence(doc: Doc, sents: list[_Sent]) -> tuple[float, float]:
    body = sorted((s.e for s in sents[1:] if s.e > 0), reverse=True)
    raw = max(sents[0].e, 0.0) + sum(e * 0.7**k for k, e in enumerate(body[:8]))
    penalty = 0.0
    counts: dict[str, int] = {}
    for i, s in enumerate(sents):
        for kind, n in s.neg.items():
            counts[kind] = counts.get(kind, 0) + n * (2 if i == 0 else 1)
        if s.e < 0:
            penalty += 4.0 if i == 0 else 2.0
    for kind, (weight, cap) in PENALTY.items():
        penalty += weight * min(counts.get(kind, 0), cap)
    return raw, min(penalty, 8.0)


def _stage(sents: list[_Sent]) -> str:
    """Title decides first; else the body votes, earlier sentences weighing more."""
    order = {st: k for k, st in enumerate(STAGES)}
    title = sents[0].stages
    if title:
        strong = [v for v in title if v[1] >= 0.8] or title
        return max(strong, key=lambda v: (v[1] >= 0.8, order[v[0]]))[0]
    tally: dict[str, float] = {}
    for i, s in enumerate(sents[1:], start=1):
        pos = 1.5 if i <= 3 else 1.0 if i <= 10 else 0.7
        for stage, w in s.stages:
            tally[stage] = tally.get(stage, 0.0) + w * pos
    if not tally:
        return "exploring"
    return max(tally, key=lambda st: (tally[st], order[st]))


def _pick_cues(sents: list[_Sent], ranked: list[int]) -> list[int]:
    picked = ranked[:MAX_CUES]
    sister = next((i for i in ranked if _has(sents[i], "sister")), None)
    if sister is not None and sister not in picked:
        picked[-1] = sister  # sister city is a form of partnership worth showing
    return picked


def _trim(doc: Doc, i: int, s: _Sent) -> str:
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

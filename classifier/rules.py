"""Rule-based scoring (classify step): article title + text -> Verdict.

Evidence is counted per sentence (partnership noun x meeting/stage verb x nearby organisation),
weighted up in the title and down in background sentences, then offset by negative contexts
(party coalitions, crime, sports, appeals, by-lines, cancellations, study visits).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from . import parties as party_rules
from . import sectors as sector_rules
from .evidence import Sentence, decide_stage, get, pick_cues, trim_cue
from .gazetteer import GAZETTEER as G
from .negatives import DOC_ONLY, NEG_RE, PENALTY, SUPPRESSORS
from .patterns import CUE_BY_NAME, CUE_RE, DOC_SHORT, MODAL_RE, ORG_RE
from .regex_trie import bases
from .sentences import LIST_ITEM, Doc, segment
from .verdict import Verdict

RULE_VERSION = "rules-1"
RULE_THRESHOLD = 0.5

TITLE_WEIGHT = 2.5
BACKGROUND_WEIGHT = 0.25
_FAR_WEIGHT = 0.3  # sector words outside the evidence sentences ...
_FAR_SENTENCES = 15  # ... among the first sentences (the lead paragraphs)
BIAS = 3.0  # raw evidence at which the score is 0.5
SLOPE = 1.2
_BG_OPENERS = (
    "sebelumnya",
    "untuk diketahui",
    "seperti diketahui",
    "diketahui,",
    "sebagai informasi",
    "perlu diketahui",
    "sejak saat itu",
    "adapun sebelumnya",
)
_FIELD_WORDS = (" bidang", " sektor")  # on the scan text: "di bidang pariwisata"
_NOT_BYLINE = frozenset({"teken", "doc", "jajak", "peluang", "sister"})
_CONCRETE = frozenset({"peluang", "jajak", "tawar"})
_MEETING = frozenset({"temui", "kunjungan", "audiensi"})
_NEG_KINDS = bases(NEG_RE)
_CUE_KINDS = bases(CUE_RE)
# Cues of a clause that makes, renews or negotiates an agreement after another clause said
# something ended (_agreed_after_the_end).
_AFTER_AN_END = frozenset(
    {"teken", "resmi", "sepakat", "perpanjang", "perbarui", "kembali", "kembaliteken", "lagi",
     "kslanjutan", "kalinya", "amend", "lanjutkan", "lanjutks", "nego", "renego", "draft", "final"}
)
# Renewal cues: a renewal or revival speaks of the earlier agreement by nature ("Hidupkan Lagi
# Kerja Sama yang Habis Sejak 2020", "Perbarui Kerja Sama yang Berakhir pada 2016"), so a year
# or an end beside it does not make the sentence background.
_RENEWALS = frozenset({"perpanjang", "perbarui", "kembaliteken", "kembali", "lagi", "kslanjutan", "lanjutks", "amend"})
_AFTER_WORD = re.compile(r"\b(?:setelah|sesudah|usai|pasca)\b")
_REFUSED = re.compile(r"\b(?:tak|tidak|enggan|ogah|batal|urung|gagal|tolak|menolak|ditolak)\b")
_WEAK_STAGE = frozenset(
    {"jalin", "sepakat", "lanjutkan", "perluas", "temui", "kunjungan", "bahas", "tindak"}
)


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the rules found in one article: evidence per sentence, raw evidence and penalty."""

    doc: Doc
    sents: dict[int, Sentence]
    org_pos: list[int]
    raw: float
    penalty: float
    # document-level contexts (negatives.DOC_ONLY): whole-article and title counts
    contexts: dict[str, int]
    title_contexts: dict[str, int]

    @property
    def logit(self) -> float:
        """Rule evidence on the log-odds scale (0 = the rule layer's own 0.5)."""
        return SLOPE * (self.raw - self.penalty - BIAS)

    @property
    def ranked(self) -> list[int]:
        """Sentences with positive evidence, strongest first."""
        sents = self.sents
        return sorted((i for i, s in sents.items() if s.e > 0), key=lambda i: (-sents[i].e, i))


def analyse(title: str, text: str) -> Analysis | None:
    """Run the rule layer over one article; None when title and text are both empty."""
    title = title or ""
    text = text or ""
    if not title.strip() and not text.strip():
        return None
    doc = segment(title, text)
    contexts: dict[str, int] = {}
    title_contexts: dict[str, int] = {}
    sents, org_pos = _collect(doc, contexts, title_contexts)
    raw, penalty = _evidence(doc, sents, org_pos, contexts, title_contexts)
    return Analysis(doc, sents, org_pos, raw, penalty, contexts, title_contexts)


def explain(
    a: Analysis, full: bool
) -> tuple[tuple[str, ...], list[party_rules.Candidate], list[sector_rules.SectorHit]]:
    """(cues, party candidates, sector hits); both only when full (a likely match)."""
    doc, sents = a.doc, a.sents
    ranked = a.ranked
    cues = tuple(trim_cue(doc, i, sents[i]) for i in pick_cues(sents, ranked))
    if not ranked or not full:
        # parties and sectors only matter for likely matches; skipping them keeps negatives cheap
        return cues, [], []
    cue_sents = set(ranked[:6])
    scope = {0, *cue_sents}
    lead = _lead(doc)
    if len(doc.spans) > lead and get(sents, lead).neg.keys().isdisjoint(SUPPRESSORS):
        scope.add(lead)  # the lead sentence names who met whom
    roles = {i: (party_rules.ROLE_LEAD if i == lead else 0) | (party_rules.ROLE_CUE if i in cue_sents else 0)
             for i in scope}
    roles[ranked[0]] |= party_rules.ROLE_BEST
    for i in _lists(doc, scope, cue_sents):
        roles[i] = party_rules.ROLE_LIST
    spans = [(*doc.spans[i], roles[i]) for i in sorted(roles)]
    found = party_rules.candidates(doc.full, doc.title_end, spans, doc.lower)
    # One scan for the field words of both the scope and sector_rules.hits. A field word right
    # after another ("bidang sektor") is one more hit here, in a sentence already counted.
    field_words = sector_rules.field_words(doc.scan)
    fields = {doc.sentence_of(m.start()) for m in field_words if m.group() in _FIELD_WORDS}
    fields = {i for i in fields if i >= 0 and get(sents, i).neg.keys().isdisjoint(SUPPRESSORS)}
    near = {*scope, *fields}
    # the rest of the article's first paragraphs counts a little: a field named once there
    last = min(len(doc.spans), max(_FAR_SENTENCES, *near) + 1)
    weights = [TITLE_WEIGHT] + [1.0 if i in near else _FAR_WEIGHT for i in range(1, last)]
    scan = doc.scan[: doc.spans[last - 1][1] + 1]
    return cues, found, sector_rules.hits(scan, doc.starts, weights, doc.title_end, field_words)


_LEAD_REACH = 4  # a photo caption or two may stand before the dateline


def _lead(doc: Doc) -> int:
    """The lead sentence: the one that opens with the dateline ("JAKARTA, PROGRES.ID – Walikota
    ... menyambangi ..."), when photo captions come before it on the page; else the first."""
    for i in range(1, min(len(doc.spans), _LEAD_REACH + 1)):
        m = party_rules.DATELINE.match(doc.full, doc.spans[i][0])
        # a blank after the dash: "PT ISS-KSO ..." opens with capitals and a dash too
        if m is not None and doc.full[m.end() : m.end() + 1].isspace():
            return i
    return 1


# Words that open an enumeration: "Ketiganya adalah PT A, PT B dan PT C", "yakni ...", "meliputi ..."
_LIST_WORDS = (
    " yakni ", " yaitu ", " antara lain ", " di antaranya ", " meliputi ", " terdiri ", " adalah ", ": ",
    " masing-masing ", " dihadiri ", " termasuk ",
)


def _lists(doc: Doc, scope: set[int], cue_sents: set[int]) -> list[int]:
    """Sentences near the evidence that enumerate names ("Kampus yang terlibat adalah A, B, C
    dan D"): a partnership with many parties often names them apart from the signing sentence,
    which says only "tujuh perguruan tinggi". The body's sentences from the lead to two past the
    last cue sentence, those not read already; all of the body's when the headline counts the
    partners, where three commas make a list without a list word."""
    full, out = doc.full, []
    # a headline that counts the partners ("dengan 14 Instansi") promises a list, wherever it is
    many = party_rules.counts_partners(full[: doc.title_end]) if doc.title_end > 0 else False
    for i in range(1, len(doc.spans) if many else min(len(doc.spans), max(cue_sents) + 3)):
        start, end = doc.spans[i]
        if i in scope:
            continue
        commas = full.count(", ", start, end)
        if commas < 2:
            continue
        if (many and commas >= 3) or any(full.find(w, start, end) >= 0 for w in _LIST_WORDS):
            out.append(i)
    return out


def classify_rules(title: str, text: str, *, threshold: float | None = None) -> Verdict:
    """The rule layer alone (the baseline `jajak eval` compares the trained model with)."""
    a = analyse(title, text)
    if a is None:
        return Verdict(match=False, score=0.0, stage=None)
    score = round(1.0 / (1.0 + math.exp(-a.logit)), 4)
    match = score >= (RULE_THRESHOLD if threshold is None else threshold)
    cues, found, sectors = explain(a, match or score >= 0.2)
    stage = decide_stage(a.sents) if match else None
    parties = party_rules.rank(found)
    names = tuple(h.name for h in sectors)
    return Verdict(match=match, score=score, stage=stage, cues=cues, parties=parties, sectors=names)


def _collect(
    doc: Doc, contexts: dict[str, int], title_contexts: dict[str, int]
) -> tuple[dict[int, Sentence], list[int]]:
    """One pass per pattern table over the whole article; hits are binned into sentences
    (document-level contexts are only counted)."""
    sents: dict[int, Sentence] = {}  # only sentences with a cue or a negative context
    lower = doc.lower
    scan = doc.scan
    title_end = doc.title_end
    starts = doc.starts
    # doc.sentence_of / evidence.new / regex_trie.base inlined: these loops run once per match.
    kinds = _NEG_KINDS
    for m in NEG_RE.finditer(scan):
        kind = kinds[m.lastindex or 0]
        pos = m.start()
        if kind in DOC_ONLY:
            contexts[kind] = contexts.get(kind, 0) + 1
            if pos < title_end:
                title_contexts[kind] = title_contexts.get(kind, 0) + 1
            continue
        i = bisect_right(starts, pos) - 1
        s = sents.get(i)
        if s is None:
            s = sents[i] = Sentence()
        s.neg[kind] = s.neg.get(kind, 0) + 1
        if kind == "cancel":
            s.cancel_at = pos
    party_words = contexts.get("party", 0)
    kinds = _CUE_KINDS
    for m in CUE_RE.finditer(scan):
        name = kinds[m.lastindex or 0]
        start, end = m.span()
        end -= 1
        # "PKS" is Partai Keadilan Sejahtera next to party words; lower-case "pks"/"msp" are words.
        if (
            name == "doc"
            and lower[start:end] in DOC_SHORT
            and (party_words or not doc.full[start:end].isupper())
        ):
            continue
        i = bisect_right(starts, start) - 1
        s = sents.get(i)
        if s is None:
            s = sents[i] = Sentence()
        s.hits.append((name, start, end))
    # Organisation offsets are read only inside cue sentences and the title + lead (see
    # _score_sentence and _evidence), so only those stretches are scanned.
    regions = _regions(doc, [0, 1, *(i for i, s in sents.items() if s.hits)])
    org_pos = [m.start() for a, b in regions for m in ORG_RE.finditer(scan, a, b + 1)]
    org_pos += _names(doc, regions)
    org_pos.sort()
    for i in sorted(sents):
        if sents[i].hits:
            _score_sentence(doc, i, sents, org_pos)
    return sents, org_pos


def _regions(doc: Doc, ids: list[int]) -> list[tuple[int, int]]:
    """Spans of the given sentences, adjacent ones merged (fewer regex calls)."""
    out: list[tuple[int, int]] = []
    last = -2
    for i in sorted(set(ids)):
        if i >= len(doc.spans):
            continue
        start, end = doc.spans[i]
        if i == last + 1 and out:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
        last = i
    return out


def _names(doc: Doc, regions: list[tuple[int, int]]) -> list[int]:
    """Offsets of countries and foreign places in regions, and Indonesian places in the title."""
    full = doc.full
    hits = [m.start() for a, b in regions for m in G.name_re.finditer(full, a, b)]
    hits += [m.start() for m in G.place_re.finditer(full, 0, doc.title_end)]
    return [pos for pos in hits if not pos or not full[pos - 1].isalnum()]  # starts_word, inlined


def _background(doc: Doc, sents: dict[int, Sentence], i: int, fresh: bool, renews: bool = False) -> bool:
    """Retrospective sentence ("Sebelumnya ... sejak 2014"), or a list item under one. A renewal's
    own sentence is not made background by the past it names (renews)."""
    if i == 0:
        neg = get(sents, 0).neg
        return ("bgstrong" in neg and not renews) or ("bgmedium" in neg and not fresh)
    start = doc.spans[i][0]
    neg = get(sents, i).neg
    if ("bgstrong" in neg and not renews) or doc.lower.startswith(_BG_OPENERS, start):
        return True
    if "bgmedium" in neg and not fresh:
        return True
    if doc.full[start] in "0123456789-•*" and LIST_ITEM.match(doc.full, start):
        j = i - 1
        while j > 0 and LIST_ITEM.match(doc.full, doc.spans[j][0]):
            j -= 1
        return j > 0 and _background(doc, sents, j, False)
    return False


def _score_sentence(doc: Doc, i: int, sents: dict[int, Sentence], org_pos: list[int]) -> None:
    """Fill topic/act/orgs/e/stages of sentence i from its cue hits and negative contexts."""
    s = sents[i]
    start, end = doc.spans[i]
    names = set()
    strong_act = fresh = False
    for name, a, _ in s.hits:
        cue = CUE_BY_NAME[name]
        names.add(name)
        if cue.kind == "topic":
            s.topic = max(s.topic, cue.weight)
            s.topic_pos.append(a)
            continue
        s.act = max(s.act, cue.weight)
        strong_act = strong_act or cue.weight >= 0.8
        fresh = fresh or name not in _WEAK_STAGE
        if cue.topic:
            s.topic = max(s.topic, cue.topic)
            s.topic_pos.append(a)
    # Proximity: organisation/place mentions within 120 characters of a cue, same sentence.
    near: set[int] = set()
    for a in s.topic_pos or [a for _, a, _ in s.hits]:
        lo = bisect_left(org_pos, max(start, a - 120))
        hi = bisect_right(org_pos, min(end, a + 120))
        near.update(org_pos[lo:hi])
        if len(near) >= 3:
            break  # only up to three count
    s.orgs = min(len(near), 3)
    neg = s.neg
    if neg.keys() & SUPPRESSORS:
        return
    if "kdengan" in neg and "event" in neg and names.isdisjoint(_NOT_BYLINE):
        return  # by-line: "pasar murah digelar bekerja sama dengan ..."
    if "appeal" in neg and "allparties" in neg:
        return  # rhetoric: "mengajak seluruh elemen masyarakat berkolaborasi"
    if "cancel" in neg and s.topic and not _agreed_after_the_end(doc.scan, s):
        s.e = -1.0  # marks a cancellation; counted as a penalty in _evidence
        return
    # Partnerships are between organisations: a partnership word with none nearby counts less
    # ("warga bekerja sama membersihkan saluran").
    org_factor = 0.6 + 0.3 * s.orgs
    if s.topic and s.topic < 0.9 and not names.isdisjoint(_CONCRETE):
        s.topic = 0.9  # "membahas peluang kolaborasi": a weak noun made concrete by the verb
    if s.topic:
        e = s.topic * (1.0 + 0.8 * s.act) * org_factor
    elif s.act and s.orgs:
        # a strong verb, or two named organisations meeting ("Dubes X Kunjungi Pemprov Y, Bahas")
        meeting = s.orgs >= 2 and not names.isdisjoint(_MEETING)
        e = (0.5 if strong_act or meeting else 0.35) * s.act * org_factor
    else:
        e = 0.0
    s.background = _background(doc, sents, i, fresh, not names.isdisjoint(_RENEWALS))
    if s.background:
        e *= BACKGROUND_WEIGHT
    if "study" in neg:
        e *= 0.5
    if "appeal" in neg and s.topic < 0.9 and not strong_act:
        e *= 0.3  # "mendorong Pemkot memperkuat kolaborasi dengan kampus": urging, not talks
    if i == 0:
        e *= TITLE_WEIGHT
    s.e = e
    if not s.background and e > 0:
        s.stages = _stage_votes(doc, s)


def _agreed_after_the_end(scan: str, s: Sentence) -> bool:
    """The sentence's last cancellation context is a clause of its own, and a later clause
    signs, renews or negotiates: "MoU Lama Habis, Pemkab Kendal dan Kejari Teken Perpanjangan",
    "Usai Sengketa, PD Pasar Jaya dan PT PDI Sepakat Rundingkan Ulang Kontrak". What ended is
    the old agreement (or the quarrel before the new one), not the news.
    """
    at = s.cancel_at
    return any(
        name in _AFTER_AN_END and a > at and "," in scan[at:a] for name, a, _ in s.hits
    ) or any(
        # "Kembali Teken Nota Kesepahaman Setelah MoU Lama Berakhir": the end is told after the
        # renewal, in a clause that says when (the old agreement's end)
        name in _RENEWALS
        and a < at
        and _AFTER_WORD.search(scan, a, at) is not None
        and _REFUSED.search(scan, max(0, a - 30), a) is None  # not "Tak Perpanjang ... Setelah"
        for name, a, _ in s.hits
    )


def _stage_votes(doc: Doc, s: Sentence) -> list[tuple[str, float]]:
    """(stage, weight) for each stage cue of a current (non-background) sentence."""
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


def _evidence(
    doc: Doc,
    sents: dict[int, Sentence],
    org_pos: list[int],
    contexts: dict[str, int],
    title_contexts: dict[str, int],
) -> tuple[float, float]:
    """(raw evidence, penalty): title + diminishing best body sentences; negatives subtract."""
    body = sorted((s.e for i, s in sents.items() if i and s.e > 0), reverse=True)
    raw = max(get(sents, 0).e, 0.0) + sum(e * 0.7**k for k, e in enumerate(body[:8]))
    penalty = 0.0
    if raw > 0:
        # Who meets whom is usually named in the title or the lead sentence.
        lead_end = doc.spans[1][1] if len(doc.spans) > 1 else doc.title_end
        named = bisect_left(org_pos, lead_end)
        if named >= 2:
            raw += 0.6
        elif not any(s.orgs for s in sents.values() if s.e > 0):
            penalty += 1.0
    # title hits count twice
    counts = {k: n + title_contexts.get(k, 0) for k, n in contexts.items()}
    for i, s in sents.items():
        for kind, n in s.neg.items():
            counts[kind] = counts.get(kind, 0) + n * (2 if i == 0 else 1)
        if s.e < 0:
            penalty += 4.0 if i == 0 else 2.0
    for kind, (weight, cap) in PENALTY.items():
        penalty += weight * min(counts.get(kind, 0), cap)
    return raw, min(penalty, 8.0)

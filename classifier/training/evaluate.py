"""Evaluation of the classifier (training side of the classify step): records -> Report -> text.

Precision, recall and F1 of `match`; stage accuracy on true positives with a stage confusion
table; matches per negative kind; precision/recall of parties and sectors against the labels;
and the worst false positives and false negatives with their cues. For ordinary news (no
partnership in any of it), the share matched: false alarms.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from ..canonical import matched
from ..verdict import STAGES, Verdict
from .corpus import Record

Classify = Callable[[str, str], Verdict]


@dataclass
class Report:
    """Counts from one evaluation run; the ratios are properties."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    stages: Counter[tuple[str, str]] = field(default_factory=Counter)  # (true, predicted)
    kinds: Counter[tuple[str, bool]] = field(default_factory=Counter)  # (kind or stage, match)
    # hits, predicted, gold; a party hit is the same organisation however named (canonical.py)
    parties: list[int] = field(default_factory=lambda: [0, 0, 0])
    sectors: list[int] = field(default_factory=lambda: [0, 0, 0])
    false_pos: list[tuple[float, Record, Verdict]] = field(default_factory=list)
    false_neg: list[tuple[float, Record, Verdict]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def stage_accuracy(self) -> float:
        total = sum(self.stages.values())
        right = sum(n for (t, p), n in self.stages.items() if t == p)
        return right / total if total else 1.0

    def extraction(self, which: str) -> tuple[float, float]:
        """(precision, recall) of "parties" or "sectors" on true positives."""
        hits, pred, gold = getattr(self, which)
        return (hits / pred if pred else 1.0, hits / gold if gold else 1.0)


def evaluate(records: list[Record], classify: Classify) -> Report:
    """Classify every record and count the outcomes."""
    rep = Report()
    for r in records:
        v = classify(r["title"], r["text"])
        label = bool(r["label"])
        rep.kinds[(r["stage"] if label else r.get("kind") or "other", v.match)] += 1
        if label and v.match:
            rep.tp += 1
            rep.stages[(r["stage"], v.stage or "-")] += 1
            gold_parties = list(dict.fromkeys(r.get("parties") or ()))
            rep.parties[0] += matched(v.parties, gold_parties)
            rep.parties[1] += len(v.parties)
            rep.parties[2] += len(gold_parties)
            gold_sectors = set(r.get("sectors") or ())
            rep.sectors[0] += len(gold_sectors & set(v.sectors))
            rep.sectors[1] += len(set(v.sectors))
            rep.sectors[2] += len(gold_sectors)
        elif label:
            rep.fn += 1
            rep.false_neg.append((v.score, r, v))
        elif v.match:
            rep.fp += 1
            rep.false_pos.append((v.score, r, v))
        else:
            rep.tn += 1
    rep.false_pos.sort(key=lambda e: -e[0])
    rep.false_neg.sort(key=lambda e: e[0])
    return rep


def format_report(rep: Report, title: str, worst: int = 5) -> str:
    """The text `jajak eval` prints."""
    lines = [
        f"{title}: {rep.tp + rep.fp + rep.fn + rep.tn} articles",
        f"precision {rep.precision:.3f}  recall {rep.recall:.3f}  F1 {rep.f1:.3f}  "
        f"stage accuracy {rep.stage_accuracy:.3f} (on {rep.tp} true positives)",
        "",
        "             predicted +  predicted -",
        f"  label +    {rep.tp:11d}  {rep.fn:11d}",
        f"  label -    {rep.fp:11d}  {rep.tn:11d}",
        "",
        "stage (rows: label, columns: predicted)",
        "  " + " " * 12 + "".join(f"{s[:11]:>12}" for s in STAGES),
    ]
    for t in STAGES:
        lines.append(f"  {t:<12}" + "".join(f"{rep.stages[(t, p)]:12d}" for p in STAGES))
    lines += ["", "matched / total by kind"]
    kinds = sorted({k for k, _ in rep.kinds})
    for k in kinds:
        yes, no = rep.kinds[(k, True)], rep.kinds[(k, False)]
        lines.append(f"  {k:<16} {yes:3d} / {yes + no:3d}")
    for name in ("parties", "sectors"):
        p, r = rep.extraction(name)
        lines.append(f"{name}: precision {p:.3f}  recall {r:.3f} (on true positives)")
    for head, items in (("false positives", rep.false_pos), ("false negatives", rep.false_neg)):
        lines += ["", f"worst {head} ({len(items)})"]
        for score, rec, v in items[:worst]:
            what = rec.get("kind") if not rec["label"] else rec["stage"]
            lines.append(f"  {score:.3f} [{what}] {rec.get('id', '')} {rec['title']}")
            lines += [f"      cue: {c[:160]}" for c in v.cues[:3]]
    return "\n".join(lines)


def format_false_alarms(records: list[Record], classify: Classify, title: str, worst: int = 5) -> str:
    """The text `jajak eval` prints for ordinary news: how many of these articles, none of which is
    about a partnership, the classifier matches, and the highest-scored of them."""
    verdicts = [(classify(r["title"], r["text"]), r) for r in records]
    alarms = sorted(((v.score, r) for v, r in verdicts if v.match), key=lambda e: -e[0])
    rate = len(alarms) / len(records) if records else 0.0
    lines = [f"{title}: {len(records)} articles, {len(alarms)} matched (false alarms: {rate:.1%})"]
    lines += [f"  {score:.3f} {rec.get('id', '')} {rec['title']}" for score, rec in alarms[:worst]]
    return "\n".join(lines)

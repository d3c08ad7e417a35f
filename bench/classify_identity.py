"""Identity check for classifier speed work: every Verdict field of every corpus article.

Classifies each article of classifier/data (train/test, parts/, real/ and real/parts/), as is and
as the 3,000-character articles of bench/classify.py, at the default threshold and at 0 (so stage,
parties and sectors are computed for all), and writes the Verdicts as JSON. With --compare, checks
a new dump against an old one: scores may differ by 1e-9, everything else must be equal.

    python bench/classify_identity.py OUT.json [--compare OLD.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def corpus() -> list[tuple[str, str, str]]:
    """(key, title, text) of every stored article, and the benchmark's padded articles."""
    from classify import articles  # bench/classify.py, same directory

    from classifier.training.corpus import DATA, read_jsonl

    out = []
    for path in sorted(DATA.rglob("*.jsonl")):
        for k, r in enumerate(read_jsonl(path)):
            out.append((f"{path.relative_to(DATA)}:{k}", r.get("title") or "", r.get("text") or ""))
    out += [(f"bench:{k}", t, x) for k, (t, x) in enumerate(articles())]
    return out


def dump() -> dict[str, list[dict[str, object]]]:
    from classifier import classify

    return {
        key: [classify(title, text).to_dict(), classify(title, text, threshold=0.0).to_dict()]
        for key, title, text in corpus()
    }


def compare(new: dict[str, list[dict[str, object]]], old: dict[str, list[dict[str, object]]]) -> int:
    """Number of differing articles (printed)."""
    diffs = 0
    if new.keys() != old.keys():
        print(f"article sets differ: {len(new)} vs {len(old)}")
        return max(1, abs(len(new) - len(old)))
    for key, verdicts in new.items():
        for a, b in zip(verdicts, old[key], strict=True):
            same = all(
                abs(float(a[f]) - float(b[f])) <= 1e-9 if f == "score" else a[f] == b[f]  # type: ignore[arg-type]
                for f in a
            )
            if not same:
                diffs += 1
                if diffs <= 5:
                    print(f"{key}:\n  new {a}\n  old {b}")
                break
    return diffs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--compare", type=Path, help="an earlier dump to compare with")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    new = dump()
    args.out.write_text(json.dumps(new, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    print(f"{len(new)} articles, {2 * len(new)} verdicts -> {args.out}")
    if args.compare:
        diffs = compare(new, json.loads(args.compare.read_text(encoding="utf-8")))
        print(f"compared with {args.compare}: {diffs} articles differ")
        return 1 if diffs else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())

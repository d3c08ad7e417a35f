"""Classifier speed and memory: articles per second on one core, model load time, extra RSS.

Builds 3,000-character articles from both labelled corpora (real news and written; each text
padded with the next ones), pins the process to one CPU, loads the trained model and times
classify() over all of them several times. --record appends a row to bench/RESULTS.md.

    python bench/classify.py [--rounds 5] [--record]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "RESULTS.md"
CHARS = 3000
_HEADER = (
    "\n## Classifier\n\n"
    "`python bench/classify.py --record`: classify() on 3,000-character articles, one core.\n\n"
    "| date | model | articles | articles/s | ms/article | model load s | extra RSS MB "
    "| RSS after import MB | python | machine |\n"
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n"
)


def rss_mb() -> float:
    """Resident set size of this process (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def articles() -> list[tuple[str, str]]:
    from classifier.training.corpus import REAL_TEST, REAL_TRAIN, TEST, TRAIN, read_jsonl

    records = read_jsonl(REAL_TRAIN) + read_jsonl(REAL_TEST) + read_jsonl(TRAIN) + read_jsonl(TEST)
    out = []
    for i, r in enumerate(records):
        text, k = r["text"], i
        while len(text) < CHARS:
            k = (k + 1) % len(records)
            text += "\n\n" + records[k]["text"]
        out.append((r["title"], text[:CHARS]))
    return out


def record(row: str) -> None:
    existing = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    if "## Classifier" not in existing:
        existing = existing.rstrip("\n") + "\n" + _HEADER
        RESULTS.write_text(existing + row + "\n", encoding="utf-8")
        return
    # append the row at the end of the Classifier section's table
    head, _, tail = existing.partition("## Classifier")
    section, marker, rest = tail.partition("\n## ")  # only this section's table, not later ones
    lines = section.split("\n")
    last = max(i for i, line in enumerate(lines) if line.startswith("|"))
    lines.insert(last + 1, row)
    RESULTS.write_text(head + "## Classifier" + "\n".join(lines) + marker + rest, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="passes over the articles")
    parser.add_argument("--record", action="store_true", help="append a row to bench/RESULTS.md")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    base = rss_mb()
    import classifier
    from classifier.model import model

    imported = rss_mb()
    start = time.process_time()
    model()
    load_s = time.process_time() - start
    loaded = rss_mb()
    docs = articles()
    for title, text in docs[:50]:
        classifier.classify(title, text)  # warm caches
    # CPU time of this process: on a shared machine wall time also counts other processes' turns
    start, wall = time.process_time(), time.perf_counter()
    for _ in range(args.rounds):
        for title, text in docs:
            classifier.classify(title, text)
    elapsed = time.process_time() - start
    wall = time.perf_counter() - wall
    n = len(docs) * args.rounds
    rate = n / elapsed
    print(f"model {classifier.MODEL_VERSION}")
    print(f"{n} classify() calls on {CHARS}-char articles: {rate:,.0f} articles/s on one core "
          f"({1000 * elapsed / n:.3f} ms CPU each; wall {n / wall:,.0f} articles/s)")
    print(f"model load {load_s:.3f} s; extra RSS of the loaded model {loaded - imported:.1f} MB; "
          f"RSS after `import classifier` {imported:.1f} MB (interpreter alone {base:.1f} MB)")
    if args.record:
        row = (
            f"| {datetime.now(UTC):%Y-%m-%d} | {classifier.MODEL_VERSION} | {n} | {rate:,.0f} "
            f"| {1000 * elapsed / n:.3f} | {load_s:.3f} | {loaded - imported:.1f} | {imported:.1f} "
            f"| {platform.python_version()} | {platform.machine()}, {os.cpu_count()} CPUs |"
        )
        record(row)
        print(f"recorded in {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What the CLI prints: stored articles as a table, JSON Lines or CSV, and classified JSON Lines."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from alerts import format_iso, format_when
from classifier import classify
from crawler.jobs.engines import format_table

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

FIELDS = [
    "url", "source", "title", "published", "author", "section", "tags", "lead", "text", "match",
    "score", "stage", "parties", "sectors", "cues", "language", "image", "pages",
    "discovered_via", "first_seen_at",
]


def article_record(article: Any, timezone: str = "Asia/Jakarta") -> dict[str, Any]:
    """A stored article as plain JSON-ready values; times in ISO 8601 with their offset in
    ``timezone`` (JAJAK_TIMEZONE)."""
    record: dict[str, Any] = {}
    for name in FIELDS:
        value = article.source.name if name == "source" else getattr(article, name, None)
        record[name] = format_iso(value, timezone) if isinstance(value, datetime) else value
    return record


def write_articles(articles: Sequence[Any], fmt: str, out: IO[str], timezone: str = "Asia/Jakarta") -> None:
    """Stored articles as a table (times labelled WIB/WITA/WIT), JSON Lines or CSV (ISO 8601)."""
    records = [article_record(a, timezone) for a in articles]
    if fmt == "json":
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        for record in records:
            writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
                             for k, v in record.items()})
    else:
        rows = [
            (
                format_when(a.published, timezone) if a.published else "",
                r["source"],
                "yes" if r["match"] else "",
                r["stage"] or "",
                f"{r['score']:.2f}" if r["score"] is not None else "",
                _short(r["title"], 70),
                r["url"],
            )
            for a, r in zip(articles, records, strict=True)
        ]
        out.write(format_table(("published", "source", "match", "stage", "score", "title", "url"), rows))
        out.write(f"\n{len(records)} article(s)\n")


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def classify_lines(lines: Iterable[str], out: IO[str], name: str, threshold: float | None) -> int:
    """Classify JSON Lines objects with title and text; other keys pass through.

    Raises ValueError naming the file and line of the first bad record.
    """
    count = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise ValueError(f"{name}:{number}: not valid JSON ({err.msg})") from err
        if not isinstance(record, dict):
            raise ValueError(f"{name}:{number}: expected a JSON object with 'title' and 'text'")
        title, text = record.get("title", ""), record.get("text", "")
        if not isinstance(title, str) or not isinstance(text, str) or not (title or text):
            raise ValueError(f"{name}:{number}: 'title' and 'text' must be strings, one non-empty")
        verdict = classify(title, text, threshold=threshold)
        out.write(json.dumps({**record, **verdict.to_dict()}, ensure_ascii=False) + "\n")
        count += 1
    return count


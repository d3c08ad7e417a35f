"""The inbox's stories as CSV and JSON downloads (/export.csv, /export.json): one row or object
per story, the same fields the inbox shows."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

import alerts

FIELDS = ("id", "published", "stage", "score", "title", "url", "parties", "sectors", "outlets", "evidence")
# A cell a spreadsheet would run as a formula (CSV injection): shown as text instead.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def record(story: alerts.Story, story_id: int) -> dict[str, Any]:
    return {
        "id": story_id,
        "published": story.published.isoformat() if story.published else None,
        "stage": story.stage,
        "score": round(story.score, 4),
        "title": story.title,
        "url": story.url,
        "parties": list(story.parties),
        "sectors": list(story.sectors),
        "outlets": [{"source": name, "url": url} for name, url in story.outlets],
        "evidence": story.evidence,
    }


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(records: Sequence[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FIELDS)
    for row in records:
        outlets = " ".join(f"{o['source']} {o['url']}" for o in row["outlets"])
        writer.writerow([_cell(row["id"]), _cell(row["published"]), _cell(row["stage"]), _cell(row["score"]),
                         _cell(row["title"]), _cell(row["url"]), _cell("; ".join(row["parties"])),
                         _cell("; ".join(row["sectors"])), _cell(outlets), _cell(row["evidence"])])
    return out.getvalue()


def to_json(records: Sequence[dict[str, Any]]) -> str:
    text = json.dumps(records, ensure_ascii=False, indent=1)
    # Article text never reaches a browser as markup, even if the file is opened as a page.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

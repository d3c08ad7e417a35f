"""`jajak extract TARGET`: what jajak would store for one page, for debugging a source.

TARGET is an http(s) URL, fetched once with jajak's User-Agent, timeout and size limit, or a
local HTML file (``--url`` gives the address it was saved from). The page goes through the
same extract and classify functions as a crawl; split articles are not followed (their further
pages are listed in ``continuation``).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from alerts import format_iso, format_when
from classifier import classify
from crawler.extract import extract
from crawler.output import FIELDS

_HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body|article|main|div|p|h1|title)\b", re.I)


class TargetError(Exception):
    """The target cannot be had or is not an HTML page (one line for the user)."""


@dataclass(frozen=True)
class Limits:
    user_agent: str
    timeout: float
    max_bytes: int


def fetch(url: str, limits: Limits) -> bytes:
    """The body of `url` (one GET), or TargetError."""
    request = urllib.request.Request(url, headers={"User-Agent": limits.user_agent, "Accept": "text/html,*/*;q=0.5"})
    try:
        with urllib.request.urlopen(request, timeout=limits.timeout) as response:  # noqa: S310 - http(s) only
            ctype = response.headers.get("Content-Type", "")
            body: bytes = response.read(limits.max_bytes + 1)
    except urllib.error.HTTPError as err:
        raise TargetError(f"{url}: the server answered {err.code} {err.reason}") from err
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        raise TargetError(f"{url}: cannot fetch it ({reason})") from err
    if len(body) > limits.max_bytes:
        raise TargetError(f"{url}: larger than {limits.max_bytes} bytes")
    if ctype and "html" not in ctype.lower() and not _HTML_SNIFF.search(body[:4096]):
        raise TargetError(f"{url}: not an HTML page ({ctype.split(';')[0]})")
    if not _HTML_SNIFF.search(body[:4096]):
        raise TargetError(f"{url}: not an HTML page")
    return body


def read_file(path: str) -> bytes:
    file = Path(path)
    if not file.exists():
        raise TargetError(f"{path}: no such file")
    if not file.is_file():
        raise TargetError(f"{path}: not a file")
    try:
        body = file.read_bytes()
    except OSError as err:
        raise TargetError(f"{path}: cannot read it ({err.strerror})") from err
    if not _HTML_SNIFF.search(body[:4096]):
        raise TargetError(f"{path}: not an HTML page")
    return body


def load(target: str, url: str | None, limits: Limits) -> tuple[bytes, str]:
    """(HTML bytes, page address) of TARGET."""
    if re.match(r"^https?://", target, re.I):
        return fetch(target, limits), url or target
    if re.match(r"^[a-z][a-z0-9+.-]*://", target, re.I):
        raise TargetError(f"{target}: only http(s) URLs and local files")
    return read_file(target), url or Path(target).resolve().as_uri()


def page_record(html: bytes | str, url: str, timezone: str = "Asia/Jakarta",
                threshold: float | None = None) -> dict[str, Any]:
    """The page as `jajak articles --format json` shows a stored article, plus the page kind."""
    art = extract(html, url, timezone=timezone)
    verdict = classify(art.title, art.text, threshold=threshold).to_dict() if art.text.strip() else {
        "match": False, "score": 0.0, "stage": None, "cues": [], "parties": [], "sectors": []}
    values: dict[str, Any] = {
        "url": art.url, "source": None, "title": art.title, "published": art.published,
        "author": art.author, "section": art.section, "tags": list(art.tags), "lead": art.lead,
        "text": art.text, **verdict, "language": art.language, "image": art.image, "pages": 1,
        "discovered_via": None, "first_seen_at": None,
    }
    record = {name: values.get(name) for name in FIELDS}
    record.update(modified=art.modified, is_article=art.is_article, page_kind=art.page_kind,
                  continuation=list(art.continuation), body_source=art.body_source)
    return {k: format_iso(v, timezone) if isinstance(v, datetime) else v for k, v in record.items()}


def write(record: dict[str, Any], fmt: str, out: IO[str], timezone: str = "Asia/Jakarta") -> None:
    """The record as JSON (times ISO 8601 with their offset) or as text (times labelled WIB)."""
    if fmt == "json":
        out.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        return
    score = record["score"]
    published = record["published"]
    lines = [
        f"url:        {record['url']}",
        f"title:      {record['title']}",
        f"published:  {format_when(datetime.fromisoformat(published), timezone) if published else '-'}",
        f"author:     {record['author'] or '-'}",
        f"section:    {record['section'] or '-'}    tags: {', '.join(record['tags']) or '-'}",
        f"kind:       {record['page_kind']}" + ("" if record["is_article"] else " (not stored unless a feed, "
                                                  "sitemap or REST API lists it)"),
        f"body read:  {record['body_source']}",
        f"verdict:    match={'yes' if record['match'] else 'no'} score={score:.2f} stage={record['stage'] or '-'}",
        f"parties:    {', '.join(record['parties']) or '-'}",
        f"sectors:    {', '.join(record['sectors']) or '-'}",
    ]
    lines += [f"cue:        {cue}" for cue in record["cues"]]
    if record["continuation"]:
        lines.append(f"more pages: {' '.join(record['continuation'])}")
    lines.append("")
    if record["lead"]:
        lines.append(f"[{record['lead']}]")
    lines.append(record["text"] or "(no text)")
    out.write("\n".join(lines) + "\n")

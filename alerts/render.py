"""Digest stage: stories -> text for people. Jinja2 templates in alerts/templates render the
terminal text, Markdown, the HTML email and Telegram messages split between entries."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined

from alerts.stories import Story

TELEGRAM_LIMIT = 4096  # characters per Bot API message
FORMATS = ("text", "markdown", "html")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
_ZONE_NAMES = {
    "Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT",
}
# Caps keep every entry far below a Telegram message whatever the article holds.
MAX_EVIDENCE, MAX_TITLE, MAX_LIST, MAX_OUTLETS = 320, 300, 8, 8
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~])")


@dataclass(frozen=True)
class DigestInfo:
    """What the header says: the period covered and how the sources are doing."""

    period_start: datetime | None
    period_end: datetime
    sources_crawled: int
    sources_healthy: int
    sources_total: int
    kind: str = "digest"  # "digest" or "instant"
    timezone: str = "Asia/Jakarta"
    # The stories were sent before without a known outcome (a timeout after the request went
    # out, a process killed mid-send): the message says it may repeat an earlier one.
    resend: bool = False


RESEND_NOTE = "(resent: this message may repeat an earlier one)"


def format_when(
    when: datetime | None, timezone: str = "Asia/Jakarta", with_time: bool = True
) -> str:
    """13 Feb 2025 14:20 WIB (Indonesian month abbreviations, the zone's local name)."""
    if when is None:
        return "undated"
    local = when.astimezone(ZoneInfo(timezone))
    day = f"{local.day} {_MONTHS[local.month - 1]} {local.year}"
    if not with_time:
        return day
    return f"{day} {local:%H:%M} {zone_name(local, timezone)}"


def zone_name(local: datetime, timezone: str) -> str:
    """WIB, WITA or WIT for Indonesia's zones, else the zone's abbreviation (CET, UTC)."""
    return _ZONE_NAMES.get(timezone) or local.tzname() or timezone


def format_iso(when: datetime | None, timezone: str = "Asia/Jakarta") -> str | None:
    """The time for machines (JSON): ISO 8601 in the zone, with its UTC offset
    ("2025-02-13T14:20:00+07:00"); None stays None."""
    if when is None:
        return None
    return when.astimezone(ZoneInfo(timezone)).isoformat()


def md_escape(value: object) -> str:
    """Backslash-escape Markdown punctuation so article text can't become markup."""
    return _MD_SPECIAL.sub(r"\\\1", str(value))


def md_url(value: object) -> str:
    return str(value).replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def _short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


_ENV = Environment(
    loader=PackageLoader("alerts", "templates"),
    autoescape=lambda name: name is not None and name.endswith(".html"),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)
_ENV.filters["md"] = md_escape
_ENV.filters["md_url"] = md_url


LATE_DAYS = 2  # an entry published this many days or more before the digest says how long ago


def published_ago(published: datetime | None, now: datetime) -> str:
    """'terbit 30 hari lalu' for a story found late (after its source's baseline, any match
    is news, however old); empty for recent ones."""
    if published is None:
        return ""
    days = (now - published).days
    return f"terbit {days} hari lalu" if days >= LATE_DAYS else ""


def _entry(story: Story, number: int, now: datetime, outlets: int = MAX_OUTLETS) -> dict[str, Any]:
    lead = story.lead
    shown = story.outlets[:outlets]
    return {
        "number": number,
        "title": _short(story.title, MAX_TITLE),
        "url": story.url,
        "stage": story.stage or "unknown stage",
        "score": f"{story.score:.2f}",
        "when": format_when(story.published, lead.timezone),
        "age": published_ago(story.published, now),
        "outlets": [{"name": name, "url": url} for name, url in shown],
        "more_outlets": len(story.outlets) - len(shown),
        "parties": list(story.parties[:MAX_LIST]),
        "sectors": list(story.sectors[:MAX_LIST]),
        "evidence": _short(story.evidence, MAX_EVIDENCE),
        "update_of": None if story.update_of is None else {
            "title": _short(story.update_of.title, MAX_TITLE), "url": story.update_of.url,
        },
    }


def _start(stories: Sequence[Story], info: DigestInfo) -> datetime | None:
    """The period's start: the configured one, else the oldest story's publication."""
    return info.period_start or min((s.published for s in stories if s.published), default=None)


def _period(info: DigestInfo, stories: Sequence[Story] = ()) -> str:
    end = format_when(info.period_end, info.timezone)
    start = _start(stories, info)
    return f"until {end}" if start is None else f"{format_when(start, info.timezone)} – {end}"


def _header(stories: Sequence[Story], info: DigestInfo) -> dict[str, Any]:
    updates = sum(story.update_of is not None for story in stories)
    count = len(stories) - updates
    noun = "story" if count == 1 else "stories"
    said = [f"{count} new partnership {noun}"] if count or not updates else []
    if updates:
        said.append(f"{updates} update" + ("" if updates == 1 else "s"))
    headline = f"jajak {'alert' if info.kind == 'instant' else 'digest'}: {', '.join(said)}"
    return {
        "headline": headline,
        "period": _period(info, stories),
        "count": count,
        "crawled": info.sources_crawled,
        "healthy": info.sources_healthy,
        "total": info.sources_total,
        "resend": RESEND_NOTE if info.resend else "",
    }


def subject(stories: Sequence[Story], info: DigestInfo) -> str:
    """Email subject / notification title."""
    start = _start(stories, info) or info.period_end
    first, last = (format_when(day, info.timezone, False) for day in (start, info.period_end))
    days = f"{first} – {last}"
    resent = " (resent)" if info.resend else ""
    return f"{_header(stories, info)['headline']} ({days}){resent}"


def _render(template: str, stories: Sequence[Story], info: DigestInfo) -> str:
    entries = [_entry(story, n, info.period_end) for n, story in enumerate(stories, start=1)]
    return _ENV.get_template(template).render(
        header=_header(stories, info), entries=entries, subject=subject(stories, info)
    ).strip() + "\n"


def render(stories: Sequence[Story], info: DigestInfo, fmt: str = "text") -> str:
    """The whole digest as plain text, Markdown or an HTML email body."""
    templates = {"text": "digest.txt", "markdown": "digest_markdown.txt", "html": "email.html"}
    if fmt not in templates:
        raise ValueError(f"unknown digest format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return _render(templates[fmt], stories, info)


def heartbeat(info: DigestInfo) -> str:
    """The message of a run with nothing new, when a heartbeat is configured."""
    return (
        f"no new partnership talks; {info.sources_healthy}/{info.sources_total} sources healthy"
        f" ({_period(info)})"
    )


@dataclass(frozen=True)
class TelegramPart:
    """One Bot API message: Telegram HTML, and the stories whose entries it carries."""

    body: str
    story_keys: tuple[str, ...]


def render_telegram(
    stories: Sequence[Story], info: DigestInfo, limit: int = TELEGRAM_LIMIT
) -> list[TelegramPart]:
    """Telegram HTML messages, each under ``limit`` characters, split between entries only."""
    header_template = _ENV.get_template("telegram_header.html")
    entry_template = _ENV.get_template("telegram_entry.html")
    header = _header(stories, info)

    def head(part: int, parts: int) -> str:
        text = header_template.render(header=header, part=part, parts=parts, first=part == 1)
        return text.strip()

    def entry(story: Story, number: int) -> str:
        for outlets in (MAX_OUTLETS, 3, 1):  # a story with many long outlet URLs sheds some
            text = entry_template.render(entry=_entry(story, number, info.period_end, outlets)).strip()
            if len(text) <= budget:
                return text
        raise ValueError(f"story {story.key} does not fit in a Telegram message")

    # Room for the longest header any part can get ("(99/99)"), and the blank line after it.
    budget = limit - max(len(head(1, 99)), len(head(2, 99))) - 2
    groups: list[list[tuple[str, str]]] = [[]]
    used = 0
    for number, story in enumerate(stories, start=1):
        text = entry(story, number)
        if groups[-1] and used + 2 + len(text) > budget:
            groups.append([])
            used = 0
        used += (2 if groups[-1] else 0) + len(text)
        groups[-1].append((story.key, text))
    total = len(groups)
    return [
        TelegramPart(
            "\n\n".join([head(n, total), *(text for _, text in group)]),
            tuple(key for key, _ in group),
        )
        for n, group in enumerate(groups, start=1)
    ]


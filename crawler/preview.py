"""Add by URL: probe a source that is not saved yet, and show three of its articles as a crawl
would store them (the web app's Sources page; crawler.added_sources saves it afterwards)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from crawler.discovery.channels import CHANNELS
from crawler.onepage import Limits, TargetError, fetch, page_record
from crawler.probe import probe_source

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

    from crawler.sources import Source

SAMPLES = 3


@dataclass(frozen=True)
class Sample:
    """One article as it would be stored, or why it could not be read."""

    url: str
    title: str = ""
    published: str | None = None
    lead: str = ""
    error: str | None = None


@dataclass(frozen=True)
class Preview:
    """What a probe of a new source found: per channel, how many article links (None: nothing
    there); home page reachable; the first articles."""

    source: Source
    home_ok: bool
    channels: dict[str, int | None]
    samples: list[Sample] = field(default_factory=list)
    error: str | None = None

    @property
    def works(self) -> bool:
        return any(self.channels.values())


def preview(source: Source, settings: BaseSettings, timeout: float = 60.0) -> Preview:
    """Probe ``source`` in a crawl child of its own (the crawl's discovery code) against a
    throwaway sources file and database, so nothing is kept until the user saves it."""
    with tempfile.TemporaryDirectory(prefix="jajak-preview-") as tmp:
        sources_file = Path(tmp) / "sources.yaml"
        entry = {"name": source.name, "url": source.url}
        sources_file.write_text(yaml.safe_dump({"sources": [entry]}), encoding="utf-8")
        overrides = [f"JAJAK_SOURCES={sources_file}", f"JAJAK_DATABASE_URL=sqlite:///{Path(tmp) / 'probe.db'}"]
        report = probe_source(source, overrides, timeout=timeout)
    if "error" in report:
        return Preview(source, False, dict.fromkeys(CHANNELS), error=report["error"])
    channels: dict[str, int | None] = {c: (report.get(c) or {}).get("found") or None for c in CHANNELS}
    urls: list[str] = []
    for channel in CHANNELS:  # the crawl's order: the first working channel feeds it
        urls += [u for u in (report.get(channel) or {}).get("samples", []) if u not in urls]
    home = report.get("home") or {}
    return Preview(source, bool(home.get("ok")), channels, _samples(urls[:SAMPLES], settings, source.timezone),
                   error=None if home.get("ok") else (home.get("why") or "the home page did not answer"))


def _samples(urls: list[str], settings: BaseSettings, timezone: str) -> list[Sample]:
    limits = Limits(settings["USER_AGENT"], settings.getfloat("DOWNLOAD_TIMEOUT", 30),
                    settings.getint("DOWNLOAD_MAXSIZE", 10 * 1024 * 1024))
    samples = []
    for url in urls:
        try:
            record: dict[str, Any] = page_record(fetch(url, limits), url, timezone)
        except TargetError as err:
            samples.append(Sample(url, error=str(err)))
            continue
        # the record's "lead" is the dateline ("BENGKULU, HARIANKITA.ID"): the user judges the
        # extraction by the opening of the text itself
        opening = " ".join((record.get("text") or "").split()[:60])
        dateline = record.get("lead") or ""
        lead = f"{dateline} – {opening}" if dateline and opening else opening or dateline
        samples.append(Sample(url, record.get("title") or "", record.get("published"), lead))
    return samples

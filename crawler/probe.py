"""`jajak sources [--check]`: the sources, and which discovery channel of each one answers."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.children import die_with_parent
from crawler.discovery.channels import CHANNELS
from crawler.jobs import crawl_command, format_table

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scrapy.settings import Settings

    from crawler.sources import Source


def list_sources(sources: Sequence[Source]) -> str:
    rows = [
        (s.name, s.url, "yes" if s.enabled else "no", s.schedule or "default", s.timezone,
         ", ".join(k for k in ("feeds", "sitemaps", "listings") if getattr(s, k)) or "-")
        for s in sources
    ]
    return format_table(("name", "url", "enabled", "schedule", "timezone", "hints"), rows)


def probe_source(source: Source, overrides: Sequence[str] = ()) -> dict[str, Any]:
    """Run the spider in probe mode (discovery only, no article fetched) and read its report."""
    with tempfile.TemporaryDirectory(prefix="jajak-probe-") as tmp:
        report = Path(tmp) / "probe.json"
        command = crawl_command(source.name, [*overrides, "LOG_LEVEL=ERROR"], probe=report)
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600,
                              env={**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"},
                              preexec_fn=die_with_parent())  # no probe outlives `jajak sources`
        if not report.exists():
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            return {"error": f"probe failed (exit {done.returncode}): {last}"}
        return json.loads(report.read_text(encoding="utf-8"))


def _cell(report: dict[str, Any] | None) -> str:
    if not report:
        return "-"
    return f"ok ({report['found']})" if report.get("found") else "none"


def check_sources(sources: Sequence[Source], settings: Settings, overrides: Sequence[str] = ()) -> str:
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(lambda s: probe_source(s, overrides), sources))
    rows = []
    for source, report in zip(sources, reports, strict=True):
        if "error" in report:
            rows.append((source.name, "error", *("-" for _ in CHANNELS), report["error"]))
            continue
        working = [c for c in CHANNELS if (report.get(c) or {}).get("found")]
        rows.append((
            source.name,
            "ok" if report.get("home", {}).get("ok") else "down",
            *(_cell(report.get(c)) for c in CHANNELS),
            f"uses {working[0]}" if working else "nothing found",
        ))
    return format_table(("source", "home", *CHANNELS, "verdict"), rows)

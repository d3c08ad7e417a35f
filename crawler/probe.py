"""`jajak sources [--check]`: the sources, and which discovery channel of each one answers."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.children import die_with_parent
from crawler.discovery.channels import CHANNELS
from crawler.jobs.engines import crawl_command, format_table

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from scrapy.settings import Settings

    from crawler.sources import Source


def list_sources(sources: Sequence[Source]) -> str:
    origins: dict[str, str] = getattr(sources, "origins", {})
    rows = [
        (s.name, s.url, "yes" if s.enabled else "no", s.schedule or "default", s.timezone,
         ", ".join(k for k in ("feeds", "sitemaps", "listings") if getattr(s, k)) or "-",
         _ORIGIN.get(origins.get(s.name, "file"), "?"))
        for s in sources
    ]
    return format_table(("name", "url", "enabled", "schedule", "timezone", "hints", "from"), rows)


_ORIGIN = {"file": "file", "cli": "database (sources add)", "web": "database (web)"}


def probe_source(source: Source, overrides: Sequence[str] = (), timeout: float = 600.0) -> dict[str, Any]:
    """Run the spider in probe mode (discovery only, no article fetched) and read its report."""
    with tempfile.TemporaryDirectory(prefix="jajak-probe-") as tmp:
        report = Path(tmp) / "probe.json"
        command = crawl_command(source.name, [*overrides, "LOG_LEVEL=ERROR"], probe=report)
        try:
            done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=timeout,
                                  env={**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"},
                                  preexec_fn=die_with_parent())  # no probe outlives `jajak sources`
        except subprocess.TimeoutExpired:
            return {"error": f"no answer within {timeout:.0f} s"}
        if not report.exists():
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            return {"error": f"probe failed (exit {done.returncode}): {last}"}
        written: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))  # the spider writes one JSON object
        return written


def _cell(report: dict[str, Any] | None) -> str:
    if not report:
        return "-"
    return f"ok ({report['found']})" if report.get("found") else "none"


def check_sources(
    sources: Sequence[Source],
    settings: Settings,
    overrides: Sequence[str] = (),
    timeout: float = 60.0,
    progress: Callable[[str], None] | None = None,
) -> str:
    """Probe the sources, a few at a time, each within ``timeout`` seconds; ``progress`` gets
    one line per source as its probe ends; returns the table of all of them."""
    rows: dict[str, tuple[str, ...]] = {}
    with ThreadPoolExecutor(max_workers=min(4, max(len(sources), 1))) as pool:
        futures = {pool.submit(probe_source, s, overrides, timeout): s for s in sources}
        for future in as_completed(futures):
            source = futures[future]
            row = _row(source, future.result())
            rows[source.name] = row
            if progress is not None:
                progress(f"{source.name}: {row[1]}, {row[-1]}")
    return format_table(("source", "home", *CHANNELS, "verdict"), [rows[s.name] for s in sources])


def _row(source: Source, report: dict[str, Any]) -> tuple[str, ...]:
    if "error" in report:
        return (source.name, "error", *("-" for _ in CHANNELS), report["error"])
    home = report.get("home") or {}
    working = [c for c in CHANNELS if (report.get(c) or {}).get("found")]
    why = f": {home['why']}" if home.get("why") else ""
    verdict = f"uses {working[0]}" if working else f"nothing found{why}"
    return (
        source.name,
        "ok" if home.get("ok") else "down",
        *(_cell(report.get(c)) for c in CHANNELS),
        verdict,
    )

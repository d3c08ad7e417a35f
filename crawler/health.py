"""Source health (monitoring the crawl itself): is a source failing, silent, or badly extracted?

Pure judgement over the facts of a source's recent crawl runs, so a broken source never fails
silently: consecutive failed runs (site down, timeouts, robots refusals), a silence longer than
the source's own rhythm, and a collapse of extraction (many pages without text or date: the
site's layout changed). The daemon stores the verdict and alerts on changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Any

HEALTHY, FAILING, SILENT, DEGRADED = "healthy", "failing", "silent", "degraded"
# Finish reasons of a run that did its job; anything else (unreachable, timeout, crashed,
# shutdown, memusage_exceeded, ...) is a failed run.
GOOD_REASONS = {"finished"}


@dataclass(frozen=True)
class RunFacts:
    """What health needs to know of one crawl run."""

    started_at: datetime
    finished_at: datetime | None
    finish_reason: str | None
    pages: int
    new_articles: int
    errors: int
    articles_read: int = 0  # article pages extracted in the run
    empty: int = 0  # article-looking pages that gave no text
    undated: int = 0  # articles without a publication date

    @classmethod
    def from_row(cls, run: Any) -> RunFacts:
        stats = run.stats or {}
        return cls(
            started_at=run.started_at,
            finished_at=run.finished_at,
            finish_reason=run.finish_reason,
            pages=run.pages or 0,
            new_articles=run.new_articles or 0,
            errors=run.errors or 0,
            articles_read=int(stats.get("jajak/pages/article", 0) or 0),
            empty=int(stats.get("jajak/extract/empty", 0) or 0),
            undated=int(stats.get("jajak/extract/undated", 0) or 0),
        )

    @property
    def failed(self) -> bool:
        if self.finished_at is None:
            return False  # still running, or judged by the daemon as interrupted
        return self.finish_reason not in GOOD_REASONS or (self.errors > 0 and self.pages <= self.errors)


@dataclass(frozen=True)
class Health:
    state: str
    reason: str

    @property
    def healthy(self) -> bool:
        return self.state == HEALTHY


@dataclass(frozen=True)
class HealthRules:
    failed_runs: int = 3  # consecutive failed runs that make a source "failing"
    silence_factor: float = 3.0  # silent after this many times its usual gap between new articles
    min_silence: timedelta = timedelta(hours=12)  # never "silent" sooner than this
    min_history: int = 5  # runs with new articles needed before the rhythm is trusted
    collapse_share: float = 0.5  # share of empty or undated pages that means "layout changed"
    min_pages: int = 4  # pages a run must have read before its extraction is judged


def assess(runs: list[RunFacts], now: datetime, rules: HealthRules = HealthRules()) -> Health:
    """Health of a source from its runs, newest first."""
    finished = [r for r in runs if r.finished_at is not None]
    if not finished:
        return Health(HEALTHY, "no finished crawl yet")
    streak = 0
    for run in finished:
        if not run.failed:
            break
        streak += 1
    if streak >= rules.failed_runs:
        last = finished[0]
        return Health(FAILING, f"{streak} failed crawls in a row (last: {last.finish_reason}, {last.errors} errors)")
    collapse = _collapse(finished[0], rules)
    if collapse:
        return Health(DEGRADED, collapse)
    silence = _silence(finished, now, rules)
    if silence:
        return Health(SILENT, silence)
    return Health(HEALTHY, "ok")


def _collapse(run: RunFacts, rules: HealthRules) -> str | None:
    read = run.articles_read + run.empty
    if read < rules.min_pages:
        return None
    if run.empty / read >= rules.collapse_share:
        return f"{run.empty} of {read} article pages gave no text: the layout may have changed"
    if run.articles_read and run.undated / run.articles_read >= rules.collapse_share:
        return f"{run.undated} of {run.articles_read} articles had no date: the layout may have changed"
    return None


def _silence(runs: list[RunFacts], now: datetime, rules: HealthRules) -> str | None:
    productive = sorted(r.started_at for r in runs if r.new_articles > 0)
    if len(productive) < rules.min_history:
        return None
    gaps = [b - a for a, b in zip(productive, productive[1:], strict=False)]
    usual = median(gaps)  # type: ignore[type-var]  # median only sorts, adds and halves: fine for timedelta
    quiet = now - productive[-1]
    limit = max(usual * rules.silence_factor, rules.min_silence)
    if quiet > limit:
        return f"no new article for {_span(quiet)} (usually one every {_span(usual)})"
    return None


def _span(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours / 24:.1f} days" if hours >= 48 else f"{hours:.1f} h"

"""The page of one source (/sources/NAME): where it comes from, enabled or not (with the
Enable/Disable form of added sources), its health in the words of `jajak status` and why, last
and next run, precision from the judgements, articles a day, its recent runs, its newest
matches and its discovery channels. Everything is read for that one source: indexed queries,
a few rows each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse
from starlette.routing import Route

import alerts
from crawler.failures import FAILED
from crawler.storage.browse import articles_by_channel, recent_matches, stored_source
from crawler.storage.health import recent_runs
from crawler.storage.models import DISCOVERY_CHANNELS
from crawler.web import queries

if TYPE_CHECKING:
    from sqlalchemy import Row
    from starlette.requests import Request
    from starlette.responses import Response

    from crawler.sources import Source
    from crawler.web.app import WebApp

RUNS = 20  # rows of the runs table
MATCHES = 20  # newest matches listed


@dataclass(frozen=True)
class RunView:
    """One crawl run as the runs table shows it."""

    started_at: datetime
    took_s: float | None
    pages: int
    new_articles: int
    matches: int
    errors: int
    result: str  # finish reason, or "running" / "interrupted" for a run without an end
    why: str | None  # why it failed or was cut, or which fetches a finished run lost
    channel: str | None  # the discovery channel that listed its new articles


@dataclass(frozen=True)
class SourceView:
    name: str
    url: str
    origin: str  # "file", "cli" or "web"; "" for a source crawled once and listed nowhere now
    enabled: bool
    row: dict[str, Any]  # queries.source_rows' row: health, reason, last and next run, totals, chart
    runs: list[RunView]
    matches: list[Row[Any]]
    configured: dict[str, tuple[str, ...]] = field(default_factory=dict)  # feeds, sitemaps, listings
    found_by: dict[str, int] = field(default_factory=dict)  # stored articles per discovery channel
    last_channels: dict[str, int] = field(default_factory=dict)  # the last run's candidates per channel

    @property
    def added(self) -> bool:
        return self.origin not in ("", "file")


def _runs(stored: list[Any], row: dict[str, Any]) -> list[RunView]:
    from crawler.status import run_result, run_why

    views = []
    for i, run in enumerate(stored):
        # The newest run is the status row's last run: its result knows whether a live process
        # still holds the source (running) or none does (interrupted).
        result = row["result"] if i == 0 else run_result(run, locked=False)
        why = row["why"] if i == 0 else run_why(run, locked=False)
        views.append(RunView(
            started_at=run.started_at,
            took_s=(run.finished_at - run.started_at).total_seconds() if run.finished_at else None,
            pages=run.pages or 0, new_articles=run.new_articles or 0, matches=run.matches or 0,
            errors=run.errors or 0, result=result or "-", why=why or (run.stats or {}).get(FAILED),
            channel=run.channel,
        ))
    return views


class SourcePages:
    """/sources/{name}: registered after /sources/add, which it would otherwise catch."""

    def __init__(self, web: WebApp) -> None:
        self.web = web
        self.config = web.config

    def routes(self) -> list[Route]:
        return [Route("/sources/{name:path}", self.source)]  # any stored name, "/" too

    def _read(self, name: str) -> tuple[SourceView | None, str]:
        from crawler.added_sources import load_all
        from crawler.sources import Source, SourcesError
        from crawler.status import collect

        problem = ""
        source: Source | None = None
        origin = ""
        try:
            sources = load_all(self.config.sources_file, self.web.database)
            source = next((s for s in sources if s.name == name), None)
            origin = sources.origins.get(name, "") if source is not None else ""
        except SourcesError as err:
            problem = str(err)
        with self.web.sessions() as session:
            row = stored_source(session, name)
            if source is None and row is None:
                return None, problem
            if source is None:  # crawled once, no longer (or never) in the sources file
                assert row is not None
                source = Source.model_construct(name=row.name, url=row.url)
        # The status of this one source, as `jajak status` and the sources page judge it.
        status = collect(self.web.database, [source], (), self.config.timezone, log_dir=None)
        with self.web.sessions() as session:
            (view,) = queries.source_rows(status, session, only=name)
            runs, matches, found_by = [], [], {}
            if row is not None:
                runs = recent_runs(session, row.id, limit=RUNS)
                matches = recent_matches(session, row.id, limit=MATCHES)
                found_by = articles_by_channel(session, row.id)
        last = next((r for r in runs if r.finished_at is not None), None)
        stats = (last.stats or {}) if last is not None else {}
        # The candidates each channel listed in the last finished run (crawler.spiders.portal).
        last_channels = {via: stats[f"jajak/discovery/{via}"] for via in DISCOVERY_CHANNELS
                         if isinstance(stats.get(f"jajak/discovery/{via}"), int)}
        configured = {kind: tuple(getattr(source, kind, ()) or ()) for kind in ("feeds", "sitemaps", "listings")}
        return SourceView(
            name=source.name, url=source.url, origin=origin, enabled=source.enabled, row=view,
            runs=_runs(runs, view), matches=matches, configured={k: v for k, v in configured.items() if v},
            found_by=dict(sorted(found_by.items(), key=lambda kv: -kv[1])), last_channels=last_channels,
        ), problem

    async def source(self, request: Request) -> Response:
        name = request.path_params["name"]
        view, problem = await run_in_threadpool(self._read, name)
        if view is None:
            if name.endswith("/") or not name:  # /sources/ and /sources/add/: as Starlette's slash redirect
                return RedirectResponse(f"/sources/{quote(name.rstrip('/'), safe='')}".rstrip("/"))
            return self.web.page(request, "missing.html", status_code=404, what=f"source {name}")
        zone = self.config.timezone
        done = request.query_params.get("done", "")
        return self.web.page(
            request, "source.html", view=view, problem=problem,
            done=done if done in ("enabled", "disabled") else "",
            when_iso=lambda iso: alerts.format_when(datetime.fromisoformat(iso), zone) if iso else "never",
        )

"""`jajak status [--json]`: one row per source (last run, result, duration, new articles in
24 h, matches in 7 days, health), the next scheduled runs and the last digest."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import alerts
from crawler.failures import WHY, explain
from crawler.jobs import format_table
from crawler.storage import delivery_summary, last_run, open_database
from crawler.storage.health import get_health, last_digest, scheduled_jobs, source_counts, source_ids
from crawler.storage.locks import LEFT_OPEN, live_locks

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from sqlalchemy.orm import Session

    from crawler.sources import Source
    from crawler.storage import CrawlRun


def _channel(session: Session, channel: alerts.Channel) -> dict[str, Any]:
    summary = delivery_summary(session, channel.key)
    return {
        "channel": f"{channel.kind} {channel.display}",
        "sent": summary.sent,
        "last_sent": summary.last_sent_at.isoformat() if summary.last_sent_at else None,
        "sending": summary.sending,
        "waiting": summary.waiting,
        "next_retry": summary.next_retry.isoformat() if summary.next_retry else None,
        "last_error": summary.last_error,
        "given_up": len(summary.given_up),
        "given_up_attempts": sorted(set(summary.given_up)),
        "facts": summary,
    }


def _result(run: CrawlRun | None, locked: bool) -> str | None:
    if run is None:
        return None
    if run.finished_at is not None:
        return run.finish_reason
    # An open run whose source no live process holds the lock of was cut (killed): it is not
    # running, whether or not the next crawl has closed its row yet.
    return "running" if locked else "interrupted"


def _why(run: CrawlRun | None, locked: bool) -> str | None:
    if run is None or (run.finished_at is None and locked):
        return None
    if run.finished_at is None:
        return LEFT_OPEN
    return (run.stats or {}).get(WHY)


def collect(
    database_url: str, sources: Sequence[Source], channels: Sequence[alerts.Channel] = (),
    timezone: str = "Asia/Jakarta", log_dir: Path | None = None,
) -> dict[str, Any]:
    now = datetime.now(UTC)
    sessions = open_database(database_url)
    rows: list[dict[str, Any]] = []
    # Only reads (a read-only database file works): a source never crawled has no row yet.
    with sessions() as session:
        counts = source_counts(session, now - timedelta(hours=24), now - timedelta(days=7))
        ids = source_ids(session)
        locks = live_locks(session, now)
        for source in sources:
            source_id = ids.get(source.name)
            run = last_run(session, source_id) if source_id is not None else None
            health = get_health(session, source_id) if source_id is not None else None
            new_24h, matches_7d = counts.get(source.name, (0, 0))
            log = log_dir / f"crawl-{source.name}.log" if log_dir is not None else None
            rows.append({
                "source": source.name,
                "enabled": source.enabled,
                "last_run": run.started_at.isoformat() if run else None,
                "result": _result(run, source_id in locks),
                "duration_s": round((run.finished_at - run.started_at).total_seconds(), 1)
                if run and run.finished_at else None,
                "pages": run.pages if run else None,
                # Why the last run failed or was cut, and where its whole log is.
                "why": _why(run, source_id in locks),
                "log": str(log) if log is not None and log.exists() else None,
                "new_24h": new_24h,
                "matches_7d": matches_7d,
                "health": health.state if health else "unknown",
                "reason": health.reason if health else "not checked yet",
            })
        jobs = scheduled_jobs(session)
        digest = last_digest(session)
        deliveries = [_channel(session, channel) for channel in channels]
    for row in deliveries:
        summary = row.pop("facts")
        facts = alerts.ChannelFacts(sent=summary.sent, waiting=summary.waiting, next_retry=summary.next_retry,
                                    last_error=summary.last_error, given_up=summary.given_up)
        row["summary"] = alerts.describe_history(facts, summary.last_sent_at, summary.sending, now, timezone)
    return {
        "sources": rows,
        "channels": deliveries,
        "next_runs": [{"job": job_id, "at": at.isoformat() if at else None} for job_id, at in jobs],
        "last_digest": digest.isoformat() if digest else None,
        "generated_at": now.isoformat(),
    }


def _when(value: str | None) -> str:
    if not value:
        return "-"
    return datetime.fromisoformat(value).astimezone().strftime("%Y-%m-%d %H:%M")


def render(status: dict[str, Any], as_json: bool = False) -> str:
    if as_json:
        return json.dumps(status, indent=2, ensure_ascii=False)
    rows = [
        (r["source"], _when(r["last_run"]), r["result"] or "never",
         f"{r['duration_s']:.0f} s" if r["duration_s"] is not None else "-",
         str(r["new_24h"]), str(r["matches_7d"]), r["health"],
         r["reason"] if r["health"] != "healthy" else "")
        for r in status["sources"]
    ]
    lines = [format_table(("source", "last run", "result", "took", "new 24h", "matches 7d",
                           "health", "reason"), rows)]
    failed = [explain(r["source"], r["result"], r["why"], r["log"])
              for r in status["sources"] if r["result"] not in (None, "finished", "running")]
    if failed:
        lines.append("\n" + "\n".join(failed))
    if status["next_runs"]:
        lines.append("\nnext runs: " + ", ".join(
            f"{j['job']} {_when(j['at'])}" for j in status["next_runs"][:8]))
    else:
        lines.append("\nnext runs: none scheduled (is `jajak run` running?)")
    lines.append(f"last digest: {_when(status['last_digest'])}")
    if status.get("channels"):
        lines.append("channels:")
        lines += [f"  {row['channel']}: {row['summary']}" for row in status["channels"]]
    return "\n".join(lines)

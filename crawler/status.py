"""`jajak status [--json]`: whether the daemon is running (from its heartbeat), one row per
source (last run, result, duration, new articles in 24 h, matches in 7 days, health in the
digest's words: healthy, failing, silent, degraded), every next scheduled run (the digest's
too), the last digest and each channel's history; with a broker (many machines), the live
workers, the crawl queue's length and whether a scheduler holds the scheduler lock. Times in
JAJAK_TIMEZONE: labelled (WIB/WITA/WIT) in the table, ISO 8601 with their offset in the JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import alerts
from alerts.report import clock
from crawler.failures import WHY, explain
from crawler.fleet.leader import lock_held
from crawler.fleet.queue import QUEUE, QueueUnreachable, queue_length
from crawler.health import HealthRules, RunFacts, assess
from crawler.jobs.engines import format_table
from crawler.storage import Database, delivery_summary
from crawler.storage.daemon import last_heartbeat, standby_heartbeats, worker_heartbeats
from crawler.storage.health import (
    last_digest,
    recent_runs_by_source,
    scheduled_jobs,
    source_counts,
    source_ids,
)
from crawler.storage.locks import LEFT_OPEN, live_locks

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from sqlalchemy.orm import Session

    from crawler.sources import Source
    from crawler.storage import CrawlRun
    from crawler.storage.daemon import Heartbeat


def _channel(session: Session, channel: alerts.Channel) -> dict[str, Any]:
    summary = delivery_summary(session, channel.key)
    return {
        "channel": f"{channel.kind} {channel.display}",
        "sent": summary.sent,
        "last_sent": summary.last_sent_at,
        "sending": summary.sending,
        "waiting": summary.waiting,
        "next_retry": summary.next_retry,
        "last_error": summary.last_error,
        "given_up": len(summary.given_up),
        "given_up_attempts": sorted(set(summary.given_up)),
        "facts": summary,
    }


def run_result(run: CrawlRun | None, locked: bool) -> str | None:
    """How a run ended: its finish reason, "running" or "interrupted" (cut without an end)."""
    if run is None:
        return None
    if run.finished_at is not None:
        return run.finish_reason
    # An open run whose source no live process holds the lock of was cut (killed): it is not
    # running, whether or not the next crawl has closed its row yet.
    return "running" if locked else "interrupted"


def run_why(run: CrawlRun | None, locked: bool) -> str | None:
    """Why a run failed or was cut (None when it finished well or still runs)."""
    if run is None or (run.finished_at is None and locked):
        return None
    if run.finished_at is None:
        return LEFT_OPEN
    return (run.stats or {}).get(WHY)


def _daemon(beat: Heartbeat | None, now: datetime) -> dict[str, Any]:
    if beat is None:
        return {"running": False, "pid": None, "host": None, "started_at": None, "last_seen": None, "stopped": False}
    return {"running": beat.running(now), "pid": beat.pid, "host": beat.host, "started_at": beat.started_at,
            "last_seen": beat.seen_at, "stopped": beat.stopped}


def _fleet(session: Session, database_url: str, broker_url: str, heartbeat: float, now: datetime) -> dict[str, Any]:
    """The workers by their heartbeats (live ones, and those that stopped beating without a clean
    stop), the crawl queue's length from the broker, whether the scheduler lock is held, and the
    schedulers standing by for it."""
    beats = worker_heartbeats(session)
    standbys = [b for b in standby_heartbeats(session) if b.running(now)]
    queue: dict[str, Any] = {"name": QUEUE, "waiting": None, "taken": None, "error": None}
    try:
        length = queue_length(broker_url, heartbeat)
        queue.update(waiting=length.waiting, taken=length.taken)
    except QueueUnreachable as err:
        queue["error"] = str(err).splitlines()[0] if str(err) else "no answer"
    return {
        "workers": [{"pid": b.pid, "host": b.host, "started_at": b.started_at, "last_seen": b.seen_at,
                     "crawling": b.crawling} for b in beats if b.running(now)],
        "workers_lost": [{"pid": b.pid, "host": b.host, "last_seen": b.seen_at}
                         for b in beats if not b.running(now) and not b.stopped],
        "queue": queue,
        "scheduler_lock": lock_held(session) if database_url.startswith("postgresql") else None,
        "standby": [{"pid": b.pid, "host": b.host, "started_at": b.started_at, "last_seen": b.seen_at}
                    for b in standbys],
    }


def collect(
    database: str | Database, sources: Sequence[Source], channels: Sequence[alerts.Channel] = (),
    timezone: str = "Asia/Jakarta", log_dir: Path | None = None, rules: HealthRules | None = None,
    now: datetime | None = None, broker_url: str = "", broker_heartbeat: float = 60.0,
) -> dict[str, Any]:
    """The status as plain values, times as ISO 8601 strings with their offset in ``timezone``;
    with ``broker_url`` (many machines), the fleet's workers, queue and scheduler lock too.
    ``database``: its URL, or the Database the caller has open (the web app's)."""
    if isinstance(database, str):
        with Database(database) as opened:
            return collect(opened, sources, channels, timezone, log_dir, rules, now, broker_url, broker_heartbeat)
    now = now or datetime.now(UTC)
    sessions = database.sessions
    rows: list[dict[str, Any]] = []
    # Only reads (a read-only database file works): a source never crawled has no row yet.
    with sessions() as session:
        counts = source_counts(session, now - timedelta(hours=24), now - timedelta(days=7))
        ids = source_ids(session)
        locks = live_locks(session, now)
        # The runs of the sources asked about only (the web app's page of one source asks one).
        recent = recent_runs_by_source(session, only={ids[s.name] for s in sources if s.name in ids})
        for source in sources:
            source_id = ids.get(source.name)
            stored = recent.get(source_id, []) if source_id is not None else []
            run = stored[0] if stored else None  # last_run: the newest run not refused
            # Judged now from the runs, with the rules the daemon and the digest use.
            health = assess([RunFacts.from_row(r) for r in stored], now, rules or HealthRules())
            new_24h, matches_7d = counts.get(source.name, (0, 0))
            log = log_dir / f"crawl-{source.name}.log" if log_dir is not None else None
            rows.append({
                "source": source.name,
                "enabled": source.enabled,
                "last_run": run.started_at if run else None,
                "result": run_result(run, source_id in locks),
                "duration_s": round((run.finished_at - run.started_at).total_seconds(), 1)
                if run and run.finished_at else None,
                "pages": run.pages if run else None,
                # Why the last run failed or was cut, and where its whole log is.
                "why": run_why(run, source_id in locks),
                "log": str(log) if log is not None and log.exists() else None,
                "new_24h": new_24h,
                "matches_7d": matches_7d,
                "health": health.state,
                "reason": health.reason,
            })
        jobs = scheduled_jobs(session)
        digest = last_digest(session)
        beat = last_heartbeat(session)
        fleet = _fleet(session, database.url, broker_url, broker_heartbeat, now) if broker_url else None
        deliveries = [_channel(session, channel) for channel in channels]
    for row in deliveries:
        summary = row.pop("facts")
        facts = alerts.ChannelFacts(sent=summary.sent, waiting=summary.waiting, next_retry=summary.next_retry,
                                    last_error=summary.last_error, given_up=summary.given_up)
        row["summary"] = alerts.describe_history(facts, summary.last_sent_at, summary.sending, now, timezone)
    status = {
        "timezone": timezone,
        "daemon": _daemon(beat, now),
        "sources": rows,
        "channels": deliveries,
        "next_runs": [{"job": job_id, "at": at} for job_id, at in jobs],
        "last_digest": digest,
        "generated_at": now,
    }
    if fleet is not None:
        status["fleet"] = fleet
    return {key: _iso(value, timezone) for key, value in status.items()}


def _iso(value: Any, timezone: str) -> Any:
    """Every datetime in ``value`` as ISO 8601 with its offset in ``timezone``."""
    if isinstance(value, datetime):
        return alerts.format_iso(value, timezone)
    if isinstance(value, dict):
        return {key: _iso(item, timezone) for key, item in value.items()}
    if isinstance(value, list):
        return [_iso(item, timezone) for item in value]
    return value


def _when(value: str | None, timezone: str) -> str:
    """An ISO time of the status as people read it: 5 Des 2026 14:30 WIB."""
    return alerts.format_when(datetime.fromisoformat(value), timezone) if value else "-"


def _daemon_line(daemon: dict[str, Any], timezone: str, now: str) -> str:
    if daemon["last_seen"] is None:
        return "daemon: not running (no `jajak run` has recorded a heartbeat in this database)"

    def at(value: str) -> str:  # 14:30 WIB today, 4 Des 14:30 WIB another day
        return clock(datetime.fromisoformat(value), datetime.fromisoformat(now), timezone)

    who = f"pid {daemon['pid']} on host {daemon['host']}"
    if daemon["running"]:
        return f"daemon: running ({who}, since {at(daemon['started_at'])}; last heartbeat {at(daemon['last_seen'])})"
    how = "stopped" if daemon.get("stopped") else "last heartbeat"
    return f"daemon: not running ({how} {at(daemon['last_seen'])}; was {who})"


def _fleet_lines(fleet: dict[str, Any], timezone: str, now: str) -> list[str]:
    def at(value: str) -> str:
        return clock(datetime.fromisoformat(value), datetime.fromisoformat(now), timezone)

    queue = fleet["queue"]
    if queue["error"]:
        length = f"broker not reachable ({queue['error']})"
    else:
        length = f"{queue['waiting']} waiting" + (f", {queue['taken']} taken by workers" if queue["taken"] is not None
                                                  else "")
    lock = fleet["scheduler_lock"]
    held = "" if lock is None else "; scheduler lock: " + (
        "held (a scheduler schedules; any other `jajak run` stands by)" if lock
        else "free (no scheduler schedules: start `jajak run`)")
    workers = fleet["workers"]
    lost = fleet["workers_lost"]
    count = f"workers: {len(workers)} running" if workers else "workers: none running (start `jajak worker`)"
    if lost:
        count += (f"; {len(lost)} stopped sending heartbeats without stopping (killed or cut off), "
                  f"last at {at(max(w['last_seen'] for w in lost))}")
    lines = [f"queue {queue['name']}: {length}{held}", count]
    for worker in workers:
        crawling = worker["crawling"]
        busy = "" if crawling is None else "idle, " if crawling == 0 else \
            f"{crawling} crawl{'s' if crawling > 1 else ''} running, "
        lines.append(f"  pid {worker['pid']} on host {worker['host']}: {busy}since {at(worker['started_at'])}; "
                     f"last heartbeat {at(worker['last_seen'])}")
    standbys = fleet.get("standby") or []
    if standbys:
        lines.append(f"standby schedulers: {len(standbys)} (each takes over when the lock is free)")
    for standby in standbys:
        lines.append(f"  pid {standby['pid']} on host {standby['host']}: standing by since "
                     f"{at(standby['started_at'])}; last heartbeat {at(standby['last_seen'])}")
    return lines


def render(status: dict[str, Any], as_json: bool = False) -> str:
    if as_json:
        return json.dumps(status, indent=2, ensure_ascii=False)
    zone = status.get("timezone", "Asia/Jakarta")
    rows = [
        (r["source"], _when(r["last_run"], zone), r["result"] or "never",
         f"{r['duration_s']:.0f} s" if r["duration_s"] is not None else "-",
         str(r["new_24h"]), str(r["matches_7d"]), r["health"],
         r["reason"] if r["health"] != "healthy" else "")
        for r in status["sources"]
    ]
    lines = [_daemon_line(status["daemon"], zone, status["generated_at"])]
    if status.get("fleet") is not None:
        lines += _fleet_lines(status["fleet"], zone, status["generated_at"])
    lines.append("")
    lines.append(format_table(("source", "last run", "result", "took", "new 24h", "matches 7d",
                               "health", "reason"), rows))
    failed = [explain(r["source"], r["result"], r["why"], r["log"])
              for r in status["sources"] if r["result"] not in (None, "finished", "running")]
    if failed:
        lines.append("\n" + "\n".join(failed))
    if status["next_runs"]:
        heading = "next runs:" if status["daemon"]["running"] else \
            "next runs (as scheduled when the daemon last ran; start it with `jajak run`):"
        width = max(len(j["job"]) for j in status["next_runs"])
        lines.append("\n" + heading)
        lines += [f"  {j['job']:<{width}}  {_when(j['at'], zone) if j['at'] else 'paused'}"
                  for j in status["next_runs"]]
    else:
        lines.append("\nnext runs: none scheduled (start the daemon: `jajak run`)")
    lines.append(f"last digest: {_when(status['last_digest'], zone)}")
    if status.get("channels"):
        lines.append("channels:")
        lines += [f"  {row['channel']}: {row['summary']}" for row in status["channels"]]
    return "\n".join(lines)

"""The health job (watching the watcher): judge each source's health from its recent runs
(crawler.health), store the verdict in source_health and announce each change of state once;
close the runs a process that died left unfinished; tell the channels when the daemon stops.

Announcements go to the Apprise channels tagged ``health``, or to all channels when none is.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import alerts
from crawler.added_sources import load_all
from crawler.digest import load_channels
from crawler.failures import WHY
from crawler.health import HEALTHY, Health, HealthRules, RunFacts, assess
from crawler.storage import Database, ensure_source
from crawler.storage.health import mark_notified, recent_runs, set_health
from crawler.storage.locks import LEFT_OPEN, close_runs

if TYPE_CHECKING:
    from collections.abc import Sequence

    from crawler.config import Config

logger = logging.getLogger(__name__)


def health_rules(config: Config) -> HealthRules:
    """The health rules the settings ask for (JAJAK_HEALTH_*)."""
    return HealthRules(
        failed_runs=config.health_failed_runs,
        silence_factor=config.health_silence_factor,
        min_silence=timedelta(seconds=config.health_min_silence),
    )


def run_health(config: Config, names: Sequence[str] | None = None) -> dict[str, Health]:
    """Judge the enabled sources' health (only ``names`` when given), store it, and announce
    changes (once per incident)."""
    rules = health_rules(config)
    now = datetime.now(UTC)
    with Database(config.database_url) as database:
        sources = [s for s in load_all(config.sources_file, database) if s.enabled]
        if names is not None:
            sources = [s for s in sources if s.name in names]
        sessions = database.sessions
        verdicts: dict[str, Health] = {}
        changes: list[tuple[int, str, Health, str]] = []
        with sessions.begin() as session:
            for source in sources:
                source_id = ensure_source(session, source.name, source.url).id
                runs = [RunFacts.from_row(r) for r in recent_runs(session, source_id)]
                health = verdicts[source.name] = assess(runs, now, rules)
                row = set_health(session, source_id, health.state, health.reason)
                if row.notified_state != health.state:
                    changes.append((source_id, source.name, health, row.notified_state))
        for source_id, name, health, before in changes:
            if _announce(config, name, health, before):
                with sessions.begin() as session:
                    mark_notified(session, source_id, health.state)
        return verdicts


def _announce(config: Config, name: str, health: Health, before: str) -> bool:
    """Send one health message; True when every channel took it (or there is none)."""
    channels = load_channels(config)
    if health.state == HEALTHY:
        title = f"jajak: {name} has recovered"
        body = f"Source {name} is healthy again (it was {before})."
    else:
        title = f"jajak: {name} is {health.state}"
        body = f"Source {name} is {health.state}: {health.reason}."
    logger.warning("%s", body)
    targets = alerts.select(channels, "health") or channels
    message = alerts.Message(title, body, "text")
    return all(outcome.ok for channel in targets for outcome in alerts.send(channel, [message]))


def close_interrupted_runs(config: Config) -> int:
    """Runs whose process is gone without an end (SIGKILL, power loss) are closed as
    "interrupted", so status and health do not wait for them forever: every unfinished run of a
    source that no live process holds the crawl lock of (crawler.storage.locks)."""
    with Database(config.database_url) as database, database.begin() as session:
        closed = close_runs(session, None, {WHY: LEFT_OPEN})
    if closed:
        logger.info("%d crawl run(s) left unfinished by a stopped process were closed", closed)
    return closed


def announce_stop(config: Config, reason: str) -> bool:
    """One message to the health channels (all channels when none is tagged) when the daemon
    stops because of its database; sent directly, as there is no database to record it in."""
    channels = load_channels(config)
    targets = alerts.select(channels, "health") or channels
    message = alerts.Message("jajak stopped", f"The jajak daemon stopped: {reason}.", "text")
    try:
        return all(outcome.ok for channel in targets for outcome in alerts.send(channel, [message]))
    except Exception:  # the stop goes on whatever a channel does
        logger.exception("could not announce the stop")
        return False

"""The daemon's schedule (`jajak run`): which jobs APScheduler keeps, and when they fire.

One job per enabled source (its cron ``schedule``, or the default interval with jitter, overdue
sources staggered soon after start) runs the crawl (crawler.jobs.crawl) in the daemon's crawl
engine, which the crawl jobs' executor owns and hands to each job; one job sends the digest
(crawler.jobs.digest); an in-memory job picks up sources added, enabled or disabled since. Jobs
live in the jajak database (SQLAlchemyJobStore), so `jajak status` and the web app read the
next runs from its table; every job has a stable id, max_instances=1, coalesce and a misfire
grace time. Starting, stopping and leading the scheduler is crawler.daemon's.
"""

from __future__ import annotations

import copy
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_SCHEDULER_STARTED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from crawler.added_sources import load_all
from crawler.config import Config, cron_trigger
from crawler.jobs.crawl import crawl_scheduled
from crawler.jobs.digest import scheduled_digest
from crawler.jobs.service import EngineService
from crawler.sources import SourcesError
from crawler.startup import project_settings, start
from crawler.storage import Database, ensure_source, last_run

if TYPE_CHECKING:
    from collections.abc import Sequence

    from apscheduler.job import Job
    from apscheduler.schedulers.base import BaseScheduler
    from scrapy.settings import BaseSettings

    from crawler.sources import Source

logger = logging.getLogger(__name__)

JOB_TABLE = "apscheduler_jobs"
DIGEST_JOB = "digest"
REFRESH_JOB = "refresh-sources"
SOURCES_REFRESH = 60  # seconds between two looks for added, enabled or disabled sources
CRAWL_PREFIX = "crawl:"
STAGGER = 5.0  # seconds between the first crawls of overdue sources after start


def crawl_job_id(name: str) -> str:
    return f"{CRAWL_PREFIX}{name}"


def _config() -> Config:
    # Jobs read the configuration afresh: a stored job carries only a source's name.
    return start(project_settings())


def crawl_job(name: str, engine: EngineService | None = None) -> None:
    """One crawl of one source, then its health check and instant alerts (crawler.jobs.crawl):
    in ``engine``, the daemon's crawl engine, which CrawlExecutor hands it; without one (a job
    run outside the daemon), in a crawl engine of its own.

    Runs in a scheduler thread; reads the configuration afresh, so the job only carries the
    source's name (jobs are stored in the database between restarts).
    """
    crawl_scheduled(_config(), name, engine)


class CrawlExecutor(ThreadPoolExecutor):  # type: ignore[misc]  # APScheduler 3 ships without type hints
    """The executor of the crawl jobs (at most ``max_workers`` at once): it owns the daemon's
    crawl engine and hands it to every job it runs as ``engine=``.

    Why the executor: the crawl jobs live in the database's job store (`jajak status` and the
    web app read their next runs from its table), and APScheduler stores a job as its function's
    import path and its arguments, pickled: an engine (a child process, threads, locks) cannot be
    stored, so a stored crawl job carries only its source's name, and the engine comes from the
    object that runs it. Kept in memory instead, the jobs would vanish from `jajak status`.
    """

    def __init__(self, max_workers: int, engine: EngineService | None = None) -> None:
        super().__init__(max_workers)
        self.engine = engine

    def _do_submit_job(self, job: Job, run_times: list[datetime]) -> None:
        if self.engine is not None:
            job = _with_engine(job, self.engine)
        super()._do_submit_job(job, run_times)


def _with_engine(job: Job, engine: EngineService) -> Job:
    """A copy of the job that passes ``engine=``; the scheduler keeps storing the job itself,
    which must stay picklable."""
    given = copy.copy(job)  # through Job's own __getstate__/__setstate__
    given._scheduler = job._scheduler  # noqa: SLF001 - not part of a Job's state
    given._jobstore_alias = job._jobstore_alias  # noqa: SLF001
    given.kwargs = {**job.kwargs, "engine": engine}
    return given


def digest_job() -> None:
    """The scheduled digest (crawler.jobs.digest)."""
    scheduled_digest(_config())


def _crawl_trigger(source: Source, config: Config) -> CronTrigger | IntervalTrigger:
    if source.schedule:
        return cron_trigger(source.schedule, source.timezone)
    return IntervalTrigger(
        seconds=config.crawl_interval,
        jitter=config.crawl_jitter or None,
        timezone=source.timezone,
    )


def _overdue(config: Config, sources: Sequence[Source]) -> dict[str, int]:
    """Sources without a cron schedule whose last crawl is older than the interval (or that
    were never crawled), numbered for staggering."""
    interval = timedelta(seconds=config.crawl_interval)
    now = datetime.now(UTC)
    overdue: dict[str, int] = {}
    with Database(config.database_url) as database, database.begin() as session:
        for source in sources:
            if not source.enabled or source.schedule:
                continue
            run = last_run(session, ensure_source(session, source.name, source.url).id)
            if run is None or now - run.started_at >= interval:
                overdue[source.name] = len(overdue)
    return overdue


def build_scheduler(settings: BaseSettings, sources: Sequence[Source],
                    engine: EngineService | None = None) -> BlockingScheduler:
    """The scheduler with one crawl job per enabled source and the digest job; jobs of
    sources that were removed or disabled are dropped from the store when it starts. The crawls
    run in ``engine`` (the daemon's), else each in a crawl engine of its own."""
    config = Config.of(settings)
    grace = config.misfire_grace
    scheduler = BlockingScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=config.database_url, tablename=JOB_TABLE),
                   "memory": MemoryJobStore()},
        executors={
            "default": ThreadPoolExecutor(2),
            # At most this many crawl children at once, whatever the schedules say.
            "crawls": CrawlExecutor(config.max_parallel_crawls, engine),
        },
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": grace},
        timezone=config.timezone,
    )
    once = _once(config)
    wanted = set()
    overdue = _overdue(config, sources)
    step = min(STAGGER, config.crawl_interval / max(len(overdue), 1))
    for source in sources:
        if not source.enabled:
            continue
        wanted.add(crawl_job_id(source.name))
        # Never crawled, or not for longer than its interval: crawl soon after start
        # (staggered) instead of one interval from now; within one interval however many.
        soon = step * overdue[source.name] if source.name in overdue else None
        _add_crawl_job(scheduler, source, config, soon)
    scheduler.add_job(
        "crawler.schedule:digest_job",
        cron_trigger(config.digest_cron, config.timezone),
        id=DIGEST_JOB, name="digest", replace_existing=True, **once,
    )

    def prune(_event: Any) -> None:
        # Runs inside start(), once the store is open: forget sources no longer in the file.
        for job in scheduler.get_jobs():
            if job.id.startswith(CRAWL_PREFIX) and job.id not in wanted:
                logger.info("removing the schedule of %s (no longer an enabled source)", job.id)
                job.remove()

    scheduler.add_listener(prune, EVENT_SCHEDULER_STARTED)
    scheduler.add_listener(_job_failed, EVENT_JOB_ERROR)
    # Sources added or switched on or off (web app, `jajak sources add`) reach the schedule
    # without a restart; in memory, as the scheduler itself cannot be stored.
    scheduler.add_job(refresh_sources, IntervalTrigger(seconds=SOURCES_REFRESH), args=[scheduler, settings],
                      id=REFRESH_JOB, name="refresh sources", jobstore="memory", **once)
    return scheduler


def _once(config: Config) -> dict[str, Any]:
    # Explicit on every job (not only scheduler defaults), so the stored jobs say it too.
    return {"max_instances": 1, "coalesce": True, "misfire_grace_time": config.misfire_grace}


def _add_crawl_job(scheduler: BaseScheduler, source: Source, config: Config, soon: float | None) -> None:
    extra = {} if soon is None else {"next_run_time": datetime.now(UTC) + timedelta(seconds=soon)}
    scheduler.add_job(
        "crawler.schedule:crawl_job", _crawl_trigger(source, config), args=[source.name],
        id=crawl_job_id(source.name), name=f"crawl {source.name}", executor="crawls",
        replace_existing=True, **_once(config), **extra,
    )


def refresh_sources(scheduler: BaseScheduler, settings: BaseSettings) -> tuple[list[str], list[str]]:
    """Schedule the enabled sources that have no crawl job yet (a new one is crawled soon) and
    drop the jobs of sources removed or disabled; returns the names added and dropped."""
    config = Config.of(settings)
    try:
        sources = [s for s in load_all(config.sources_file, config.database_url) if s.enabled]
    except SourcesError as err:  # a file being edited: keep the schedule as it is
        logger.warning("sources not refreshed: %s", err)
        return [], []
    jobs = {job.id for job in scheduler.get_jobs() if job.id.startswith(CRAWL_PREFIX)}
    added = [s for s in sources if crawl_job_id(s.name) not in jobs]
    for source in added:
        _add_crawl_job(scheduler, source, config, soon=5)
        logger.info("scheduled %s (a source added or enabled)", source.name)
    dropped = sorted(jobs - {crawl_job_id(s.name) for s in sources})
    for job_id in dropped:
        scheduler.remove_job(job_id)
        logger.info("removing the schedule of %s (no longer an enabled source)", job_id)
    return [s.name for s in added], [j.removeprefix(CRAWL_PREFIX) for j in dropped]


def _job_failed(event: JobExecutionEvent) -> None:
    # A job's exception is logged here and never stops the scheduler.
    logger.error("job %s failed: %s", event.job_id, event.exception, exc_info=event.exception)

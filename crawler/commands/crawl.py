"""`scrapy crawl` that checks jajak's configuration, the database and the sources file before
Scrapy starts (before its first log line), so that a bad setting, an unusable database, a bad
file or an unknown source is one line on stderr and exit code 2 instead of a traceback.

A crawl of a source holds that source's lock (crawler.storage.locks) from before Scrapy starts
until it has ended: a second crawl of the same source, from any process on any machine sharing
the database, ends at once with one line, exit code 1 and a run recorded as "already_running".
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader

from alerts import format_when
from crawler.added_sources import load_all
from crawler.config import ConfigError, boolean, setting_pairs
from crawler.failures import WHY
from crawler.sources import SourcesError, get_source
from crawler.startup import start
from crawler.storage import Database, ensure_source
from crawler.storage.locks import LEFT_OPEN, SourceBusy, hold_source, record_refused, this_host

if TYPE_CHECKING:
    import argparse

    from crawler.config import Config
    from crawler.sources import Source

EXIT_REFUSED = 1


class Command(ScrapyCrawl):
    source: Source | None = None
    config: Config | None = None

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        try:
            super().process_options(args, opts)
            assert self.settings is not None
            # Every -s NAME=VALUE is a setting Scrapy or jajak knows, with a value of its type.
            setting_pairs("-s", opts.set or [])
            self.config = start(self.settings, database="write")
            boolean("-a full", opts.spargs.get("full", "0"))  # 1 or 0 (true/false), else one line
            if args:
                self.source = self._check_source(args[0], opts.spargs.get("source"), self.config)
            if opts.spargs.get("probe"):
                self.source = None  # a probe only tries the channels: it stores nothing, locks nothing
        except (ConfigError, SourcesError, UsageError) as err:
            # One line and exit 2, as `jajak` does; Scrapy's own UsageError adds a usage block.
            print(f"scrapy crawl: error: {err}", file=sys.stderr)
            raise SystemExit(2) from err

    def _check_source(self, spider: str, source: str | None, config: Config) -> Source | None:
        assert self.settings is not None
        try:
            spider_class = get_spider_loader(self.settings).load(spider)
        except KeyError:
            return None  # Scrapy itself says "Spider not found"
        if not hasattr(spider_class, "source_name"):
            return None
        name = source or spider_class.source_name
        if not name:
            raise UsageError(f"spider {spider!r} needs a source: -a source=NAME")
        return get_source(load_all(config.sources_file, config.database_url), name)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if self.source is None or self.config is None:
            super().run(args, opts)
            return
        source = self.source
        with Database(self.config.database_url) as database:
            sessions = database.sessions
            with sessions.begin() as session:
                source_id = ensure_source(session, source.name, source.url).id
            try:
                # Holding the lock: a run of this source still open belongs to a process that died.
                lock, closed = hold_source(sessions, source_id, {WHY: LEFT_OPEN})
            except SourceBusy as busy:
                holder = busy.holder
                why = holder.describe(format_when(holder.acquired_at, self.config.timezone))
                record_refused(sessions, source_id, os.getpid(), {WHY: why})
                print(f"scrapy crawl: {source.name}: not crawled: {why}", file=sys.stderr)
                self.exitcode = EXIT_REFUSED
                return
            if closed:
                print(f"{source.name}: {closed} earlier run(s) left open by a stopped crawl closed as "
                      "interrupted", file=sys.stderr)
            try:
                super().run(args, opts)
            finally:
                lock.release()
            if lock.lost:
                print(f"{source.name}: the lock of this crawl was taken over by another process "
                      f"(pid {os.getpid()} on host {this_host()} did not renew it in time)", file=sys.stderr)

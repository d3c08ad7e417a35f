"""`scrapy crawl` that checks jajak's configuration, the database and the sources file before
Scrapy starts (before its first log line), so that a bad setting, an unusable database, a bad
file or an unknown source is one line on stderr and exit code 2 instead of a traceback."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError
from scrapy.spiderloader import get_spider_loader

from crawler.config import ConfigError, setting_pairs
from crawler.sources import SourcesError, get_source, load_sources
from crawler.startup import start

if TYPE_CHECKING:
    import argparse


class Command(ScrapyCrawl):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        try:
            super().process_options(args, opts)
            assert self.settings is not None
            # Every -s NAME=VALUE is a setting Scrapy or jajak knows, with a value of its type.
            setting_pairs("-s", opts.set or [])
            config = start(self.settings, database="write")
            if args:
                self._check_source(args[0], opts.spargs.get("source"), config.sources_file)
        except (ConfigError, SourcesError, UsageError) as err:
            # One line and exit 2, as `jajak` does; Scrapy's own UsageError adds a usage block.
            print(f"scrapy crawl: error: {err}", file=sys.stderr)
            raise SystemExit(2) from err

    def _check_source(self, spider: str, source: str | None, sources_file: str) -> None:
        assert self.settings is not None
        try:
            spider_class = get_spider_loader(self.settings).load(spider)
        except KeyError:
            return  # Scrapy itself says "Spider not found"
        if not hasattr(spider_class, "source_name"):
            return
        name = source or spider_class.source_name
        if not name:
            raise UsageError(f"spider {spider!r} needs a source: -a source=NAME")
        get_source(load_sources(sources_file), name)

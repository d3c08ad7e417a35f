"""`scrapy crawl` that checks the sources file before starting, so that a bad file or an
unknown source is one clear line and exit code 2 instead of a traceback."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from crawler.sources import SourcesError, get_source, load_sources

if TYPE_CHECKING:
    import argparse


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args and self.crawler_process is not None and self.settings is not None:
            spider_class = self.crawler_process.spider_loader.load(args[0])
            default = getattr(spider_class, "source_name", None)
            name = opts.spargs.get("source", default)
            if hasattr(spider_class, "source_name"):
                if not name:
                    raise UsageError(f"spider {args[0]!r} needs a source: -a source=NAME")
                try:
                    get_source(load_sources(self.settings["JAJAK_SOURCES"]), name)
                except SourcesError as err:
                    raise UsageError(str(err), print_help=False) from err
        super().run(args, opts)

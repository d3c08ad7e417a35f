"""`jajak`: the command line (how things are started). Exit codes: 0 ok (a site that is merely
down is ok), 1 a crawl crashed, 2 bad configuration or bad input."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scrapy.settings import Settings

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2


class ConfigError(Exception):
    """Bad configuration or input: printed as one line, exit code 2."""


def project_settings() -> Settings:
    # Settings come from crawler.settings wherever jajak is started from.
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.utils.project import get_project_settings

    return get_project_settings()


def _load_sources(settings: Settings, names: Sequence[str] = ()) -> list:
    from crawler.sources import SourcesError, get_source, load_sources

    try:
        sources = load_sources(settings["JAJAK_SOURCES"])
        if names:
            return [get_source(sources, name) for name in names]
    except SourcesError as err:
        raise ConfigError(str(err)) from err
    return [s for s in sources if s.enabled]


def cmd_crawl(args: argparse.Namespace) -> int:
    from crawler.jobs import run_crawls, summary_table
    from crawler.storage import open_database

    settings = project_settings()
    sources = _load_sources(settings, args.names)
    if not sources:
        raise ConfigError(f"{settings['JAJAK_SOURCES']}: no enabled source")
    from crawler.pipelines import read_threshold

    try:  # checked here, once, rather than as a crash in every crawl child
        read_threshold(settings.get("JAJAK_CLASSIFIER_THRESHOLD"))
    except ValueError as err:
        raise ConfigError(str(err)) from err
    # Instant alerts' channels are checked before crawling: a bad URL fails fast.
    instant = _digest_config(settings) if settings.get("JAJAK_INSTANT_THRESHOLD") else None
    open_database(settings["JAJAK_DATABASE_URL"])  # migrate once, before the children start
    started = _now()
    overrides = list(args.set or [])
    if args.max_pages:
        overrides.append(f"JAJAK_MAX_PAGES={args.max_pages}")
    print(f"Crawling {len(sources)} source(s), {args.parallel} at a time ...", file=sys.stderr)
    results = run_crawls(
        sources,
        database_url=settings["JAJAK_DATABASE_URL"],
        log_dir=Path(settings["JAJAK_HOME"]) / "var" / "logs",
        overrides=overrides,
        parallel=args.parallel,
        echo=not args.quiet,
        timeout=args.timeout,
    )
    print(summary_table(results))
    if instant is not None:  # instant alerts for what this crawl found
        from crawler.digest import send_instant

        for report in send_instant(instant, found_since=started):
            print(f"instant alert: {report.line()}", file=sys.stderr)
    if any(r.exit_code != 0 for r in results):
        return EXIT_FAILED
    if any(r.finish_reason == "browser_missing" for r in results):
        # The others crawled; the missing browser is a matter of installation (configuration).
        return EXIT_CONFIG
    return EXIT_OK


def _now():  # noqa: ANN202 - an aware UTC datetime
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _digest_config(settings: Settings):  # noqa: ANN202 - crawler.digest.DigestConfig
    from crawler.digest import DigestConfig

    try:
        return DigestConfig.from_settings(settings)
    except ValueError as err:  # alerts.ChannelError included: the URL in it is masked
        raise ConfigError(str(err)) from err


def cmd_digest(args: argparse.Namespace) -> int:
    from crawler.digest import run_digest

    settings = project_settings()
    config = _digest_config(settings)
    since = _parse_since(args.since) if args.since else None
    if not config.channels and not args.dry_run:
        print("no channel configured (JAJAK_NOTIFY, JAJAK_APPRISE_CONFIG): printing the digest, "
              "nothing is marked as sent", file=sys.stderr)
    try:
        reports = run_digest(config, tag=args.tag, since=since, fmt=args.format,
                             dry_run=args.dry_run, out=sys.stdout)
    except ValueError as err:
        raise ConfigError(str(err)) from err
    for report in reports:
        print(report.line(), file=sys.stderr)
    return EXIT_FAILED if any(r.failed for r in reports) else EXIT_OK


def cmd_notify(args: argparse.Namespace) -> int:
    import alerts
    from crawler.digest import load_channels

    if not args.test:
        raise ConfigError("say what to send: --test (a short test message to each channel)")
    settings = project_settings()
    try:
        channels = alerts.select(load_channels(settings), args.tag)
    except ValueError as err:
        raise ConfigError(str(err)) from err
    if not channels:
        where = f"with the tag {args.tag!r}" if args.tag else "(JAJAK_NOTIFY, JAJAK_APPRISE_CONFIG)"
        raise ConfigError(f"no channel configured {where}")
    failed = 0
    for channel in channels:
        (outcome,) = alerts.send(channel, [alerts.TEST_MESSAGE])
        state = "sent" if outcome.ok else f"FAILED: {outcome.error}"
        if outcome.uncertain:
            state += " (the request went out: it may still arrive)"
        print(f"{channel.kind} {channel.display}: {state}")
        failed += not outcome.ok
    return EXIT_FAILED if failed else EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from crawler import daemon
    from crawler.logs import setup_logging

    settings = project_settings()
    setup_logging(args.log_level or settings.get("LOG_LEVEL", "INFO"), args.log_file)
    try:
        sources = daemon.preflight(settings)
    except ValueError as err:
        raise ConfigError(str(err)) from err
    return daemon.run(settings, sources)


def cmd_status(args: argparse.Namespace) -> int:
    from crawler.digest import load_channels
    from crawler.status import collect, render

    settings = project_settings()
    sources = _all_sources(settings)
    try:
        channels = load_channels(settings)
    except ValueError as err:  # the channels' state is only part of the status
        print(f"jajak status: channels not shown: {err}", file=sys.stderr)
        channels = []
    zone = settings.get("JAJAK_TIMEZONE") or "Asia/Jakarta"
    status = collect(settings["JAJAK_DATABASE_URL"], sources, channels, zone)
    print(render(status, as_json=args.json))
    return EXIT_OK


def cmd_articles(args: argparse.Namespace) -> int:
    from crawler.output import write_articles
    from crawler.storage import list_articles, open_database

    settings = project_settings()
    since = _parse_since(args.since) if args.since else None
    sessions = open_database(settings["JAJAK_DATABASE_URL"])
    with sessions() as session:
        articles = list_articles(
            session, matches_only=args.matches, source=args.source, since=since, limit=args.limit
        )
        write_articles(articles, args.format, sys.stdout)
    return EXIT_OK


def _parse_since(value: str):  # noqa: ANN202 - returns an aware datetime
    from datetime import UTC, datetime, timedelta

    import dateparser

    if value.endswith(("d", "h")) and value[:-1].isdigit():
        unit = "days" if value.endswith("d") else "hours"
        return datetime.now(UTC) - timedelta(**{unit: int(value[:-1])})
    parsed = dateparser.parse(value, settings={"RETURN_AS_TIMEZONE_AWARE": True, "TIMEZONE": "Asia/Jakarta"})
    if parsed is None:
        raise ConfigError(f"--since: cannot read {value!r} as a date (try 2025-02-06, 7d or 12h)")
    return parsed


def cmd_extract(args: argparse.Namespace) -> int:
    from crawler.onepage import Limits, TargetError, load, page_record, write

    settings = project_settings()
    limits = Limits(settings["USER_AGENT"], settings.getfloat("DOWNLOAD_TIMEOUT", 30),
                    settings.getint("DOWNLOAD_MAXSIZE", 10 * 1024 * 1024))
    raw = settings.get("JAJAK_CLASSIFIER_THRESHOLD")
    try:
        threshold = float(raw) if raw not in (None, "") else None
    except ValueError as err:
        raise ConfigError(f"JAJAK_CLASSIFIER_THRESHOLD: not a number: {raw!r}") from err
    try:
        html, url = load(args.target, args.url, limits)
    except TargetError as err:
        raise ConfigError(str(err)) from err
    write(page_record(html, url, args.timezone, threshold), args.format, sys.stdout)
    return EXIT_OK


def cmd_classify(args: argparse.Namespace) -> int:
    from crawler.output import classify_lines
    from crawler.pipelines import read_threshold

    threshold = args.threshold
    try:
        if threshold is None:  # the same setting `jajak crawl` classifies with
            threshold = read_threshold(project_settings().get("JAJAK_CLASSIFIER_THRESHOLD"))
        if args.file in (None, "-"):
            classify_lines(sys.stdin, sys.stdout, "<stdin>", threshold)
        else:
            with open(args.file, encoding="utf-8") as stream:
                classify_lines(stream, sys.stdout, args.file, threshold)
    except (OSError, ValueError) as err:
        raise ConfigError(str(err)) from err
    return EXIT_OK


def cmd_sources(args: argparse.Namespace) -> int:
    from crawler.probe import check_sources, list_sources

    settings = project_settings()
    sources = _load_sources(settings, args.names)
    if args.check:
        print(check_sources(sources, settings))
    else:
        print(list_sources(sources if args.names else _all_sources(settings)))
    return EXIT_OK


def _all_sources(settings: Settings) -> list:
    from crawler.sources import SourcesError, load_sources

    try:
        return load_sources(settings["JAJAK_SOURCES"])
    except SourcesError as err:
        raise ConfigError(str(err)) from err


def cmd_db(args: argparse.Namespace) -> int:
    from crawler.storage import current_revision, make_engine, upgrade

    settings = project_settings()
    engine = make_engine(settings["JAJAK_DATABASE_URL"])
    upgrade(engine)
    print(f"database {engine.url.render_as_string(hide_password=True)} at revision {current_revision(engine)}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from crawler.demo.run import run_demo

    return run_demo(keep=args.keep)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jajak",
        description="Monitor Indonesian regional news for partnership talks (kerja sama, MoU, sister city).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    crawl = sub.add_parser("crawl", help="crawl sources once, each in its own process, and print a summary")
    crawl.add_argument("names", nargs="*", metavar="NAME", help="sources to crawl (default: every enabled source)")
    crawl.add_argument("--parallel", type=int, default=2, help="crawls at the same time (default 2)")
    crawl.add_argument("--max-pages", type=int, help="at most this many article pages per source")
    crawl.add_argument("--timeout", type=float, help="seconds after which a crawl is stopped")
    crawl.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="a Scrapy setting for the crawls")
    crawl.add_argument("-q", "--quiet", action="store_true", help="no progress lines, only the summary")
    crawl.set_defaults(func=cmd_crawl)

    run = sub.add_parser("run", help="the daemon: scheduled crawls, digests and health alerts (what `make run` starts)")
    run.add_argument("--log-file", help="also log to this file (rotated at 10 MB, 5 kept)")
    run.add_argument("--log-level", help="DEBUG, INFO (default), WARNING, ERROR")
    run.set_defaults(func=cmd_run)

    status = sub.add_parser("status", help="per source: last run, result, new articles, matches, health; next runs")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.set_defaults(func=cmd_status)

    articles = sub.add_parser("articles", help="list stored articles")
    articles.add_argument("--matches", action="store_true", help="only partnership matches")
    articles.add_argument("--source", help="only this source")
    articles.add_argument("--since", help="published (or first seen) since DATE: 2025-02-06, 7d, 12h")
    articles.add_argument("--limit", type=int, help="at most N articles, newest first")
    articles.add_argument("--format", choices=("table", "json", "csv"), default="table",
                          help="table (default), json (JSON Lines) or csv")
    articles.set_defaults(func=cmd_articles)

    digest = sub.add_parser(
        "digest", help="send new matches as one digest per channel (Telegram, email, any Apprise URL)"
    )
    digest.add_argument("--dry-run", action="store_true", help="render what would be sent; send and mark nothing")
    digest.add_argument("--tag", help="only channels of JAJAK_APPRISE_CONFIG with this tag")
    digest.add_argument("--since",
                        help="matches published since DATE (2025-02-06, 7d, 12h); default: those stored within "
                             "JAJAK_DIGEST_MAX_AGE, minus a source's backfilled baseline")
    digest.add_argument("--format", choices=("text", "markdown", "html"),
                        help="terminal output format (default text; with --dry-run, instead of each channel's own)")
    digest.set_defaults(func=cmd_digest)

    notify = sub.add_parser("notify", help="check the alert channels: --test sends each a short test message")
    notify.add_argument("--test", action="store_true",
                        help="send a test message to each channel; print sent or why not; exit 1 if one failed")
    notify.add_argument("--tag", help="only channels of JAJAK_APPRISE_CONFIG with this tag")
    notify.set_defaults(func=cmd_notify)

    extract = sub.add_parser("extract", help="what jajak would store for one page (URL or local HTML file)")
    extract.add_argument("target", metavar="TARGET", help="an http(s) URL (fetched once) or a local HTML file")
    extract.add_argument("--url", help="the address a local file was saved from (for links, canonical, dates)")
    extract.add_argument("--format", choices=("json", "text"), default="text", help="text (default) or json")
    extract.add_argument("--timezone", default="Asia/Jakarta",
                         help="zone for dates without one: WIB/WITA/WIT or an IANA name (default Asia/Jakarta)")
    extract.set_defaults(func=cmd_extract)

    classify = sub.add_parser("classify", help="classify JSON Lines ({title, text}) from FILE or stdin")
    classify.add_argument("file", nargs="?", metavar="FILE|-", help="JSON Lines file; - or nothing for stdin")
    classify.add_argument("--threshold", type=float,
                          help="score needed for a match (default: JAJAK_CLASSIFIER_THRESHOLD, else the model's)")
    classify.set_defaults(func=cmd_classify)

    sources = sub.add_parser("sources", help="list sources; --check probes which discovery channel works")
    sources.add_argument("names", nargs="*", metavar="NAME", help="only these sources")
    sources.add_argument("--check", action="store_true", help="probe home page, feed, sitemap, REST API, listings")
    sources.set_defaults(func=cmd_sources)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_sub.add_parser("upgrade", help="apply pending migrations (every command does this first)")
    upgrade.set_defaults(func=cmd_db)

    demo = sub.add_parser("demo", help="crawl a bundled sample portal offline and show the matches")
    demo.add_argument("--keep", action="store_true", help="keep the temporary database and print its path")
    demo.set_defaults(func=cmd_demo)

    from crawler.cli_model import register as register_model

    register_model(sub)  # train, eval, label (the classifier's model and its feedback)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as err:
        print(f"jajak {args.command}: error: {err}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

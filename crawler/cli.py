"""`jajak`: the command line (how things are started). Exit codes: 0 ok (a site that is merely
down is ok), 1 a crawl crashed, 2 bad configuration or bad input."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

import dateparser
from sqlalchemy import make_url

import alerts
from crawler import daemon
from crawler.added_sources import AddSourceError, add, load_all, set_enabled
from crawler.cli_args import OneLineParser, checked
from crawler.cli_model import register as register_model
from crawler.config import Config, ConfigError, log_level, number, score, timezone, whole_number
from crawler.demo.run import run_demo
from crawler.digest import load_channels
from crawler.fleet.worker import serve as serve_worker
from crawler.jobs.crawl import run_crawl
from crawler.jobs.digest import run_digest, send_instant_alerts
from crawler.jobs.engines import summary_table
from crawler.jobs.health import close_interrupted_runs, health_rules
from crawler.logs import setup_logging
from crawler.probe import check_sources, list_sources
from crawler.sources import SourcesError, get_source
from crawler.startup import apply_pairs, check_log_file, project_settings, start
from crawler.status import collect, render
from crawler.storage import Database, current_revision, list_articles, make_engine
from crawler.storage.health import source_ids
from crawler.storage.identity import DatabaseGone
from crawler.storage.urls import mask_database_url

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from scrapy.settings import BaseSettings, Settings

    from crawler.sources import Source

EXIT_OK, EXIT_FAILED, EXIT_CONFIG = 0, 1, 2

__all__ = ["ConfigError", "build_parser", "main", "project_settings"]


def _load_sources(config: Config, names: Sequence[str] = ()) -> list[Source]:
    try:
        sources = load_all(config.sources_file, config.database_url)
        if names:
            return [get_source(sources, name) for name in names]
    except SourcesError as err:
        raise ConfigError(str(err)) from err
    return [s for s in sources if s.enabled]


def cmd_crawl(args: argparse.Namespace, settings: BaseSettings) -> int:
    config = Config.of(settings)
    sources = _load_sources(config, list(dict.fromkeys(args.names)))  # a name given twice: one crawl
    if not sources:
        raise ConfigError(f"{config.sources_file}: no enabled source")
    if closed := close_interrupted_runs(config):  # left open by a crawl that was killed
        print(f"{closed} run(s) left open by a stopped crawl closed as interrupted", file=sys.stderr)
    if config.instant_threshold is not None:
        _channels(config)  # instant alerts' channels are checked before crawling: a bad URL fails fast
    started = datetime.now(UTC)
    overrides = list(args.set or [])  # checked at start (startup.apply_pairs)
    if args.max_pages:
        overrides.append(f"JAJAK_MAX_PAGES={args.max_pages}")
    parallel = args.parallel or config.crawl_concurrency
    print(f"Crawling {len(sources)} source(s), {min(parallel, len(sources))} at a time ...", file=sys.stderr)
    results = run_crawl(config, sources, overrides=overrides, parallel=parallel, echo=not args.quiet,
                        timeout=args.timeout, full=args.full)
    print(summary_table(results))
    # instant alerts for what this crawl found (none without JAJAK_INSTANT_THRESHOLD)
    for report in send_instant_alerts(config, found_since=started):
        print(f"instant alert: {report.line()}", file=sys.stderr)
    if any(r.exit_code != 0 for r in results):
        return EXIT_FAILED
    if any(r.finish_reason == "browser_missing" for r in results):
        # The others crawled; the missing browser is a matter of installation (configuration).
        return EXIT_CONFIG
    return EXIT_OK


def _channels(config: Config) -> list[alerts.Channel]:
    try:
        return load_channels(config)
    except ValueError as err:  # alerts.ChannelError included: the URL in it is masked
        raise ConfigError(str(err)) from err


def cmd_digest(args: argparse.Namespace, settings: BaseSettings) -> int:
    config = Config.of(settings)
    channels = _channels(config)
    since = _parse_since(args.since, config.timezone) if args.since else None
    if not channels and not args.dry_run:
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


def cmd_notify(args: argparse.Namespace, settings: BaseSettings) -> int:
    if not args.test:
        raise ConfigError("say what to send: --test (a short test message to each channel)")
    channels = alerts.select(_channels(Config.of(settings)), args.tag)
    if not channels:
        where = f"with the tag {args.tag!r}" if args.tag else "(JAJAK_NOTIFY, JAJAK_APPRISE_CONFIG)"
        raise ConfigError(f"no channel configured {where}")
    failed = 0
    for channel in channels:
        outcome = alerts.send_test(channel)
        state = "sent" if outcome.ok else f"FAILED: {outcome.error}"
        if outcome.uncertain:
            state += " (the request went out: it may still arrive)"
        print(f"{channel.kind} {channel.display}: {state}")
        failed += not outcome.ok
    return EXIT_FAILED if failed else EXIT_OK


def cmd_run(args: argparse.Namespace, settings: BaseSettings) -> int:
    config = Config.of(settings)
    if not args.web and (args.host or args.port):
        raise ConfigError("--host and --port are for --web (jajak run --web --host H --port P)")
    host, port = args.host or "127.0.0.1", args.port or 8470
    if args.web:  # before anything starts: one line, exit 2
        # The web app (Starlette, Jinja, its templates) only for --web: ~0.7 s more for every command.
        from crawler.web import check_bind

        check_bind(host, config.web_password)
    password = make_url(config.database_url).password
    # Made once, from the configuration, for every log line of this process: the database
    # password and the channels' credentials (urllib3's DEBUG lines show a Telegram bot's token).
    secrets = alerts.SecretFilter([str(password)] if password else [])
    secrets.add(alerts.url_secrets(config.notify, config.apprise_config))
    setup_logging(config.log_level, args.log_file, secrets=secrets, timezone=config.timezone)
    try:
        sources = daemon.preflight(settings)
    except ValueError as err:
        raise ConfigError(str(err)) from err
    stop_web = None
    if args.web:
        from crawler.web.serve import serve_in_thread  # the web app: only for --web (above)

        stop_web = serve_in_thread(config, host, port)
        print(f"jajak web: http://{host}:{port}/", file=sys.stderr)
    try:
        return daemon.run(settings, sources)
    except DatabaseGone as err:
        print(f"jajak run: stopped: {err}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        if stop_web is not None:
            stop_web()


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    if not Config.of(settings).broker_url:
        raise ConfigError("JAJAK_BROKER_URL is not set: a worker takes its crawls from the fleet's broker")
    return serve_worker(settings)


def cmd_status(args: argparse.Namespace, settings: BaseSettings) -> int:
    config = Config.of(settings)
    sources = _all_sources(config)
    try:
        channels = load_channels(config)
    except ValueError as err:  # the channels' state is only part of the status
        print(f"jajak status: channels not shown: {err}", file=sys.stderr)
        channels = []
    status = collect(config.database_url, sources, channels, config.timezone, log_dir=config.log_dir,
                     rules=health_rules(config), broker_url=config.broker_url,
                     broker_heartbeat=config.broker_heartbeat)
    print(render(status, as_json=args.json))
    return EXIT_OK


def cmd_articles(args: argparse.Namespace, settings: BaseSettings) -> int:
    # The classifier's model loads with crawler.output: only for the commands that print with it.
    from crawler.output import write_articles

    config = Config.of(settings)
    since = _parse_since(args.since, config.timezone) if args.since else None
    with Database(config.database_url) as database, database.sessions() as session:
        if args.source:
            _check_source_name(config, args.source, stored=source_ids(session))
        articles = list_articles(
            session, matches_only=args.matches, source=args.source, since=since, limit=args.limit
        )
        write_articles(articles, args.format, sys.stdout, config.timezone)
    return EXIT_OK


def _check_source_name(config: Config, name: str, stored: Collection[str] = ()) -> None:
    """A --source NAME must name a source of the sources file (or one whose articles are still
    stored after it left the file): otherwise one line naming it, as `jajak crawl NAME` says."""
    if name not in stored:
        _load_sources(config, [name])


def _parse_since(value: str, zone: str = "Asia/Jakarta") -> datetime:
    """An aware datetime from --since: 7d, 12h or a date (in ``zone`` when it names none)."""
    if value.endswith(("d", "h")) and value[:-1].isdigit():
        unit = "days" if value.endswith("d") else "hours"
        return datetime.now(UTC) - timedelta(**{unit: int(value[:-1])})
    parsed: datetime | None = dateparser.parse(value, settings={"RETURN_AS_TIMEZONE_AWARE": True, "TIMEZONE": zone})
    if parsed is None:
        raise ConfigError(f"--since: cannot read {value!r} as a date (try 2025-02-06, 7d or 12h)")
    return parsed


def cmd_extract(args: argparse.Namespace, settings: BaseSettings) -> int:
    # Extraction (trafilatura) and the classifier's model: only for this command.
    from crawler.onepage import Limits, TargetError, load, page_record, write

    limits = Limits(settings["USER_AGENT"], settings.getfloat("DOWNLOAD_TIMEOUT", 30),
                    settings.getint("DOWNLOAD_MAXSIZE", 10 * 1024 * 1024))
    try:
        html, url = load(args.target, args.url, limits)
    except TargetError as err:
        raise ConfigError(str(err)) from err
    config = Config.of(settings)
    zone = args.timezone or config.timezone  # checked by argparse (the JAJAK_TIMEZONE rules)
    write(page_record(html, url, zone, config.classifier_threshold), args.format, sys.stdout, zone)
    return EXIT_OK


def cmd_classify(args: argparse.Namespace, settings: BaseSettings) -> int:
    from crawler.output import classify_lines  # the classifier's model: see cmd_articles

    # --threshold, else the setting `jajak crawl` classifies with.
    threshold = args.threshold if args.threshold is not None else Config.of(settings).classifier_threshold
    try:
        if args.file in (None, "-"):
            classify_lines(sys.stdin, sys.stdout, "<stdin>", threshold)
        else:
            with open(args.file, encoding="utf-8") as stream:
                classify_lines(stream, sys.stdout, args.file, threshold)
    except (OSError, ValueError) as err:
        raise ConfigError(str(err)) from err
    return EXIT_OK


def cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    config = Config.of(settings)
    action = args.names[0] if args.names and args.names[0] in SOURCE_ACTIONS else None
    if action is not None or args.name is not None:
        return _change_sources(config, action, args.names[1:], args.name)
    sources = _load_sources(config, args.names)
    if args.check:
        # each result as it comes (a slow or dead site does not hold up the others), then a table
        print(check_sources(sources, settings, timeout=args.timeout,
                            progress=lambda line: print(line, file=sys.stderr, flush=True)))
    else:
        print(list_sources(sources if args.names else _all_sources(config)))
    return EXIT_OK


# `jajak sources add URL [--name N]`, `jajak sources enable|disable NAME`: the first word is an
# action, not a source name (a source cannot be called so: the listing could not name it).
SOURCE_ACTIONS = ("add", "enable", "disable")


def _change_sources(config: Config, action: str | None, values: Sequence[str], name: str | None) -> int:
    if action != "add" and name is not None:
        raise ConfigError("--name is only for `jajak sources add URL --name NAME`")
    if len(values) != 1:
        raise ConfigError(f"`jajak sources {action}` takes one {'URL' if action == 'add' else 'NAME'}")
    try:
        if action == "add":
            source = add(config.sources_file, config.database_url, values[0], name, origin="cli")
            print(f"added {source.name}: {source.url} (kept in the database; `jajak sources --check "
                  f"{source.name}` probes it)")
        else:
            set_enabled(config.database_url, values[0], action == "enable")
            print(f"{values[0]}: {action}d")
    except AddSourceError as err:
        raise ConfigError(str(err)) from err
    return EXIT_OK


def _all_sources(config: Config) -> list[Source]:
    try:
        return load_all(config.sources_file, config.database_url)
    except SourcesError as err:
        raise ConfigError(str(err)) from err


def cmd_db(args: argparse.Namespace, settings: BaseSettings) -> int:
    # start() has upgraded the database already (every command that opens it does).
    engine = make_engine(Config.of(settings).database_url)
    try:
        print(f"database {mask_database_url(engine.url)} at revision {current_revision(engine)}")
    finally:
        engine.dispose()
    return EXIT_OK


def cmd_web(args: argparse.Namespace, settings: BaseSettings) -> int:
    # The web app and its server (Starlette, Jinja, uvicorn) only for `jajak web`: ~0.7 s more for
    # every other command.
    import uvicorn

    from crawler.web import check_bind, create_app

    config = Config.of(settings)
    check_bind(args.host, config.web_password)  # before the database is touched: one line, exit 2
    app = create_app(config, host=args.host)
    print(f"jajak web: http://{args.host}:{args.port}/ (Ctrl-C stops it)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", server_header=False)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, settings: BaseSettings) -> int:
    return run_demo(keep=args.keep)


def _version() -> str:
    try:
        return version("jajak")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="jajak",
        description="Monitor Indonesian regional news for partnership talks (kerja sama, MoU, sister city).",
    )
    parser.add_argument("--version", action="version", version=f"jajak {_version()}")
    # Not required: a bare `jajak` prints the help (main), not a one-line error.
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    crawl = sub.add_parser("crawl", help="crawl sources once, all in one crawl engine process, and print a summary")
    crawl.add_argument("names", nargs="*", metavar="NAME", help="sources to crawl (default: every enabled source)")
    crawl.add_argument("--parallel", type=checked(whole_number, minimum=1),
                       help="crawls at the same time (default: JAJAK_CRAWL_CONCURRENCY, 8)")
    crawl.add_argument("--max-pages", type=checked(whole_number, minimum=1),
                       help="at most this many article pages per source")
    crawl.add_argument("--timeout", type=checked(number, strict=True), help="seconds after which a crawl is stopped")
    crawl.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="a Scrapy setting for the crawls")
    crawl.add_argument("-q", "--quiet", action="store_true", help="no progress lines, only the summary")
    crawl.add_argument("--full", action="store_true",
                       help="re-walk each source completely: every channel to its end, every listed article "
                            "fetched again (stored ones are not stored twice)")
    crawl.set_defaults(func=cmd_crawl, uses_database="write")

    run = sub.add_parser("run", help="the daemon: scheduled crawls, digests and health alerts (what `make run` starts)")
    run.add_argument("--log-file", help="also log to this file (rotated at 10 MB, 5 kept)")
    run.add_argument("--log-level", type=checked(log_level),
                     help="DEBUG, INFO (default: JAJAK_LOG_LEVEL), WARNING, ERROR")
    run.add_argument("--web", action="store_true", help="also serve the web app (as `jajak web`) from the daemon")
    run.add_argument("--host", help="with --web: address (default 127.0.0.1; any other needs JAJAK_WEB_PASSWORD)")
    run.add_argument("--port", type=checked(whole_number, minimum=1), help="with --web: port (default 8470)")
    run.set_defaults(func=cmd_run, uses_database="write")

    worker = sub.add_parser("worker", help="many machines: crawl the sources the scheduler queues on "
                                           "JAJAK_BROKER_URL, JAJAK_CRAWL_CONCURRENCY at once, until stopped")
    worker.set_defaults(func=cmd_worker, uses_database="write")

    status = sub.add_parser("status", help="per source: last run, result, new articles, matches, health; next runs")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.set_defaults(func=cmd_status, uses_database="read")  # only reads: works on a read-only file

    articles = sub.add_parser("articles", help="list stored articles")
    articles.add_argument("--matches", action="store_true", help="only partnership matches")
    articles.add_argument("--source", help="only this source")
    articles.add_argument("--since", help="published (or first seen) since DATE: 2025-02-06, 7d, 12h")
    articles.add_argument("--limit", type=checked(whole_number, minimum=1), help="at most N articles, newest first")
    articles.add_argument("--format", choices=("table", "json", "csv"), default="table",
                          help="table (default), json (JSON Lines) or csv")
    articles.set_defaults(func=cmd_articles, uses_database="read")

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
    digest.set_defaults(func=cmd_digest, uses_database="write")

    notify = sub.add_parser("notify", help="check the alert channels: --test sends each a short test message")
    notify.add_argument("--test", action="store_true",
                        help="send a test message to each channel; print sent or why not; exit 1 if one failed")
    notify.add_argument("--tag", help="only channels of JAJAK_APPRISE_CONFIG with this tag")
    notify.set_defaults(func=cmd_notify)

    extract = sub.add_parser("extract", help="what jajak would store for one page (URL or local HTML file)")
    extract.add_argument("target", metavar="TARGET", help="an http(s) URL (fetched once) or a local HTML file")
    extract.add_argument("--url", help="the address a local file was saved from (for links, canonical, dates)")
    extract.add_argument("--format", choices=("json", "text"), default="text", help="text (default) or json")
    extract.add_argument("--timezone", type=checked(timezone),
                         help="zone for dates without one and of the times shown: WIB/WITA/WIT or an IANA "
                              "name (default JAJAK_TIMEZONE)")
    extract.set_defaults(func=cmd_extract)

    classify = sub.add_parser("classify", help="classify JSON Lines ({title, text}) from FILE or stdin")
    classify.add_argument("file", nargs="?", metavar="FILE|-", help="JSON Lines file; - or nothing for stdin")
    classify.add_argument("--threshold", type=checked(score),
                          help="score needed for a match (default: JAJAK_CLASSIFIER_THRESHOLD, else the model's)")
    classify.set_defaults(func=cmd_classify)

    sources = sub.add_parser(
        "sources",
        usage="jajak sources [NAME ...] [--check] [--timeout S]\n       jajak sources add URL [--name N]\n"
              "       jajak sources enable|disable NAME",
        help="list sources (file and added); --check probes which discovery channel works; add URL, "
             "enable NAME, disable NAME",
    )
    sources.add_argument("names", nargs="*", metavar="NAME",
                         help="only these sources; or: add URL, enable NAME, disable NAME")
    sources.add_argument("--name", help="with add: the new source's name (default: made from the URL's host)")
    sources.add_argument("--check", action="store_true", help="probe home page, feed, sitemap, REST API, listings")
    sources.add_argument("--timeout", type=checked(number, strict=True), default=60.0,
                         help="seconds each source's probe may take (default 60)")
    sources.set_defaults(func=cmd_sources, uses_database="write")  # added sources live there

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = db_sub.add_parser("upgrade", help="apply pending migrations (every command does this first)")
    upgrade.set_defaults(func=cmd_db, uses_database="write")

    web = sub.add_parser("web", help="the web app: inbox of matched stories, story pages with judgements, "
                                     "sources' health, deliveries")
    web.add_argument("--host", default="127.0.0.1",
                     help="address to listen on (default 127.0.0.1; any other needs JAJAK_WEB_PASSWORD)")
    web.add_argument("--port", type=checked(whole_number, minimum=1), default=8470, help="port (default 8470)")
    web.set_defaults(func=cmd_web, uses_database="write")  # judgements are written

    demo = sub.add_parser("demo", help="crawl a bundled sample portal offline and show the matches")
    demo.add_argument("--keep", action="store_true", help="keep the temporary database and print its path")
    demo.set_defaults(func=cmd_demo)

    register_model(sub)  # train, eval, label (the classifier's model and its feedback)
    return parser


def _apply_options(args: argparse.Namespace, settings: BaseSettings) -> None:
    """Command-line values that are settings, set at command-line priority (checked by start)."""
    if args.command == "crawl":
        apply_pairs(settings, "-s", args.set or [])
        if args.max_pages:
            settings.set("JAJAK_MAX_PAGES", args.max_pages, priority="cmdline")
    if args.command == "run":
        if args.log_level:
            settings.set("LOG_LEVEL", args.log_level, priority="cmdline")
        if args.log_file:
            check_log_file(args.log_file)
    if getattr(args, "database", None):  # train, eval, label --database URL
        settings.set("JAJAK_DATABASE_URL", args.database, priority="cmdline")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # a bad option value: one line and exit 2 (OneLineParser)
    if args.command is None:  # a bare `jajak`: what it can do, on stdout; exit 2 as argparse would
        parser.print_help()
        return EXIT_CONFIG
    try:
        settings = project_settings()
        _apply_options(args, settings)
        use = getattr(args, "uses_database", None)
        start(settings, database=use(args) if callable(use) else use,
              database_option="--database" if getattr(args, "database", None) else "JAJAK_DATABASE_URL")
        return int(args.func(args, settings))
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

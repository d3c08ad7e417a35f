"""`jajak train`, `jajak eval` and `jajak label`: the classifier's training and feedback loop.

Glue between the CLI, the store (judgements) and classifier/training; `register()` adds the
three subcommands to crawler.cli's parser. The classifier's model and training code are imported
by the commands that use them, so the other `jajak` commands do not load them (~0.2 s).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.cli_args import checked, existing_dir, existing_file
from crawler.config import Config, ConfigError, database, score, whole_number
from crawler.storage import Database
from crawler.storage.judgements import add_judgement, judgements_for_training, precision_by_source

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

STAGES = ("exploring", "negotiating", "signed", "renewed")


def _stored_judgements(url: str) -> list[dict[str, Any]]:
    with Database(url) as database, database.sessions() as session:
        return judgements_for_training(session)


def cmd_train(args: argparse.Namespace, settings: BaseSettings) -> int:
    """Rebuild classifier/weights.json from both corpora's train.jsonl (+ stored judgements)."""
    # the classifier's training code: only for this command (module docstring)
    from classifier.model import VERSION_FILE, WEIGHTS, reset
    from classifier.training.corpus import build_all, training_records
    from classifier.training.evaluate import format_report
    from classifier.training.fit import cross_validate, fit, save

    weights, version_file = WEIGHTS, VERSION_FILE
    if args.output:  # somewhere else than the packaged model (trials, tests); checked at start
        out = Path(args.output)
        weights, version_file = out / WEIGHTS.name, out / VERSION_FILE.name
    if args.rebuild_split:
        for name, counts in build_all().items():
            print(f"{name} split rebuilt: {counts['train']} train, {counts['test']} test articles")
    records = _read_records(args.data, "--data") if args.data else training_records()
    judged: list[dict[str, Any]] = []
    if not args.no_judgements:
        judged = _stored_judgements(Config.of(settings).database_url)
    records += judged
    print(f"training on {len(records)} articles ({len(judged)} from stored judgements)")
    if args.cv:
        print(format_report(cross_validate(records), "cross-validation on the training data"))
    version = save(fit(records), weights, version_file)
    reset()
    print(f"wrote {weights} ({weights.stat().st_size // 1024} KiB), model version {version}")
    return 0


def cmd_eval(args: argparse.Namespace, settings: BaseSettings) -> int:
    """Print quality figures on both test splits (or --data), or precision per source."""
    if args.judgements:
        return _eval_judgements(Config.of(settings).database_url)
    # the classifier's model and evaluation: only for this command (module docstring)
    from classifier import MODEL_VERSION
    from classifier.hybrid import judge
    from classifier.model import VERSION_FILE, WEIGHTS, load, model
    from classifier.rules import classify_rules
    from classifier.training.corpus import REAL_ORDINARY, REAL_TEST, TEST
    from classifier.training.evaluate import evaluate, format_false_alarms, format_report

    if args.rules:
        fn, name = classify_rules, "rule layer only"
    else:
        if args.model:
            folder = Path(args.model)
            try:
                m = load(folder / WEIGHTS.name, folder / VERSION_FILE.name)
            except (OSError, ValueError, KeyError) as err:
                raise ConfigError(f"--model {folder}: no usable classifier weights ({err})") from err
            name = f"model in {folder}"
        else:
            m, name = model(), f"model {MODEL_VERSION}"

        def fn(title: str, text: str, threshold: float | None = None) -> Any:
            return judge(m, title, text, threshold)

    if args.data:
        sets = [(f"{Path(args.data).name}, {name}", _read_records(args.data, "--data"))]
    else:
        sets = [
            (f"real-news test split, {name}", _read_records(str(REAL_TEST), "real-news test split")),
            (f"written test split, {name}", _read_records(str(TEST), "written test split")),
        ]
    for k, (title, records) in enumerate(sets):
        report = evaluate(records, lambda t, x: fn(t, x, threshold=args.threshold))
        print(("\n" if k else "") + format_report(report, title, worst=args.worst))
    if not args.data:
        ordinary = _read_records(str(REAL_ORDINARY), "ordinary news")
        print("\n" + format_false_alarms(
            ordinary, lambda t, x: fn(t, x, threshold=args.threshold), f"ordinary news, {name}", worst=args.worst
        ))
    return 0


def _read_records(path: str, what: str) -> list[dict[str, Any]]:
    """Labelled JSON Lines, or one clear line naming the file when it cannot be read."""
    from classifier.training.corpus import read_jsonl  # only for train and eval (module docstring)

    try:
        return read_jsonl(Path(path))
    except OSError as err:
        raise ConfigError(f"{what} {path}: {err.strerror or err}") from err
    except ValueError as err:
        raise ConfigError(f"{what} {path}: not JSON Lines ({err})") from err


def _eval_judgements(url: str) -> int:
    with Database(url) as database, database.sessions() as session:
        rows = precision_by_source(session)
    if not rows:
        print("no judgements stored yet: add some with `jajak label URL --yes|--no`")
        return 0
    print(
        f"{'source':<24} {'judged':>6} {'flagged':>7} {'right':>5} {'precision':>9} "
        f"{'missed':>6}"
    )
    for r in rows:
        p = "-" if r.precision is None else f"{r.precision:.3f}"
        print(f"{r.source:<24} {r.judged:6d} {r.flagged:7d} {r.right:5d} {p:>9} {r.missed:6d}")
    return 0


def cmd_label(args: argparse.Namespace, settings: BaseSettings) -> int:
    """Store a human judgement of one stored article."""
    try:
        with Database(Config.of(settings).database_url) as database, database.begin() as session:
            row = add_judgement(session, args.url, args.label, args.stage)
            what = f"yes ({row.stage})" if row.label and row.stage else "yes" if row.label else "no"
            print(f"judged {row.url}: {what}", file=sys.stdout)
    except (LookupError, ValueError) as err:
        raise ConfigError(str(err)) from err
    return 0


def register(sub: Any) -> None:
    """Add train, eval and label to the `jajak` subparsers."""
    train = sub.add_parser(
        "train", help="rebuild the classifier's trained weights from the corpus and judgements"
    )
    train.add_argument("--data", type=existing_file, help="training JSON Lines (default: train.jsonl of both corpora, "
                       "classifier/data/real/ and classifier/data/)")
    train.add_argument(
        "--rebuild-split", action="store_true",
        help="first re-merge classifier/data/parts into train.jsonl and test.jsonl",
    )
    train.add_argument("--no-judgements", action="store_true", help="ignore stored judgements")
    train.add_argument("--cv", action="store_true", help="also print a 5-fold cross-validation")
    train.add_argument("--database", type=checked(database), help="database URL (default JAJAK_DATABASE_URL)")
    train.add_argument("--output", metavar="DIR", type=existing_dir,
                       help="write weights here instead of into the classifier package")
    # Stored judgements are read from the database unless --no-judgements.
    train.set_defaults(func=cmd_train, uses_database=lambda args: None if args.no_judgements else "read")

    ev = sub.add_parser(
        "eval", help="precision, recall, F1, stage accuracy and worst errors on the test split"
    )
    ev.add_argument("--data", type=existing_file, help="labelled JSON Lines (default: the real-news and the written "
                    "test splits, reported separately)")
    ev.add_argument("--model", metavar="DIR", type=existing_dir,
                    help="score the weights `jajak train --output DIR` wrote (default: the packaged model)")
    ev.add_argument("--judgements", action="store_true",
                    help="instead: precision per source from stored human judgements")
    ev.add_argument("--rules", action="store_true", help="score the rule layer alone")
    ev.add_argument("--threshold", type=checked(score), help="score needed for a match (default: model's)")
    ev.add_argument("--worst", type=checked(whole_number), default=5, help="errors to show of each kind (default 5)")
    ev.add_argument("--database", type=checked(database), help="database URL (default JAJAK_DATABASE_URL)")
    ev.set_defaults(func=cmd_eval, uses_database=lambda args: "read" if args.judgements else None)

    label = sub.add_parser("label", help="store a human judgement of a stored article (feedback)")
    label.add_argument("url", metavar="URL", help="the article's URL as stored")
    verdict = label.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--yes", dest="label", action="store_const", const=True,
                         help="it reports partnership talks")
    verdict.add_argument("--no", dest="label", action="store_const", const=False,
                         help="it does not")
    label.add_argument("--stage", choices=STAGES, help="the stage, with --yes")
    label.add_argument("--database", type=checked(database), help="database URL (default JAJAK_DATABASE_URL)")
    label.set_defaults(func=cmd_label, uses_database="write")

"""The jobs: crawler.jobs sits below the CLI and the daemon (it never imports them), an import
inside a function says why in a comment, and the jobs read the validated Config."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy.settings import Settings

from crawler.config import Config
from crawler.digest import DigestConfig
from crawler.jobs.digest import send_instant_alerts
from crawler.jobs.health import health_rules

CRAWLER = Path(__file__).resolve().parent.parent / "crawler"
JOBS = sorted((CRAWLER / "jobs").glob("*.py"))
CALLERS = ("crawler.cli", "crawler.cli_model", "crawler.daemon", "crawler.schedule")


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    """The modules an import statement names (``from crawler import daemon``: crawler.daemon)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def _imports(path: Path) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement of a module, and whether it is inside a function."""
    found: list[tuple[ast.Import | ast.ImportFrom, bool]] = []

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append((child, in_function))
            walk(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    walk(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


@pytest.mark.parametrize("path", JOBS, ids=lambda p: p.name)
def test_the_jobs_never_import_the_cli_or_the_daemon(path):
    wrong = [
        f"{path.name}:{node.lineno} imports {name}"
        for node, _ in _imports(path)
        for name in _imported(node)
        if name in CALLERS or name.startswith(tuple(f"{c}." for c in CALLERS))
    ]
    assert not wrong


def test_the_jobs_package_is_there():
    assert {p.stem for p in JOBS} >= {"crawl", "digest", "health"}


@pytest.mark.parametrize("path", [CRAWLER / "cli.py", CRAWLER / "cli_model.py", CRAWLER / "daemon.py",
                                  CRAWLER / "schedule.py", *JOBS],
                         ids=lambda p: p.name)
def test_an_import_inside_a_function_says_why(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    silent = []
    for node, in_function in _imports(path):
        if not in_function:
            continue
        # the import's own line, or the comments and imports right above it (one reason per block)
        start = node.lineno - 1
        while start > 0 and (lines[start - 1].strip() or "#").startswith(("from ", "import ", "#")):
            start -= 1
        if not any("#" in line for line in lines[start:node.end_lineno]):
            silent.append(f"{path.name}:{node.lineno}")
    assert not silent


def test_the_daemon_and_the_cli_do_not_import_each_other_in_a_circle():
    daemon = {name for node, _ in _imports(CRAWLER / "daemon.py") for name in _imported(node)}
    cli_model = {name for node, _ in _imports(CRAWLER / "cli_model.py") for name in _imported(node)}
    assert not {"crawler.cli", "crawler.cli_model"} & daemon
    assert not {"crawler.cli", "crawler.daemon"} & cli_model


# --- the jobs take the validated Config -----------------------------------------------------------


def _config(**values: object) -> Config:
    settings = Settings()
    settings.setmodule("crawler.settings")
    for name, value in values.items():
        settings.set(name, value)
    return Config.from_settings(settings)


def test_the_digest_reads_its_rules_from_the_config():
    config = _config(JAJAK_NOTIFY="json://127.0.0.1:9/hook", JAJAK_NOTIFY_TIMEOUT="45", JAJAK_DIGEST_MAX_AGE="0",
                     JAJAK_DIGEST_RETRY_BASE="1m", JAJAK_DIGEST_MAX_ATTEMPTS="3", JAJAK_INSTANT_THRESHOLD="0.8")
    digest = DigestConfig.of(config)

    assert [c.url for c in digest.channels] == ["json://127.0.0.1:9/hook?rto=45&cto=45"]
    assert digest.max_age is None  # 0: no age limit
    assert digest.retry_base == timedelta(minutes=1) and digest.max_attempts == 3
    assert digest.instant_threshold == 0.8 and digest.database_url == config.database_url


def test_no_instant_alerts_without_a_threshold():
    assert send_instant_alerts(_config(JAJAK_INSTANT_THRESHOLD=""), found_since=datetime.now(UTC)) == []


def test_health_rules_come_from_the_config():
    rules = health_rules(_config(JAJAK_HEALTH_FAILED_RUNS="5", JAJAK_HEALTH_MIN_SILENCE="60"))

    assert rules.failed_runs == 5 and rules.min_silence == timedelta(seconds=60)

"""The jobs' place in the tree: crawler.jobs sits below the CLI and the daemon (it never imports
them), and an import inside a function says why in a comment."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CRAWLER = Path(__file__).resolve().parent.parent / "crawler"
JOBS = sorted((CRAWLER / "jobs").glob("*.py"))
CALLERS = ("crawler.cli", "crawler.cli_model", "crawler.daemon")


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


@pytest.mark.parametrize("path", [CRAWLER / "cli.py", CRAWLER / "cli_model.py", CRAWLER / "daemon.py", *JOBS],
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

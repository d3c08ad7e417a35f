"""Install that works: a fresh `python3 -m venv`, with the pip it ships (not upgraded), installs
jajak with `pip install -e` at the versions of requirements.lock, imports every module of
crawler/, classifier/ and alerts/, and crawls a fixture portal."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e

PACKAGES = ("crawler", "classifier", "alerts")
# Alembic's env.py and the revisions run only inside Alembic (they need its context).
NOT_IMPORTABLE = ("crawler.storage.migrations.env", "crawler.storage.migrations.versions.")

IMPORT_ALL = f"""
import importlib, pkgutil, sys
names = []
for package in {PACKAGES!r}:
    module = importlib.import_module(package)
    names.append(package)
    for info in pkgutil.walk_packages(module.__path__, package + "."):
        if info.name.startswith({NOT_IMPORTABLE!r}):
            continue
        importlib.import_module(info.name)
        names.append(info.name)
print(len(names))
"""


def base_python() -> str:
    """The interpreter this venv was made from: a new venv gets that Python's own pip."""
    return getattr(sys, "_base_executable", None) or sys.executable


def test_fresh_venv_with_its_own_pip_installs_imports_everything_and_crawls(tmp_path: Path, portal) -> None:
    source = tmp_path / "jajak"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "var", "*.egg-info", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache",
        "build"))
    venv = tmp_path / "venv"
    subprocess.run([base_python(), "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    pip = subprocess.run([python, "-m", "pip", "--version"], capture_output=True, text=True, check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}

    installed = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-c", str(source / "requirements.lock"), "-e", str(source)],
        capture_output=True, text=True, timeout=900, env=env, check=False,
    )

    assert installed.returncode == 0, f"{pip.stdout}{installed.stderr[-4000:]}"
    imported = subprocess.run([python, "-c", IMPORT_ALL], capture_output=True, text=True, timeout=300,
                              cwd=tmp_path, env=env, check=False)
    assert imported.returncode == 0, imported.stderr[-4000:]
    assert int(imported.stdout.split()[-1]) > 50

    server = portal("wp-news")
    home = tmp_path / "home"
    home.mkdir()
    (home / "sources.yaml").write_text(f"sources:\n  - name: fixture\n    url: {server.url}/\n", encoding="utf-8")
    crawl_env = {**env, "JAJAK_HOME": str(home), "JAJAK_SOURCES": str(home / "sources.yaml"),
                 "JAJAK_DATABASE_URL": f"sqlite:///{home / 'jajak.db'}"}
    jajak = venv / "bin" / "jajak"
    crawled = subprocess.run([jajak, "crawl", "fixture", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"],
                             capture_output=True, text=True, timeout=300, cwd=home, env=crawl_env, check=False)
    assert crawled.returncode == 0, crawled.stderr[-4000:]
    listed = subprocess.run([jajak, "articles", "--format", "json"], capture_output=True, text=True, timeout=120,
                            cwd=home, env=crawl_env, check=True)
    articles = [json.loads(line) for line in listed.stdout.splitlines() if line.strip()]
    assert articles and all(a["source"] == "fixture" and a["text"] for a in articles)

"""deploy/ stays buildable: compose.yaml builds its jajak services from a Dockerfile that exists,
the Dockerfile copies and installs files that exist, and the services run jajak commands that
exist. (Docker itself is not run here.)"""

from __future__ import annotations

import json
import re
import tomllib

import yaml

from crawler.cli import build_parser
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
COMPOSE = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _built() -> dict[str, dict]:
    return {name: service for name, service in COMPOSE["services"].items() if "build" in service}


def _dockerfile_lines(path) -> list[str]:
    """The instructions of a Dockerfile, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_the_jajak_services_are_built_from_a_dockerfile_in_the_repository():
    built = _built()
    assert {"scheduler", "standby", "worker"} <= built.keys()
    for name, service in built.items():
        context = (DEPLOY / service["build"]["context"]).resolve()
        assert context == ROOT.resolve(), f"{name}: the build context is not the repository"
        assert (context / service["build"]["dockerfile"]).is_file(), name


def test_the_dockerfile_copies_and_installs_files_that_exist():
    service = next(iter(_built().values()))
    context = (DEPLOY / service["build"]["context"]).resolve()
    lines = _dockerfile_lines(context / service["build"]["dockerfile"])
    assert lines[0].startswith("FROM python:3.11")
    copied = []
    for line in lines:
        if line.startswith(("COPY ", "ADD ")):
            *sources, _ = line.split()[1:]
            copied += [s for s in sources if not s.startswith("--")]
    assert copied
    for source in copied:
        assert (context / source).exists(), f"the Dockerfile copies {source}, which is not in the repository"
    # Installed from the lock as the Makefile does, with extras pyproject.toml defines.
    install = next(line for line in lines if "pip install" in line)
    assert "-c requirements.lock" in install and "requirements.lock" in copied
    extras = set(re.findall(r"\.\[([\w,]+)\]", install)[0].split(",")) if "[" in install else set()
    assert extras <= PYPROJECT["project"]["optional-dependencies"].keys()
    assert "pyproject.toml" in copied and PYPROJECT["project"]["readme"] in copied
    # Every package pyproject.toml installs is copied.
    for package in PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]:
        assert package.rstrip("*") in copied, f"the Dockerfile does not copy {package}"


def test_the_services_run_jajak_commands_that_exist():
    service = next(iter(_built().values()))
    lines = _dockerfile_lines((DEPLOY / service["build"]["context"]).resolve() / service["build"]["dockerfile"])
    entrypoint = json.loads(next(line for line in lines if line.startswith("ENTRYPOINT "))[len("ENTRYPOINT "):])
    assert entrypoint == ["jajak"] and "jajak" in PYPROJECT["project"]["scripts"]
    commands = build_parser()._subparsers._group_actions[0].choices  # noqa: SLF001
    for name, service in _built().items():
        assert service["command"][0] in commands, f"{name}: jajak {service['command'][0]} is no command"

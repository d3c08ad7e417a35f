"""The README stays true: it names every setting (JAJAK_* variable) and every command-line flag
that exists, and none that does not, and every file or folder of the tree it points at exists."""

from __future__ import annotations

import re

import pytest

from crawler.cli import build_parser
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
# crawler/settings.py is the only module that reads the environment (STYLE.md 3.1).
SETTINGS_SOURCE = (ROOT / "crawler" / "settings.py").read_text(encoding="utf-8")
VARIABLES = sorted(set(re.findall(r'os\.environ\.get\(\s*"(JAJAK_\w+)"', SETTINGS_SOURCE)))
# Set by the daemon for its crawl children, not by users; documented all the same.
INTERNAL = {"JAJAK_DATABASE_INSTANCE"}


def _commands() -> dict[str, list[str]]:
    """Per command (and "" for `jajak` itself), its option strings."""
    parser = build_parser()
    commands = {"": [o for a in parser._actions for o in a.option_strings]}  # noqa: SLF001
    for name, sub in parser._subparsers._group_actions[0].choices.items():  # noqa: SLF001
        commands[name] = [o for a in sub._actions for o in a.option_strings]  # noqa: SLF001
    return {name: [o for o in options if o not in ("-h", "--help")] for name, options in commands.items()}


def _named(word: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def test_the_environment_is_read_in_crawler_settings_only():
    for path in [*ROOT.glob("crawler/**/*.py"), *ROOT.glob("alerts/**/*.py"), *ROOT.glob("classifier/**/*.py")]:
        if path.name == "settings.py" and path.parent.name == "crawler":
            continue
        text = path.read_text(encoding="utf-8")
        # os.environ["X"] = ... sets a variable for children (the daemon's instance id): not a read
        read = set(re.findall(r'(?:os\.environ\.get\(|os\.getenv\()\s*"(JAJAK_\w+)"', text))
        read |= set(re.findall(r'os\.environ\[\s*"(JAJAK_\w+)"\s*\](?!\s*=[^=])', text))
        assert not read, f"{path.relative_to(ROOT)} reads {read} from the environment"


@pytest.mark.parametrize("variable", VARIABLES)
def test_every_setting_is_in_the_readme(variable):
    assert _named(variable, README), f"README.md does not document {variable}"


def test_the_readme_names_no_setting_that_does_not_exist():
    assert VARIABLES, "no JAJAK_ setting found in crawler/settings.py"
    named = set(re.findall(r"JAJAK_[A-Z0-9_]*[A-Z0-9]", README))
    assert named - set(VARIABLES) - INTERNAL == set()


@pytest.mark.parametrize(("command", "flag"), [(c, f) for c, flags in _commands().items() for f in flags])
def test_every_flag_is_in_the_readme_row_of_its_command(command, flag):
    if not command:  # `jajak --version`: said above the table
        assert _named(f"jajak {flag}", README)
        return
    row = next((line for line in README.splitlines() if line.startswith(f"| `jajak {command}")), None)
    assert row is not None, f"README.md has no row for jajak {command}"
    assert _named(flag, row), f"README.md's row of jajak {command} does not name {flag}"


def test_the_readme_names_no_flag_that_does_not_exist():
    flags = {flag for options in _commands().values() for flag in options}
    rows = [line for line in README.splitlines() if line.startswith("| `jajak ")]
    named = {flag for row in rows for flag in re.findall(r"(?<![\w`/-])--[a-z][\w-]*", row)}
    assert named - flags == set()


def test_every_path_the_readme_points_at_exists():
    # e.g. a `classifier/model/` folder named in an older README, that never was in the tree
    paths = set(re.findall(r"(?<![\w/.:-])((?:crawler|classifier|alerts|tests|bench|seeds|deploy)/[\w./-]*)", README))
    assert paths
    missing = sorted(p for p in paths if not (ROOT / p.rstrip(".")).exists())
    assert missing == []

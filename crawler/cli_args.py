"""How `jajak`'s command-line values are read: an argparse parser whose errors are one line,
and argparse types made from crawler.config's readers (the same rules as the settings)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from crawler.config import ConfigError

if TYPE_CHECKING:
    from collections.abc import Callable


class OneLineParser(argparse.ArgumentParser):
    """argparse whose errors are one line on stderr (no usage block), exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def checked(reader: Callable[..., Any], **limits: Any) -> Callable[[str], Any]:
    """An argparse ``type`` from one of crawler.config's readers: same rules, one-line errors."""

    def convert(text: str) -> Any:
        try:
            return reader("", text, **limits)
        except ConfigError as err:
            raise argparse.ArgumentTypeError(str(err).removeprefix("=")) from err

    convert.__name__ = reader.__name__
    return convert


def existing_file(text: str) -> str:
    if not Path(text).is_file():
        raise argparse.ArgumentTypeError(f"{text!r}: no such file")
    return text


def existing_dir(text: str) -> str:
    if not Path(text).is_dir():
        raise argparse.ArgumentTypeError(f"{text!r}: not a directory")
    return text

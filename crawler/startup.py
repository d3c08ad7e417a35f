"""What every command does first (`jajak ...` and `scrapy crawl`): check the settings into one
Config, check the database it will use, and keep that Config in the settings for the command's
components. Any problem is a ConfigError: one line, exit code 2, before anything has started."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from crawler.config import CONFIG_SETTING, Config, ConfigError, setting_pairs, show_value

if TYPE_CHECKING:
    from collections.abc import Iterable

    from scrapy.settings import BaseSettings, Settings

DatabaseUse = Literal["write", "read"] | None


def project_settings() -> Settings:
    """jajak's Scrapy settings (crawler/settings.py) wherever jajak is started from."""
    import os

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.utils.project import get_project_settings

    return get_project_settings()


def apply_pairs(settings: BaseSettings, option: str, pairs: Iterable[str]) -> None:
    """Set ``NAME=VALUE`` pairs (``-s``) at command-line priority, after checking them."""
    settings.setdict(setting_pairs(option, pairs), priority="cmdline")


def start(settings: BaseSettings, database: DatabaseUse = None,
          database_option: str = "JAJAK_DATABASE_URL") -> Config:
    """Check every setting and, when the command uses it, the database; keep the Config in the
    settings (``Config.of(settings)`` returns it). Raises ConfigError."""
    from crawler.logs import quiet_libraries

    quiet_libraries()  # whoever configures logging later (Scrapy, the daemon): no library chatter
    config = Config.from_settings(settings)
    if database is not None:
        check_database(config, write=database == "write", option=database_option)
    settings.set(CONFIG_SETTING, config, priority="cmdline")
    return config


def check_database(config: Config, write: bool = True, option: str = "JAJAK_DATABASE_URL") -> None:
    """Open (and migrate) the configured database once, or say in one line why it cannot be."""
    from crawler.storage.check import DatabaseUnavailable, open_checked
    from crawler.storage.identity import DatabaseGone, check_instance, sqlite_file

    shown = f"{option}={show_value('JAJAK_DATABASE_URL', config.database_url)}"
    path = sqlite_file(config.database_url)
    if config.database_instance and path is not None and not path.exists():
        # a crawl child of a daemon whose database was deleted: never start a new one
        raise ConfigError(f"{shown}: the daemon's database was deleted")
    try:
        open_checked(config.database_url, write=write, busy_timeout=config.sqlite_busy_timeout,
                     data_dir=config.home / "var")
        if config.database_instance:
            check_instance(config.database_url, config.database_instance)
    except DatabaseUnavailable as err:
        raise ConfigError(f"{shown}: {err}") from err
    except DatabaseGone as err:
        raise ConfigError(str(err)) from err


def check_log_file(path: str) -> None:
    """The daemon's --log-file can be written (its directory is made, as for /var/log/jajak)."""
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as err:
        raise ConfigError(f"--log-file {path}: cannot write there ({err.strerror or err})") from err

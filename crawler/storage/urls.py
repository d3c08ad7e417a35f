"""Database URLs (store stage): which ones jajak accepts, their normal form, and how they are
shown (password masked). Pure: no connection is made here."""

from __future__ import annotations

import re

from sqlalchemy import make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import ArgumentError

WANT = "sqlite:///path/to/jajak.db or postgresql+psycopg://user@host:5432/db"
_USERINFO = re.compile(r"(//[^:/@\s]*:)[^@/\s]*@")
# Spellings of PostgreSQL that mean psycopg 3, the driver jajak ships with.
_POSTGRES = {"postgres", "postgresql", "postgres+psycopg", "postgresql+psycopg"}
_SQLITE = {"sqlite", "sqlite+pysqlite"}


class DatabaseUrlError(ValueError):
    """A database URL jajak cannot use; the message says why and what is accepted."""


def database_url(raw: str) -> URL:
    """``raw`` as a URL jajak can open; ``postgres://`` and ``postgresql://`` mean psycopg 3."""
    text = raw.strip()
    if not text:
        raise DatabaseUrlError(f"empty; want {WANT}")
    try:
        url = make_url(text)
    except (ArgumentError, ValueError) as err:
        raise DatabaseUrlError(f"not a database URL; want {WANT}") from err
    driver = url.drivername.lower()
    backend = driver.partition("+")[0]
    if driver in _SQLITE:
        return url
    if driver in _POSTGRES:
        return url.set(drivername="postgresql+psycopg")
    if backend in ("postgres", "postgresql"):
        raise DatabaseUrlError(
            f"driver {driver.partition('+')[2]!r} is not installed: jajak talks to PostgreSQL through "
            "psycopg 3; write postgresql+psycopg:// (or postgres://)"
        )
    if backend in ("mysql", "mariadb"):
        raise DatabaseUrlError(
            "MySQL/MariaDB is not supported: jajak stores into SQLite or PostgreSQL (its migrations "
            f"and locks are written for those two); want {WANT}"
        )
    raise DatabaseUrlError(f"unknown database kind {backend!r}; want {WANT}")


def normal_database_url(raw: str) -> str:
    """``raw`` checked, as the text to connect with: unchanged unless its driver was implied."""
    url = database_url(raw)
    return raw.strip() if make_url(raw.strip()).drivername == url.drivername else url.render_as_string(False)


def mask_database_url(raw: str | URL) -> str:
    """The URL with its password shown as ***, also when it does not parse."""
    if isinstance(raw, URL):
        return raw.render_as_string(hide_password=True)
    try:
        url = make_url(raw.strip())
    except (ArgumentError, ValueError):
        return _USERINFO.sub(r"\1***@", raw)
    # Without a password the URL is shown as written (rendering would escape "file:" paths).
    return raw.strip() if url.password is None else url.render_as_string(hide_password=True)

"""Sources added by URL (`jajak sources add`, the web app's Sources page), kept in the database
beside seeds/sources.yaml; `load_all` gives both as one list for crawls, the daemon and listings.

The file stays authoritative for the names it lists: an added source whose name the file takes
later is left out, so editing the file never breaks on a name clash with the database.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from crawler.sources import Source, SourceList, SourcesError, field_error, load_sources
from crawler.storage import Database
from crawler.storage.added import added_source, added_sources, insert_added_source

if TYPE_CHECKING:
    from collections.abc import Sequence

ORIGIN_FILE = "file"
# Labels dropped from the end of a host to make a name: "prolitenews.com" -> "prolitenews".
_SUFFIXES = {"com", "id", "co", "go", "net", "org", "or", "ac", "sch", "web", "my", "info", "news", "biz"}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


class AddSourceError(ValueError):
    """A source cannot be added: one line naming the URL or the name."""


def name_for(url: str) -> str:
    """A source name made from the URL's host (and port, so two portals on one host differ)."""
    parts = urlsplit(url)
    labels = (parts.hostname or "").removeprefix("www.").split(".")
    while len(labels) > 1 and labels[-1] in _SUFFIXES:
        labels.pop()
    name = _NOT_SLUG.sub("-", "-".join(labels)).strip("-")
    if parts.port:
        name = f"{name}-{parts.port}"
    return (name or "source")[:63].rstrip("-")


def load_all(sources_file: str, database: str | Database) -> SourceList:
    """The file's sources, then the added ones whose name the file does not use; each one's
    origin ("file", "cli" or "web") is in ``.origins``. ``database``: its URL, or the Database
    the caller has open (a crawl engine, the web app: they read this at every crawl or page)."""
    if isinstance(database, str):
        with Database(database) as opened:
            return load_all(sources_file, opened)
    from_file = load_sources(sources_file)
    sources, origins = list(from_file), dict.fromkeys((s.name for s in from_file), ORIGIN_FILE)
    with database.begin() as session:
        for row in added_sources(session):
            if row.name in origins:
                continue  # the file wins the names it lists
            try:
                source = Source.model_validate({**row.options, "name": row.name, "url": row.url,
                                                 "enabled": row.enabled})
            except ValidationError as err:
                raise SourcesError(f"database source {row.name!r}: {field_error(err.errors()[0])}") from None
            sources.append(source)
            origins[row.name] = row.origin
    return SourceList(sources, sources_file, origins)


def check_new(url: str, name: str | None, taken: Sequence[str]) -> Source:
    """The Source that adding ``url`` as ``name`` (made from the host when None) would store;
    AddSourceError when the URL is not an http(s) URL or the name is bad or taken."""
    if not url.strip():
        raise AddSourceError("no URL given")
    wanted = name.strip() if name else None
    if wanted is None:
        try:
            base = Source(name="x", url=url).url  # the URL checked before a name is made from it
        except ValidationError as err:
            raise AddSourceError(f"{url!r}: {_why(err)}") from None
        wanted = name_for(base)
        number = 2
        while wanted in taken:  # a made-up name never fails: the next free one is used
            wanted = f"{name_for(base)[:60]}-{number}"
            number += 1
    elif wanted in taken:
        raise AddSourceError(f"name {wanted!r} is already used by another source; choose another with --name")
    try:
        return Source(name=wanted, url=url)
    except ValidationError as err:
        what = f"name {wanted!r}" if err.errors()[0]["loc"] == ("name",) else repr(url)
        raise AddSourceError(f"{what}: {_why(err)}") from None


def _why(err: ValidationError) -> str:
    return field_error(err.errors()[0]).split(": ", 1)[-1]


def add(sources_file: str, database_url: str, url: str, name: str | None = None, origin: str = "cli",
        options: dict[str, Any] | None = None) -> Source:
    """Check and store a new source; returns it as crawls will see it."""
    with Database(database_url) as database:
        source = check_new(url, name, load_all(sources_file, database).names())
        with database.begin() as session:
            insert_added_source(session, source.name, source.url, origin, options)
    return source


def set_enabled(database_url: str, name: str, enabled: bool) -> None:
    """Enable or disable an added source (those of the file are switched in the file)."""
    with Database(database_url) as database, database.begin() as session:
        row = added_source(session, name)
        if row is None:
            raise AddSourceError(f"no added source named {name!r} (sources of the file are "
                                 "enabled or disabled in the file)")
        row.enabled = enabled

"""Load and validate seeds/sources.yaml into frozen Source models.

WHAT to watch: spiders (`-a source=NAME`) and the daemon (schedules) get their sources from here.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from apscheduler.triggers.cron import CronTrigger
from pydantic import BaseModel, Field, ValidationError, ValidationInfo, field_validator
from pydantic_core import ErrorDetails

TIMEZONE_ALIASES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


class SourcesError(Exception):
    """The sources file is missing or invalid; one-line message naming file, source and field."""


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _http_url(value: str) -> str:
    """Return `value` as an http(s) URL with a host, lower-cased scheme/host and at least "/"."""
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"must be an http(s) URL, got {_show(value)}")
    netloc = parts.netloc.rsplit("@", 1)[-1].lower()
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def _on_domains(host: str, domains: Sequence[str]) -> bool:
    # Same rule as Scrapy's OffsiteMiddleware: a domain also covers its subdomains.
    return any(host == d or host.endswith("." + d) for d in domains)


def _twins(host: str) -> tuple[str, ...]:
    bare = host.removeprefix("www.")
    return (host, bare) if bare != host else (host, "www." + host)


class Source(BaseModel, frozen=True, extra="forbid"):
    """One portal to watch, as written in seeds/sources.yaml."""

    name: str
    url: str
    # Before feeds/sitemaps/listings on purpose: their validators check hosts against it.
    allowed_domains: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    render: bool | Literal["auto"] = False
    schedule: str | None = None
    max_pages: int | None = Field(default=None, gt=0, strict=True)
    timezone: str = "Asia/Jakarta"
    enabled: bool = True

    @property
    def host(self) -> str:
        """Host name of `url`, lower case."""
        return urlsplit(self.url).hostname or ""

    @property
    def domains(self) -> tuple[str, ...]:
        """Effective allowed domains: `allowed_domains`, or the host of `url` and its www. twin."""
        return self.allowed_domains or _twins(self.host)

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(
                "must be a slug of lower-case letters, digits, '-' or '_' (at most 63, "
                f"starting with a letter or digit), got {_show(value)}"
            )
        return value

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        return _http_url(value)

    @field_validator("allowed_domains", "feeds", "sitemaps", "listings", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any, info: ValidationInfo) -> Any:
        # "feeds: https://x/feed/" is as valid as a one-item list.
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list | tuple):
            return tuple(value)
        what = "host name" if info.field_name == "allowed_domains" else "URL"
        raise ValueError(f"must be a {what} or a list of them, got {_show(value)}")

    @field_validator("allowed_domains")
    @classmethod
    def _check_domains(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        domains = tuple(d.strip().lower().removeprefix(".") for d in value)
        for domain in domains:
            if not _HOST.match(domain):
                raise ValueError(
                    f"must list bare host names like 'example.com', got {_show(domain)}"
                )
        url = info.data.get("url")
        host = urlsplit(url).hostname if url else None
        if domains and host and not _on_domains(host, domains):
            raise ValueError(f"must cover the host of url {host!r}, got {_show(list(domains))}")
        return domains

    @field_validator("feeds", "sitemaps", "listings")
    @classmethod
    def _check_links(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        base = info.data.get("url")
        domains = info.data.get("allowed_domains") or (
            _twins(urlsplit(base).hostname or "") if base else ()
        )
        links = []
        for link in value:
            # A path such as "/feed/" is resolved against the source url.
            link = _http_url(urljoin(base, link.strip()) if base else link)
            host = urlsplit(link).hostname or ""
            if domains and not _on_domains(host, domains):
                raise ValueError(
                    f"{link!r} is outside the allowed domains ({', '.join(domains)}); "
                    "add its host to allowed_domains"
                )
            links.append(link)
        return tuple(links)

    @field_validator("render", mode="before")
    @classmethod
    def _check_render(cls, value: Any) -> Any:
        if isinstance(value, bool) or value == "auto":
            return value
        raise ValueError(f"must be true, false or 'auto', got {_show(value)}")

    @field_validator("schedule")
    @classmethod
    def _check_schedule(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            CronTrigger.from_crontab(value)
        except ValueError as err:
            raise ValueError(f"must be a 5-field cron string ({err}), got {_show(value)}") from err
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        key = TIMEZONE_ALIASES.get(value.strip().upper(), value.strip())
        try:
            ZoneInfo(key)
        except (ZoneInfoNotFoundError, ValueError) as err:
            raise ValueError(
                f"must be an IANA time zone like 'Asia/Jakarta' or WIB/WITA/WIT, got {_show(value)}"
            ) from err
        return key


class SourceList(list[Source]):
    """The sources of one file (and those added beside it); remembers the file so lookups can name
    it."""

    def __init__(self, sources: Sequence[Source], path: str, origins: dict[str, str] | None = None) -> None:
        super().__init__(sources)
        self.path = path
        # Where each source comes from: "file", or how it was added (crawler.added_sources).
        self.origins = origins if origins is not None else dict.fromkeys((s.name for s in sources), "file")

    def names(self) -> list[str]:
        return [s.name for s in self]


class _Loader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys, which PyYAML would silently overwrite."""


def _mapping_without_duplicates(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Hashable] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if isinstance(key, Hashable):
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
    return dict(loader.construct_mapping(node))


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def _read_yaml(path: Path, shown: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourcesError(f"{shown}: file not found") from None
    except (OSError, UnicodeDecodeError) as err:
        raise SourcesError(f"{shown}: cannot read file: {err}") from err
    try:
        return yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = err.problem or err.context or "syntax error"
        hint = ""
        if "alias" in problem or "alphabetic or numeric character" in problem:
            hint = ' (quote values that start with "*", e.g. schedule: "*/30 * * * *")'
        raise SourcesError(f"{shown}: {where}invalid YAML: {problem}{hint}") from err
    except yaml.YAMLError as err:
        raise SourcesError(f"{shown}: invalid YAML: {' '.join(str(err).split())}") from err


def field_error(err: ErrorDetails) -> str:
    """Turn pydantic's first error into "field 'x': must be ..." (also for added sources)."""
    loc = err["loc"]
    field = str(loc[0]) if loc else "?"
    item = f" item #{loc[1] + 1}" if len(loc) > 1 and isinstance(loc[1], int) else ""
    kind, msg = err["type"], str(err["msg"])
    if kind == "missing":
        text = "is required"
    elif kind == "extra_forbidden":
        text = f"unknown field; known fields: {', '.join(Source.model_fields)}"
    elif kind == "value_error":
        text = msg.removeprefix("Value error, ")
    else:
        text = msg.replace("Input should be", "must be", 1) + f", got {_show(err.get('input'))}"
    return f"field '{field}'{item}: {text}"


def load_sources(path: str | Path) -> list[Source]:
    """Read and validate a sources file; raise SourcesError on the first problem found."""
    shown = str(path)
    data = _read_yaml(Path(path), shown)
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        got = "an empty file" if data is None else type(data).__name__
        if isinstance(data, dict):
            got = "no 'sources' key" if "sources" not in data else "'sources' that is not a list"
        raise SourcesError(f"{shown}: top level must be a mapping with a 'sources' list, got {got}")
    extra = sorted(str(key) for key in data if key != "sources")
    if extra:
        raise SourcesError(
            f"{shown}: unknown top-level key {extra[0]!r}; only 'sources' is allowed"
        )

    sources: list[Source] = []
    first_index: dict[str, int] = {}
    for index, raw in enumerate(data["sources"], start=1):
        if not isinstance(raw, dict):
            raise SourcesError(
                f"{shown}: source #{index}: must be a mapping with at least 'name' and 'url', "
                f"got {_show(raw)}"
            )
        name = raw.get("name")
        label = f"source {name!r} (#{index})" if isinstance(name, str) else f"source #{index}"
        try:
            source = Source.model_validate(raw)
        except ValidationError as err:
            raise SourcesError(f"{shown}: {label}: {field_error(err.errors()[0])}") from None
        if source.name in first_index:
            raise SourcesError(
                f"{shown}: {label}: field 'name': duplicate name, "
                f"already used by source #{first_index[source.name]}"
            )
        first_index[source.name] = index
        sources.append(source)
    return SourceList(sources, shown)


def get_source(sources: Sequence[Source], name: str) -> Source:
    """Return the source called `name`; SourcesError lists the known names otherwise."""
    for source in sources:
        if source.name == name:
            return source
    where = f" in {sources.path}" if isinstance(sources, SourceList) else ""
    known = ", ".join(sorted(s.name for s in sources)) or "(none)"
    raise SourcesError(f"no source named {name!r}{where}; known: {known}")

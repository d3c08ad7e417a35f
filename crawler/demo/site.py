"""In-memory website model for the demo portals: `Resource` objects keyed by path+query.

Themes (crawler/demo/themes) fill a `Site`; `PortalServer` (crawler/demo/server.py) serves it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

HTML = "text/html; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
JSON = "application/json; charset=UTF-8"
TEXT = "text/plain; charset=UTF-8"
RSS = "application/rss+xml; charset=UTF-8"
ATOM = "application/atom+xml; charset=UTF-8"


@dataclass
class Resource:
    """One response: body, type, status, extra headers and the Last-Modified time."""

    body: bytes
    content_type: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    last_modified: datetime | None = None
    etag: str = field(init=False, default="")

    def __post_init__(self) -> None:
        if isinstance(self.body, str):
            self.body = self.body.encode("utf-8")
        # Strong validator: identical bytes <=> identical ETag, which is what revisit tests need.
        self.etag = '"' + hashlib.blake2b(self.body, digest_size=12).hexdigest() + '"'

    def http_date(self, default: datetime) -> str:
        """Last-Modified as an RFC 7231 date (GMT), falling back to `default`."""
        moment = self.last_modified or default
        return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def normalise_key(path_with_query: str) -> str:
    """Canonical key: path as given, query pairs sorted so parameter order does not matter."""
    parts = urlsplit(path_with_query)
    path = parts.path or "/"
    if not parts.query:
        return path
    pairs = sorted(parse_qsl(parts.query, keep_blank_values=True))
    return path + "?" + urlencode(pairs, quote_via=quote, safe="/:,")


Factory = Callable[[], Resource]
Route = Callable[[str, dict[str, str]], "Resource | None"]


class Site(Mapping[str, Resource]):
    """A mapping of normalised keys to resources.

    Values may be given as zero-argument factories: they are rendered on first access and
    cached, so a 5,000-article portal starts instantly. `routes` answer keys that cannot be
    listed in advance (e.g. the REST API accepts any `per_page`); they take the path and the
    parsed query and return a Resource or None.
    """

    def __init__(self, items: Mapping[str, Resource | Factory] | None = None) -> None:
        self._items: dict[str, Resource | Factory] = {}
        self.routes: list[tuple[str, Route]] = []
        for key, value in (items or {}).items():
            self[key] = value

    def __setitem__(self, key: str, value: Resource | Factory) -> None:
        self._items[normalise_key(key)] = value

    def add_route(self, path_prefix: str, route: Route) -> None:
        """Answer unlisted keys under `path_prefix` with `route(path, query)`."""
        self.routes.append((path_prefix, route))

    def __getitem__(self, key: str) -> Resource:
        key = normalise_key(key)
        value = self._items.get(key)
        if value is None:
            return self._route(key)
        if isinstance(value, Resource):
            return value
        resource = value()
        self._items[key] = resource  # benign race: two threads may render the same page once each
        return resource

    def _route(self, key: str) -> Resource:
        parts = urlsplit(key)
        for prefix, route in self.routes:
            if parts.path.startswith(prefix):
                resource = route(parts.path, dict(parse_qsl(parts.query, keep_blank_values=True)))
                if resource is not None:
                    return resource
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)

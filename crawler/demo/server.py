"""Local HTTP server for the demo portals that tests, the benchmark and `jajak demo` crawl.

It serves a `Site` (crawler/demo/site.py) built by a theme on 127.0.0.1 with HTTP/1.1
keep-alive, ETag / Last-Modified revalidation, a request log and injectable failures.
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self

from crawler.demo.site import HTML, Resource, Site, normalise_key

__all__ = ["PortalServer", "Resource", "Site", "main"]

RequestLog = tuple[str, str, int, dict[str, str]]

NOT_FOUND_PAGE = (
    '<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8"><title>Halaman tidak ditemukan'
    "</title></head><body><h1>404</h1><p>Maaf, halaman yang Anda cari tidak ditemukan.</p>"
    "</body></html>\n"
)


def _status_page(status: int) -> bytes:
    if status == 404:
        return NOT_FOUND_PAGE.encode()
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    return (
        f'<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8"><title>{status} {phrase}'
        f"</title></head><body><h1>{status} {phrase}</h1></body></html>\n"
    ).encode()


def _etag_matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    # Weak comparison, as RFC 9110 prescribes for If-None-Match.
    return any(tag.strip().removeprefix("W/") == etag for tag in header.split(","))


def _not_modified_since(header: str, last_modified: datetime) -> bool:
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return last_modified.replace(microsecond=0) <= since


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""
    timeout = 30  # idle keep-alive connections give their thread back eventually
    server: _Server

    def setup(self) -> None:
        super().setup()
        # One write per response plus no Nagle: avoids 40 ms delayed-ACK stalls on keep-alive.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Quiet: the request log lives in `PortalServer.requests`."""

    def _answer(self, head: bool) -> None:
        portal = self.server.portal
        key = normalise_key(self.path)
        request_headers = dict(self.headers.items())
        status, headers, body = portal.respond(key, request_headers)
        portal.record((self.command, self.path, status, request_headers))
        lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}"]
        lines.append("Server: nginx")
        lines.append("Date: " + self.date_time_string())
        lines.extend(f"{name}: {value}" for name, value in headers.items())
        if status != 304:
            lines.append(f"Content-Length: {len(body)}")
        if self.close_connection:
            lines.append("Connection: close")
        head_bytes = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head_bytes if head or status == 304 else head_bytes + body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # keep-alive client threads must not stall shutdown
    allow_reuse_address = True
    request_queue_size = 128
    portal: PortalServer

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients hanging up mid-response are normal for crawlers; stay quiet about them.
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class PortalServer:
    """Serve an in-memory site on 127.0.0.1 (port 0 = any free port) in a background thread.

    `with PortalServer(site) as srv:` starts it; `srv.url` is "http://127.0.0.1:PORT".
    """

    def __init__(self, site: Mapping[str, Resource] | None = None, port: int = 0) -> None:
        self._httpd = _Server(("127.0.0.1", port), _Handler)
        self._httpd.portal = self
        self.port: int = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._lock = threading.Lock()
        self._requests: list[RequestLog] = []
        self._failures: dict[str, int] = {}
        self._started_at = datetime.now(UTC)
        self._site: Site = Site()
        self._thread: threading.Thread | None = None
        if site is not None:
            self.set_site(site)

    # -- site and failures -------------------------------------------------------------------
    def set_site(self, resources: Mapping[str, Resource]) -> None:
        """Replace the whole site at once; requests in flight finish on the old one."""
        site = resources if isinstance(resources, Site) else Site(resources)
        self._site = site  # a single reference swap is atomic under the GIL

    @property
    def site(self) -> Site:
        return self._site

    def fail(self, path_prefix: str, status: int = 503) -> None:
        """Answer `status` for every path starting with `path_prefix` ("/" = whole site down)."""
        with self._lock:
            self._failures = {**self._failures, path_prefix: status}

    def recover(self, path_prefix: str | None = None) -> None:
        """Undo `fail()` for one prefix, or for all of them."""
        with self._lock:
            if path_prefix is None:
                self._failures = {}
            else:
                self._failures = {k: v for k, v in self._failures.items() if k != path_prefix}

    # -- request log -------------------------------------------------------------------------
    @property
    def requests(self) -> list[RequestLog]:
        """Snapshot of (method, path_with_query, status, request_headers) in serving order."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def record(self, entry: RequestLog) -> None:
        with self._lock:
            self._requests.append(entry)

    # -- responding --------------------------------------------------------------------------
    def respond(self, key: str, request_headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """Status, response headers and body for a normalised key."""
        failures = self._failures
        if failures:
            matching = [prefix for prefix in failures if key.startswith(prefix)]
            if matching:
                status = failures[max(matching, key=len)]
                return status, {"Content-Type": HTML}, _status_page(status)
        try:
            resource = self._site[key]
        except KeyError:
            return 404, {"Content-Type": HTML}, NOT_FOUND_PAGE.encode()
        headers = {"Content-Type": resource.content_type, **resource.headers}
        if resource.status != 200:
            return resource.status, headers, resource.body
        last_modified = resource.http_date(self._started_at)
        headers["ETag"] = resource.etag
        headers["Last-Modified"] = last_modified
        lowered = {name.lower(): value for name, value in request_headers.items()}
        inm = lowered.get("if-none-match")
        ims = lowered.get("if-modified-since")
        moment = resource.last_modified or self._started_at
        if (inm is not None and _etag_matches(inm, resource.etag)) or (
            inm is None and ims is not None and _not_modified_since(ims, moment)
        ):
            return 304, {"ETag": resource.etag, "Last-Modified": last_modified}, b""
        return 200, headers, resource.body

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> Self:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    """CLI: serve a generated portal until Ctrl-C."""
    from crawler.demo import load_articles
    from crawler.demo.synthetic import synthetic_articles
    from crawler.demo.themes import THEMES, build_site

    parser = argparse.ArgumentParser(prog="python -m crawler.demo.server", description=main.__doc__)
    parser.add_argument("--theme", default="wp-magazine", choices=sorted(THEMES))
    parser.add_argument(
        "--articles", type=int, default=0,
        help="number of articles; 0 = the hand-written set, more = hand-written + synthetic",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    articles = load_articles()
    if args.articles > len(articles):
        articles = articles + synthetic_articles(args.articles - len(articles), seed=args.seed)
    elif args.articles:
        articles = articles[: args.articles]
    server = PortalServer(port=args.port)
    server.set_site(build_site(args.theme, articles, server.url))
    print(f"{args.theme}: {len(articles)} articles at {server.url}/", flush=True)
    try:
        server._httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server._httpd.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

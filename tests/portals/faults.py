"""A small portal on 127.0.0.1 whose pages answer with faults, for the crawl-fault tests: each path
has a script of answers (status, headers, body) served in order, the last one repeated; every
request is logged with the moment it arrived (stdlib ThreadingHTTPServer).

An answer can also misbehave on the wire: stall (answer after ``delay`` seconds, or never),
reset the connection, close it before the announced length (``truncate``), or send no
Content-Length (``length=False``). Builders below make the documents that attack a crawler:
gzip bombs, huge pages, legacy encodings, hostile feeds and sitemaps.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

HTML = "text/html; charset=utf-8"
PUBLISHED = "Fri, 20 Nov 2026 08:00:00 +0700"
PARAGRAPHS = [
    "Pemerintah Kota Bandung dan Pemerintah Kota Hamamatsu, Jepang, menjajaki kerja sama di bidang "
    "pendidikan vokasi dan kesehatan dalam pertemuan di Balai Kota Bandung pada Jumat pagi.",
    "Wali Kota Bandung mengatakan kedua kota akan menyusun nota kesepahaman yang ditargetkan "
    "ditandatangani tahun depan setelah kajian bersama selesai dilakukan oleh kedua pihak.",
    "Delegasi Hamamatsu yang dipimpin wakil wali kota meninjau sejumlah sekolah menengah kejuruan "
    "dan rumah sakit daerah untuk melihat peluang pertukaran tenaga pengajar dan perawat.",
]


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": HTML})
    delay: float = 0.0  # seconds before anything is sent (a stall); cut short when the portal stops
    reset: bool = False  # close the connection with a TCP reset instead of answering
    truncate: int | None = None  # send only this many bytes of the body, then close
    length: bool = True  # send Content-Length (False: the body ends when the connection closes)


def article(title: str) -> Answer:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    body = (f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>'
            '<meta property="og:type" content="article">'
            '<meta property="article:published_time" content="2026-11-20T08:00:00+07:00"></head>'
            f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>")
    return Answer(body=body.encode())


class FaultPortal:
    """``FaultPortal().start()``; ``script(path, *answers)``; ``feed(links)`` lists articles."""

    def __init__(self) -> None:
        portal = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - stdlib name
                answer = portal.answer(self.path)
                if answer.delay and portal.stopping.wait(answer.delay):
                    return
                if answer.reset:
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    self.connection.close()
                    return
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                if answer.length:
                    self.send_header("Content-Length", str(len(answer.body)))
                else:
                    self.send_header("Connection", "close")
                self.end_headers()
                body = answer.body if answer.truncate is None else answer.body[:answer.truncate]
                with contextlib.suppress(OSError):  # the crawler gave up (size limit, timeout)
                    self.wfile.write(body)
                if answer.truncate is not None or not answer.length:
                    self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                """Quiet: requests are in FaultPortal.log."""

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.stopping = threading.Event()
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._lock = threading.Lock()
        self._scripts: dict[str, list[Answer]] = {}
        self._prefixes: dict[str, Answer] = {}
        self.log: list[tuple[float, str, int]] = []  # (monotonic time, path, status)
        self._thread: threading.Thread | None = None
        self.script("/", Answer(body=(
            f'<html><head><link rel="alternate" type="application/rss+xml" href="{self.url}/feed/">'
            "<title>Portal Gangguan</title></head><body><h1>Portal Gangguan</h1></body></html>").encode()))

    def script(self, path: str, *answers: Answer) -> None:
        with self._lock:
            self._scripts[path] = list(answers)

    def script_prefix(self, prefix: str, answer: Answer) -> None:
        """Every path under ``prefix`` without a script of its own answers ``answer``."""
        with self._lock:
            self._prefixes[prefix] = answer

    def feed(self, links: list[str]) -> None:
        """An RSS feed at /feed/ listing ``links`` (absolute, or paths on this portal)."""
        items = "".join(
            f"<item><title>Berita {n}</title><link>{link if '://' in link else self.url + link}</link>"
            f"<pubDate>{PUBLISHED}</pubDate></item>" for n, link in enumerate(links, 1))
        rss = (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Portal Gangguan'
               f"</title><link>{self.url}/</link>{items}</channel></rss>")
        self.script("/feed/", Answer(body=rss.encode(), headers={"Content-Type": "application/rss+xml"}))

    def answer(self, path: str) -> Answer:
        with self._lock:
            script = self._scripts.get(path)
            prefixed = [a for p, a in self._prefixes.items() if path.startswith(p)]
            fallback = prefixed[0] if prefixed else Answer(404, b"not found")
            answer = (script.pop(0) if len(script) > 1 else script[0]) if script else fallback
            self.log.append((time.monotonic(), path, answer.status))
        return answer

    def times(self, path: str) -> list[float]:
        with self._lock:
            return [moment for moment, logged, _ in self.log if logged == path]

    def start(self) -> Self:
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)
        self._thread.start()
        return self

    def requested(self, path: str) -> int:
        """How many requests arrived for ``path``."""
        return len(self.times(path))

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hung up (a crawler past its timeout or size limit) is no test failure."""


# --- documents that attack a crawler ----------------------------------------------------------


def gzip_bomb(megabytes: int) -> Answer:
    """A page of ``megabytes`` MB of zeros, gzip-compressed to about 1/1000 of that."""
    return Answer(body=gzip_of_zeros(megabytes), headers={"Content-Type": HTML, "Content-Encoding": "gzip"})


def gzip_of_zeros(megabytes: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    chunk = b"\0" * 1024 * 1024
    return b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()


def huge_page(megabytes: int, length: bool = True) -> Answer:
    """An HTML page of ``megabytes`` MB of prose-like text."""
    filler = ("<p>" + " ".join(PARAGRAPHS) + "</p>").encode()
    body = b"<html><head><title>Raksasa</title></head><body>" + filler * (megabytes * 1024 * 1024 // len(filler))
    return Answer(body=body + b"</body></html>", length=length)


LEGACY_PHRASES = {  # characters each encoding has beyond ASCII
    "windows-1252": "– “kerja sama” senilai Rp 1,5 miliar, kata Hélène; ©2026 …",
    "iso-8859-1": "«kerja sama» senilai Rp 1,5 miliar ± 5%, kata Hélène; ©2026",
}


def legacy(title: str, encoding: str, declared_in: str) -> Answer:
    """An article in a legacy encoding, declared in a <meta> tag or in the Content-Type header."""
    text = f"{title} {LEGACY_PHRASES[encoding]}"
    meta = f'<meta charset="{encoding}">' if declared_in == "meta" else ""
    html = (f'<!DOCTYPE html><html lang="id"><head>{meta}<title>{title}</title>'
            '<meta property="og:type" content="article">'
            '<meta property="article:published_time" content="2026-11-20T08:00:00+07:00"></head>'
            f"<body><article><h1>{title}</h1><p>{text}</p>"
            + "".join(f"<p>{p}</p>" for p in PARAGRAPHS) + "</article></body></html>")
    kind = f"text/html; charset={encoding}" if declared_in == "header" else "text/html"
    return Answer(body=html.encode(encoding), headers={"Content-Type": kind})


XML = {"Content-Type": "application/xml"}


def xxe_feed(target: str) -> Answer:
    """An RSS feed whose entities point at a local file and at ``target`` (another host)."""
    return Answer(headers=XML, body=(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY file SYSTEM "file:///etc/passwd">'
        f'<!ENTITY remote SYSTEM "{target}">]><rss version="2.0"><channel><title>&file;</title>'
        "<item><title>&remote;</title><link>&file;</link></item></channel></rss>").encode())


def billion_laughs(root: str, inner: str) -> Answer:
    """The billion-laughs entity bomb inside a ``root`` document around ``inner``."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    return Answer(headers=XML, body=(
        f'<?xml version="1.0"?><!DOCTYPE {root} [{entities}]>{inner.replace("LOL", "&lol9;")}').encode())


def xxe_sitemap(target: str) -> Answer:
    return Answer(headers=XML, body=(
        f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY remote SYSTEM "{target}">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&remote;</loc></url>'
        "</urlset>").encode())


def sitemap_index(*locations: str) -> Answer:
    entries = "".join(f"<sitemap><loc>{loc}</loc></sitemap>" for loc in locations)
    return Answer(headers=XML, body=(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{entries}</sitemapindex>").encode())


def big_sitemap(base: str, count: int) -> Answer:
    """A URL set of ``count`` article URLs under ``base`` (the protocol allows 50,000)."""
    entries = "".join(f"<url><loc>{base}{n}/</loc><lastmod>2026-11-20</lastmod></url>" for n in range(count))
    return Answer(headers=XML, body=(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{entries}</urlset>").encode())

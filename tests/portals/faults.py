"""A small portal on 127.0.0.1 whose pages answer with faults, for the crawl-fault tests: each path
has a script of answers (status, headers, body) served in order, the last one repeated; every
request is logged with the moment it arrived (stdlib ThreadingHTTPServer)."""

from __future__ import annotations

import threading
import time
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
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                """Quiet: requests are in FaultPortal.log."""

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._lock = threading.Lock()
        self._scripts: dict[str, list[Answer]] = {}
        self.log: list[tuple[float, str, int]] = []  # (monotonic time, path, status)
        self._thread: threading.Thread | None = None
        self.script("/", Answer(body=(
            f'<html><head><link rel="alternate" type="application/rss+xml" href="{self.url}/feed/">'
            "<title>Portal Gangguan</title></head><body><h1>Portal Gangguan</h1></body></html>").encode()))

    def script(self, path: str, *answers: Answer) -> None:
        with self._lock:
            self._scripts[path] = list(answers)

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
            answer = (script.pop(0) if len(script) > 1 else script[0]) if script else Answer(404, b"not found")
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

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

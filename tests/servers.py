"""Local receivers for alert tests: a real SMTP server (aiosmtpd) and a JSON webhook that can
be down, slow, or held until the test lets it answer; a TCP proxy that can be cut, to take a
server away from its clients without stopping it. All on 127.0.0.1."""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Sink:
    """aiosmtpd handler keeping every message with its envelope recipients."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        """The messages whose envelope named ``address``."""
        return [m for m, rcpt in zip(self.messages, self.recipients, strict=True) if address in rcpt]


def smtp(port: int) -> tuple[Controller, Sink]:
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, sink


class Hook(ThreadingHTTPServer):
    """Records JSON posts per path. Paths in ``down`` answer 500, as a broken webhook does;
    ``delay[path]`` seconds pass before a path answers (the post is recorded on arrival: the
    service has it, whatever the sender sees); a path in ``hold`` answers only once
    ``release`` is set."""

    daemon_threads = True

    def __init__(self, port: int = 0) -> None:
        self.posts: list[tuple[str, dict[str, Any]]] = []
        self.down: set[str] = set()
        self.delay: dict[str, float] = {}
        self.hold: set[str] = set()
        self.release = threading.Event()
        self.arrived = threading.Event()
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _HookHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"

    def bodies(self, path: str) -> list[dict[str, Any]]:
        return [body for p, body in self.posts if p == path]

    def close(self) -> None:
        self.release.set()
        self.shutdown()
        self.server_close()


class _HookHandler(BaseHTTPRequestHandler):
    server: Hook

    def do_POST(self) -> None:  # noqa: N802 - http.server's hook name
        path = self.path.split("?", 1)[0]
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.server.lock:
            failing = path in self.server.down
            if not failing:
                self.server.posts.append((path, body))
        self.server.arrived.set()
        if path in self.server.hold:
            self.server.release.wait(120)
        elif path in self.server.delay:
            self.server.release.wait(self.server.delay[path])
        self.send_response(500 if failing else 200)
        payload = json.dumps({"ok": True, "result": {"message_id": len(self.server.posts)}}).encode()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the sender gave up waiting (read timeout, killed)
            self.wfile.write(payload)

    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve_web(app: Any) -> Any:
    """Serve a Starlette app (the web app) with uvicorn on 127.0.0.1 in a thread; yields its
    base URL. The socket listens before the thread starts, so a browser may connect at once
    (its connection waits in the backlog): no polling for start-up."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


class CuttableProxy:
    """Forwards 127.0.0.1:``port`` to ``target`` until cut(): then every connection through it
    ends at once and new ones are closed as soon as they are accepted (to a client, the server
    went away), until restore(). A server shared with others is never stopped."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.is_cut = False
        self.refused = 0  # connections closed at once while cut
        threading.Thread(target=self._accept, name="proxy-accept", daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:  # closed
                return
            if self.is_cut:
                self._refuse(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                cut = self.is_cut
                if not cut:
                    self.sockets |= {client, upstream}
            if cut:
                upstream.close()
                self._refuse(client)
                continue
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), name="proxy-pump", daemon=True).start()

    def _refuse(self, client: socket.socket) -> None:
        with self.lock:
            self.refused += 1
        client.close()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        self._end(source, sink)

    def _end(self, *sockets: socket.socket) -> None:
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes the pump blocked in recv() on it
            sock.close()
            with self.lock:
                self.sockets.discard(sock)

    def cut(self) -> None:
        with self.lock:
            self.is_cut = True
            sockets = list(self.sockets)
        self._end(*sockets)

    def restore(self) -> None:
        with self.lock:
            self.is_cut = False

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes accept()
        self.listener.close()
        self.cut()

"""`jajak run --web`: the web app served from the daemon's process, in a thread of its own, so
one service gives the schedule and the pages (same password rules as `jajak web`)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import uvicorn

from crawler.web.app import create_app

if TYPE_CHECKING:
    from collections.abc import Callable

    from crawler.config import Config


def serve_in_thread(config: Config, host: str, port: int) -> Callable[[], None]:
    """Start serving the web app (create_app refuses a non-loopback ``host`` without a password,
    ConfigError); returns the function that stops it."""
    app = create_app(config, host=host)
    # Off the main thread uvicorn leaves the signals alone: SIGTERM stays the daemon's.
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", server_header=False))
    thread = threading.Thread(target=server.run, name="jajak-web", daemon=True)
    thread.start()

    def stop() -> None:
        server.should_exit = True
        thread.join(10)

    return stop

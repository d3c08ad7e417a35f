"""The worker process of crawler.workers: runs extract/classify calls sent over a pipe.

Started as ``python -m crawler.worker_process READ_FD WRITE_FD``; imports nothing but what the
calls need (no Scrapy, no reactor), so a worker costs the memory of the extraction code only.
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection


def serve(calls: Connection, answers: Connection) -> None:
    """Answer calls in order until told to stop (None) or the pipe closes."""
    while True:
        try:
            message = calls.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if message is None:
            return
        job_id, (func, args, kwargs) = message
        try:
            answers.send((job_id, True, func(*args, **kwargs)))
        except Exception as err:  # noqa: BLE001 - reported back to the crawl, which logs it
            answers.send((job_id, False, f"{type(err).__name__}: {err}"))


if __name__ == "__main__":
    serve(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False))

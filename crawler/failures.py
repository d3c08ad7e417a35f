"""Why a fetch or a crawl failed, in one short line (crawl stage): "DNS lookup failed for x",
"connection refused by x", "timeout after 30 s", or an exception's last line. The crawl's stats
keep the last one; the run row, `jajak crawl`'s summary and `jajak status` show it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from twisted.internet import error as twisted_error
from twisted.python.failure import Failure

if TYPE_CHECKING:
    from scrapy.statscollectors import StatsCollector

LAST_FAILURE = "jajak/failure/last"  # stats: the last fetch or processing failure
WHY = "jajak/finish/why"  # stats: why a crawl ended as it did, when it did not simply finish
_TOOK = re.compile(r"took longer than ([\d.]+) seconds")
_MAX = 200


def describe(err: BaseException | Failure, url: str | None = None) -> str:
    """One line for a failed fetch or a failed step."""
    exc = err.value if isinstance(err, Failure) else err
    host = _host(url)
    text = " ".join(str(exc).split())
    if isinstance(exc, CannotResolveHostError | twisted_error.DNSLookupError):
        return f"DNS lookup failed{' for ' + host if host else ''}"
    if isinstance(exc, DownloadConnectionRefusedError | twisted_error.ConnectionRefusedError):
        return f"connection refused{' by ' + host if host else ''}"
    if isinstance(exc, DownloadTimeoutError | twisted_error.TimeoutError | twisted_error.TCPTimedOutError):
        took = _TOOK.search(text)
        return f"timeout after {float(took.group(1)):g} s" if took else f"timeout{' at ' + host if host else ''}"
    if isinstance(exc, IgnoreRequest):
        return f"not fetched: {text}"[:_MAX]
    return last_line(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)


def last_line(text: str) -> str:
    """The last non-empty line of ``text``, cut to a readable length."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line = lines[-1] if lines else ""
    return line if len(line) <= _MAX else line[: _MAX - 1] + "…"


def explain(source: str, reason: str, why: str | None, log: str | Path | None) -> str:
    """``source: reason: why (log: path)``, the line shown for a failed or cut crawl."""
    text = f"{source}: {reason}"
    if why and why not in reason:
        text += f": {why}"
    return text + (f" (log: {log})" if log else "")


def record(stats: StatsCollector, err: BaseException | Failure, url: str | None = None) -> str:
    """Describe the failure and keep it as the crawl's last one."""
    why = describe(err, url)
    stats.set_value(LAST_FAILURE, why)
    return why


def log_tail(path: Path) -> str | None:
    """The last line a crawl process wrote to its log (a crash's exception, a config error)."""
    try:
        with path.open("rb") as log:
            log.seek(0, 2)
            size = log.tell()
            log.seek(max(size - 8192, 0))
            tail = log.read().decode("utf-8", "replace")
    except OSError:
        return None
    line = last_line(tail)
    # A log line carries "date time LEVEL logger: message": keep the message.
    return re.sub(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+ \S+: ", "", line) or None


def _host(url: str | None) -> str:
    if not url:
        return ""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.netloc.rpartition("@")[2]

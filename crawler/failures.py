"""Why a fetch or a crawl failed, in one short line (crawl stage): "DNS lookup failed for x",
"connection refused by x", "timeout after 30 s", or an exception's last line. The crawl's stats
keep the last one; the run row, `jajak crawl`'s summary and `jajak status` show it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as twisted_error
from twisted.python.failure import Failure
from twisted.web.client import ResponseNeverReceived

if TYPE_CHECKING:
    from scrapy.statscollectors import StatsCollector

LAST_FAILURE = "jajak/failure/last"  # stats: the last fetch or processing failure
WHY = "jajak/finish/why"  # stats: why a crawl ended as it did, when it did not simply finish
FAILED = "jajak/finish/failed"  # stats: the fetches a finished crawl could not make, by kind
FAILURES = "jajak/failures/"  # stats: failures counted by kind (timeout, reset, http_503, robots, ...)
_TOOK = re.compile(r"took longer than ([\d.]+) seconds")
_MAXSIZE = re.compile(r"max size \((\d+)\)|DOWNLOAD_MAXSIZE \((\d+) B\)")
_MAX = 200


def describe(err: BaseException | Failure, url: str | None = None) -> str:
    """One line for a failed fetch or a failed step."""
    return diagnose(err, url)[1]


def diagnose(err: BaseException | Failure, url: str | None = None) -> tuple[str, str]:
    """(kind, line) of a failed fetch or step: the kind counts the fault in the crawl's stats
    (``jajak/failures/<kind>``), the line says what happened."""
    exc = err.value if isinstance(err, Failure) else err
    host = _host(url)
    at = f" {host}" if host else ""
    text = " ".join(str(exc).split())
    if isinstance(exc, CannotResolveHostError | twisted_error.DNSLookupError):
        return "dns", f"DNS lookup failed{' for ' + host if host else ''}"
    if isinstance(exc, DownloadConnectionRefusedError | twisted_error.ConnectionRefusedError):
        return "refused", f"connection refused{' by ' + host if host else ''}"
    if isinstance(exc, DownloadTimeoutError | twisted_error.TimeoutError | twisted_error.TCPTimedOutError):
        took = _TOOK.search(text)
        return "timeout", (f"timeout after {float(took.group(1)):g} s" if took
                           else f"timeout{' at ' + host if host else ''}")
    if isinstance(exc, ResponseDataLossError):
        return "truncated", f"truncated answer from{at or ' the site'} (closed before its announced length)"
    if isinstance(exc, DownloadCancelledError) or _MAXSIZE.search(text):
        limit = _MAXSIZE.search(text)
        size = f" ({int(limit.group(1) or limit.group(2)) // 1048576} MB)" if limit else ""
        return "too_large", f"answer from{at or ' the site'} larger than DOWNLOAD_MAXSIZE{size}"
    if isinstance(exc, DownloadFailedError | ResponseNeverReceived | twisted_error.ConnectionLost
                  | twisted_error.ConnectionDone):
        return "reset", f"connection closed by{at or ' the site'} before a whole answer (reset)"
    if isinstance(exc, HttpError) and exc.response is not None:
        status = exc.response.status
        return f"http_{status}", f"HTTP {status} from{at or ' the site'}"
    if isinstance(exc, IgnoreRequest):
        if "robots.txt" in text:
            return "robots", f"forbidden by the robots.txt of{at or ' the site'}"
        if text.startswith("redirect loop"):
            return "redirect_loop", f"redirect loop at{at or ' the site'}"
        if "redirections" in text:
            return "redirect_loop", f"too many redirects from{at or ' the site'}"
        if "off the source's domains" in text:
            return "offsite", f"redirected off the source's domains, to {_host(text.rsplit(' ', 1)[-1])}"
        if "offsite" in text.lower():
            return "offsite", f"not fetched: off the source's domains ({text.rsplit(' ', 1)[-1]})"[:_MAX]
        return "refused_request", f"not fetched: {text}"[:_MAX]
    return "error", last_line(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)


def status_line(status: int, url: str | None = None) -> tuple[str, str]:
    """(kind, line) of an error answer: "HTTP 503 from host"."""
    host = _host(url)
    return f"http_{status}", f"HTTP {status} from{' ' + host if host else ' the site'}"


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
    """Describe the failure, count it by kind and keep it as the crawl's last one."""
    return note(stats, *diagnose(err, url))


def note(stats: StatsCollector, kind: str, why: str) -> str:
    """Count a failure of ``kind`` and keep ``why`` as the crawl's last one."""
    stats.inc_value(FAILURES + kind)
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

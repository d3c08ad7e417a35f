"""Digest stage: rendered stories -> Apprise, one channel at a time, every result checked.

A fresh Apprise object per message: the email plugin throttles per instance (5.5 s between
two sends from one object), and no state leaks between channels or runs.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

import apprise

from alerts.channels import Channel, apprise_scrubbed, scrub
from alerts.render import DigestInfo, heartbeat, render, render_telegram, subject
from alerts.stories import Story

logger = logging.getLogger(__name__)
_APPRISE_FORMATS = {
    "text": apprise.NotifyFormat.TEXT,
    "markdown": apprise.NotifyFormat.MARKDOWN,
    "html": apprise.NotifyFormat.HTML,
}
# Apprise reports every transport problem the same way ("A Connection error occurred ...") and
# returns False; whether the request had already left is only in the exception text its plugins
# log at DEBUG ("Socket Exception: ..."). A timeout or a connection dropped while waiting for
# the answer means the service may have the message; a connection never made means it cannot.
_SOCKET = "Socket Exception:"
_NEVER_LEFT = re.compile(
    r"NewConnectionError|Failed to establish|connect timeout|ConnectTimeout|NameResolution|"
    r"Name or service not known|Connection refused|No route to host|Network is unreachable",
    re.IGNORECASE,
)
_MAYBE_ARRIVED = re.compile(
    r"timed out|Connection aborted|RemoteDisconnected|Connection reset|unexpectedly closed|"
    r"IncompleteRead|Broken pipe",
    re.IGNORECASE,
)


def _reason(records: Sequence[str]) -> str:
    """Apprise's warnings, and the gist of the transport exception ("[Errno 111] Connection
    refused", "Read timed out. (read timeout=30)") rather than its whole repr."""
    said = [r.split(" ", 1)[-1] for r in records if not r.startswith(("DEBUG", "INFO"))]
    for record in records:
        if _SOCKET in record:
            gist = record.split(_SOCKET, 1)[1].rsplit(": ", 1)[-1].strip(" '\"")
            while gist.endswith(")") and gist.count(")") > gist.count("("):  # the repr's closers
                gist = gist[:-1].rstrip(" '\"")
            said.append(f"({gist})")
            break
    return " ".join(said)[-500:] or "Apprise reported no delivery"


def maybe_arrived(log_lines: Sequence[str]) -> bool:
    """Whether a failed send's log says the request went out before it failed (outcome unknown)."""
    errors = [line for line in log_lines if _SOCKET in line]
    return any(_MAYBE_ARRIVED.search(e) and not _NEVER_LEFT.search(e) for e in errors)


@dataclass(frozen=True)
class Message:
    """One notification to one channel, and the stories it carries."""

    title: str
    body: str
    body_format: str  # "text", "markdown" or "html"
    story_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What became of one message: delivered or not, and why not (secrets masked).

    ``uncertain``: it failed after the request went out (a timeout waiting for the answer), so
    the service may have it; a resend may repeat it.
    """

    message: Message
    ok: bool
    error: str | None = None
    uncertain: bool = False


def compose(channel: Channel, stories: Sequence[Story], info: DigestInfo) -> list[Message]:
    """The messages a channel gets for these stories, in the markup it reads best."""
    keys = tuple(story.key for story in stories)
    if channel.kind == "telegram":
        # The header sits in the body (Apprise would put a title on its own bold line).
        parts = render_telegram(stories, info)
        return [Message("", part.body, "html", part.story_keys) for part in parts]
    fmt = "html" if channel.kind == "email" else channel.body_format
    if fmt not in _APPRISE_FORMATS:
        fmt = "text"
    return [Message(subject(stories, info), render(stories, info, fmt), fmt, keys)]


def compose_heartbeat(info: DigestInfo) -> Message:
    return Message("jajak heartbeat", heartbeat(info), "text")


TEST_MESSAGE = Message(
    "jajak test message",
    "Test message from jajak: this channel will receive the partnership-news digests and alerts.",
    "text",
)


def send_one(channel: Channel, message: Message) -> Outcome:
    """Send one message; ok only when Apprise reports success for this channel."""
    # Apprise logs some URLs verbatim: its records (the capture below included) are scrubbed.
    with apprise_scrubbed(channel.secrets):
        notifier = apprise.Apprise()
        if not notifier.add(channel.url):
            return Outcome(message, False, f"Apprise refused the URL {channel.display}")
        # DEBUG, for the transport exception (see _SOCKET). Records end with \x1e: a message may
        # span lines (a service's answer).
        capture = apprise.LogCapture(level=logging.DEBUG, fmt="%(levelname)s %(message)s\x1e")  # type: ignore[no-untyped-call]
        with capture as captured:
            result = notifier.notify(
                title=message.title,
                body=message.body,
                body_format=_APPRISE_FORMATS[message.body_format],
            )
            # notify() gives an AppriseResult (False when a service failed, None-like when
            # nothing was sent); only a true result counts as delivered.
            ok = bool(result)
            log = captured.getvalue() if not ok else ""
    if ok:
        return Outcome(message, True)
    records = [" ".join(record.split()) for record in log.split("\x1e") if record.strip()]
    uncertain = maybe_arrived(records)
    error = scrub(_reason(records), channel.secrets)
    logger.error("delivery to %s failed%s: %s", channel.display,
                 " (it may have arrived)" if uncertain else "", error)
    return Outcome(message, False, error, uncertain)


def send_test(channel: Channel) -> Outcome:
    """Send the short test message (`jajak notify --test`, the web app's "send test message")."""
    return send_one(channel, TEST_MESSAGE)


def send(channel: Channel, messages: Sequence[Message]) -> list[Outcome]:
    """Send messages in order; after a failure the rest are not tried (the service is down)."""
    outcomes: list[Outcome] = []
    for message in messages:
        if outcomes and not outcomes[-1].ok:
            outcomes.append(Outcome(message, False, outcomes[-1].error))
            continue
        outcomes.append(send_one(channel, message))
    return outcomes

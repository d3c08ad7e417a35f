"""Digest stage: what happened to each channel, in words that say it. "nothing new" only when
nothing was sent, nothing waits for a retry and nothing was given up; a dry run says what it
would send. Used by `jajak digest`, the daemon's log and `jajak status`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from alerts.render import format_when

MAX_ERROR = 200  # characters of an error shown in one line


@dataclass(frozen=True)
class ChannelFacts:
    """One channel after one run (or over its history, for `jajak status`), as plain values.

    ``waiting`` counts the stories whose delivery failed and will be retried at ``next_retry``
    (``last_error`` is the latest reason, secrets masked); ``given_up`` holds the number of
    attempts of each story given up.
    """

    sent: int = 0
    messages: int = 0
    waiting: int = 0
    next_retry: datetime | None = None
    last_error: str | None = None
    given_up: tuple[int, ...] = ()
    heartbeat: str | None = None  # "sent", or the reason it failed
    dry_run: bool = False
    would_send: int = 0
    would_messages: int = 0


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 story', '5 stories'."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def stories_in(stories: int, messages: int) -> str:
    """'5 stories in 2 messages'."""
    return f"{plural(stories, 'story', 'stories')} in {plural(messages, 'message')}"


def clock(when: datetime, now: datetime, timezone: str = "Asia/Jakarta") -> str:
    """HH:MM and the zone's name; the date too when it is not today there."""
    zone = ZoneInfo(timezone)
    if when.astimezone(zone).date() == now.astimezone(zone).date():
        return format_when(when, timezone).split(" ", 3)[3]
    day, month, _year, rest = format_when(when, timezone).split(" ", 3)
    return f"{day} {month} {rest}"


def _short(error: str) -> str:
    error = " ".join(error.split())
    return error if len(error) <= MAX_ERROR else "…" + error[-(MAX_ERROR - 1):]


def waiting_words(facts: ChannelFacts, now: datetime, timezone: str = "Asia/Jakarta") -> str:
    """'12 waiting to retry at 14:35 WIB (last error: …)'; empty when none waits."""
    if not facts.waiting:
        return ""
    text = f"{facts.waiting} waiting to retry"
    if facts.next_retry is not None:
        text += f" at {clock(facts.next_retry, now, timezone)}"
    if facts.last_error:
        text += f" (last error: {_short(facts.last_error)})"
    return text


def given_up_words(attempts: Sequence[int]) -> list[str]:
    """'3 given up after 10 attempts', one phrase per number of attempts."""
    counts = Counter(attempts)
    return [f"{count} given up after {plural(tries, 'attempt')}" for tries, count in sorted(counts.items())]


def describe(facts: ChannelFacts, now: datetime, timezone: str = "Asia/Jakarta") -> str:
    """The facts of one run for one channel, in one line."""
    if facts.dry_run:
        if facts.would_send:
            parts = [f"would send {stories_in(facts.would_send, facts.would_messages)}"]
        elif facts.heartbeat is not None:
            parts = ["nothing new, would send a heartbeat"]
        else:
            parts = ["would send nothing"]
    else:
        parts = [f"sent {stories_in(facts.sent, facts.messages)}"] if facts.sent else []
        if facts.heartbeat == "sent":
            parts.append("nothing new, heartbeat sent")
        elif facts.heartbeat is not None:
            parts.append(f"nothing new, heartbeat FAILED: {_short(facts.heartbeat)}")
    parts.append(waiting_words(facts, now, timezone))
    parts += given_up_words(facts.given_up)
    parts = [part for part in parts if part]
    return "; ".join(parts) if parts else "nothing new"


def describe_history(
    facts: ChannelFacts, last_sent: datetime | None, sending: int, now: datetime,
    timezone: str = "Asia/Jakarta",
) -> str:
    """A channel over its whole history (`jajak status`): the same facts as a run's line."""
    if facts.sent:
        parts = [f"{plural(facts.sent, 'story', 'stories')} sent"
                 + (f" (last {clock(last_sent, now, timezone)})" if last_sent else "")]
    else:
        parts = ["nothing sent yet"]
    if sending:
        parts.append(f"{sending} being sent")
    parts.append(waiting_words(facts, now, timezone))
    parts += given_up_words(facts.given_up)
    return "; ".join(part for part in parts if part)

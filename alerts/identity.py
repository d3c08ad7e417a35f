"""Digest stage: where a channel delivers to. Two channels are the same only when they reach the
same place (service, account, Telegram chat, email recipients, webhook path and query); the key
stored with deliveries is a hash of that place, so it never holds a token or a password."""

from __future__ import annotations

import copy
import hashlib
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from apprise.plugins.base import NotifyBase

KEY_HEX = 32  # 128 bits of sha256: no two places collide; old keys (before 0005) had 16
# Options every Apprise service shares (format, timeouts, retries): they say how to send,
# never where, so changing them (as jajak does with rto/cto) keeps a channel's history.
_HOW = frozenset(NotifyBase.template_args)
# Apprise's own "recipient" options, kept wherever a plugin leaves them in the query.
_WHERE = frozenset({"to", "topic", "thread", "channel", "channels", "room", "rooms", "targets"})


def kind_of(plugin: Any) -> str:
    """"telegram", "email" or "other": what the digest renders for."""
    from apprise.plugins.email import NotifyEmail
    from apprise.plugins.telegram import NotifyTelegram

    if isinstance(plugin, NotifyTelegram):
        return "telegram"
    if isinstance(plugin, NotifyEmail):
        return "email"
    return "other"


def _scheme(plugin: Any) -> str:
    # The canonical scheme (mailto/mailtos, tgram), whatever alias the URL was written with.
    return str(plugin.url(privacy=True)).split("://", 1)[0].lower()


def _addresses(values: Any) -> str:
    found = []
    for value in values or ():
        address = value[1] if isinstance(value, tuple) else value
        found.append(str(address).strip().lower())
    return ",".join(sorted(found))


def place(plugin: Any) -> str:
    """The normalised target of a plugin (secrets included: only its hash may be stored)."""
    kind = kind_of(plugin)
    if kind == "telegram":
        # One target after splitting: (chat id, topic id or None).
        chats = ";".join(sorted(f"{chat}:{topic or ''}" for chat, topic in plugin.targets))
        return "\n".join(("telegram", str(plugin.bot_token), chats))
    if kind == "email":
        return "\n".join((
            _scheme(plugin),
            str(plugin.smtp_host or "").lower(), str(plugin.host or "").lower(), str(plugin.port),
            str(plugin.user or "").lower(),
            "to=" + _addresses(plugin.targets),
            "cc=" + _addresses(plugin.cc),
            "bcc=" + _addresses(plugin.bcc),
        ))
    url = urlsplit(str(plugin.url(privacy=False)))
    query = sorted(
        (key, value) for key, value in parse_qsl(url.query, keep_blank_values=True)
        if key in _WHERE or key not in _HOW and key not in type(plugin).template_args
    )
    return "\n".join((url.scheme.lower(), url.netloc.lower(), url.path or "/", urlencode(query)))


def channel_key(plugin: Any) -> str:
    """``scheme:hash`` of the place a plugin delivers to."""
    digest = hashlib.sha256(place(plugin).encode("utf-8")).hexdigest()
    return f"{_scheme(plugin)}:{digest[:KEY_HEX]}"


def legacy_key(plugin: Any, url: str) -> str:
    """The key jajak stored before revision 0005: Apprise's url_id(), which ignores chat ids and
    recipients (so recipients of one mail server shared one delivery history)."""
    ident = plugin.url_id() or hashlib.sha256(url.encode("utf-8")).hexdigest()
    return f"{url.split('://', 1)[0].lower()}:{ident[:16]}"


def recipient(plugin: Any) -> str:
    """Who one split channel reaches, for people: an address or a chat id (no secret)."""
    kind = kind_of(plugin)
    if kind == "telegram":
        chat, topic = plugin.targets[0]
        return f"chat {chat}" + (f" topic {topic}" if topic else "")
    if kind == "email":
        return _addresses(plugin.targets)
    return ""


def split_targets(plugin: Any, url: str) -> list[tuple[Any, str]]:
    """One (plugin, URL) per Telegram chat or email recipient, so each keeps its own history and
    a failure at one recipient never resends to another; other services stay whole."""
    targets = list(getattr(plugin, "targets", None) or ())
    if kind_of(plugin) == "other" or len(targets) < 2:
        return [(plugin, url)]
    parts = []
    for target in targets:
        single = copy.copy(plugin)
        single.targets = [target]
        parts.append((single, str(single.url(privacy=False))))
    return parts


def with_timeouts(plugin: Any, url: str, timeout: float | None) -> str:
    """The URL with Apprise's read and connect timeouts (rto, cto) set to ``timeout`` seconds,
    unless the URL sets its own. Apprise's 4 s read timeout marks a slow webhook that did take
    the message as failed, and the retry then repeats it."""
    if timeout is None:
        return url
    cls = type(plugin)
    params = []
    # A value other than the class default was written in the URL (or the config file).
    if plugin.socket_read_timeout == cls.socket_read_timeout:
        params.append(("rto", f"{timeout:g}"))
    if plugin.socket_connect_timeout == cls.socket_connect_timeout:
        params.append(("cto", f"{timeout:g}"))
    if not params:
        return url
    base, hash_, fragment = url.partition("#")
    path, _, query = base.partition("?")
    # Raw pairs, not parse_qsl: "+X-Token" must keep its plus (an Apprise header marker). A
    # default Apprise wrote back itself (url() always names email's cto) gives way to ours.
    setting = {key for key, _ in params}
    pairs = [pair for pair in query.split("&") if pair and pair.partition("=")[0] not in setting]
    pairs += [f"{key}={value}" for key, value in params]
    return f"{path}?{'&'.join(pairs)}{hash_}{fragment}"

"""Digest stage: where alerts go. Apprise URLs from JAJAK_NOTIFY or an Apprise config file,
validated up front, with secrets masked in every message and log line."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import apprise
import yaml

from alerts.identity import channel_key, kind_of, legacy_key, recipient, split_targets, with_timeouts

MASK = "****"
DEFAULT_TIMEOUT = 30.0  # seconds; JAJAK_NOTIFY_TIMEOUT
# Query keys whose values are credentials, whatever the service ("+X-Token" is a json:// header).
_SECRET_KEY = re.compile(r"token|key|secret|pass|pwd|auth|sig|webhook|cred", re.IGNORECASE)
# A path segment that looks like an API token: long, or letters and digits mixed.
_TOKEN_LIKE = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[\w.~+=-]{8,}$|^[\w.~+=-]{16,}$")
_SPLIT = re.compile(r"[\s,]+")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_BARE_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*$", re.IGNORECASE)


class ChannelError(ValueError):
    """An unusable channel configuration; the message names the (masked) URL."""


@dataclass(frozen=True)
class Channel:
    """One Apprise target. ``key`` (stored with deliveries) and ``display`` carry no secret."""

    key: str
    display: str
    kind: str  # "telegram", "email" or "other"
    body_format: str  # what an "other" service accepts best: "text", "markdown" or "html"
    url: str = field(repr=False)
    tags: frozenset[str] = frozenset()
    # The key this place had before revision 0005 (shared by every recipient of one mail
    # server or bot), and the configured entry it was split from: together they say whose
    # delivery history an old key holds.
    legacy_key: str = ""
    origin: str = ""
    # The credentials in ``url``, masked in what is said about a delivery to it.
    secrets: tuple[str, ...] = field(default=(), repr=False)


def scrub(text: str, secrets: Iterable[str]) -> str:
    """The text with every one of the secrets replaced by ****."""
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


class SecretFilter(logging.Filter):
    """Replaces known secrets in log records.

    A process makes one where its configuration is read, with every secret of that
    configuration (the database password, the channels' credentials: ``url_secrets``), and
    gives it to its log handlers (crawler.logs).
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets: set[str] = set()
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        self.secrets.update(s for s in secrets if len(s) >= 4)  # shorter ones would mask words

    def scrub(self, text: str) -> str:
        return scrub(text, self.secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = self.scrub(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, ()
        return True


@contextlib.contextmanager
def apprise_scrubbed(secrets: Iterable[str]) -> Iterator[None]:
    """Apprise logs some URLs and invalid tokens verbatim: while it parses or uses a URL, its
    log records have that URL's secrets masked, whoever handles them (a capture, pytest, a
    process that set up no jajak logging)."""
    scrubber = SecretFilter(secrets)
    apprise_logger = logging.getLogger("apprise")  # Apprise logs everything on this one logger
    apprise_logger.addFilter(scrubber)
    try:
        yield
    finally:
        apprise_logger.removeFilter(scrubber)


def _secret_parts(url: str) -> tuple[str, list[str]]:
    """The URL with credentials replaced by ****, and the raw credentials found."""
    match = _SCHEME.match(url)
    if not match:
        # "tgram:/123:AAH-token/chat" (a slash short) is no URL to Apprise, but it still holds
        # the token: keep only the scheme. Without any scheme, token-like pieces are hidden.
        scheme, colon, rest = url.partition(":")
        if colon and _BARE_SCHEME.match(scheme):
            return f"{scheme}:{MASK}", [rest] if len(rest) >= 4 else []
        pieces = [p for p in re.split(r"[/:@?&=#]", url) if _TOKEN_LIKE.match(unquote(p))]
        return (MASK, pieces) if pieces else (url, [])
    parts = urlsplit(url)
    secrets: list[str] = []
    # Apprise writes the Telegram token's colon as %3A when it rebuilds a URL.
    netloc = re.sub("%3a", ":", parts.netloc, flags=re.IGNORECASE)
    userinfo, at, hostport = netloc.rpartition("@")
    if at and ":" in userinfo:
        user, _, password = userinfo.partition(":")
        secrets.append(password)
        userinfo = f"{user}:{MASK}"
    elif not at:
        hostport = netloc
    host, colon, port = hostport.partition(":")
    if "." not in host and _TOKEN_LIKE.match(unquote(host)):  # slack://TokenA/...: no hostname
        secrets.append(host)
        host = MASK
    if colon and not port.isdigit():  # tgram://123456:AAH-token/chat: the token sits in the "port"
        secrets.append(port)
        port = MASK
    hostport = f"{host}{colon}{port}"
    netloc = f"{userinfo}{at}{hostport}" if at else hostport
    segments = []
    for segment in parts.path.split("/"):
        if _TOKEN_LIKE.match(unquote(segment)):
            secrets.append(segment)
            segment = MASK
        segments.append(segment)
    query = []
    for pair in parts.query.split("&") if parts.query else []:
        # Raw pairs, not parse_qsl: "+X-Token" must keep its plus (an Apprise header marker).
        key, eq, value = pair.partition("=")
        if value and _SECRET_KEY.search(unquote(key)):
            secrets.append(value)
            value = MASK
        query.append(f"{key}{eq}{value}")
    masked = f"{parts.scheme}://{netloc}{'/'.join(segments)}"
    if query:
        masked += "?" + "&".join(query)
    if parts.fragment:
        masked += "#" + MASK
        secrets.append(parts.fragment)
    secrets += [unquote(s) for s in secrets]
    return masked, [s for s in secrets if len(s) >= 4]


def mask_url(url: str) -> str:
    """The URL with passwords, tokens and credential-like values replaced by ****."""
    return _secret_parts(url)[0]


def url_secrets(notify: str = "", config_path: str | Path | None = None) -> set[str]:
    """The credentials in the configured URLs (JAJAK_NOTIFY, the Apprise config file), for the
    log filter a process makes at start; a file that cannot be read gives none (loading the
    channels says why)."""
    urls = split_urls(notify) if notify.strip() else []
    if config_path:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            urls += _config_urls(Path(config_path).read_text(encoding="utf-8"))
    return {secret for url in urls for secret in _secret_parts(url)[1]}


def split_urls(value: str) -> list[str]:
    """JAJAK_NOTIFY: Apprise URLs separated by spaces or commas.

    A comma inside a URL's query (mailto://...?to=a@x,b@x) stays with its URL: only a comma
    followed by a new scheme starts another URL.
    """
    urls: list[str] = []
    for piece in _SPLIT.split(value.strip()):
        if not piece:
            continue
        if urls and not _SCHEME.match(piece):
            urls[-1] += "," + piece
        else:
            urls.append(piece)
    return urls


def _channels(
    plugin: Any, url: str, display: str, tags: frozenset[str], timeout: float | None
) -> list[Channel]:
    """One channel per place the entry reaches (each Telegram chat, each email recipient)."""
    formats = plugin.notify_format
    first = formats[0] if isinstance(formats, tuple) else formats
    body_format = str(getattr(first, "value", first))
    legacy, origin = legacy_key(plugin, url), channel_key(plugin)
    parts = split_targets(plugin, url)
    channels = []
    for single, single_url in parts:
        shown = f"{display} → {recipient(single)}" if len(parts) > 1 else display
        channels.append(Channel(
            channel_key(single), shown, kind_of(single), body_format,
            with_timeouts(single, single_url, timeout), tags, legacy, origin,
            tuple(sorted({*_secret_parts(url)[1], *_secret_parts(single_url)[1]})),
        ))
    return channels


def _instantiate(url: str, where: str) -> tuple[Any, str]:
    masked, secrets = _secret_parts(url)
    with apprise_scrubbed(secrets):
        plugin = apprise.Apprise.instantiate(url) if _SCHEME.match(url) else None
    if plugin is None:
        raise ChannelError(f"{where}: invalid or unsupported Apprise URL {masked}")
    return plugin, masked


def parse_notify(value: str, timeout: float | None = DEFAULT_TIMEOUT) -> list[Channel]:
    """Channels from JAJAK_NOTIFY; raises ChannelError naming the first bad URL (masked)."""
    channels = []
    for url in split_urls(value):
        plugin, masked = _instantiate(url, "JAJAK_NOTIFY")
        channels += _channels(plugin, url, masked, frozenset(), timeout)
    return channels


def _config_urls(text: str) -> list[str]:
    """The URLs written in an Apprise TEXT or YAML config, to validate each one by name."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    if isinstance(data, dict):
        urls = []
        for entry in data.get("urls") or []:
            if isinstance(entry, str):
                urls.append(entry)
            elif isinstance(entry, dict):
                urls += [str(key) for key in entry]
        return urls
    urls = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")) or line.lower().startswith("include "):
            continue
        tags, eq, rest = line.partition("=")
        urls.append(rest.strip() if eq and not _SCHEME.match(line) else line)
    return urls


def load_config(path: str | Path, timeout: float | None = DEFAULT_TIMEOUT) -> list[Channel]:
    """Channels (with their tags) from an Apprise YAML or TEXT configuration file."""
    where = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise ChannelError(f"JAJAK_APPRISE_CONFIG: cannot read {where}: {err.strerror}") from err
    urls = _config_urls(text)
    for number, url in enumerate(urls, start=1):
        _instantiate(url, f"{where}: entry {number}")
    config = apprise.AppriseConfig()
    if not config.add(str(Path(path).resolve())):
        raise ChannelError(f"{where}: not a readable Apprise configuration")
    servers = config.services()
    if not servers:
        raise ChannelError(f"{where}: no Apprise URL in this configuration")
    channels = []
    for plugin in servers:
        url = str(plugin.url())  # type: ignore[no-untyped-call]
        masked = mask_url(url).split("?", 1)[0]  # Apprise adds its default options: noise here
        channels += _channels(plugin, url, masked, frozenset(plugin.tags), timeout)
    return channels


def load_channels(
    notify: str = "", config_path: str | None = None, timeout: float | None = DEFAULT_TIMEOUT
) -> list[Channel]:
    """Every configured channel; empty when neither JAJAK_NOTIFY nor a config file is set.

    A place configured twice is one channel (the first), with the tags of both.
    """
    channels = parse_notify(notify, timeout) if notify.strip() else []
    if config_path:
        channels += load_config(config_path, timeout)
    unique: dict[str, Channel] = {}
    for channel in channels:
        first = unique.setdefault(channel.key, channel)
        if first is not channel:
            unique[channel.key] = replace(first, tags=first.tags | channel.tags)
    return list(unique.values())


def select(channels: list[Channel], tag: str | None) -> list[Channel]:
    """Channels carrying ``tag`` (all of them when no tag is asked for)."""
    if tag is None:
        return list(channels)
    return [channel for channel in channels if tag in channel.tags]

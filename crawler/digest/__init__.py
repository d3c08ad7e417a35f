"""Digest job (digest stage): stored matches -> plain `alerts` values -> Apprise channels, with
each story x channel recorded in `deliveries`. config: the settings; claims: which stories each
channel gets, under a database lock; job: sending them and recording each outcome."""

from __future__ import annotations

from crawler.digest.claims import Claimed, adopt_legacy, to_value
from crawler.digest.config import DigestConfig, load_channels, notify_timeout, parse_age
from crawler.digest.job import ChannelReport, run_digest, send_instant

__all__ = [
    "ChannelReport",
    "Claimed",
    "DigestConfig",
    "adopt_legacy",
    "load_channels",
    "notify_timeout",
    "parse_age",
    "run_digest",
    "send_instant",
    "to_value",
]

"""Digest stage: stored matches -> plain `alerts` values -> Apprise channels, with each story x
channel recorded in `deliveries`. config: the channels and delivery rules; claims: which stories
each channel gets, under a database lock; deliver: sending them and recording each outcome. The
digest job that the CLI and the daemon call is crawler.jobs.digest."""

from __future__ import annotations

from crawler.digest.claims import Claimed, adopt_legacy, to_value
from crawler.digest.config import DigestConfig, load_channels
from crawler.digest.deliver import ChannelReport, run_digest, send_instant

__all__ = [
    "ChannelReport",
    "Claimed",
    "DigestConfig",
    "adopt_legacy",
    "load_channels",
    "run_digest",
    "send_instant",
    "to_value",
]

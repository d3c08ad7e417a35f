"""Digest stage (alerts): matched articles as plain values -> stories -> rendered digests ->
Apprise channels (Telegram, email, any Apprise URL). Imports neither Scrapy nor SQLAlchemy."""

from __future__ import annotations

from alerts.channels import (
    Channel,
    ChannelError,
    load_channels,
    load_config,
    mask_url,
    parse_notify,
    select,
    split_urls,
)
from alerts.render import (
    FORMATS,
    RESEND_NOTE,
    TELEGRAM_LIMIT,
    DigestInfo,
    TelegramPart,
    format_when,
    heartbeat,
    render,
    render_telegram,
    subject,
)
from alerts.report import ChannelFacts, describe, describe_history
from alerts.send import TEST_MESSAGE, Message, Outcome, compose, compose_heartbeat, maybe_arrived, send, send_one
from alerts.stories import (
    STAGE_ORDER,
    MatchedArticle,
    Story,
    earlier_story,
    group_stories,
    jaccard,
    make_story,
    order_stories,
    shingles,
)

__all__ = [
    "FORMATS",
    "RESEND_NOTE",
    "STAGE_ORDER",
    "TELEGRAM_LIMIT",
    "TEST_MESSAGE",
    "Channel",
    "ChannelFacts",
    "ChannelError",
    "DigestInfo",
    "MatchedArticle",
    "Message",
    "Outcome",
    "Story",
    "TelegramPart",
    "compose",
    "compose_heartbeat",
    "describe",
    "describe_history",
    "earlier_story",
    "format_when",
    "group_stories",
    "heartbeat",
    "jaccard",
    "load_channels",
    "load_config",
    "make_story",
    "maybe_arrived",
    "mask_url",
    "order_stories",
    "parse_notify",
    "render",
    "render_telegram",
    "select",
    "send",
    "send_one",
    "shingles",
    "split_urls",
    "subject",
]

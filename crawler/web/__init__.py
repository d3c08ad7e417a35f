"""The web app (`jajak web`): the inbox of matched stories, a story with its judgement buttons,
sources' health and the channels' deliveries, over the configured database."""

from __future__ import annotations

from crawler.web.app import create_app
from crawler.web.security import DEFAULT_HOST, DEFAULT_PORT, check_bind

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "check_bind", "create_app"]

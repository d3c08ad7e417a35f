"""Demo-portal themes: render a list of article dicts as a whole website (`build_site`).

Each theme imitates one family of Indonesian regional portals; the result is served by
crawler.demo.server.PortalServer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from crawler.demo.site import Site
from crawler.demo.themes import numeric, wp_magazine, wp_news

Builder = Callable[[list[dict[str, Any]], str, datetime | None], Site]

THEMES: dict[str, Builder] = {
    "wp-magazine": wp_magazine.build,
    "wp-news": wp_news.build,
    "numeric": numeric.build,
}


def build_site(theme: str, articles: list[dict[str, Any]], base_url: str, *,
               now: datetime | None = None) -> Site:
    """Render `articles` as the portal `theme` at `base_url` (absolute links use it)."""
    try:
        builder = THEMES[theme]
    except KeyError:
        raise ValueError(f"unknown theme {theme!r}; choose from {', '.join(THEMES)}") from None
    return builder(articles, base_url, now)

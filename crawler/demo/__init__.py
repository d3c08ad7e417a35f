"""Demo portals: fixture news sites served on 127.0.0.1 for tests, the benchmark and `jajak demo`.

`load_articles()` gives the hand-written corpus; `crawler.demo.themes.build_site` renders it as
a portal and `crawler.demo.server.PortalServer` serves that portal.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ARTICLES_PATH = Path(__file__).with_name("articles.json")


def load_articles() -> list[dict[str, Any]]:
    """The hand-written demo articles (crawler/demo/articles.json), newest first."""
    articles: list[dict[str, Any]] = json.loads(ARTICLES_PATH.read_text(encoding="utf-8"))
    return sorted(articles, key=lambda a: a["published"], reverse=True)

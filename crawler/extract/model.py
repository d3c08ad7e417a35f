"""The value the extract stage hands to the classifier and storage stages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Extracted:
    """One fetched page, reduced to the article it carries (or marked as not an article)."""

    url: str
    title: str
    text: str
    lead: str | None
    published: datetime | None
    modified: datetime | None
    author: str | None
    section: str | None
    tags: tuple[str, ...]
    image: str | None
    language: str | None
    is_article: bool
    continuation: tuple[str, ...]
    # "article"; "listing" or "static" when the page proves it is none; "weak" when its own
    # signals are too weak to say (a short post without structured data): the discovery
    # channel that listed it decides.
    page_kind: str = "article"
    page_title: str = ""  # the raw <title>, for learning the source's site-name affixes
    # How the body was read: "fast" (the lxml fast path, sure of its block), "checked" (in
    # doubt, confirmed by trafilatura) or "fallback/<reason>" (trafilatura's text taken).
    body_source: str = "fast"

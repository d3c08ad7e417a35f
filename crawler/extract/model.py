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

"""Structured page metadata for the extract stage: JSON-LD, <meta> tags and <link> tags,
read once from the parsed lxml tree."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from lxml import html as lxml_html

ARTICLE_TYPES = frozenset(
    {"newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
     "opinionnewsarticle", "backgroundnewsarticle", "liveblogposting", "socialmediaposting"}
)
LISTING_TYPES = frozenset(
    {"collectionpage", "searchresultspage", "profilepage", "itemlist", "aboutpage", "contactpage"}
)


@dataclass
class PageMeta:
    """Everything structured the page declares about itself."""

    meta: dict[str, list[str]] = field(default_factory=dict)
    links: dict[str, list[str]] = field(default_factory=dict)
    ld_items: list[dict[str, Any]] = field(default_factory=list)
    html_lang: str | None = None

    def first(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.meta.get(key, ()):
                if value.strip():
                    return value.strip()
        return None

    def all(self, key: str) -> list[str]:
        return [v.strip() for v in self.meta.get(key, ()) if v.strip()]

    @property
    def ld_types(self) -> set[str]:
        return {t for item in self.ld_items for t in _types(item)}

    @property
    def article_ld(self) -> dict[str, Any] | None:
        for item in self.ld_items:
            if _types(item) & ARTICLE_TYPES:
                return item
        return None


def _types(item: dict[str, Any]) -> set[str]:
    raw = item.get("@type", ())
    if isinstance(raw, str):
        raw = [raw]
    return {str(t).lower() for t in raw if isinstance(t, str)}


def _flatten(node: Any, out: list[dict[str, Any]]) -> None:
    if isinstance(node, list):
        for child in node:
            _flatten(child, out)
    elif isinstance(node, dict):
        if "@graph" in node:
            _flatten(node["@graph"], out)
        if "@type" in node:
            out.append(node)


def read_meta(tree: lxml_html.HtmlElement) -> PageMeta:
    """Collect <meta>, <link rel> and JSON-LD blocks of the page."""
    pm = PageMeta()
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv")
        content = el.get("content")
        if key and content is not None:
            pm.meta.setdefault(key.strip().lower(), []).append(content)
    for el in tree.iter("link"):
        rel, href = el.get("rel"), el.get("href")
        if rel and href:
            for r in rel.lower().split():
                pm.links.setdefault(r, []).append(href.strip())
    for el in tree.iter("script"):
        if (el.get("type") or "").lower() != "application/ld+json" or not el.text:
            continue
        try:
            data = json.loads(el.text.strip().rstrip(";"))
        except ValueError:  # broken JSON-LD is common; the meta tags still work
            continue
        _flatten(data, pm.ld_items)
    root = tree if tree.tag == "html" else tree.getroottree().getroot()
    pm.html_lang = root.get("lang") or root.get("xml:lang")
    return pm


def ld_text(value: Any) -> str | None:
    """A JSON-LD value as text: strings, {"name": ...}, {"@id"/"url": ...} or the first of a list."""
    if isinstance(value, list):
        for v in value:
            text = ld_text(v)
            if text:
                return text
        return None
    if isinstance(value, dict):
        for key in ("name", "url", "@id", "contentUrl"):
            if isinstance(value.get(key), str) and value[key].strip():
                return str(value[key]).strip()
        return None
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def ld_list(value: Any) -> list[str]:
    """Keywords/tags from JSON-LD: a list, or one comma-separated string."""
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, list):
        return [t for v in value if (t := ld_text(v))]
    return []

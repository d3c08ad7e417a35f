"""Fast path of the extract stage, reading: the chosen block's text as lines, with lxml.

Paragraphs, headings, list items and text-only <div>s each give a line, `<br>` breaks one, and
loose text between them (a first paragraph typed straight into the container) is kept. Zones
that are not article text (share bars, related boxes, captions, embedded posts, widgets) are
left out, and so is a line that is mostly a link (a teaser or a "Baca juga" insert).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import html as lxml_html

# Never text: dropped from the scope before anything reads it.
NOT_TEXT = ("script", "style", "noscript", "template", "svg", "object")
_SKIP_TAGS = {
    "script", "style", "noscript", "figure", "figcaption", "aside", "nav", "form", "iframe",
    "button", "footer", "header", "ins", "svg", "select", "textarea", "template", "object",
    "video", "audio", "table", "input", "label",
}
SKIP_ZONE = re.compile(
    r"share|sharing|social|related|terkait|baca-?juga|bacajuga|comment|komen|respond|"
    # "widget" alone or as WordPress's widget_*, not page builders' "elementor-widget-container"
    r"newsletter|\bads?\b|advert|iklan|(?<![\w-])widgets?(?!\w)|widget_|sidebar|author-?(box|bio)|(?<![\w-])tags?(?![\w-])|tagline|"
    r"breadcrumb|caption|credit|byline|post-?meta|entry-?meta|pagination|page-?links|"
    r"pager|nav-links|jp-relatedposts|sharedaddy|subscribe|"
    # widgets and embedded posts
    r"\brating|\brate-|reaction|reaksi|emoji|\bvote|\blikes?-|load-?more|twitter-tweet|instagram-media|"
    r"tiktok-embed|fb-post|\bembed",
    re.I,
)
# Elements that end a line before and after them.
_BREAKS = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "ul", "ol", "li", "pre", "dl", "dt", "dd", "center", "tr", "td", "th", "hr", "address",
}
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_MAX_LINK_SHARE = 0.6  # a line with more of its text in links is a teaser or an insert


def skipped(el: lxml_html.HtmlElement) -> bool:
    """Not article text: a non-text element or a zone named as chrome by its class or id."""
    tag = el.tag
    if not isinstance(tag, str) or tag in _SKIP_TAGS or tag.startswith("amp-"):
        return True  # amp-ad, amp-social-share, amp-twitter ... carry no article text
    marker = f"{el.get('class', '')} {el.get('id', '')}"
    if len(marker) > 1 and SKIP_ZONE.search(marker):
        return True
    style = el.get("style")
    return el.get("hidden") is not None or bool(style and _HIDDEN.search(style))


def photo_box(el: lxml_html.HtmlElement) -> bool:
    """A block that is a picture and its caption: an image and little text (not a <p>)."""
    return el.tag != "p" and next(el.iter("img"), None) is not None and len(el.text_content()) < 300


class _Lines:
    """Accumulates text runs into lines; a line remembers how much of it was link text."""

    __slots__ = ("out", "parts", "link", "prefix")

    def __init__(self) -> None:
        self.out: list[str] = []
        self.parts: list[str] = []
        self.link = 0
        self.prefix = ""

    def add(self, text: str, in_link: bool) -> None:
        self.parts.append(text)
        if in_link:
            self.link += len(text.strip())

    def flush(self) -> None:
        if self.parts:
            line = " ".join("".join(self.parts).split())
            if line and self.link <= _MAX_LINK_SHARE * len(line):
                self.out.append(self.prefix + line)
        self.parts, self.link, self.prefix = [], 0, ""


def _emit(el: lxml_html.HtmlElement, lines: _Lines, in_link: bool) -> None:
    tag = el.tag
    if tag == "br":
        lines.flush()
        return
    block = tag in _BREAKS
    if block:
        lines.flush()
    if tag == "li":
        lines.prefix = "- "  # the shape trafilatura gives list items, so both paths read alike
    in_link = in_link or tag == "a"
    if el.text:
        lines.add(el.text, in_link)
    for child in el:
        if not skipped(child) and not (child.tag in _BREAKS and photo_box(child)):
            _emit(child, lines, in_link)
        if child.tail:
            lines.add(child.tail, in_link)
    if block:
        lines.flush()


def block_lines(blocks: Iterable[lxml_html.HtmlElement]) -> list[str]:
    """The text of `blocks`, in order, one line per paragraph."""
    lines = _Lines()
    for block in blocks:
        _emit(block, lines, False)
        lines.flush()
    return lines.out

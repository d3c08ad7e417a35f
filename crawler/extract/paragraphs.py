"""Fast path of the extract stage: the body as the run of paragraphs in one container.

Most news pages keep the article in one element whose children are <p> (WordPress
``.entry-content``, most CMS detail pages). Reading those paragraphs with lxml costs a tenth of
trafilatura's full analysis; anything less regular (text split by <br>, several text blocks,
page builders) returns None and goes to trafilatura.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

_BLOCKS = {"p", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "pre"}
_SKIP_TAGS = {
    "script", "style", "noscript", "figure", "figcaption", "aside", "nav", "form", "iframe",
    "button", "footer", "header", "ins", "svg", "select", "textarea", "template", "object",
    "video", "audio", "table",
}
_SKIP_ZONE = re.compile(
    r"share|sharing|social|related|terkait|baca-?juga|bacajuga|comment|komentar|respond|"
    r"newsletter|\bads?\b|advert|iklan|widget|sidebar|author-?(box|bio)|(?<![\w-])tags?(?![\w-])|tagline|"
    r"breadcrumb|caption|credit|byline|post-?meta|entry-?meta|pagination|page-?links|"
    r"pager|nav-links|jp-relatedposts|sharedaddy|subscribe",
    re.I,
)
# The article body's own container, by the names CMSs and themes give it (hentry's
# entry-content, schema.org's articleBody, WordPress blocks' post-content, ...): there a short
# post of one or two paragraphs is read as it is.
_CONTENT_MARK = re.compile(
    r"entry-content|post-content|article-?body|articlebody|post-body|story-body|content-body"
    r"|isi-?berita|detail-?content|single-content|td-post-content",
    re.I,
)
_MIN_PARAGRAPHS = 3
_MIN_CHARS = 400
_MIN_SHARE = 0.8  # of all paragraph text in the scope, the container must hold this much


def _skipped(el: lxml_html.HtmlElement) -> bool:
    if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS:
        return True
    marker = f"{el.get('class', '')} {el.get('id', '')}"
    return bool(marker.strip()) and bool(_SKIP_ZONE.search(marker))


def _text(el: lxml_html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def _lines_of(block: lxml_html.HtmlElement) -> list[str]:
    if block.tag in ("ul", "ol"):
        # The same shape trafilatura gives list items, so both paths read alike.
        return [f"- {t}" for li in block.iterchildren("li") if (t := _text(li))]
    text = _text(block)
    return [text] if text else []


def paragraph_lines(scope: lxml_html.HtmlElement) -> list[str] | None:
    """The body as lines when one container holds (nearly) all paragraphs, else None."""
    containers: dict[lxml_html.HtmlElement, int] = {}
    total = 0
    for p in scope.iter("p"):
        # A paragraph inside a skipped zone (related box, caption, share bar) is not body text.
        if _skipped(p) or any(_skipped(a) for a in _ancestors_within(p, scope)):
            continue
        size = len(_text(p))
        total += size
        parent = p.getparent()
        if parent is not None:
            containers[parent] = containers.get(parent, 0) + size
    if not containers or total == 0:
        return None
    container, size = max(containers.items(), key=lambda kv: kv[1])
    if size < _MIN_SHARE * total:
        return None
    marked = bool(_CONTENT_MARK.search(
        f"{container.get('class', '')} {container.get('id', '')} {container.get('itemprop', '')}"
    ))
    if size < _MIN_CHARS and not marked:
        return None
    lines: list[str] = []
    paragraphs = 0
    for child in container.iterchildren():
        if _skipped(child) or child.tag not in _BLOCKS:
            continue
        paragraphs += child.tag == "p"
        lines += _lines_of(child)
    return lines if paragraphs >= _MIN_PARAGRAPHS or (marked and paragraphs) else None


def _ancestors_within(el: lxml_html.HtmlElement, scope: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    found = []
    for anc in el.iterancestors():
        if anc is scope:
            break
        found.append(anc)
    return found

"""The article body of the extract stage: the lxml fast path, checked against trafilatura
only when its evidence is weak, the better of the two taken by a measured rule.

The rule compares what reads as prose (lines of six words or more that end a sentence): the
fast path is kept unless trafilatura's text holds clearly more of the same article (the fast
path was cut), a clearly bigger other block (the fast path took the wrong one), or prose
before the fast path's first sentence (it missed the opening). How the body was read is
returned, so the crawl counts checks and fallbacks (`jajak/extract/checked`,
`jajak/extract/fallback/<reason>`).
"""

from __future__ import annotations

import re

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from .blocks import choose_blocks
from .clean import SENTENCE_END, clean_lines
from .lead import take_lead
from .paragraphs import NOT_TEXT, block_lines

FAST = "fast"  # the fast path alone, sure of its block
CHECKED = "checked"  # the fast path in doubt, confirmed by trafilatura
_LONGER = 1.3  # trafilatura's prose must exceed the fast path's by this factor ...
_LONGER_CHARS = 150  # ... and this many characters to count as materially longer
_COVERED = 0.7  # share of the fast path's prose found in trafilatura's: the same article


def content_scope(title_el: lxml_html.HtmlElement | None) -> lxml_html.HtmlElement | None:
    """The headline's nearest ancestor that also holds the body text, or None for the page."""
    if title_el is None:
        return None
    for anc in title_el.iterancestors():
        if anc.tag in ("body", "html"):
            return None
        if len(anc.text_content()) >= 1200 or len(anc.findall(".//p")) >= 4:
            return anc
    return None


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def _is_prose(line: str) -> bool:
    words = len(line.split())
    return words >= 30 or (words >= 6 and bool(SENTENCE_END.search(line)) and not line.endswith(("...", "…")))


def _prose_chars(lines: list[str]) -> int:
    return sum(len(line) for line in lines if _is_prose(line))


def choose_text(fast: list[str], other: list[str], before: tuple[str, ...] = ()) -> tuple[list[str], str | None]:
    """The better of the fast path's and trafilatura's cleaned lines, and why trafilatura's
    were taken (None: the fast path's are kept). `before`: the paragraphs the fast path left
    out between the headline and its blocks."""
    p_fast, p_other = _prose_chars(fast), _prose_chars(other)
    if not p_other:
        return fast, None
    if not p_fast:
        return other, "no_prose"
    other_all = _key(" ".join(other))
    covered = sum(len(line) for line in fast if _is_prose(line) and _key(line) in other_all) / p_fast
    if covered >= _COVERED and p_other >= _LONGER * p_fast + _LONGER_CHARS:
        return other, "longer"  # the same article, more of it: the fast path was cut
    if covered < 1 - _COVERED and p_other >= 2 * p_fast:
        return other, "other_block"  # a clearly bigger body elsewhere
    # An opening paragraph printed above the fast path's blocks: taken when trafilatura, too,
    # reads it as article text.
    fast_all, wanted = _key(" ".join(fast)), [_key(b) for b in before]
    missing = [line for line in other if _is_prose(line) and _key(line) not in fast_all
               and any(_key(line) in b or b in _key(line) for b in wanted)]
    if missing:
        return missing + fast, "first_sentence"
    return fast, None


def trafilatura_lines(tree: lxml_html.HtmlElement, scope: lxml_html.HtmlElement | None, url: str) -> list[str]:
    """trafilatura's body lines for `scope` (moved out of `tree`), or for the whole page."""
    source = tree
    if scope is not None:
        source = lxml_html.Element("html")
        etree.SubElement(source, "body").append(scope)
    doc = trafilatura.bare_extraction(
        source, url=url, fast=True, include_comments=False, include_tables=True,
        with_metadata=False, deduplicate=False,
    )
    return ((getattr(doc, "text", None) or "") if doc is not None else "").split("\n")


def body_text(
    tree: lxml_html.HtmlElement, url: str, title: str, title_el: lxml_html.HtmlElement | None
) -> tuple[str, str | None, str]:
    """Clean article text (paragraphs joined by blank lines), the dateline cut from it, and
    how it was read: FAST, CHECKED or "fallback/<reason>".

    trafilatura sees only the block around the headline when there is one: that halves its
    time on portal pages (menus, sidebars and footers never reach it). The block is moved out
    of `tree` and its scripts and styles are dropped, so this must be the last reader of the
    tree.
    """
    scope = content_scope(title_el)
    root = scope if scope is not None else tree.find("body")
    if root is None:
        return "", None, FAST
    etree.strip_elements(root, *NOT_TEXT, with_tail=False)
    choice = choose_blocks(root, title_el)
    how = FAST
    if choice is None:
        lines = clean_lines(trafilatura_lines(tree, scope, url), title)
        how = "fallback/no_block"
    else:
        lines = clean_lines(block_lines(choice.blocks), title)
        if choice.doubt:
            other = clean_lines(trafilatura_lines(tree, scope, url), title)
            lines, reason = choose_text(lines, other, choice.before)
            how = f"fallback/{reason}" if reason else CHECKED
    lead, lines = take_lead(lines)
    return "\n\n".join(lines), lead, how

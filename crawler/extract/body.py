"""The article body of the extract stage: the lxml fast path, checked against trafilatura
only when its evidence is weak, the two combined by a measured rule.

The fast path is in doubt when it found no block, read no prose, or left out prose between
the headline and the end of its blocks (a lead printed above the body, a part between two
parts). trafilatura's text is then used only where the fast path's own reading confirms it:
the left-out prose trafilatura also reads as article text is merged in at its place, and
trafilatura's whole text replaces the fast path's when that has no prose, or when it holds
none of the fast path's prose and more of the left-out prose. How the body was read is
returned, so the crawl counts checks and fallbacks (`jajak/extract/checked`,
`jajak/extract/fallback/<reason>`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from .blocks import choose_blocks
from .clean import SENTENCE_END, clean_lines
from .lead import take_lead
from .paragraphs import NOT_TEXT, block_lines

FAST = "fast"  # the fast path alone, sure of its block
CHECKED = "checked"  # the fast path in doubt, confirmed by trafilatura
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


def _merge(fast: list[str], other: list[str], wanted: Callable[[str], bool]) -> tuple[list[str], bool]:
    """`fast` with the prose lines of `other` that `wanted` accepts put in at their place in
    `other`'s order; and whether all of them came before fast's first line."""
    keys = [_key(line) for line in fast]
    fast_all = " ".join(keys)
    out: list[str] = []
    done, opening = 0, True
    for line in other:
        key = _key(line)
        if key in keys[done:]:
            at = keys.index(key, done)
            out += fast[done:at + 1]
            done = at + 1
        elif _is_prose(line) and key not in fast_all and wanted(key):
            out.append(line)
            opening = opening and done == 0
    return out + fast[done:], opening


def choose_text(fast: list[str], other: list[str], left_out: tuple[str, ...] = ()) -> tuple[list[str], str | None]:
    """The fast path's lines, trafilatura's, or the two merged, and why trafilatura's text was
    used (None: the fast path's lines are kept as they are).

    trafilatura's text counts only where the fast path's own reading confirms it: prose in
    `left_out` (what the fast path saw between the headline and the end of its blocks and did
    not choose), or any prose when the fast path has none.
    """
    p_fast, p_other = _prose_chars(fast), _prose_chars(other)
    if not p_other:
        return fast, None
    if not p_fast:
        return other, "no_prose"
    known = [_key(text) for text in left_out]

    def confirmed(key: str) -> bool:
        return any(key in k or k in key for k in known)

    fast_all = _key(" ".join(fast))
    added = [line for line in other if _is_prose(line) and _key(line) not in fast_all and confirmed(_key(line))]
    if not added:
        return fast, None
    covered = sum(len(line) for line in fast if _is_prose(line) and _key(line) in _key(" ".join(other))) / p_fast
    if covered < 1 - _COVERED and sum(len(line) for line in added) >= p_fast:
        # trafilatura reads a bigger body the fast path saw and passed over, and not its own
        return [line for line in other if confirmed(_key(line)) or _key(line) in fast_all], "other_block"
    merged, opening = _merge(fast, other, confirmed)
    return merged, "first_sentence" if opening else "longer"


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
        if choice.doubt or not any(_is_prose(line) for line in lines):
            other = clean_lines(trafilatura_lines(tree, scope, url), title)
            lines, reason = choose_text(lines, other, choice.left_out)
            how = f"fallback/{reason}" if reason else CHECKED
    lead, lines = take_lead(lines)
    return "\n\n".join(lines), lead, how

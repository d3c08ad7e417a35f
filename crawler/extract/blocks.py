"""Fast path of the extract stage, choosing: which element holds the article, by evidence.

Every paragraph (a <p>, or a <div> of text only) counts for the element that holds it, and
loose text typed straight into an element counts for that element. A candidate scores by its
paragraph text, less the share of it in links (teaser lists are mostly links), by the share
that reads as sentences (section labels and teaser titles do not), by its distance from the
headline and by a dateline at its start. Parts of one article printed in sibling blocks of
one kind are joined. The choice says when it is in doubt, so that trafilatura is asked only
then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import html as lxml_html

from .clean import SENTENCE_END, is_caption
from .lead import bare_dateline, split_dateline
from .paragraphs import photo_box, skipped

# Elements whose text, when they hold no structure below them, is one paragraph.
_HOLDERS = {"div", "section", "article", "td", "center", "font", "main", "blockquote"}
_STRUCTURE = (
    "p", "div", "section", "article", "main", "ul", "ol", "li", "table", "h1", "h2", "h3", "h4",
    "h5", "h6", "blockquote", "figure", "header", "footer", "aside", "nav", "form", "pre",
)
_INLINE = {
    "a", "strong", "b", "em", "i", "u", "span", "font", "small", "mark", "abbr", "time", "sup",
    "sub", "code", "q", "cite", "s", "del",
}
# The article body's own container, by the names CMSs and themes give it (hentry's
# entry-content, schema.org's articleBody, WordPress blocks' post-content, ...): it weighs more.
_CONTENT_MARK = re.compile(
    r"entry-content|post-content|article-?body|articlebody|post-body|story-body|content-body"
    r"|isi-?berita|detail-?content|single-content|td-post-content",
    re.I,
)
_HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
_ELLIPSIS = re.compile(r"(\.\.\.|…)\W*$")
_MIN_SHARE = 0.8  # of the prose in the scope, the chosen blocks must hold this much
_HEADLINE_REACH = 1000  # characters of paragraph text after the headline at which a block's weight halves


@dataclass
class Choice:
    """The blocks that hold the article, in page order, and why trafilatura should check them
    (None: the evidence is clear)."""

    blocks: list[lxml_html.HtmlElement]
    doubt: str | None
    left_out: tuple[str, ...] = ()  # prose between the headline and the blocks' end, not in them


@dataclass
class _Candidate:
    el: lxml_html.HtmlElement
    pos: int  # document position of its first paragraph
    offset: int  # characters of page text before it
    chars: int = 0
    links: int = 0
    prose: int = 0
    paragraphs: int = 0
    units: int = 0
    led: int = 0  # paragraphs that open with a headline-long link: teaser items
    dateline: bool = False
    headed: bool = False  # a heading of its own opens it or stands right before it
    opening: bool = False  # the first block with prose after the headline
    eligible: int = 0  # prose in paragraphs that are not mostly links
    texts: list[str] = field(default_factory=list)  # those paragraphs
    first: str = ""  # its first paragraph
    lead_prose: bool = False  # the first paragraph is a full one (15 words or more, a sentence)

    def score(self, title_pos: int | None, title_offset: int = 0) -> float:
        if not self.chars:
            return 0.0
        link_share = self.links / self.chars
        value = (self.chars - self.links) * (1 - link_share) * (0.2 + 0.8 * self.prose / self.chars)
        if title_pos is not None:
            if self.pos < title_pos:
                value *= 0.3  # above the headline: site header, trending bar
            else:
                # the paragraph text between the headline and the block: meta lines and
                # captions are short; an article, its teasers and an "about us" box are not
                value /= 1 + max(0, self.offset - title_offset) / _HEADLINE_REACH
        if self.units >= 2 and self.led >= 0.5 * self.units:
            value *= 0.2  # a list of teasers: title link, then a summary
        if self.opening:
            value *= 1.3  # the first prose under the headline
        elif self.headed:
            value *= 0.5  # a section of its own further down: "Tentang Kami", "Komentar", ...
        if self.dateline:
            value *= 1.5
        if _marked(self.el):
            value *= 1.3
        return value


def _marked(el: lxml_html.HtmlElement) -> bool:
    return bool(_CONTENT_MARK.search(f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')}"))


def _signature(el: lxml_html.HtmlElement) -> tuple[str, str]:
    return el.tag, re.sub(r"\d+", "", el.get("class", "")).strip()


def _link_chars(el: lxml_html.HtmlElement) -> int:
    return sum(len(a.text_content().strip()) for a in el.iter("a"))


def _loose(el: lxml_html.HtmlElement) -> tuple[str, int, int]:
    """Text typed straight into `el` between its blocks: (text, link chars, paragraphs)."""
    parts, links, breaks = [el.text or ""], 0, 0
    for child in el:
        tag = child.tag
        if tag == "br":
            breaks += 1
        elif isinstance(tag, str) and tag in _INLINE and not skipped(child):
            text = child.text_content()
            parts.append(text)
            links += len(text.strip()) if tag == "a" else _link_chars(child)
        parts.append(child.tail or "")
    return " ".join("".join(parts).split()), links, max(1, breaks)


def _headed(el: lxml_html.HtmlElement) -> bool:
    first = next((c for c in el if isinstance(c.tag, str)), None)
    before = el.getprevious()
    while before is not None and not isinstance(before.tag, str):
        before = before.getprevious()
    return any(x is not None and x.tag in _HEADINGS for x in (first, before))


def _link_led(el: lxml_html.HtmlElement, text: str) -> bool:
    """The paragraph opens with a link of four words or more (a teaser's title) and goes on
    with a summary."""
    node = el
    while not (node.text or "").strip() and len(node):
        node = node[0]
        if node.tag == "a":
            title = node.text_content()
            return len(title.split()) >= 4 and len(text) - len(" ".join(title.split())) >= 30
    return False


def _has_loose_text(el: lxml_html.HtmlElement) -> bool:
    return bool((el.text or "").strip()) or any((c.tail or "").strip() for c in el)


def _in_skipped(el: lxml_html.HtmlElement, scope: lxml_html.HtmlElement,
                memo: dict[lxml_html.HtmlElement, bool]) -> bool:
    node, chain, found = el, [], False
    while node is not None and node is not scope:
        if node in memo:
            found = memo[node]
            break
        chain.append(node)
        if skipped(node):
            found = True
            break
        node = node.getparent()
    for seen in chain:
        memo[seen] = found
    return found


def choose_blocks(scope: lxml_html.HtmlElement, title_el: lxml_html.HtmlElement | None) -> Choice | None:
    """The article's blocks inside `scope` (the headline's block or the page body), or None
    when no element holds paragraph text."""
    cands: dict[lxml_html.HtmlElement, _Candidate] = {}
    memo: dict[lxml_html.HtmlElement, bool] = {}
    title_pos, title_parent = None, title_el.getparent() if title_el is not None else None
    tags = {"p", *_HOLDERS} | ({title_el.tag} if title_el is not None else set())
    offset = title_offset = 0  # characters of paragraph text read so far
    for pos, el in enumerate(scope.iter(*tags)):
        if el is title_el:
            title_pos, title_offset = pos, offset
            continue
        tag = el.tag
        if _in_skipped(el, scope, memo):
            continue
        if tag == "p":
            owner, text, links, paragraphs = el.getparent(), el.text_content(), _link_chars(el), 1
            text = " ".join(text.split())
        elif tag in _HOLDERS and el is not title_parent:
            if next(el.iterdescendants(*_STRUCTURE), None) is None:
                if photo_box(el):
                    continue  # a picture and its caption
                text = " ".join(el.text_content().split())
                links = _link_chars(el)
                breaks = len(el.findall("br"))
                # A paragraph of its own, or paragraphs split by <br> (then it is the container).
                owner, paragraphs = (el, breaks) if breaks >= 2 else (el.getparent(), 1)
            elif _has_loose_text(el):
                owner = el
                text, links, paragraphs = _loose(el)
            else:
                continue
        else:
            continue
        if not text or owner is None:
            continue
        cand = cands.get(owner)
        if cand is None:
            cand = cands[owner] = _Candidate(owner, pos, offset)
            cand.dateline = split_dateline(text)[0] is not None or bare_dateline(text) is not None
            cand.first = text
            cand.headed = _headed(owner)
            cand.lead_prose = len(text.split()) >= 15 and bool(SENTENCE_END.search(text)) and not is_caption(text)
        prose = len(text) if len(text.split()) >= 6 and SENTENCE_END.search(text) \
            and not _ELLIPSIS.search(text) else 0
        offset += len(text)
        cand.chars += len(text)
        cand.links += min(links, len(text))
        cand.prose += prose
        cand.paragraphs += paragraphs
        cand.units += 1
        cand.led += _link_led(el, text)
        if prose and links <= 0.5 * len(text):
            cand.eligible += prose
            cand.texts.append(text)
    if not cands:
        return None
    opening = min((c for c in cands.values() if c.prose and (title_pos is None or c.pos > title_pos)
                   and c.links <= 0.3 * c.chars), key=lambda c: c.pos, default=None)
    if opening is not None:
        opening.opening = True
    best = max(cands.values(), key=lambda c: c.score(title_pos, title_offset))
    if best.score(title_pos, title_offset) <= 0:
        return None
    best = _enclosing(best, cands, title_el)
    parts = _parts(best, list(cands.values()), title_pos)
    return Choice(_with_headings(parts), *_doubt(parts, list(cands.values()), title_pos))


def _enclosing(best: _Candidate, cands: dict[lxml_html.HtmlElement, _Candidate],
               title_el: lxml_html.HtmlElement | None) -> _Candidate:
    """The candidate up to two levels above `best` that holds prose of its own around it (the
    article's paragraphs before and after a group of them in an inner <div>), else `best`."""
    node = best.el.getparent()
    for _ in range(2):
        if node is None or (title_el is not None and node in title_el.iterancestors()):
            break
        cand = cands.get(node)
        if cand is not None and cand.prose >= 0.15 * best.prose and cand.links <= 0.3 * cand.chars:
            best = cand
        node = node.getparent()
    return best


def _parts(best: _Candidate, cands: list[_Candidate], title_pos: int | None) -> list[_Candidate]:
    """`best` and the blocks of its kind next to it that also hold article prose: the parts of
    an article printed on one page ("Halaman 2", "Baca halaman berikutnya" between them)."""
    sig, parent = _signature(best.el), best.el.getparent()
    grand = parent.getparent() if parent is not None and sig[1] else None
    parts = [best]
    for cand in cands:
        if cand is best or _signature(cand.el) != sig or (title_pos is not None and cand.pos < title_pos):
            continue
        cparent = cand.el.getparent()
        kin = cparent is parent or (grand is not None and cparent is not None and cparent.getparent() is grand)
        if kin and cand.links <= 0.3 * cand.chars and cand.prose >= 0.5 * cand.chars:
            parts.append(cand)
    return sorted(parts, key=lambda c: c.pos)


def _with_headings(parts: list[_Candidate]) -> list[lxml_html.HtmlElement]:
    """The parts' elements with the subheadings printed between them (page builders put a
    subheading in a block of its own between two blocks of paragraphs)."""
    blocks = [parts[0].el]
    for prev, nxt in zip(parts, parts[1:], strict=False):
        chain = [prev.el, *prev.el.iterancestors()]
        after = {id(a) for a in nxt.el.iterancestors()}
        slot = next((a for a in chain if a.getparent() is not None and id(a.getparent()) in after), None)
        if slot is not None:
            for sib in slot.itersiblings():
                if sib is nxt.el or id(sib) in after:
                    break
                if isinstance(sib.tag, str) and next(sib.iter("h2", "h3", "h4"), None) is not None \
                        and len(sib.text_content()) < 150 and not skipped(sib):
                    blocks.append(sib)
        blocks.append(nxt.el)
    return blocks


def _inside(cand: _Candidate, parts: set[int]) -> bool:
    return id(cand.el) in parts or any(id(a) in parts for a in cand.el.iterancestors())


def _doubt(parts: list[_Candidate], cands: list[_Candidate], title_pos: int | None
           ) -> tuple[str | None, tuple[str, ...]]:
    """Why the fast path's choice needs trafilatura's check (None: it does not), and the prose
    it saw between the headline and the end of the chosen blocks but left out."""
    ids = {id(p.el) for p in parts}
    start, end = parts[0].pos, parts[-1].pos
    after_title = [c for c in cands if title_pos is None or c.pos > title_pos]
    outside = [c for c in after_title if not _inside(c, ids) and c.pos < end]
    left_out = tuple(t for c in outside for t in c.texts)
    if not left_out:
        return None, ()
    if any(c.pos < start and c.lead_prose and c.links <= 0.3 * c.chars for c in outside):
        return "before", left_out  # a lead printed in a block of its own, or a caption
    chosen = sum(c.eligible for c in after_title if _inside(c, ids))
    if chosen < _MIN_SHARE * (chosen + sum(c.eligible for c in outside)):
        return "share", left_out  # article-like text between the chosen blocks
    return None, ()

"""Segmentation for the classifier (classify step): title + body -> one string and sentence spans.

Everything downstream scans the joined string once and maps match offsets to sentences with bisect.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .regex_trie import scan_text

# Related-article boxes and footers left by extraction; their headlines would add false cues.
# Anchored on the newline before the line rather than on ^ (MULTILINE): `re` then jumps from
# newline to newline instead of trying every offset. Run it on "\n" + text.
_BOILERPLATE = re.compile(
    r"\n[ \t]*(?:baca\s+juga|baca\s+selanjutnya|bacaan\s+lainnya|baca\s*:|pos\s+terkait|"
    r"berita\s+terkait|artikel\s+terkait|lihat\s+juga|simak\s+juga|tonton\s+juga|"
    r"editor\s*:|penulis\s*:|sumber\s*:)[^\n]*",
    re.IGNORECASE,
)
# Lines the regex strips only when one of these is in the text (what the hints gated before).
_BOILER_HINTS = (
    "Baca",
    "BACA",
    "baca",
    "erkait",
    "ERKAIT",
    "ihat",
    "LIHAT",
    "imak",
    "SIMAK",
    "onton",
    "TONTON",
    "ditor",
    "EDITOR",
    "enulis",
    "ENULIS",
    "umber",
    "UMBER",
)
# A non-blank line without its leading and trailing blanks (\s is str.isspace(), as strip()).
_LINE = re.compile(r"\S(?:[^\n]*\S)?")
# Inside a line, a sentence ends at . ! ? (optionally followed by a closing quote or bracket)
# before a capital letter, digit or opening quote.
_BOUNDARY = re.compile(r"([.!?][\"”’']?\)?)[ \t]+(?=[\"“‘'(]?[A-Z0-9])")
# Abbreviations that end with a dot but do not end a sentence ("dr. Lista", "Kab. Bandung").
_ABBREV = re.compile(
    r"(?:\b(?:dr|drs|dra|prof|ir|h|hj|kh|st|no|jl|jln|kab|kec|kel|prov|sdr|bpk|ny|tn|mr|mrs|"
    r"moh|muh|mhd|m|abd|tbk|pt|cv|dll|dsb|tsb|yth|a\.n|u\.p|s\.e|s\.h|m\.m|m\.si|ph\.d)|\b[A-Z])\.$",
    re.IGNORECASE,
)
# A dot after a word of five or more letters never ends an _ABBREV match (its words have at
# most four letters after their last dot, and \b cannot fall inside a word): this test spares
# most sentence ends the costly case-insensitive search.
_LONG_WORD_DOT = re.compile(r"\w{5}\.")
LIST_ITEM = re.compile(r"\s*(?:\d{1,2}[.)]|[-•*])\s")


@dataclass(frozen=True, slots=True)
class Doc:
    """The joined title + body, its lowercase twin, and sentence spans (index 0 is the title)."""

    full: str
    lower: str
    scan: str  # regex_trie.scan_text(lower): offsets of word starts equal offsets in full
    title_end: int
    spans: tuple[tuple[int, int], ...]
    starts: tuple[int, ...]
    line_start: tuple[bool, ...]  # sentence opens a line (paragraph)

    def sentence_of(self, pos: int) -> int:
        """Index of the sentence containing offset pos."""
        return bisect_right(self.starts, pos) - 1

    def text(self, i: int) -> str:
        start, end = self.spans[i]
        return self.full[start:end]


def segment(title: str, text: str) -> Doc:
    """Join title and body and split the body into lines, then sentences (once per article)."""
    title = " ".join(title.split())
    # One regex pass costs less than the 17 substring searches of the hints, so the regex runs
    # first and the hints only confirm a strip (a line such as "BAca juga" has no hint: kept).
    body, removed = _BOILERPLATE.subn("\n", "\n" + text)
    body = body[1:] if removed and any(hint in text for hint in _BOILER_HINTS) else text
    full = f"{title}\n\n{body}"
    spans: list[tuple[int, int]] = [(0, len(title))]
    line_start: list[bool] = [True]
    # Two regex passes over the body instead of a Python loop over its lines (blank ones too):
    # _LINE gives each non-blank line as line.strip() would, _BOUNDARY every sentence boundary
    # (a boundary never crosses a newline, so these are the boundaries of each line in turn).
    # Only a line's first and last pieces can hold blanks: a boundary match ends on its
    # punctuation and the next sentence opens on a capital, digit, quote or bracket.
    body_start = len(title) + 2
    bounds = _BOUNDARY.finditer(full, body_start)
    bound = next(bounds, None)
    for line in _LINE.finditer(full, body_start):
        start, end = line.span()
        if bound is None or bound.start() >= end:
            spans.append((start, end))
            line_start.append(True)
            continue
        first = True
        while bound is not None and bound.start() < end:
            _append(full, spans, line_start, start, bound.end(1), first)
            first = False
            start = bound.end()
            bound = next(bounds, None)
        _append(full, spans, line_start, start, end, False)
    lower = full.lower()
    return Doc(
        full=full,
        lower=lower,
        scan=scan_text(lower),
        title_end=len(title),
        spans=tuple(spans),
        starts=tuple(s for s, _ in spans),
        line_start=tuple(line_start),
    )


def _append(
    full: str, spans: list[tuple[int, int]], line_start: list[bool], start: int, end: int, nl: bool
) -> None:
    """Add sentence [start, end), or extend the previous one of its line when that one ended
    on an abbreviation ("dr. Lista", "Kab. Bandung") or a list number ("1.")."""
    if not nl:
        prev_start, prev_end = spans[-1]
        if full[prev_end - 1] == "." and (
            prev_end - prev_start <= 3
            or (
                (prev_end < 6 or _LONG_WORD_DOT.match(full, prev_end - 6) is None)
                and _ABBREV.search(full, max(prev_start, prev_end - 8), prev_end)
            )
        ):
            spans[-1] = (prev_start, end)
            return
    spans.append((start, end))
    line_start.append(nl)

"""Article text as HTML for the story page: escaped first, then the classifier's cue sentences
wrapped in <mark>. Pure: text in, markup out."""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape


def _spans(text: str, cues: Iterable[str]) -> list[tuple[int, int]]:
    found = []
    for cue in {c.strip() for c in cues if c.strip()}:
        start = text.find(cue)
        while start != -1:
            found.append((start, start + len(cue)))
            start = text.find(cue, start + len(cue))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, cues: Iterable[str]) -> Markup:
    """``text`` escaped, with every occurrence of a cue sentence in <mark> (overlaps merged).

    The spans are found in the raw text and each piece is escaped on its own, so a cue can
    never split an entity or let markup through."""
    parts: list[str] = []
    done = 0
    for start, end in _spans(text, cues):
        parts.append(escape(text[done:start]))
        parts.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        done = end
    parts.append(escape(text[done:]))
    return Markup("").join(parts)

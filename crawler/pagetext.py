"""Is a fetched page text at all (crawl stage)? A server can answer text/html with a binary
file, a block of NUL bytes or bytes in no known encoding; such a body must never become an
article (10 MB of zeros would be stored as millions of replacement characters)."""

from __future__ import annotations

import re

# C0 control characters that no HTML page carries (tab, newline, form feed and return do).
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")
_SAMPLE = 100_000  # characters looked at for control characters: enough to tell, cheap on 10 MB
_SHARE = 0.01  # more than 1% of odd characters: not a text page


def not_text(text: str) -> str | None:
    """Why ``text`` (a decoded page) is not text, or None when it is: ``nul`` (NUL characters),
    ``undecodable`` (many U+FFFD replacement characters), ``binary`` (control characters)."""
    if "\x00" in text:
        return "nul"
    replaced = text.count("\ufffd")
    if replaced > 100 or replaced > len(text) * _SHARE:
        return "undecodable"
    sample = text[:_SAMPLE]
    if len(_CONTROL.findall(sample)) > len(sample) * _SHARE:
        return "binary"
    return None

"""Fast alternations for the classifier's pattern tables (classify step).

`re` tries every alternative at every offset; a trie-shaped alternation whose branches all open with
a literal lets `re` descend one branch only. Patterns open with a literal space instead of \\b
(which would disable `re`'s prefix search) and run on `scan_text()`, where every word follows a
space.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_META = frozenset("\\()[]{}?*+|.^$")
_QUANT = frozenset("?*+{")


def _split_top(pat: str) -> list[str]:
    """Split a pattern on its top-level | (outside groups and classes)."""
    parts: list[str] = []
    depth, in_class, start, i = 0, False, 0, 0
    while i < len(pat):
        ch = pat[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pat[start:i])
            start = i + 1
        i += 1
    parts.append(pat[start:])
    return parts


def _close(pat: str, open_at: int) -> int:
    """Index of the ) matching the ( at open_at."""
    depth, in_class, i = 0, False, open_at
    while i < len(pat):
        ch = pat[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unbalanced pattern: {pat!r}")


def expand(pat: str) -> list[str]:
    """Distribute a leading (?:a|b)rest group into a-rest and b-rest, recursively."""
    out: list[str] = []
    for alt in _split_top(pat):
        if not alt.startswith("(?:"):
            out.append(alt)
            continue
        end = _close(alt, 0)
        quant = alt[end + 1 : end + 2]
        rest = alt[end + 1 :]
        if quant == "?" and alt[end + 2 : end + 3] not in ("?", "+"):
            rest = alt[end + 2 :]
            out.extend(expand(rest))
        elif quant and quant in _QUANT:
            out.append(alt)
            continue
        for inner in _split_top(alt[3:end]):
            out.extend(expand(inner + rest))
    return out


def _literal_prefix(alt: str) -> tuple[str, str]:
    i = 0
    while i < len(alt) and alt[i] not in _META:
        if i + 1 < len(alt) and alt[i + 1] in _QUANT:
            break
        i += 1
    return alt[:i], alt[i:]


def by_first_char(alternation: str) -> str:
    """The same alternation with its alternatives grouped by first character, order kept.

    Alternatives that open with different characters never match at the same offset, so the
    first alternative that matches is the same one; but `re` tries a flat alternation's branches
    one by one at every offset it stops at, and a grouped one opens only the branch of the
    character found there. Every alternative must open with a plain character.
    """
    groups: dict[str, list[str]] = {}
    for alt in _split_top(alternation):
        if not alt or alt[0] in _META or alt[1:2] in _QUANT:
            raise ValueError(f"alternative {alt!r} must open with a plain character")
        groups.setdefault(alt[0], []).append(alt[1:])
    branches = [
        ch + (rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")")
        for ch, rests in groups.items()
    ]
    return "(?:" + "|".join(branches) + ")"


class _Node:
    __slots__ = ("children", "terms")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.terms: list[tuple[str, str]] = []


def _emit(node: _Node) -> str:
    opts = [re.escape(ch) + _emit(child) for ch, child in node.children.items()]
    opts += [f"(?:{rest})(?P<{name}>)" if rest else f"(?P<{name}>)" for rest, name in node.terms]
    if len(opts) == 1:
        return opts[0]
    return "(?:" + "|".join(opts) + ")"


def compile_named(table: Iterable[tuple[str, str]], lead: str = " ") -> re.Pattern[str]:
    """One regex over (name, pattern) rows; `base(m.lastgroup)` tells which row matched.

    Each match opens with `lead` (a space): run it on `scan_text()` output, where every word is
    preceded by a space, so `re` only stops at spaces. Word offset in the text = m.start().
    Rows earlier in the table win over later ones that match the same literal prefix.
    """
    root = _Node()
    count = 0
    for name, pattern in table:
        for alt in expand(pattern):
            prefix, rest = _literal_prefix(alt)
            if not prefix:
                raise ValueError(f"{name}: alternative {alt!r} must open with a literal")
            node = root
            for ch in prefix:
                node = node.children.setdefault(ch, _Node())
            group = f"{name}__{count}"
            _BASE[group] = name
            node.terms.append((rest, group))
            count += 1
    return re.compile(re.escape(lead) + _emit(root) + r"\b")


_BASE: dict[str, str] = {}


def base(group: str | None) -> str:
    """Row name of a compile_named group ("ks__12" -> "ks")."""
    return _BASE[group or ""]


def bases(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Row name of each group number of a compile_named pattern: `bases(p)[m.lastindex]` is
    `base(m.lastgroup)` without the two string lookups (hot loops run it per match)."""
    names = [""] * (pattern.groups + 1)
    for group, number in pattern.groupindex.items():
        names[number] = _BASE.get(group, "")
    return tuple(names)


# Characters that may stand right before a word; they become spaces so every word follows one.
# (Commas, stops and closing quotes follow words and can stay.) str.replace is ~10x faster
# than re.sub or str.translate here.
_BEFORE_WORD = "\n\r\t([{\"'“‘/\xa0«"


def scan_text(lower: str) -> str:
    """Twin of lower for compile_named patterns: a leading space, openers turned to spaces."""
    for ch in _BEFORE_WORD:
        if ch in lower:
            lower = lower.replace(ch, " ")
    return " " + lower


def starts_word(text: str, pos: int) -> bool:
    return pos == 0 or not text[pos - 1].isalnum()


def trie_pattern(words: Iterable[str]) -> str:
    """Alternation of literal words shaped as a trie (no groups)."""
    root = _Node()
    for word in words:
        node = root
        for ch in word:
            node = node.children.setdefault(ch, _Node())
        node.terms.append(("", ""))

    def emit(node: _Node) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.children.items())]
        if not alts:
            return ""
        group = alts[0] if len(alts) == 1 and not node.terms else "(?:" + "|".join(alts) + ")"
        return group + "?" if node.terms else group

    return emit(root)

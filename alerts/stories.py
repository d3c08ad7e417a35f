"""Digest stage: plain values in (matched articles), stories out. Near-duplicates from several
outlets (one press release republished) become one story; stories are ordered for reading."""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

# Signed deals and fresh explorations are the news; other stages follow, unknown last.
STAGE_ORDER = ("signed", "exploring", "renewed", "negotiating")
SHINGLE_WORDS = 3
SAME_STORY = 0.4  # Jaccard of word 3-shingles; unrelated articles share well under 5 %
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class MatchedArticle:
    """One outlet's matched article, as the job reads it from the database."""

    id: int
    url: str
    title: str
    text: str
    source: str
    published: datetime | None  # aware
    score: float
    stage: str | None = None
    parties: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    evidence: str = ""
    timezone: str = "Asia/Jakarta"  # the source's zone, for showing times


@dataclass(frozen=True)
class Story:
    """One entry of a digest: the articles of every outlet that reported it."""

    key: str
    articles: tuple[MatchedArticle, ...]  # the lead (first published) first
    # The lead of a story this channel already got, which these articles republish: the entry
    # is an update naming the new outlets, not a second story.
    update_of: MatchedArticle | None = None

    @property
    def lead(self) -> MatchedArticle:
        return self.articles[0]

    @property
    def title(self) -> str:
        return self.lead.title

    @property
    def url(self) -> str:
        return self.lead.url

    @property
    def published(self) -> datetime | None:
        return self.lead.published

    @property
    def stage(self) -> str | None:
        return self.lead.stage

    @property
    def score(self) -> float:
        return max(a.score for a in self.articles)

    @property
    def outlets(self) -> tuple[tuple[str, str], ...]:
        """(source, url) of every article, the lead first."""
        return tuple((a.source, a.url) for a in self.articles)

    @property
    def parties(self) -> tuple[str, ...]:
        return _union(a.parties for a in self.articles)

    @property
    def sectors(self) -> tuple[str, ...]:
        return _union(a.sectors for a in self.articles)

    @property
    def evidence(self) -> str:
        return next((a.evidence for a in self.articles if a.evidence), "")

    @property
    def article_ids(self) -> tuple[int, ...]:
        return tuple(sorted(a.id for a in self.articles))


def _union(groups: Iterable[Sequence[str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for group in groups for value in group))


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[tuple[str, ...]]:
    """Overlapping word n-grams of the lower-cased text (the words themselves if shorter)."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return frozenset([tuple(words)]) if words else frozenset()
    # zip stops at the shortest slice: the len(words) - size + 1 windows of size words.
    return frozenset(zip(*(words[i:] for i in range(size)), strict=False))


def story_shingles(title: str, text: str) -> frozenset[tuple[str, ...]]:
    """The shingles an article is compared by: those of its title and text."""
    return shingles(f"{title}\n{text}")


def shingle_key(shingle: tuple[str, ...]) -> int:
    """A shingle as a signed 64-bit number: the form the database indexes it in
    (crawler.storage.links), to find an article's possible copies without reading texts."""
    digest = hashlib.blake2b(" ".join(shingle).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def jaccard(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _published_key(article: MatchedArticle) -> tuple[float, int]:
    return (article.published.timestamp() if article.published else float("inf"), article.id)


def make_story(articles: Iterable[MatchedArticle], key: str | None = None) -> Story:
    """A story from articles already known to belong together; the key defaults to the
    smallest article id, so the same group gets the same key in every process."""
    ordered = tuple(sorted(articles, key=_published_key))
    if not ordered:
        raise ValueError("a story needs at least one article")
    return Story(key or f"story-{min(a.id for a in ordered)}", ordered)


def group_stories(articles: Sequence[MatchedArticle], threshold: float = SAME_STORY) -> list[Story]:
    """Group near-duplicate articles (title + text shingles) into stories, ordered for reading.

    Single linkage: the stories are the connected groups of pairs at or above ``threshold``.
    Only the pairs that can reach it are compared (_candidate_pairs), so thousands of matches
    can be grouped, not only a digest's tens.
    """
    signatures = [story_shingles(a.title, a.text) for a in articles]
    pairs = (
        (i, j) for i, j in _candidate_pairs(signatures, threshold)
        if jaccard(signatures[i], signatures[j]) >= threshold
    )
    return _connected(articles, pairs)


def group_linked(articles: Sequence[MatchedArticle], links: Iterable[tuple[int, int]]) -> list[Story]:
    """The stories group_stories makes of ``articles``, from the pairs of article ids known
    to reach SAME_STORY (kept by crawler.storage.links as matches are stored): no shingling.
    Pairs with an article not in ``articles`` are left out, as group_stories never sees them."""
    position = {article.id: i for i, article in enumerate(articles)}
    pairs = (
        (position[a], position[b]) for a, b in links if a in position and b in position
    )
    return _connected(articles, pairs)


def _connected(articles: Sequence[MatchedArticle], pairs: Iterable[tuple[int, int]]) -> list[Story]:
    """Stories of the connected groups of ``pairs`` (positions in ``articles``), ordered."""
    parent = list(range(len(articles)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        if root(i) != root(j):
            parent[root(j)] = root(i)
    groups: dict[int, list[MatchedArticle]] = {}
    for i, article in enumerate(articles):
        groups.setdefault(root(i), []).append(article)
    return order_stories(make_story(group) for group in groups.values())


def _candidate_pairs(signatures: Sequence[frozenset[tuple[str, ...]]], threshold: float) -> Iterable[tuple[int, int]]:
    """Every pair (i < j) whose Jaccard may reach ``threshold``, by prefix filtering (Bayardo
    et al., "Scaling up all pairs similarity search", 2007): with the shingles of each set
    ordered rarest first, two sets with Jaccard >= t share one of the first |s| - ceil(t|s|) + 1
    shingles of each. Exact: no pair at or above the threshold is left out."""
    if threshold <= 0:  # every pair reaches it, empty texts too
        yield from ((i, j) for j in range(len(signatures)) for i in range(j))
        return
    frequency = Counter(shingle for signature in signatures for shingle in signature)
    # One total order of every shingle, rarest first (ties in a fixed order): the same for all sets.
    rank = {shingle: i for i, shingle in enumerate(sorted(frequency, key=frequency.__getitem__))}
    index: dict[tuple[str, ...], list[int]] = {}
    for j, signature in enumerate(signatures):
        if not signature:
            continue  # an empty text is like no other (jaccard 0)
        size = len(signature) - math.ceil(threshold * len(signature)) + 1
        prefix = sorted(signature, key=rank.__getitem__)[:size]
        partners: set[int] = set()
        for shingle in prefix:
            bucket = index.get(shingle)
            if bucket is None:
                index[shingle] = [j]
            else:
                partners.update(bucket)
                bucket.append(j)
        yield from ((i, j) for i in sorted(partners))


def _rank(story: Story) -> tuple[bool, int, float, float, str]:
    stage = STAGE_ORDER.index(story.stage) if story.stage in STAGE_ORDER else len(STAGE_ORDER)
    when = story.published.timestamp() if story.published else 0.0
    return (story.update_of is not None, stage, -story.score, -when, story.key)


def order_stories(stories: Iterable[Story]) -> list[Story]:
    """Signed and exploring first, then the other stages; higher score, then newer, first;
    updates of stories already sent last."""
    return sorted(stories, key=_rank)


def earlier_story(
    story: Story, sent: Sequence[MatchedArticle], threshold: float = SAME_STORY
) -> MatchedArticle | None:
    """The already-sent article that ``story`` republishes (the most similar), if any."""
    best, best_score = None, threshold
    signatures = [story_shingles(a.title, a.text) for a in story.articles]
    for candidate in sent:
        signature = story_shingles(candidate.title, candidate.text)
        score = max(jaccard(signature, mine) for mine in signatures)
        if score >= best_score:
            best, best_score = candidate, score
    return best

"""Partnership threads: matched stories linked by their parties over time ("Pemerintah Kota
Bandung – Hamamatsu: exploring 6 Feb 2025 → signed 3 Mar 2025"). Pure: stories in, threads out.

Parties are compared by the classifier's canonical names (classifier.canonical), so "Pemkot
Bandung" and "Pemerintah Kota Bandung" are one party; a thread is one pair of parties.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from classifier.canonical import canonical, same_party

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from alerts import Story


@dataclass(frozen=True)
class Step:
    """A stage a thread reached: first told by ``story`` (published ``when``)."""

    stage: str | None
    when: datetime | None
    story: Story


@dataclass(frozen=True)
class Thread:
    """The stories of one pair of parties, oldest first."""

    parties: tuple[str, ...]
    stories: tuple[Story, ...]

    @property
    def steps(self) -> tuple[Step, ...]:
        """The stages over time: a story with the same stage as the one before adds no step."""
        steps: list[Step] = []
        for story in self.stories:
            if not steps or steps[-1].stage != story.stage:
                steps.append(Step(story.stage, story.published, story))
        return tuple(steps)

    @property
    def latest(self) -> datetime | None:
        return self.stories[-1].published

    @property
    def story_ids(self) -> frozenset[int]:
        return frozenset(i for story in self.stories for i in story.article_ids)


def _names(stories: Iterable[Story]) -> dict[str, str]:
    """Each canonical name -> the one shown for its party (the longest of those that
    same_party() calls one: "Kota Bandung" -> "Pemerintah Kota Bandung")."""
    groups: list[list[str]] = []
    for name in dict.fromkeys(canonical(p) for s in stories for p in s.parties):
        if not name:
            continue
        group = next((g for g in groups if any(same_party(name, other) for other in g)), None)
        if group is None:
            groups.append([name])
        else:
            group.append(name)
    return {name: max(group, key=len) for group in groups for name in group}


def _when(story: Story) -> float:
    return story.published.timestamp() if story.published else float("inf")


# A story names its parties most likely first: the pairs among its first three are the
# partnerships it can continue (a signing may add the embassy that hosted it).
_PAIRS_FROM = 3


def build_threads(stories: Sequence[Story]) -> list[Thread]:
    """Threads of two parties with their stories; the most recently active first.

    A thread is one pair of parties, so a story that names a third party ("Pemerintah Kota
    Bandung, Kota Hamamatsu and Kedutaan Besar Jepang sign") still continues the
    Bandung–Hamamatsu thread. A pair makes a thread when it is a story's first two parties or
    when two stories or more name it; a thread whose stories another thread holds is left out.
    """
    shown = _names(stories)
    by_pair: dict[tuple[str, str], list[Story]] = {}
    primary: set[tuple[str, str]] = set()
    for story in stories:
        names = list(dict.fromkeys(shown[n] for n in (canonical(p) for p in story.parties) if n))
        top = names[:_PAIRS_FROM]
        for i, a in enumerate(top):
            for b in top[i + 1 :]:
                by_pair.setdefault((min(a, b), max(a, b)), []).append(story)
        if len(top) >= 2:
            primary.add((min(top[0], top[1]), max(top[0], top[1])))
    kept = {pair: group for pair, group in by_pair.items() if pair in primary or len(group) >= 2}
    threads = [Thread(pair, tuple(sorted(group, key=lambda s: (_when(s), min(s.article_ids)))))
               for pair, group in kept.items()]
    # a pair whose stories all sit in a longer thread adds nothing (the third party of a
    # single signing makes no thread of its own)
    ids = [t.story_ids for t in threads]
    threads = [t for t, mine in zip(threads, ids, strict=True)
               if not any(mine < other or (mine == other and t.parties > o.parties)
                          for other, o in zip(ids, threads, strict=True) if o is not t)]
    return sorted(threads, key=lambda t: (-_when(t.stories[-1]) if t.latest else 0.0, t.parties))


def thread_of(threads: Sequence[Thread], article_id: int) -> Thread | None:
    """The longest thread holding the story of this article, if any."""
    return max((t for t in threads if article_id in t.story_ids), key=lambda t: len(t.stories), default=None)

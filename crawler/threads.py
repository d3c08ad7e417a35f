"""Partnership threads: matched stories linked by their parties over time ("Pemerintah Kota
Bandung – Hamamatsu: exploring 6 Feb 2025 → signed 3 Mar 2025"). Pure: stories in, threads out.

Parties are compared by the classifier's canonical names (classifier.canonical), so "Pemkot
Bandung" and "Pemerintah Kota Bandung" are one party; a thread is one set of two or more parties.
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
    """The stories of one set of parties, oldest first."""

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


def build_threads(stories: Sequence[Story]) -> list[Thread]:
    """Threads of two or more parties with their stories; the most recently active first."""
    shown = _names(stories)
    by_parties: dict[tuple[str, ...], list[Story]] = {}
    for story in stories:
        parties = tuple(sorted({shown[n] for n in (canonical(p) for p in story.parties) if n}))
        if len(parties) >= 2:
            by_parties.setdefault(parties, []).append(story)
    threads = [Thread(parties, tuple(sorted(group, key=lambda s: (_when(s), min(s.article_ids)))))
               for parties, group in by_parties.items()]
    return sorted(threads, key=lambda t: (-_when(t.stories[-1]) if t.latest else 0.0, t.parties))


def thread_of(threads: Sequence[Thread], article_id: int) -> Thread | None:
    """The thread holding the story of this article, if any."""
    return next((t for t in threads if article_id in t.story_ids), None)

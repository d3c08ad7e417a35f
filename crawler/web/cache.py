"""The web app's grouped stories, kept between requests: grouping thousands of matches into
stories (alerts.group_stories) takes seconds, while telling whether the matches changed takes
one aggregate query (browse.matches_fingerprint)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from crawler.storage.browse import MatchFilter, matches_fingerprint
from crawler.web import queries

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    import alerts
    from crawler.web.queries import InboxQuery


class StoryCache:
    """The stories of the last few (dates, words) asked; the per-story filters (stage, sector,
    source, party, region) then run on them (queries.kept)."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._entries: OrderedDict[MatchFilter, tuple[tuple[object, ...], list[alerts.Story]]] = OrderedDict()
        self._lock = threading.Lock()  # pages are read in Starlette's thread pool

    def cached(self, session: Session, query: InboxQuery) -> list[alerts.Story] | None:
        """The stories of this query if they are kept and still current, else None (no grouping)."""
        where = MatchFilter(query.date_from, query.date_to, query.text)
        with self._lock:
            entry = self._entries.get(where)
        if entry is None or entry[0] != matches_fingerprint(session, where):
            return None
        return entry[1]

    def stories(self, session: Session, query: InboxQuery, zones: dict[str, str]) -> list[alerts.Story]:
        where = MatchFilter(query.date_from, query.date_to, query.text)
        fingerprint = matches_fingerprint(session, where)
        with self._lock:
            entry = self._entries.get(where)
            if entry is not None and entry[0] == fingerprint:
                self._entries.move_to_end(where)
                return entry[1]
        # Two requests may group the same matches at once; both results are equal.
        stories = queries.matched_stories(session, query, zones)
        with self._lock:
            self._entries[where] = (fingerprint, stories)
            self._entries.move_to_end(where)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return stories

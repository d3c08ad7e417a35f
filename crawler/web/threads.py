"""The Threads page (/threads): partnership threads built from the stored matches
(crawler.threads), each with its stages over time and links to its stories."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from crawler.threads import Thread, build_threads
from crawler.web import queries

if TYPE_CHECKING:
    from collections.abc import Sequence

    from starlette.requests import Request
    from starlette.responses import Response

    import alerts
    from crawler.web.app import WebApp


def stored_threads(stories: Sequence[alerts.Story]) -> list[Thread]:
    """Threads of every matched story stored, given the inbox's stories unfiltered
    (StoryCache.stories of an empty InboxQuery)."""
    return build_threads(queries.newest_first(stories))


class ThreadPages:
    """/threads, optionally narrowed to threads with a party whose name holds ``party=``."""

    def __init__(self, web: WebApp) -> None:
        self.web = web

    def routes(self) -> list[Route]:
        return [Route("/threads", self.threads)]

    async def threads(self, request: Request) -> Response:
        party = request.query_params.get("party", "").strip()[:200]

        def read() -> list[Thread]:
            with self.web.sessions.begin() as session:
                return stored_threads(self.web.cache.stories(session, queries.InboxQuery(), self.web.zones))

        threads = await run_in_threadpool(read)
        if party:
            threads = [t for t in threads if any(party.lower() in p.lower() for p in t.parties)]
        return self.web.page(request, "threads.html", threads=threads, party=party,
                             story_id=queries.story_id)

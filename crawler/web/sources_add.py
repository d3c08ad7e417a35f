"""The Sources page's add-by-URL: probe while the user waits (crawler.preview), show what works
and three articles as they would be stored, save on confirmation; enable or disable an added
source. Plain forms with CSRF tokens; no JavaScript needed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus

from starlette.concurrency import run_in_threadpool
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from crawler.added_sources import AddSourceError, add, check_new, load_all, set_enabled
from crawler.sources import SourcesError
from crawler.storage.added import added_sources
from crawler.web.security import csrf_ok

if TYPE_CHECKING:
    from starlette.requests import Request

    from crawler.web.app import WebApp

STALE = "the form's token is missing or stale: reload the page"
PROBE_TIMEOUT = 60.0  # seconds the user waits at most for the probe


class AddPages:
    """/sources/add (form and added sources), its preview and save, enable/disable."""

    def __init__(self, web: WebApp) -> None:
        self.web = web
        self.config = web.config

    def routes(self) -> list[Route]:
        return [
            Route("/sources/add", self.form),
            Route("/sources/add/preview", self.preview, methods=["POST"]),
            Route("/sources/add/save", self.save, methods=["POST"]),
            Route("/sources/added/{name}/{action:str}", self.switch, methods=["POST"]),
        ]

    def _form(self, request: Request, status_code: int = 200, **context: Any) -> Response:
        with self.web.sessions() as session:
            added = added_sources(session)
        values = {"url": "", "name": "", "error": "", "done": request.query_params.get("done", "")[:200],
                  **context}
        return self.web.page(request, "sources_add.html", status_code=status_code, added=added, **values)

    async def form(self, request: Request) -> Response:
        return await run_in_threadpool(self._form, request)

    async def preview(self, request: Request) -> Response:
        from crawler.preview import preview
        from crawler.startup import project_settings

        form = await request.form()
        if not csrf_ok(request, form.get("csrf")):
            return PlainTextResponse(STALE, status_code=403)
        url, name = str(form.get("url", "")).strip()[:2000], str(form.get("name", "")).strip()[:100]
        try:
            source = await run_in_threadpool(self._check, url, name)
        except (AddSourceError, SourcesError) as err:
            return await run_in_threadpool(self._form, request, 400, url=url, name=name, error=str(err))
        found = await run_in_threadpool(preview, source, project_settings(), PROBE_TIMEOUT)
        return self.web.page(request, "sources_preview.html", preview=found, name=name)

    def _check(self, url: str, name: str) -> Any:
        return check_new(url, name or None, load_all(self.config.sources_file, self.web.database).names())

    async def save(self, request: Request) -> Response:
        form = await request.form()
        if not csrf_ok(request, form.get("csrf")):
            return PlainTextResponse(STALE, status_code=403)
        url, name = str(form.get("url", "")).strip()[:2000], str(form.get("name", "")).strip()[:100]

        def store() -> str:
            return add(self.config.sources_file, self.config.database_url, url, name or None, origin="web").name

        try:
            saved = await run_in_threadpool(store)
        except (AddSourceError, SourcesError) as err:
            return await run_in_threadpool(self._form, request, 400, url=url, name=name, error=str(err))
        return RedirectResponse(f"/sources/add?done=added+{saved}", status_code=303)

    async def switch(self, request: Request) -> Response:
        form = await request.form()
        if not csrf_ok(request, form.get("csrf")):
            return PlainTextResponse(STALE, status_code=403)
        name, action = request.path_params["name"], request.path_params["action"]
        if action not in ("enable", "disable"):
            return PlainTextResponse("unknown action", status_code=404)
        try:
            await run_in_threadpool(set_enabled, self.config.database_url, name, action == "enable")
        except AddSourceError as err:
            return await run_in_threadpool(self._form, request, 404, error=str(err))
        if form.get("back") == "source":  # switched on the source's own page: back to it
            return RedirectResponse(f"/sources/{quote(name, safe='')}?done={action}d", status_code=303)
        return RedirectResponse(f"/sources/add?done={action}d+{quote_plus(name)}", status_code=303)

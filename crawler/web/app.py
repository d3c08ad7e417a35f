"""The web app of `jajak web`: routes, templates and the app factory. Pages read through
crawler/web/queries.py; a judgement is stored by the function `jajak label` uses."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

import alerts
from classifier.sectors import SECTORS
from crawler.digest.claims import zones_of
from crawler.storage import Database, add_judgement
from crawler.storage.browse import stored_sources
from crawler.storage.judgements import STAGES
from crawler.threads import Thread, thread_of
from crawler.web import actions, charts, export, queries
from crawler.web.cache import StoryCache
from crawler.web.marks import highlight
from crawler.web.security import (
    DEFAULT_HOST,
    GuardMiddleware,
    allowed_hosts,
    check_bind,
    csrf_ok,
    csrf_token,
    password_ok,
    safe_next,
)
from crawler.web.source_page import SourcePages
from crawler.web.sources_add import AddPages
from crawler.web.threads import ThreadPages, stored_threads

if TYPE_CHECKING:
    from starlette.requests import Request

    from crawler.config import Config

PAGE_SIZE = 25
# What each judgement button stores: (label, stage), as `jajak label --yes|--no [--stage S]`.
VERDICTS: dict[str, tuple[bool, str | None]] = {
    "right": (True, None), "no": (False, None), **{stage: (True, stage) for stage in STAGES},
}


def _environment(timezone: str) -> Environment:
    env = Environment(loader=PackageLoader("crawler.web", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["when"] = lambda value: alerts.format_when(value, timezone) if value else "-"
    env.filters["highlight"] = highlight
    env.filters["day_bars"] = charts.day_bars
    env.filters["segment"] = lambda value: quote(str(value), safe="")  # one path segment: /sources/NAME
    return env


class WebApp:
    """The pages over one database and one configuration (built once by create_app)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        # The app's database, open while it runs: every page reads through it.
        self.database = Database(config.database_url, config.sqlite_busy_timeout)
        self.sessions = self.database.sessions
        self.zones = zones_of(config.sources_file)
        self.env = _environment(config.timezone)
        self.cache = StoryCache()

    def page(self, request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        context.update(csrf=csrf_token(request), login=bool(self.config.web_password),
                       path=request.url.path)
        return HTMLResponse(self.env.get_template(template).render(**context), status_code=status_code)

    # --- inbox -----------------------------------------------------------------------------

    def _query(self, request: Request) -> tuple[queries.InboxQuery, dict[str, str], str]:
        params = request.query_params
        form = {name: params.get(name, "").strip()[:200]
                for name in ("stage", "sector", "source", "party", "region", "from", "to", "q")}
        error = ""
        try:
            start, end = queries.day_bounds(form["from"], form["to"], self.config.timezone)
        except ValueError as err:
            start = end = None
            error = f"{err}: the dates were not applied"
        query = queries.InboxQuery(stage=form["stage"], sector=form["sector"], source=form["source"],
                                   party=form["party"], region=form["region"], date_from=start, date_to=end,
                                   text=form["q"])
        return query, form, error

    async def inbox(self, request: Request) -> Response:
        query, form, error = self._query(request)
        try:
            page = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            page = 1

        def read() -> dict[str, Any]:
            with self.sessions.begin() as session:  # grouping may link matches not linked yet
                matched = self.cache.stories(session, query, self.zones)
                found = queries.found_articles(session, query.text) if query.text else []
                sources = sorted({*self.zones, *(row.name for row in stored_sources(session))})
                return {"stories": queries.kept(matched, query), "found": found, "sources": sources,
                        "regions": queries.inbox_regions(matched, query)}

        data = await run_in_threadpool(read)
        stories = data["stories"]
        pages = max(1, -(-len(stories) // PAGE_SIZE))
        page = min(page, pages)
        shown = stories[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
        filters = {k: v for k, v in form.items() if v}
        return self.page(
            request, "inbox.html", stories=[(queries.story_id(s), s) for s in shown], total=len(stories),
            page=page, pages=pages, form=form, error=error, found=data["found"],
            sources=data["sources"], regions=data["regions"], stages=STAGES, sectors=list(SECTORS),
            query_string=urlencode(filters), page_link=lambda n: "?" + urlencode({**filters, "page": n}),
        )

    async def export(self, request: Request) -> Response:
        query, _form, error = self._query(request)
        if error:
            return PlainTextResponse(error, status_code=400)

        def read() -> list[dict[str, Any]]:
            with self.sessions.begin() as session:
                stories = queries.kept(self.cache.stories(session, query, self.zones), query)
                return [export.record(s, queries.story_id(s)) for s in stories]

        records = await run_in_threadpool(read)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
        if request.url.path.endswith(".csv"):
            body, media = export.to_csv(records), "text/csv; charset=utf-8"
            name = f"jajak-stories-{stamp}.csv"
        else:
            body, media = export.to_json(records), "application/json"
            name = f"jajak-stories-{stamp}.json"
        return Response(body, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    # --- one story -------------------------------------------------------------------------

    async def story(self, request: Request) -> Response:
        article_id = request.path_params["article_id"]

        def read() -> tuple[queries.StoryPage | None, Thread | None]:
            with self.sessions.begin() as session:
                # The inbox's grouping (kept, or made and kept now): the page shows the outlets the
                # inbox shows, and the thread of the story is one of those of every story.
                grouped = self.cache.stories(session, queries.InboxQuery(), self.zones)
                view = queries.story_page(session, article_id, self.zones, grouped)
                return view, thread_of(stored_threads(grouped), article_id) if view else None

        view, thread = await run_in_threadpool(read)
        if view is None:
            return self.page(request, "missing.html", status_code=404, what=f"article {article_id}")
        return self.page(request, "story.html", view=view, story_id=article_id, stages=STAGES,
                         judged=request.query_params.get("judged") == "1", thread=thread)

    async def judge(self, request: Request) -> Response:
        article_id = request.path_params["article_id"]
        form = await request.form()
        if not csrf_ok(request, form.get("csrf")):
            return PlainTextResponse("the form's token is missing or stale: reload the page", status_code=403)
        verdict = VERDICTS.get(str(form.get("verdict", "")))
        if verdict is None:
            return PlainTextResponse("unknown verdict", status_code=400)
        label, stage = verdict

        def store() -> bool:
            with self.sessions.begin() as session:
                grouped = self.cache.cached(session, queries.InboxQuery())
                view = queries.story_page(session, article_id, self.zones, grouped)
            if view is None:
                return False
            # The judgement is the story's: every outlet's copy gets it, as `jajak label URL`
            # would store it for each of their URLs.
            with self.sessions.begin() as session:
                for article in view.articles:
                    add_judgement(session, article.url, label, stage)
            return True

        if not await run_in_threadpool(store):
            return self.page(request, "missing.html", status_code=404, what=f"article {article_id}")
        return RedirectResponse(f"/story/{article_id}?judged=1", status_code=303)

    # --- sources and deliveries ------------------------------------------------------------

    async def sources(self, request: Request) -> Response:
        from crawler.added_sources import load_all
        from crawler.sources import Source, SourcesError
        from crawler.status import collect

        def read() -> tuple[list[dict[str, Any]], str]:
            sources: list[Source]  # the file's (a SourceList), or none when it cannot be read
            try:
                sources, problem = load_all(self.config.sources_file, self.database), ""
            except SourcesError as err:
                sources, problem = [], str(err)
            with self.sessions() as session:
                stored = {row.name: row.url for row in stored_sources(session)}
            listed = {source.name for source in sources}
            # Crawled once but no longer (or never) in the sources file: still shown, marked.
            others = [Source.model_construct(name=name, url=url) for name, url in stored.items() if name not in listed]
            status = collect(self.database, [*sources, *others], (), self.config.timezone, log_dir=None)
            with self.sessions() as session:
                rows = queries.source_rows(status, session)
            for row in rows:
                row["listed"] = row["source"] in listed
            return rows, problem

        rows, problem = await run_in_threadpool(read)
        return self.page(request, "sources.html", rows=rows, problem=problem,
                         when=lambda iso: alerts.format_when(datetime.fromisoformat(iso), self.config.timezone)
                         if iso else "never")

    async def deliveries(self, request: Request) -> Response:
        def read() -> tuple[list[queries.ChannelView], str]:
            try:
                channels = alerts.load_channels(self.config.notify, self.config.apprise_config,
                                                timeout=self.config.notify_timeout.total_seconds())
            except ValueError as err:  # alerts.ChannelError: its message shows the URL masked
                return [], str(err)
            with self.sessions() as session:
                return queries.channel_views(session, channels), ""

        channels, problem = await run_in_threadpool(read)
        return self.page(request, "deliveries.html", channels=channels, problem=problem,
                         tested=request.session.pop(actions.TESTED, None))

    # --- login -----------------------------------------------------------------------------

    async def login(self, request: Request) -> Response:
        target = safe_next(request.query_params.get("next"))
        if request.method == "GET":
            return self.page(request, "login.html", target=target, failed=False)
        form = await request.form()
        if not csrf_ok(request, form.get("csrf")):
            return PlainTextResponse("the form's token is missing or stale: reload the page", status_code=403)
        if not password_ok(form.get("password"), self.config.web_password):
            await asyncio.sleep(1)  # a guesser gets one try a second per connection
            return self.page(request, "login.html", status_code=401, target=safe_next(form.get("next")), failed=True)
        request.session.clear()  # a new session (and CSRF token) once logged in
        request.session["user"] = "jajak"
        return RedirectResponse(safe_next(form.get("next")), status_code=303)

    async def logout(self, request: Request) -> Response:
        form = await request.form()
        if not csrf_ok(request, form.get("csrf")):
            return PlainTextResponse("the form's token is missing or stale: reload the page", status_code=403)
        request.session.clear()
        return RedirectResponse("/login" if self.config.web_password else "/", status_code=303)


def create_app(config: Config, host: str = DEFAULT_HOST) -> Starlette:
    """The web app over the configured database; refuses (ConfigError) a non-loopback ``host``
    without JAJAK_WEB_PASSWORD."""
    check_bind(host, config.web_password)
    web = WebApp(config)
    routes = [
        Route("/", web.inbox),
        Route("/export.csv", web.export),
        Route("/export.json", web.export),
        Route("/story/{article_id:int}", web.story),
        Route("/story/{article_id:int}/judge", web.judge, methods=["POST"]),
        Route("/sources", web.sources),
        Route("/deliveries", web.deliveries),
        Route("/deliveries/test", partial(actions.send_test, config=config), methods=["POST"]),
        *AddPages(web).routes(),
        *SourcePages(web).routes(),  # after /sources/add, which /sources/{name} would catch
        *ThreadPages(web).routes(),
        Route("/login", web.login, methods=["GET", "POST"]),
        Route("/logout", web.logout, methods=["POST"]),
        Mount("/static", StaticFiles(packages=[("crawler.web", "static")]), name="static"),
    ]
    middleware = [
        Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(host, config.web_password)),
        # A key made at each start: sessions end when the app restarts, and no key is stored.
        Middleware(SessionMiddleware, secret_key=secrets.token_urlsafe(32), session_cookie="jajak_session",
                   same_site="lax", https_only=False, max_age=12 * 3600),
        Middleware(GuardMiddleware, password=config.web_password),
    ]
    return Starlette(routes=routes, middleware=middleware)
